"""Regressions found by review: odd digits, foreign links, out-of-range dates, leaked titles, closed
tasks, reassignment, report cycles after review, future decisions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from duban.notifications.models import Notification
from duban.supervision import services
from duban.supervision.choices import EventKind, ExtensionStatus, Level, TaskStatus
from duban.supervision.models import Escalation, Event, Task
from duban.supervision.tests.factories import make_decided_problem, make_problem, make_task
from duban.supervision.tests.test_escalation import at, scan_on


@pytest.mark.parametrize(
    "url",
    [
        "/supervision/tasks/?q=第①项",
        "/supervision/tasks/?q=²&export=xlsx",
        "/api/v1/supervision/tasks/?q=①",
        "/supervision/problems/add/?task=²",
        "/supervision/problems/add/?task=99999999999999999999999999",
        "/supervision/problems/similar/?q=积水&exclude=²",
        "/supervision/lessons/add/?problem=²",
        "/supervision/board/?section=²",
    ],
)
def test_unusual_digits_and_huge_ids_are_no_error(org, client_for, url):
    assert client_for("office").get(url).status_code == 200


def test_the_api_refuses_another_units_project(org, client_for):
    from duban.projects.tests.factories import make_project

    foreign = make_project(org, "FG-1", "外单位项目", unit=org.peer, lead_section=org.section_d)
    response = client_for("office").post(
        "/api/v1/supervision/tasks/",
        {
            "title": "x",
            "source": "project",
            "project": foreign.pk,
            "lead_section": org.section_a.pk,
            "owner": org.person("staff_a").pk,
            "deadline": "2026-12-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "project" in response.json()
    assert "外单位项目" not in response.content.decode()


def test_a_working_day_deadline_from_a_mistyped_year_is_a_field_error(org, client_for):
    data = {
        "title": "x",
        "source": "other",
        "lead_section": org.section_a.pk,
        "owner": org.person("staff_a").pk,
        "assigned_on": "2206-06-01",
        "deadline_workdays": 5,
        "important": "on",
        "feedback_cycle": "none",
        "feedback_weekday": 4,
    }
    page = client_for("office").post("/supervision/tasks/add/", data)
    assert page.status_code == 200 and "2000" in page.content.decode()
    api = client_for("office").post(
        "/api/v1/supervision/tasks/",
        {k: v for k, v in data.items() if k != "important"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "assigned_on" in api.json()
    assert not Task.objects.exists()


def test_a_problem_does_not_reveal_a_task_the_reader_may_not_see(org, client_for):
    task = make_task(org, "股室A内部督办事项")
    problem = make_problem(org, "材料不全", task=task)
    assert (
        "股室A内部督办事项"
        in client_for("staff_a").get(problem.get_absolute_url()).content.decode()
    )
    page = client_for("staff_c").get(problem.get_absolute_url())
    assert page.status_code == 200 and "股室A内部督办事项" not in page.content.decode()


def test_imported_finished_tasks_send_no_new_task_notice(org):
    make_task(org, "历史事项", notify_owner=False)
    make_task(org, "新事项")
    titles = list(Notification.objects.values_list("title", flat=True))
    assert len(titles) == 1 and "新事项" in titles[0]


def test_a_closed_task_keeps_no_extension_waiting(org):
    with time_machine.travel(at("2026-06-10"), tick=False):
        task = make_task(org)
        ext = services.request_extension(org.users["staff_a"], task, dt.date(2026, 7, 15), "原因")
        task.refresh_from_db()
        services.stop(org.users["office"], task, "上级取消")
        ext.refresh_from_db()
        assert ext.status == ExtensionStatus.WITHDRAWN
        with pytest.raises(services.BusinessRuleError):
            services.decide_extension(org.users["leader"], ext, True)
    task.refresh_from_db()
    assert task.deadline == dt.date(2026, 6, 30)


def test_a_returned_task_reports_from_this_cycle_and_is_not_late_for_the_review_days(org):
    with time_machine.travel(at("2026-09-01"), tick=False):
        task = make_task(
            org,
            "每周报送",
            assigned_on=dt.date(2026, 9, 1),
            deadline=dt.date(2026, 12, 31),
            feedback_cycle="weekly",
        )
    with time_machine.travel(at("2026-09-02"), tick=False):
        services.submit_completion(org.users["staff_a"], task, "已完成")
    task.refresh_from_db()
    assert task.feedback_due is None
    with time_machine.travel(at("2026-09-16"), tick=False):  # a Wednesday, two weeks later
        services.review(org.users["leader"], task, False, "缺少照片")
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert task.feedback_due == dt.date(2026, 9, 18)
    assert not Escalation.objects.filter(task=task, resolved_at=None, level=Level.LEADER).exists()


def test_reassignment_is_on_the_timeline_and_moves_the_open_rung(org, client_for):
    with time_machine.travel(at("2026-09-01"), tick=False):
        task = make_task(org, assigned_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 9, 30))
    scan_on("2026-10-08")
    assert Escalation.objects.get(task=task, resolved_at=None, level=Level.LEADER).to_person == (
        org.person("leader")
    )
    task.refresh_from_db()
    before = Task.objects.get(pk=task.pk)
    task.owner = org.person("chief_a")
    task.responsible_leader = org.person("director")
    task.save()
    services.record_edit(org.users["office"], before, task)
    kinds = list(
        Event.objects.filter(task=task, kind=EventKind.REASSIGNED).values_list("text", flat=True)
    )
    assert len(kinds) == 2
    assert Escalation.objects.get(task=task, resolved_at=None, level=Level.LEADER).to_person == (
        org.person("director")
    )
    assert Notification.objects.filter(recipient=org.users["chief_a"]).exists()


def test_a_closed_task_is_no_longer_edited(org, client_for):
    task = make_task(org)
    services.stop(org.users["office"], task, "取消")
    assert client_for("office").get(f"/supervision/tasks/{task.pk}/edit/").status_code == 404
    task.refresh_from_db()
    response = client_for("office").patch(
        f"/api/v1/supervision/tasks/{task.pk}/",
        {"title": "改", "version": task.version},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_a_decision_cannot_be_dated_in_the_future_through_the_api(org, client_for):
    problem = make_problem(org, "待决问题")
    response = client_for("director").post(
        f"/api/v1/supervision/problems/{problem.pk}/decide/",
        {"decision": "同意", "decided_on": "2099-01-01", "version": problem.version},
        content_type="application/json",
    )
    assert response.status_code == 400
    problem.refresh_from_db()
    assert problem.status == "pending"
    assert make_decided_problem(org, "另一问题", "已决定").status == "decided"


def test_the_director_answers_a_coordination_request(org, client_for):
    with time_machine.travel(at("2026-09-10"), tick=False):
        task = make_task(
            org, "需协调事项", assigned_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 12, 31)
        )
        services.request_coordination(org.users["leader"], task, "需协调自然资源局用地")
        task.refresh_from_db()
        assert task.escalation_level == 2
        page = client_for("director").get(task.get_absolute_url()).content.decode()
        assert "/instruct/" in page
        response = client_for("director").post(
            f"/supervision/tasks/{task.pk}/instruct/",
            {"instruction": "由局长召集自然资源局现场协调", "version": task.version},
        )
        assert response.status_code == 302, response.content.decode()[:500]
    task.refresh_from_db()
    assert task.coordination_requested_on is None and task.escalation_level == 0
    assert Event.objects.filter(task=task, kind=EventKind.COORDINATED).exists()
    assert Notification.objects.filter(
        recipient=org.users["staff_a"], kind="supervision.coordinated"
    ).exists()
    with pytest.raises(services.BusinessRuleError):
        services.record_coordination(org.users["director"], task, "再次")


def test_only_the_office_and_the_director_stop_a_task_and_the_director_is_not_the_owner(org):
    task = make_task(org)
    for persona in ("chief_a", "leader", "staff_a"):
        with pytest.raises(services.BusinessRuleError):
            services.stop(org.users[persona], Task.objects.get(pk=task.pk), "不做了")
    assert not services.is_owner_side(org.users["director"], task)
    assert services.is_owner_side(org.users["office"], task)
    services.stop(org.users["director"], Task.objects.get(pk=task.pk), "上级取消")


def test_rejecting_an_extension_needs_a_reason(org):
    with time_machine.travel(at("2026-06-10"), tick=False):
        task = make_task(org)
        ext = services.request_extension(org.users["staff_a"], task, dt.date(2026, 7, 15), "原因")
        with pytest.raises(services.BusinessRuleError):
            services.decide_extension(org.users["leader"], ext, False, "  ")
        services.decide_extension(org.users["leader"], ext, False, "理由不充分")
    ext.refresh_from_db()
    assert ext.status == ExtensionStatus.REJECTED


def test_the_board_shows_a_task_once_at_its_highest_rung(org, client_for):
    with time_machine.travel(at("2026-09-01"), tick=False):
        task = make_task(
            org, "只出现一次的事项", assigned_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 9, 30)
        )
    scan_on("2026-10-13")
    assert Escalation.objects.filter(task=task, resolved_at=None).count() == 2
    with time_machine.travel(at("2026-10-13", 10), tick=False):
        html = client_for("director").get("/supervision/board/").content.decode()
    assert html.count("只出现一次的事项") == 1


def test_tasks_are_found_by_their_printed_number(org, client_for):
    make_task(org, "第一件")
    second = make_task(org, "第二件")
    html = client_for("office").get("/supervision/tasks/?q=督办〔2026〕2号").content.decode()
    assert second.title in html and "第一件" not in html


def test_the_policy_refuses_a_director_reached_before_the_leader(org):
    from django.core.exceptions import ValidationError

    from duban.supervision.models import Policy

    with pytest.raises(ValidationError) as error:
        Policy(unit=org.bureau, leader_overdue=10, director_overdue=2).full_clean()
    assert "director_overdue" in error.value.message_dict


def test_e_mail_is_off_by_default_without_an_address(org):
    from duban.notifications.models import Preference

    assert Preference.for_user(org.users["staff_c"]).email is False
    org.users["staff_c"].email = "c@example.org"
    assert Preference.for_user(org.users["staff_c"]).email is True


def test_the_task_api_list_costs_the_same_at_10_and_60_tasks(org, client_for):
    from duban.core.testing import count_queries
    from duban.supervision.bench_pages import grow_tasks

    people = dict(
        unit=org.bureau,
        sections=[org.section_a, org.section_b],
        owners=[org.person("staff_a"), org.person("chief_a")],
        leader=org.person("leader"),
        director=org.person("director"),
    )
    client = client_for("director")
    grow_tasks(10, **people)
    client.get("/api/v1/supervision/tasks/")
    few = count_queries(lambda: client.get("/api/v1/supervision/tasks/"))
    grow_tasks(50, **people)
    many = count_queries(lambda: client.get("/api/v1/supervision/tasks/"))
    assert few == many
