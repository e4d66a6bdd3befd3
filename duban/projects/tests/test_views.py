"""The project pages as each persona uses them: list, project page (三保, stages), create/edit, plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from duban.core.testing import check_matrix, count_queries
from duban.projects.choices import FindingStatus, InspectionFocus, Stage
from duban.projects.models import (
    Activity,
    Baseline,
    Dependency,
    Finding,
    Inspection,
    MonthlyReport,
    Project,
    StageChange,
)
from duban.projects.tests.factories import make_plan, make_project

D = dt.date
BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
WRITERS = ("director", "leader", "chief_a", "staff_a", "office")
ADMINS = {"auditor": 403, "sysadmin": 403, "secadmin": 403}
NOW = dt.datetime(2026, 6, 30, 10, tzinfo=dt.UTC)


def expect(business: int, staff_c: int | None = None, **per_persona) -> dict:
    result = {**dict.fromkeys(BUSINESS, business), **ADMINS, "anonymous": 302}
    if staff_c is not None:
        result["staff_c"] = staff_c
    result.update(per_persona)
    return result


@pytest.fixture
def project(org):
    project = make_project(
        org,
        "XM-1",
        "滨河路改造",
        D(2026, 3, 2),
        D(2026, 12, 31),
        annual_investment=Decimal("2000"),
        responsible_leader=org.person("leader"),
    )
    make_plan(project, [("A", 20), ("B", 30, "A"), ("C", 0, "B")])
    return project


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(NOW, tick=False):
        yield


def test_permission_matrix_of_the_pages(org, client_for, project):
    pk = project.pk
    activity = project.activities.get(code="A")
    checks = [
        ("get", "/projects/", expect(200)),
        ("get", "/projects/add/", expect(200)),
        ("get", f"/projects/{pk}/", expect(200)),
        ("get", f"/projects/{pk}/edit/", expect(200, staff_c=404)),
        ("get", f"/projects/{pk}/plan/", expect(200)),
        ("get", "/projects/import/", expect(200)),
        ("get", "/projects/import/template/", expect(200)),
        ("get", "/projects/plan-template/", expect(200)),
        ("get", f"/projects/{pk}/plan/import/", expect(200, staff_c=404)),
        # Refused writes must change nothing; check_matrix compares the database.
        ("post", f"/projects/{pk}/stage/", expect(400, staff_c=404)),
        ("post", f"/projects/{pk}/plan/", expect(400, staff_c=404)),
        (
            "post",
            f"/projects/{pk}/baselines/",
            expect(403, director=302, leader=302),
        ),
        ("post", f"/projects/activities/{activity.pk}/progress/", expect(302, staff_c=404)),
    ]
    problems = []
    for method, url, expected in checks:
        data = {"name": "立项批复计划", "approved_on": "2026-06-30"} if "baselines" in url else None
        problems += check_matrix(client_for, method, url, expected, data)
    assert problems == []


def test_the_list_shows_float_and_investment_and_filters(org, client_for, project):
    make_project(org, "XM-2", "股室C项目", lead_section=org.section_c, level="province")
    MonthlyReport.objects.create(
        project=project, month=D(2026, 6, 1), investment=Decimal("900"), image_progress="x"
    )
    response = client_for("staff_c").get("/projects/")
    body = response.content.decode()
    assert "XM-1" in body and "XM-2" in body
    assert "45.00" in body and "-4.59" in body  # 900 of 2000, 时间进度 49.59 on 30 June
    filtered = client_for("staff_c").get("/projects/", {"section": org.section_c.pk})
    assert [r.record.code for r in filtered.context["table"].rows] == ["XM-2"]
    level = client_for("staff_c").get("/projects/", {"level": "province"})
    assert [r.record.code for r in level.context["table"].rows] == ["XM-2"]


def test_create_needs_only_four_fields_in_the_users_unit_and_section(org, client_for):
    response = client_for("staff_a").post(
        "/projects/add/",
        {
            "code": "XM-7",
            "name": "保障房",
            "planned_start": "2026-07-01",
            "deadline": "2027-06-30",
            "type": "other",
            "level": "county",
            "stage": "preliminary",
            "lead_section": org.section_a.pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get(code="XM-7")
    assert (project.unit, project.lead_section, project.stage) == (
        org.bureau,
        org.section_a,
        Stage.PRELIMINARY,
    )
    page = client_for("chief_a").get("/projects/add/")
    assert page.context["form"].initial["lead_section"] == org.section_a.pk


def test_create_keeps_what_was_typed_on_an_error(client_for, project):
    response = client_for("staff_a").post(
        "/projects/add/",
        {
            "code": "XM-1",
            "name": "重复编码",
            "planned_start": "2026-07-01",
            "deadline": "2026-06-01",
            "type": "other",
            "level": "county",
            "stage": "preliminary",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "deadline" in form.errors and form.data["name"] == "重复编码"
    assert Project.objects.count() == 1


def test_a_stale_edit_is_refused(org, client_for, project):
    data = {
        "lead_section": org.section_a.pk,
        "code": "XM-1",
        "name": "新名称",
        "planned_start": "2026-03-02",
        "deadline": "2026-12-31",
        "type": "other",
        "level": "county",
        "version": 1,
    }
    assert client_for("staff_a").post(f"/projects/{project.pk}/edit/", data).status_code == 302
    stale = client_for("chief_a").post(f"/projects/{project.pk}/edit/", {**data, "name": "旧"})
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    project.refresh_from_db()
    assert project.name == "新名称"


def test_the_project_page_shows_sanbao_side_by_side(org, client_for, project):
    inspection = Inspection.objects.create(project=project, date=D(2026, 6, 3))
    Finding.objects.create(
        inspection=inspection, category=InspectionFocus.SAFETY, description="塔吊限位失效"
    )
    Finding.objects.create(
        inspection=inspection,
        category=InspectionFocus.SAFETY,
        description="已复查关闭",
        status=FindingStatus.VERIFIED,
    )
    Finding.objects.create(
        inspection=inspection, category=InspectionFocus.QUALITY, description="钢筋间距超标"
    )
    MonthlyReport.objects.create(
        project=project,
        month=D(2026, 6, 1),
        investment=Decimal("900"),
        image_progress="管网完成60%",
        problems="征拆滞后",
    )
    response = client_for("staff_c").get(f"/projects/{project.pk}/")
    body = response.content.decode()
    context = response.context
    assert [f.description for f in context["findings"]["safety"].open] == ["塔吊限位失效"]
    assert context["findings"]["safety"].this_year == 2
    assert "钢筋间距超标" in body and "塔吊限位失效" in body and "已复查关闭" not in body
    assert context["investment"].rate == Decimal("45.00")
    assert context["investment"].gap == Decimal("-4.59")
    assert "征拆滞后" in body
    assert f"/projects/battlemap/?project={project.pk}" in body
    # The plan (A 20 + B 30 working days from 2 March) runs to 15 May; today is 30 June with no
    # progress entered, so the forecast starts from today and the float shows it.
    assert context["schedule"].critical_path == ["A", "B", "C"]
    assert context["colour"] in ("green", "yellow", "red")


def test_the_stage_form_shows_the_gate_and_records_the_change(org, client_for, project):
    page = client_for("staff_a").get(f"/projects/{project.pk}/")
    assert page.context["gate_problems"] and "施工许可" in page.context["gate_problems"][0]
    refused = client_for("staff_a").post(
        f"/projects/{project.pk}/stage/", {"to_stage": "construction", "version": 1}
    )
    assert refused.status_code == 400 and "施工许可" in refused.content.decode()
    assert "override" not in refused.context["stage_form"].fields
    done = client_for("director").post(
        f"/projects/{project.pk}/stage/",
        {"to_stage": "construction", "reason": "县长办公会决定", "override": "on", "version": 1},
    )
    assert done.status_code == 302
    change = StageChange.objects.get()
    assert (change.to_stage, change.override, change.changed_by) == (
        Stage.CONSTRUCTION,
        True,
        org.users["director"],
    )
    timeline = client_for("staff_c").get(f"/projects/{project.pk}/").content.decode()
    assert "县长办公会决定" in timeline


def test_the_plan_page_colours_float_and_marks_the_critical_path(client_for, project):
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC), tick=False):
        response = client_for("staff_c").get(f"/projects/{project.pk}/plan/")
    rows = {r["activity"].code: r for r in response.context["rows"]}
    assert rows["A"]["result"].critical and rows["A"]["colour"] == "green"
    body = response.content.decode()
    assert 'data-code="A" data-colour="green" data-critical="1"' in body
    assert response.context["text_form"] is None  # staff of another section reads only


def test_the_plan_text_editor_replaces_the_plan(client_for, project):
    text = "工序编码\t工序名称\t工期\t紧前工序\nP1\t围挡\t2\t\nP2\t管网\t5\tP1+1\nP3\t通车\t0\tP2"
    response = client_for("staff_a").post(f"/projects/{project.pk}/plan/", {"text": text})
    assert response.status_code == 302
    active = Activity.objects.filter(project=project, archived_at=None).order_by("sort_order")
    assert [a.code for a in active] == ["P1", "P2", "P3"]
    assert Dependency.objects.get(successor__code="P2", successor__archived_at=None).lag == 1


def test_the_plan_text_editor_reports_errors_by_line_and_keeps_the_text(client_for, project):
    text = "P1\t围挡\t2\t\nP2\t管网\t-5\tP9"
    response = client_for("staff_a").post(f"/projects/{project.pk}/plan/", {"text": text})
    assert response.status_code == 400
    errors = response.context["text_form"].errors["text"]
    assert any("2" in e and "工期不能为负数" in e for e in errors)
    assert any("前置工序编码不存在：P9" in e for e in errors)
    assert response.context["text_form"].data["text"] == text
    assert Activity.objects.filter(project=project, archived_at=None).count() == 3


def test_actual_dates_entered_inline_move_the_forecast(client_for, project):
    a = project.activities.get(code="A")
    response = client_for("staff_a").post(
        f"/projects/activities/{a.pk}/progress/",
        {
            f"a{a.pk}-actual_start": "2026-03-02",
            f"a{a.pk}-actual_finish": "2026-03-20",
            f"a{a.pk}-percent_complete": "50",
            f"a{a.pk}-version": 1,
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.actual_finish, a.percent_complete) == (D(2026, 3, 20), 100)
    page = client_for("staff_a").get(f"/projects/{project.pk}/plan/")
    rows = {r["activity"].code: r["result"] for r in page.context["rows"]}
    assert rows["A"].early_finish == D(2026, 3, 20)
    assert rows["B"].early_start == D(2026, 6, 30)  # B has not started: forecast from today


def test_approving_a_baseline_and_comparing_with_it(org, client_for, project):
    response = client_for("leader").post(
        f"/projects/{project.pk}/baselines/",
        {
            "name": "立项批复计划",
            "document_number": "县发改〔2026〕8号",
            "approved_on": "2026-03-01",
        },
    )
    assert response.status_code == 302
    baseline = Baseline.objects.get()
    assert baseline.document_number == "县发改〔2026〕8号"
    page = client_for("staff_c").get(f"/projects/{project.pk}/plan/", {"baseline": baseline.pk})
    variances = {r["activity"].code: r["variance"] for r in page.context["rows"]}
    # Nothing started by 30 June: A moves from 2–27 March to 30 June – 27 July.
    assert variances["A"].baseline_finish == D(2026, 3, 27)
    assert variances["A"].finish_variance > 0
    detail = client_for("staff_c").get(f"/projects/{project.pk}/", {"baseline": baseline.pk})
    assert detail.context["finish_variance"] == variances["C"].finish_variance


def _grow_projects(org, n: int) -> None:
    start = Project.objects.count()
    Project.objects.bulk_create(
        Project(
            unit=org.bureau,
            code=f"B{start + i:05d}",
            name=f"项目{i}",
            planned_start=D(2026, 3, 2),
            deadline=D(2026, 12, 31),
            lead_section=org.section_a,
            responsible_leader=org.person("leader"),
            annual_investment=Decimal(100),
        )
        for i in range(n)
    )
    new = list(Project.objects.filter(code__gte=f"B{start:05d}"))
    Activity.objects.bulk_create(
        Activity(project=p, code=code, name=code, duration=5, sort_order=k)
        for p in new
        for k, code in enumerate(("A", "B"))
    )
    MonthlyReport.objects.bulk_create(
        MonthlyReport(project=p, month=D(2026, 5, 1), investment=Decimal(10), image_progress="-")
        for p in new
    )


def test_list_query_count_is_the_same_for_10_and_1000_projects(org, client_for):
    client = client_for("staff_a")
    _grow_projects(org, 10)
    client.get("/projects/")
    small = count_queries(lambda: client.get("/projects/"))
    _grow_projects(org, 990)
    large = count_queries(lambda: client.get("/projects/"))
    assert small == large, f"{small} queries at 10 projects, {large} at 1,000"


def _grow_plan(project, n: int) -> None:
    start = Activity.objects.filter(project=project).count()
    Activity.objects.bulk_create(
        Activity(
            project=project,
            code=f"X{start + i}",
            name="工序",
            duration=2,
            sort_order=100 + start + i,
        )
        for i in range(n)
    )
    rows = list(Activity.objects.filter(project=project, code__startswith="X").order_by("id"))
    Dependency.objects.bulk_create(
        Dependency(predecessor=a, successor=b)
        for a, b in zip(rows[start:], rows[start + 1 :], strict=False)
        if not Dependency.objects.filter(successor=b).exists()
    )


@pytest.mark.parametrize("page", ["", "plan/"])
def test_detail_and_plan_query_counts_are_the_same_for_10_and_1000_activities(
    org, client_for, project, page
):
    client = client_for("staff_a")
    url = f"/projects/{project.pk}/{page}"
    _grow_plan(project, 7)
    client.get(url)
    small = count_queries(lambda: client.get(url))
    _grow_plan(project, 990)
    large = count_queries(lambda: client.get(url))
    assert small == large, f"{small} queries at 10 activities, {large} at 1,000"
