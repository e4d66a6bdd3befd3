"""The escalation ladder under a frozen clock around the 2026 National Day holiday.

Fri 2026-09-25 is the Mid-Autumn Festival (a holiday).

Deadline Wed 2026-09-30; 10-01..10-07 are holidays; Sat 10-10 is a make-up working day. Working days
after the deadline: 10-08 (1), 10-09 (2), 10-10 (3), 10-12 (4), 10-13 (5).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from duban.supervision import escalation, services
from duban.supervision.choices import Colour, EscalationReason, EventKind, Level, TaskStatus
from duban.supervision.models import Escalation, Event, Policy, Task
from duban.supervision.tests.factories import make_problem, make_task
from duban.workcalendar.services import current_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def scan_on(day: str) -> dict:
    with time_machine.travel(at(day), tick=False):
        return escalation.scan(at(day))


def open_levels(task: Task) -> dict[int, int | None]:
    return {e.level: e.to_person_id for e in Escalation.objects.filter(task=task, resolved_at=None)}


@pytest.fixture
def task(org):
    with time_machine.travel(at("2026-09-01"), tick=False):
        return make_task(
            org,
            "完成老旧小区改造验收资料",
            assigned_on=dt.date(2026, 9, 1),
            deadline=dt.date(2026, 9, 30),
        )


def test_overdue_workdays_skip_the_holiday(org, task):
    calendar = current_calendar()
    expected = {
        "2026-09-30": 0,
        "2026-10-01": 0,
        "2026-10-07": 0,
        "2026-10-08": 1,
        "2026-10-09": 2,
        "2026-10-10": 3,
        "2026-10-11": 3,
        "2026-10-12": 4,
        "2026-10-13": 5,
    }
    for day, overdue in expected.items():
        assert task.overdue_workdays(calendar, dt.date.fromisoformat(day)) == overdue, day


def test_the_ladder_climbs_on_working_days(org, task):
    leader, director = org.person("leader"), org.person("director")
    scan_on("2026-09-25")  # three working days left: green, nothing
    assert open_levels(task) == {}
    scan_on("2026-09-28")  # two working days left: the owner is warned
    assert open_levels(task) == {Level.WARNING: org.person("staff_a").pk}
    assert task.colour(current_calendar(), dt.date(2026, 9, 28)) == Colour.YELLOW
    scan_on("2026-10-03")  # past the deadline but no working day yet: red, not escalated
    assert open_levels(task) == {}
    assert task.colour(current_calendar(), dt.date(2026, 10, 3)) == Colour.RED
    scan_on("2026-10-08")  # 1 working day overdue → the responsible leader
    assert open_levels(task) == {Level.LEADER: leader.pk}
    scan_on("2026-10-10")  # the make-up Saturday counts; level 1 open 2 working days
    assert open_levels(task) == {Level.LEADER: leader.pk}
    scan_on("2026-10-12")  # level 1 unresolved for 3 working days → the director
    assert open_levels(task) == {Level.LEADER: leader.pk, Level.DIRECTOR: director.pk}
    rung = Escalation.objects.get(task=task, level=Level.DIRECTOR, resolved_at=None)
    assert rung.reason == EscalationReason.LEVEL1_UNRESOLVED
    task.refresh_from_db()
    assert task.escalation_level == 2


def test_overdue_five_working_days_goes_to_the_director_directly(org, task):
    Policy.objects.create(unit=org.bureau, director_level1_open=30)
    scan_on("2026-10-12")
    assert set(open_levels(task)) == {Level.LEADER}
    scan_on("2026-10-13")
    rung = Escalation.objects.get(task=task, level=Level.DIRECTOR, resolved_at=None)
    assert rung.reason == EscalationReason.OVERDUE


def test_running_the_scan_twice_sends_nothing_twice(org, task):
    from duban.notifications.models import Notification

    first = scan_on("2026-10-13")  # overdue 5 working days: both rungs at once
    events = Event.objects.filter(task=task).count()
    notices = Notification.objects.count()
    second = scan_on("2026-10-13")
    assert first["task_changes"] == 2 and second["task_changes"] == 0
    assert Event.objects.filter(task=task).count() == events
    assert Notification.objects.count() == notices


def test_a_second_worker_cannot_open_the_same_rung(org, task, monkeypatch):
    """Two workers evaluate the same task from the same snapshot: one insert wins."""
    with time_machine.travel(at("2026-10-08"), tick=False):
        snapshot = escalation._task_facts(list(Task.objects.filter(pk=task.pk)))
        assert escalation._evaluate_tasks(list(Task.objects.filter(pk=task.pk)), at("2026-10-08"))
        # The second worker loaded its facts before the first committed: it sees no open rung.
        monkeypatch.setattr(escalation, "_task_facts", lambda tasks: snapshot)
        assert (
            escalation._evaluate_tasks(list(Task.objects.filter(pk=task.pk)), at("2026-10-08")) == 0
        )
    assert Escalation.objects.filter(task=task).count() == 1
    assert Event.objects.filter(task=task, kind=EventKind.ESCALATED).count() == 1


def test_completion_de_escalates(org, task):
    scan_on("2026-10-08")
    scan_on("2026-10-12")
    with time_machine.travel(at("2026-10-12", 10), tick=False):
        task.refresh_from_db()
        services.submit_completion(org.users["staff_a"], task, "已完成全部资料")
    assert open_levels(task) == {}
    task.refresh_from_db()
    assert task.status == TaskStatus.REVIEW and task.escalation_level == 0
    assert Event.objects.filter(task=task, kind=EventKind.DEESCALATED).count() == 2
    # Lateness stops counting at submission.
    assert task.overdue_workdays(current_calendar(), dt.date(2026, 10, 20)) == 4


def test_an_approved_extension_resolves_the_warning(org, task):
    scan_on("2026-09-28")
    with time_machine.travel(at("2026-09-28", 10), tick=False):
        task.refresh_from_db()
        ext = services.request_extension(
            org.users["staff_a"], task, dt.date(2026, 10, 30), "国庆假期影响材料收集"
        )
        services.decide_extension(org.users["leader"], ext, True, "同意")
    task.refresh_from_db()
    assert task.deadline == dt.date(2026, 10, 30) and task.extension_count == 1
    assert open_levels(task) == {}


def test_a_second_extension_request_goes_to_the_leader_and_is_approved_by_the_director(org, task):
    with time_machine.travel(at("2026-09-10"), tick=False):
        first = services.request_extension(
            org.users["staff_a"], task, dt.date(2026, 10, 15), "原因"
        )
        services.decide_extension(org.users["leader"], first, True)
        task.refresh_from_db()
        second = services.request_extension(
            org.users["staff_a"], task, dt.date(2026, 10, 30), "再次延期"
        )
    assert second.approver == org.person("director")
    assert open_levels(task) == {Level.LEADER: org.person("leader").pk}
    with pytest.raises(services.BusinessRuleError):
        services.decide_extension(org.users["leader"], second, True)
    with time_machine.travel(at("2026-09-11"), tick=False):
        services.decide_extension(org.users["director"], second, True)
    task.refresh_from_db()
    assert task.extension_count == 2 and open_levels(task) == {}


def test_no_extension_after_the_deadline(org, task):
    with (
        time_machine.travel(at("2026-10-08"), tick=False),
        pytest.raises(services.BusinessRuleError, match="逾期|overdue"),
    ):
        services.request_extension(org.users["staff_a"], task, dt.date(2026, 10, 30), "原因")


def test_late_feedback_escalates_and_a_report_resolves_it(org):
    with time_machine.travel(at("2026-09-01"), tick=False):
        task = make_task(
            org,
            "每周报送进度",
            assigned_on=dt.date(2026, 9, 1),
            deadline=dt.date(2026, 12, 31),
            feedback_cycle="weekly",
        )
    assert task.feedback_due == dt.date(2026, 9, 4)  # that week's Friday
    scan_on("2026-09-07")  # 1 working day late
    assert open_levels(task) == {}
    scan_on("2026-09-08")  # 2 working days late → the leader
    assert Escalation.objects.get(task=task, resolved_at=None).reason == (
        EscalationReason.FEEDBACK_OVERDUE
    )
    from duban.supervision.models import ProgressReport

    with time_machine.travel(at("2026-09-08", 10), tick=False):
        task.refresh_from_db()
        services.report_progress(
            org.users["staff_a"], task, ProgressReport(text="完成30%", percent=30)
        )
    task.refresh_from_db()
    assert task.feedback_due == dt.date(2026, 9, 11)
    assert open_levels(task) == {}


def test_an_open_problem_on_the_task_escalates_after_three_working_days(org, task):
    with time_machine.travel(at("2026-09-24"), tick=False):
        make_problem(org, "拆迁户不配合", task=task, raised_on=dt.date(2026, 9, 24))
    scan_on("2026-09-25")
    assert Level.LEADER not in open_levels(task)
    scan_on("2026-09-29")  # 28, 29: Fri 09-25 is the Mid-Autumn Festival
    assert Level.LEADER not in open_levels(task)
    scan_on("2026-09-30")  # 28, 29, 30: three working days
    assert Escalation.objects.get(task=task, level=Level.LEADER, resolved_at=None).reason == (
        EscalationReason.PROBLEM_OPEN
    )


def test_coordination_request_goes_to_the_director_at_once(org, task):
    with time_machine.travel(at("2026-09-10"), tick=False):
        services.request_coordination(org.users["leader"], task, "需协调自然资源局")
    assert open_levels(task) == {Level.DIRECTOR: org.person("director").pk}


def test_a_past_deadline_is_accepted_and_overdue_at_once(org):
    with time_machine.travel(at("2026-10-20"), tick=False):
        task = make_task(
            org, "补登记事项", assigned_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 9, 30)
        )
        escalation.reevaluate(task)
    assert task.overdue_workdays(current_calendar(), dt.date(2026, 10, 20)) == 10
    assert set(open_levels(task)) == {Level.LEADER, Level.DIRECTOR}


def test_problems_climb_the_same_ladder(org):
    with time_machine.travel(at("2026-09-21"), tick=False):
        problem = make_problem(org, "施工许可办理卡在消防审查", raised_on=dt.date(2026, 9, 21))
    scan_on("2026-09-23")
    assert not Escalation.objects.filter(problem=problem).exists()
    scan_on("2026-09-24")  # 22, 23, 24 → the leader of section A
    assert Escalation.objects.get(problem=problem, resolved_at=None).to_person == org.person(
        "leader"
    )
    scan_on("2026-09-29")  # at the leader 28, 29 (09-25 is the Mid-Autumn Festival)
    assert Escalation.objects.filter(problem=problem, resolved_at=None).count() == 1
    scan_on("2026-09-30")  # 28, 29, 30 → the director
    assert Escalation.objects.filter(problem=problem, resolved_at=None).count() == 2
    with time_machine.travel(at("2026-09-30", 11), tick=False):
        problem.refresh_from_db()
        services.decide(
            org.users["director"], problem, "由分管领导牵头协调消防审查", dt.date(2026, 9, 29)
        )
    assert not Escalation.objects.filter(problem=problem, resolved_at=None).exists()


def test_deadline_in_working_days_from_assignment(org):
    with time_machine.travel(at("2026-09-28"), tick=False):
        task = make_task(
            org,
            "五个工作日内完成",
            assigned_on=dt.date(2026, 9, 28),
            deadline=None,
            deadline_workdays=5,
        )
    # 29, 30, 10-08, 10-09, 10-10 (make-up Saturday)
    assert task.deadline == dt.date(2026, 10, 10)
    assert task.number == "督办〔2026〕1号"
    assert task.responsible_leader == org.person("leader")


def test_the_next_report_date_steps_over_a_holiday_week(db):
    """Fri 2026-02-20 is in the Spring Festival: that week's report is due on the make-up Saturday
    02-14, and a report made that day moves the next one to Friday 02-27 (no endless loop)."""
    task = Task(feedback_cycle="weekly", feedback_weekday=4, feedback_due=dt.date(2026, 2, 14))
    assert services.feedback_due_after(task, dt.date(2026, 2, 14)) == dt.date(2026, 2, 27)
    monthly = Task(feedback_cycle="monthly", feedback_due=dt.date(2026, 9, 30))
    assert services.feedback_due_after(monthly, dt.date(2026, 10, 9)) == dt.date(2026, 10, 30)


def test_the_scan_does_not_act_on_a_task_changed_since_it_was_loaded(org, task):
    """A user's action lands between the scan loading the task and opening a rung: the scan leaves
    that task to the action's own re-evaluation instead of escalating from the old state."""
    with time_machine.travel(at("2026-10-08"), tick=False):
        stale = list(Task.objects.filter(pk=task.pk))
        Task.objects.filter(pk=task.pk).update(version=task.version + 1)  # someone saved it
        assert escalation._evaluate_tasks(stale, at("2026-10-08")) == 0
        assert (
            escalation._evaluate_tasks(list(Task.objects.filter(pk=task.pk)), at("2026-10-08")) == 1
        )
