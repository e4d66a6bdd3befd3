"""The task pages: the whole workflow through the pages, bad input, scoping and stale edits."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from duban.core.exceptions import StaleEditError
from duban.core.testing import check_matrix
from duban.evidence.tests.factories import exe_bytes, pdf_bytes
from duban.supervision.choices import EventKind, ExtensionStatus, TaskStatus
from duban.supervision.models import Event, ExtensionRequest, Policy, Problem, Task
from duban.supervision.tests import matrix_tasks
from duban.supervision.tests.factories import make_task

SHANGHAI = ZoneInfo("Asia/Shanghai")


def on(day: str):
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def as_(org):
    """A client signed in now (the session timeout would end one signed in before a time jump)."""

    def get(persona: str) -> Client:
        client = Client()
        client.force_login(org.users[persona])
        return client

    return get


def zh(msgid: str) -> str:
    """What a message says on the page (the catalogue's Chinese once translated), HTML-escaped."""
    with translation.override("zh-hans"):
        return escape(translation.gettext(msgid))


def page(client, task):
    return client.get(f"/supervision/tasks/{task.pk}/")


def post(client, task, action, data):
    task.refresh_from_db()
    return client.post(f"/supervision/tasks/{task.pk}/{action}/", {"version": task.version, **data})


def test_the_whole_workflow_through_the_pages(org, as_):
    with on("2026-06-01"):
        staff = as_("staff_a")
        task = make_task(org, "老旧小区改造推进", feedback_cycle="weekly")
        response = page(staff, task)
        assert response.status_code == 200
        assert 'data-testid="form-accept"' in response.content.decode()
        assert post(staff, task, "accept", {}).status_code == 302
    with on("2026-06-05"):
        staff, leader = as_("staff_a"), as_("leader")
        evidence = SimpleUploadedFile("现场照片.pdf", pdf_bytes())
        response = post(
            staff, task, "progress", {"text": "完成入户调查", "percent": 40, "files": [evidence]}
        )
        assert response.status_code == 302
        assert (
            post(
                staff,
                task,
                "extension",
                {"new_deadline": "2026-07-15", "reason": "汛期影响施工"},
            ).status_code
            == 302
        )
        extension = ExtensionRequest.objects.get(task=task)
        assert extension.approver == org.person("leader")
        response = leader.post(
            f"/supervision/extensions/{extension.pk}/decide/",
            {"decision": "approve", "note": "同意"},
        )
        assert response.status_code == 302
        task.refresh_from_db()
        assert task.deadline == dt.date(2026, 7, 15) and task.extension_count == 1
    with on("2026-07-01"):
        staff, leader = as_("staff_a"), as_("leader")
        assert post(staff, task, "submit", {"result": "全部完成"}).status_code == 302
        assert (
            post(leader, task, "review", {"decision": "return", "note": "缺少验收照片"}).status_code
            == 302
        )
        task.refresh_from_db()
        assert task.status == TaskStatus.IN_PROGRESS
        response = post(
            staff,
            task,
            "submit",
            {"result": "已补充验收照片", "files": [SimpleUploadedFile("验收.pdf", pdf_bytes())]},
        )
        assert response.status_code == 302
        assert post(leader, task, "review", {"decision": "approve"}).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    kinds = list(Event.objects.filter(task=task).values_list("kind", flat=True))
    for kind in (
        EventKind.CREATED,
        EventKind.ACCEPTED,
        EventKind.PROGRESS,
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_APPROVED,
        EventKind.SUBMITTED,
        EventKind.RETURNED,
        EventKind.COMPLETED,
    ):
        assert kind in kinds
    with on("2026-07-01"):
        html = page(as_("staff_a"), task).content.decode()
    assert 'data-status="done"' in html
    assert html.count('class="timeline-event"') == len(kinds)
    assert "缺少验收照片" in html and "现场照片" in html and "验收" in html
    assert 'data-testid="form-' not in html  # nothing is left for staff to do


def test_bad_input_keeps_what_was_typed_with_a_chinese_message(org, client_for):
    staff = client_for("staff_a")
    with on("2026-06-10"):
        task = make_task(org, "道路维修")
        response = post(
            staff, task, "extension", {"new_deadline": "2026-06-20", "reason": "材料未到"}
        )
        html = response.content.decode()
        assert response.status_code == 400
        assert zh("The new deadline must be after the current one.") in html
        assert "材料未到" in html
        response = post(staff, task, "progress", {"text": "", "percent": 120})
        assert response.status_code == 400
        assert "该字段是必填项。" in response.content.decode()
        response = post(
            staff,
            task,
            "progress",
            {"text": "已开工", "files": [SimpleUploadedFile("病毒.exe", exe_bytes())]},
        )
        html = response.content.decode()
        assert response.status_code == 400
        assert "病毒.exe" in html and "已开工" in html
        assert not task.progress_reports.exists()


def test_the_add_form_needs_a_deadline_or_working_days(org, client_for):
    office = client_for("office")
    data = {
        "title": "城市体检",
        "source": "meeting",
        "lead_section": org.section_a.pk,
        "owner": org.person("staff_a").pk,
        "important": "on",
        "assigned_on": "2026-06-01",
        "feedback_cycle": "none",
        "feedback_weekday": 4,
    }
    response = office.post("/supervision/tasks/add/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "城市体检" in html
    assert zh("Give the deadline: a date, or a number of working days from the assignment.") in html
    assert not Task.objects.exists()
    response = office.post("/supervision/tasks/add/", {**data, "deadline_workdays": 10})
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.deadline == dt.date(2026, 6, 15)  # 10 working days after 6-01 (6-05 ... 端午 6-19)
    assert task.responsible_leader == org.person("leader")
    assert task.seq == 1 and task.year == 2026


def test_edit_keeps_the_deadline_and_refuses_a_stale_form(org, client_for):
    task = make_task(org, "旧标题")
    chief = client_for("chief_a")
    response = chief.get(f"/supervision/tasks/{task.pk}/edit/")
    assert response.status_code == 200
    assert 'name="deadline"' in response.content.decode()
    data = {
        "title": "新标题",
        "source": "meeting",
        "lead_section": org.section_a.pk,
        "owner": org.person("staff_a").pk,
        "important": "on",
        "deadline": "2027-01-01",
        "feedback_cycle": "none",
        "feedback_weekday": 4,
        "version": task.version,
    }
    assert chief.post(f"/supervision/tasks/{task.pk}/edit/", data).status_code == 302
    task.refresh_from_db()
    assert task.title == "新标题" and task.deadline == dt.date(2026, 6, 30)
    response = chief.post(f"/supervision/tasks/{task.pk}/edit/", {**data, "title": "过期的"})
    assert response.status_code == 200
    assert zh(str(StaleEditError.message)) in response.content.decode()
    task.refresh_from_db()
    assert task.title == "新标题"


def test_a_stale_action_is_refused(org, client_for):
    with on("2026-06-10"):
        task = make_task(org)
        staff = client_for("staff_a")
        response = staff.post(
            f"/supervision/tasks/{task.pk}/accept/", {"version": task.version - 1 or 99}
        )
        assert response.status_code == 400
        task.refresh_from_db()
        assert task.status == TaskStatus.PENDING


def test_staff_of_another_section_neither_sees_nor_acts(org, client_for):
    with on("2026-06-10"):
        task = make_task(org, "股室A的保密督办事项")
        staff_c = client_for("staff_c")
        assert page(staff_c, task).status_code == 404
        assert post(staff_c, task, "accept", {}).status_code == 404
        assert post(staff_c, task, "problem", {"title": "x"}).status_code == 404
        listing = staff_c.get("/supervision/tasks/").content.decode()
        assert task.title not in listing
    task.refresh_from_db()
    assert task.status == TaskStatus.PENDING


def test_the_leader_asks_the_director_and_staff_raise_a_problem(org, client_for):
    with on("2026-06-10"):
        task = make_task(org, "征迁协调", responsible_leader=org.person("leader"))
        assert (
            post(client_for("staff_a"), task, "problem", {"title": "群众不配合"}).status_code == 302
        )
        problem = Problem.objects.get()
        assert problem.task == task and problem.section == org.section_a
        assert post(client_for("staff_a"), task, "coordinate", {"note": "x"}).status_code == 400
        response = post(client_for("leader"), task, "coordinate", {"note": "需局长协调资金"})
        assert response.status_code == 302
        task.refresh_from_db()
        assert task.escalation_level == 2
        html = client_for("director").get("/supervision/mine/").content.decode()
        assert "征迁协调" in html and 'data-testid="coordinate"' in html


def test_stop_needs_a_reason_and_is_the_offices(org, client_for):
    task = make_task(org)
    office = client_for("office")
    assert post(office, task, "stop", {"reason": ""}).status_code == 400
    # The section that must do the work cannot cancel it.
    assert post(client_for("chief_a"), task, "stop", {"reason": "不想做"}).status_code == 400
    assert post(office, task, "stop", {"reason": "上级已撤销"}).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.STOPPED


def test_list_shows_number_colour_and_exports(org, client_for):
    with on("2026-06-10"):
        # The number is issued with the policy's prefix of the day (a 文号 never changes later).
        Policy.objects.create(unit=org.bureau, number_prefix="住建督")
        late = make_task(org, "逾期事项", deadline=dt.date(2026, 6, 5))
        make_task(org, "正常事项", deadline=dt.date(2026, 6, 30))
        Policy.objects.filter(unit=org.bureau).update(number_prefix="督办")
        client = client_for("office")
        html = client.get("/supervision/tasks/").content.decode()
        assert f"住建督〔2026〕{late.seq}号" in html
        overdue = zh("%(n)s working days overdue") % {"n": 3}  # 6-08, 6-09, 6-10
        assert overdue in html
        red = client.get("/supervision/tasks/?colour=red").content.decode()
        assert "逾期事项" in red and "正常事项" not in red
        response = client.get("/supervision/tasks/?colour=red&export=xlsx")
        assert response.status_code == 200
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(response.content)).active
        rows = list(sheet.values)
        assert len(rows) == 2
        assert rows[1][0] == f"住建督〔2026〕{late.seq}号"
        assert overdue in rows[1]


def test_policy_page(org, client_for):
    assert client_for("staff_a").get("/supervision/policy/").status_code == 200
    assert client_for("staff_a").post("/supervision/policy/", {}).status_code == 403
    office = client_for("office")
    response = office.post("/supervision/policy/", {"number_prefix": "", "warn_before": 99})
    assert response.status_code == 400
    assert not Policy.objects.exists()
    data = {
        "number_prefix": "住建督",
        "warn_before": 3,
        "leader_overdue": 1,
        "leader_feedback_overdue": 2,
        "leader_problem_open": 3,
        "leader_on_second_extension": "on",
        "director_overdue": 5,
        "director_level1_open": 3,
        "problem_leader_after": 3,
        "problem_director_after": 3,
    }
    assert office.post("/supervision/policy/", data).status_code == 302
    assert Policy.objects.get().warn_before == 3


@pytest.mark.parametrize("persona", ["director", "leader", "staff_a"])
def test_board_and_my_tasks_render(org, client_for, persona):
    with on("2026-06-10"):
        make_task(org, "看板事项", deadline=dt.date(2026, 6, 1))
        from duban.supervision import escalation

        escalation.scan(dt.datetime(2026, 6, 10, 9, tzinfo=SHANGHAI))
        assert client_for(persona).get("/supervision/board/").status_code == 200
        assert client_for(persona).get("/supervision/mine/").status_code == 200
    assert ExtensionStatus.PENDING


@pytest.mark.parametrize("name", sorted(matrix_tasks.ROUTES))
def test_matrix_rows_of_the_task_pages(org, client_for, name):
    """The rows this part adds to the permission matrix hold on their own (the core matrix test runs
    them again once merged)."""
    method, url, expected, *custom = matrix_tasks.ROUTES[name]
    objects = {"org": org, **matrix_tasks.build(org)}
    assert (
        check_matrix(client_for, method, url(objects), expected, custom[0] if custom else None)
        == []
    )
