"""Excel imports of the project list and of a plan: jobs, all or nothing, errors by row and column."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from duban.core import jobs
from duban.core.models import Job
from duban.core.testing import check_matrix
from duban.projects import imports
from duban.projects.choices import ProjectLevel, ProjectType, Stage
from duban.projects.models import Activity, Dependency, Project
from duban.projects.tests.factories import make_plan, make_project

D = dt.date
PROJECT_KEYS = [c.key for c in imports.PROJECT_COLUMNS]
PLAN_KEYS = [c.key for c in imports.PLAN_COLUMNS]


@pytest.fixture(autouse=True)
def _handlers(monkeypatch):
    # The kinds as core.jobs.HANDLERS names them (listed there by the lead).
    monkeypatch.setitem(
        jobs.HANDLERS, "projects.import_projects", "duban.projects.imports.run_project_import"
    )
    monkeypatch.setitem(
        jobs.HANDLERS, "projects.import_plan", "duban.projects.imports.run_plan_import"
    )


def workbook(columns, rows, header_row=None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header_row or [f"{c.header}*" if c.required else c.header for c in columns])
    keys = [c.key for c in columns]
    for cells in rows:
        unknown = set(cells) - set(keys)
        assert not unknown, unknown
        sheet.append([cells.get(key) for key in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "import.xlsx"
    return buffer


def upload(client, url, file, capture):
    with capture(execute=True):
        return client.post(url, {"file": file})


def errors_of(job) -> set[tuple[int, str]]:
    return {(e["row"], e["column"]) for e in job.result["errors"]}


# --- the project list ---------------------------------------------------------------------------


def test_templates_have_the_columns(client_for, org):
    for url, columns in (
        ("/projects/import/template/", imports.PROJECT_COLUMNS),
        ("/projects/plan-template/", imports.PLAN_COLUMNS),
    ):
        response = client_for("staff_a").get(url)
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        headers = [c.value for c in book.worksheets[0][1]]
        assert headers == [f"{c.header}*" if c.required else c.header for c in columns]


def test_a_good_project_list_creates_and_updates_projects(
    org, client_for, django_capture_on_commit_callbacks
):
    existing = make_project(org, "XM-1", "旧名称", D(2026, 3, 2), D(2026, 12, 31))
    rows = [
        {
            "code": "XM-1",
            "name": "滨河路改造",
            "planned_start": D(2026, 3, 2),
            "deadline": D(2026, 11, 30),
            "annual_investment": 1800,
        },
        {
            "code": "XM-2",
            "name": "城北污水处理厂",
            "type": "污水处理",
            "level": "市重点",
            "stage": "在建",
            "owner": "县城投公司",
            "contractor": "某建工集团",
            "address": "城北工业园",
            "latitude": "27.123456",
            "longitude": "112.654321",
            "total_investment": "12,000.5",
            "annual_investment": 3000,
            "funding_sources": "专项债",
            "responsible_leader": "leader",
            "lead_section": "股室B",
            "planned_start": "2026/4/1",
            "deadline": "2027年6月30日",
        },
    ]
    file = workbook(imports.PROJECT_COLUMNS, rows)
    response = upload(
        client_for("staff_a"), "/projects/import/", file, django_capture_on_commit_callbacks
    )
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "succeeded", job.result
    assert (job.result["created"], job.result["updated"]) == (1, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.deadline, existing.annual_investment) == (
        "滨河路改造",
        D(2026, 11, 30),
        Decimal("1800"),
    )
    new = Project.objects.get(code="XM-2")
    assert (new.unit, new.type, new.level, new.stage) == (
        org.bureau,
        ProjectType.SEWAGE,
        ProjectLevel.CITY,
        Stage.CONSTRUCTION,
    )
    assert (new.lead_section, new.responsible_leader) == (org.section_b, org.person("leader"))
    assert (new.planned_start, new.deadline) == (D(2026, 4, 1), D(2027, 6, 30))
    assert new.total_investment == Decimal("12000.5") and new.latitude == Decimal("27.123456")


def test_a_new_project_without_a_section_goes_to_the_importers_section(
    org, client_for, django_capture_on_commit_callbacks
):
    file = workbook(
        imports.PROJECT_COLUMNS,
        [{"code": "N", "name": "新项目", "planned_start": "2026-05-01", "deadline": "2026-10-01"}],
    )
    upload(client_for("chief_a"), "/projects/import/", file, django_capture_on_commit_callbacks)
    assert Project.objects.get(code="N").lead_section == org.section_a


def test_project_errors_are_reported_by_row_and_column_and_nothing_is_written(
    org, client_for, django_capture_on_commit_callbacks
):
    make_project(org, "C-1", "股室C项目", lead_section=org.section_c)
    rows = [
        {"code": "OK", "name": "好行", "planned_start": "2026-05-01", "deadline": "2026-10-01"},
        {"code": "", "name": "", "planned_start": "明天", "deadline": "2026-10-01"},  # row 3
        {
            "code": "X",
            "name": "x",
            "level": "乡重点",
            "planned_start": "2026-05-01",
            "deadline": "2026-04-01",
        },
        {
            "code": "OK",
            "name": "重复",
            "latitude": "95",
            "planned_start": "2026-05-01",
            "deadline": "2026-10-01",
        },
        {
            "code": "C-1",
            "name": "无权修改",
            "planned_start": "2026-05-01",
            "deadline": "2026-10-01",
        },
        {
            "code": "Y",
            "name": "y",
            "lead_section": "股室Z",
            "responsible_leader": "查无此人",
            "planned_start": "2026-05-01",
            "deadline": "2026-10-01",
        },
    ]
    file = workbook(imports.PROJECT_COLUMNS, rows)
    upload(client_for("staff_a"), "/projects/import/", file, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == "failed"
    letter = {c.key: chr(ord("A") + i) for i, c in enumerate(imports.PROJECT_COLUMNS)}
    assert errors_of(job) == {
        (3, letter["code"]),
        (3, letter["name"]),
        (3, letter["planned_start"]),
        (4, letter["level"]),
        (4, letter["deadline"]),
        (5, letter["code"]),
        (5, letter["latitude"]),
        (6, letter["code"]),
        (7, letter["lead_section"]),
        (7, letter["responsible_leader"]),
    }
    assert list(Project.objects.values_list("code", flat=True)) == ["C-1"]


def test_a_missing_required_column_is_named(org, client_for, django_capture_on_commit_callbacks):
    book = Workbook()
    book.active.append(["项目编码", "项目名称"])
    book.active.append(["A", "名称"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "p.xlsx"
    upload(client_for("staff_a"), "/projects/import/", buffer, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == "failed"
    assert {e["header"] for e in job.result["errors"]} == {
        imports.PROJECT_COLUMNS[-3].header,
        imports.PROJECT_COLUMNS[-2].header,
    }


def test_a_file_that_is_not_excel_is_refused_at_the_form(client_for):
    fake = io.BytesIO(b"not excel")
    fake.name = "p.xlsx"
    assert client_for("staff_a").post("/projects/import/", {"file": fake}).status_code == 400
    assert not Job.objects.exists()


def test_import_pages_are_refused_to_admin_roles(org, client_for):
    expected = {"auditor": 403, "sysadmin": 403, "secadmin": 403, "anonymous": 302}
    assert check_matrix(client_for, "post", "/projects/import/", expected, {"file": ""}) == []


# --- the plan -----------------------------------------------------------------------------------


@pytest.fixture
def project(org):
    project = make_project(org, "XM-1", "滨河路改造", D(2026, 9, 28), D(2026, 10, 16))
    make_plan(project, [("OLD", 3)])
    return project


def test_predecessors_are_read_as_the_plan_sheets_write_them():
    links = imports.parse_predecessors("A1,B2+3，C4-2；D-5", {"A1", "B2", "C4", "D-5"})
    assert [(d.code, d.lag) for d in links] == [("A1", 0), ("B2", 3), ("C4", -2), ("D-5", 0)]
    odd = imports.parse_predecessors("B2+1.5 Z", {"B2"})
    assert [(d.code, d.lag) for d in odd] == [("B2", 1.5), ("Z", 0)]


def test_a_good_plan_replaces_the_projects_plan(
    org, client_for, project, django_capture_on_commit_callbacks
):
    rows = [
        {"code": "A", "name": "施工准备", "duration": 5},
        {"code": "B", "name": "管网", "duration": 3, "predecessors": "A"},
        {"code": "C", "name": "通车", "duration": 0, "predecessors": "B"},
        {
            "code": "D",
            "name": "绿化",
            "duration": 1,
            "predecessors": "A+1",
            "finish_by": D(2026, 10, 15),
        },
    ]
    file = workbook(imports.PLAN_COLUMNS, rows)
    upload(
        client_for("staff_a"),
        f"/projects/{project.pk}/plan/import/",
        file,
        django_capture_on_commit_callbacks,
    )
    job = Job.objects.get()
    assert job.status == "succeeded", job.result
    assert job.result["next_url"] == f"/projects/{project.pk}/plan/"
    active = Activity.objects.filter(project=project, archived_at=None).order_by("sort_order")
    assert [(a.code, a.duration) for a in active] == [("A", 5), ("B", 3), ("C", 0), ("D", 1)]
    assert active.get(code="D").finish_by == D(2026, 10, 15)
    assert Dependency.objects.get(successor=active.get(code="D")).lag == 1
    assert Activity.objects.get(code="OLD").is_archived


def test_plan_errors_are_reported_by_row_and_column_and_nothing_is_written(
    org, client_for, project, django_capture_on_commit_callbacks
):
    rows = [
        {"code": "A", "name": "准备", "duration": 5},
        {"code": "A", "name": "重复", "duration": 2},  # row 3: duplicate code
        {"code": "B", "name": "负工期", "duration": -1, "predecessors": "Z9"},  # row 4
        {"code": "C", "name": "小数搭接", "duration": 2, "predecessors": "B+1.5"},  # row 5
        {"code": "E", "name": "", "duration": "两天", "finish_by": "下周"},  # row 6
    ]
    file = workbook(imports.PLAN_COLUMNS, rows)
    upload(
        client_for("staff_a"),
        f"/projects/{project.pk}/plan/import/",
        file,
        django_capture_on_commit_callbacks,
    )
    job = Job.objects.get()
    assert job.status == "failed"
    assert errors_of(job) == {
        (3, "A"),
        (4, "C"),
        (4, "D"),
        (5, "D"),
        (6, "B"),
        (6, "C"),
        (6, "E"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in job.result["errors"]}
    assert messages[(3, "A")] == "工序编码重复：A"
    assert messages[(4, "C")] == "工期不能为负数"
    assert messages[(4, "D")] == "前置工序编码不存在：Z9"
    assert messages[(5, "D")] == "搭接时间必须是整数（工作日）：B"
    assert list(Activity.objects.filter(project=project).values_list("code", "archived_at")) == [
        ("OLD", None)
    ]


def test_a_cycle_is_reported_on_the_first_row_it_names(
    org, client_for, project, django_capture_on_commit_callbacks
):
    rows = [
        {"code": "A", "name": "a", "duration": 1},
        {"code": "B", "name": "b", "duration": 1, "predecessors": "A,C"},
        {"code": "C", "name": "c", "duration": 1, "predecessors": "B"},
    ]
    file = workbook(imports.PLAN_COLUMNS, rows)
    upload(
        client_for("staff_a"),
        f"/projects/{project.pk}/plan/import/",
        file,
        django_capture_on_commit_callbacks,
    )
    job = Job.objects.get()
    assert job.result["errors"] == [
        {
            "row": 3,
            "column": "D",
            "header": imports.PLAN_COLUMNS[3].header,
            "message": "工序存在循环依赖：B → C → B",
        }
    ]


def test_plan_import_of_another_sections_project_is_not_found(org, client_for, project):
    assert client_for("staff_c").get(f"/projects/{project.pk}/plan/import/").status_code == 404
    file = workbook(imports.PLAN_COLUMNS, [{"code": "A", "name": "a", "duration": 1}])
    assert (
        client_for("staff_c")
        .post(f"/projects/{project.pk}/plan/import/", {"file": file})
        .status_code
        == 404
    )
    assert not Job.objects.exists()


def test_the_plan_round_trips_through_the_text_editor(org, project):
    make_plan(project, [])
    text = imports.plan_text(project)
    report, rows = imports.parse_plan_text(text)
    assert report.errors == [] and [r.activity.code for r in rows] == ["OLD"]
