"""Operations pages as each persona uses them: who may open and write what, a site inspection with a
photo from the phone, the finding loop, compliance, close-out and the pipeline, and query budgets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext
from openpyxl import load_workbook

from duban.core.testing import check_matrix, count_queries, db_fingerprint
from duban.evidence.models import Document
from duban.evidence.tests.factories import png_bytes
from duban.projects.choices import (
    AcceptanceKind,
    FindingStatus,
    FrequencyPeriod,
    InspectorRole,
    PrepKind,
    PrepStatus,
    Stage,
)
from duban.projects.models import (
    AcceptanceItem,
    Closeout,
    Finding,
    Inspection,
    InspectionRequirement,
    MonthlyReport,
    PrepStep,
    Project,
)
from duban.projects.tests.factories import make_project

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEDNESDAY = dt.datetime(2026, 6, 17, 10, tzinfo=SHANGHAI)

BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
ADMINS = {"auditor": 403, "sysadmin": 403, "secadmin": 403}
READERS = {**dict.fromkeys(BUSINESS, 200), **ADMINS, "anonymous": 302}
# The lead section (A), its leader and the unit-wide roles write; section C only reads.
WRITERS = {**READERS, "staff_c": 404}
# Re-checking a finding is for leaders.
LEADERS = {
    **dict.fromkeys(BUSINESS, 403),
    "director": 200,
    "leader": 200,
    **ADMINS,
    "anonymous": 302,
}
REFUSED_WRITE = {"staff_c": 404, "auditor": 403, "sysadmin": 403}


@dataclass
class World:
    project: Project  # under construction, section A, leader = the persona "leader"
    reserve: Project  # next year's reserve project
    inspection: Inspection
    open_finding: Finding
    rectified: Finding


@pytest.fixture
def world(org) -> World:
    project = make_project(
        org,
        "XM-001",
        "城北污水管网改造",
        stage=Stage.CONSTRUCTION,
        responsible_leader=org.person("leader"),
        annual_investment=D("3000"),
    )
    reserve = make_project(
        org,
        "CB-2027-01",
        "城南片区雨污分流",
        stage=Stage.RESERVE,
        planned_start=dt.date(2027, 3, 1),
        deadline=dt.date(2027, 12, 31),
        plan_year=2027,
        responsible_leader=org.person("leader"),
    )
    inspection = Inspection.objects.create(
        project=project,
        date=dt.date(2026, 6, 16),
        focus=["safety"],
        created_by=org.users["staff_a"],
    )
    inspection.inspectors.set([org.person("staff_a")])
    open_finding = Finding.objects.create(
        inspection=inspection,
        category="safety",
        description="临边防护缺失",
        deadline=dt.date(2026, 6, 20),
    )
    rectified = Finding.objects.create(
        inspection=inspection,
        category="quality",
        description="钢筋保护层不足",
        status=FindingStatus.RECTIFIED,
        rectification="已返工",
        rectified_on=dt.date(2026, 6, 17),
    )
    return World(project, reserve, inspection, open_finding, rectified)


def urls(w: World) -> dict[str, str]:
    p = w.project.pk
    return {
        "monthly_report_add": f"/projects/{p}/monthly-report/",
        "inspection_list": "/projects/inspections/",
        "inspection_add": f"/projects/{p}/inspections/add/",
        "inspection_detail": f"/projects/inspections/{w.inspection.pk}/",
        "finding_rectify": f"/projects/findings/{w.open_finding.pk}/rectify/",
        "finding_verify": f"/projects/findings/{w.rectified.pk}/verify/",
        "inspection_compliance": "/projects/inspections/compliance/",
        "requirement_edit": f"/projects/{p}/inspection-frequency/",
        "project_closeout": f"/projects/{p}/closeout/",
        "acceptance_edit": f"/projects/{p}/acceptance/fire/",
        "pipeline": "/projects/pipeline/?year=2027",
        "project_pipeline": f"/projects/{w.reserve.pk}/pipeline/",
    }


PAGES = {
    "monthly_report_add": WRITERS,
    "inspection_list": READERS,
    "inspection_add": WRITERS,
    "inspection_detail": READERS,
    "finding_rectify": WRITERS,
    "finding_verify": LEADERS,
    "inspection_compliance": READERS,
    "requirement_edit": WRITERS,
    "project_closeout": READERS,
    "acceptance_edit": WRITERS,
    "pipeline": READERS,
    "project_pipeline": READERS,
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_answers_each_persona_as_the_matrix_says(org, client_for, world, name):
    assert check_matrix(client_for, "get", urls(world)[name], PAGES[name]) == []


def png(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def inspection_data(org, **overrides) -> dict:
    data = {
        "date": "2026-06-16",
        "inspectors": [org.person("staff_a").pk, org.person("leader").pk],
        "focus": ["safety", "quality"],
        "summary": "主体结构施工巡查",
        "finding-TOTAL_FORMS": "2",
        "finding-INITIAL_FORMS": "0",
        "finding-MIN_NUM_FORMS": "0",
        "finding-MAX_NUM_FORMS": "1000",
        "finding-0-category": "safety",
        "finding-0-description": "脚手架连墙件缺失",
        "finding-0-deadline": "2026-06-25",
        "finding-1-category": "",
        "finding-1-description": "",
        "finding-1-deadline": "",
    }
    data.update(overrides)
    return data


def test_an_inspection_with_a_phone_photo_is_recorded_through_the_page(org, client_for, world):
    client = client_for("staff_a")
    form = client.get(urls(world)["inspection_add"]).content.decode()
    assert 'capture="environment"' in form and 'accept="image/*"' in form
    assert "<table" not in form  # one column on a phone
    response = client.post(
        urls(world)["inspection_add"], {**inspection_data(org), "finding-0-photos": png()}
    )
    assert response.status_code == 302
    inspection = Inspection.objects.exclude(pk=world.inspection.pk).get()
    assert response["Location"] == f"/projects/inspections/{inspection.pk}/"
    finding = inspection.findings.get()
    assert (finding.description, finding.deadline) == ("脚手架连墙件缺失", dt.date(2026, 6, 25))
    photo = finding.photos.get()
    assert (photo.section, photo.current_version.blob.mime) == (org.section_a, "image/png")
    assert inspection.created_by == org.users["staff_a"]
    assert InspectionRequirement.objects.filter(project=world.project).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert f"/evidence/versions/{photo.current_version_id}/download/" in page
    assert "脚手架连墙件缺失" in page


def test_a_bad_inspection_keeps_what_was_typed(org, client_for, world):
    before = db_fingerprint()
    bad = {**inspection_data(org), "focus": []}
    response = client_for("staff_a").post(urls(world)["inspection_add"], bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert "脚手架连墙件缺失" in body and "主体结构施工巡查" in body
    not_a_photo = {
        **inspection_data(org),
        "finding-0-photos": SimpleUploadedFile("x.png", b"MZ\x90\x00" * 64),
    }
    response = client_for("staff_a").post(urls(world)["inspection_add"], not_a_photo)
    assert response.status_code == 400
    assert db_fingerprint() == before
    assert Document.objects.count() == 0


def test_refused_writes_change_nothing(org, client_for, world):
    u = urls(world)
    version = world.project.version
    writes = [
        (u["inspection_add"], inspection_data(org), REFUSED_WRITE),
        (
            u["finding_rectify"],
            {
                "rectification": "已整改",
                "rectified_on": "2026-06-18",
                "version": world.open_finding.version,
            },
            REFUSED_WRITE,
        ),
        (
            u["finding_verify"],
            {"decision": "pass", "version": world.rectified.version},
            {**REFUSED_WRITE, "staff_c": 403, "chief_a": 403, "staff_a": 403, "office": 403},
        ),
        (
            u["monthly_report_add"],
            {"month": "2026-05", "investment": "100", "image_progress": "主体施工"},
            REFUSED_WRITE,
        ),
        (
            u["requirement_edit"],
            {"leader_times": 1, "leader_per": "week", "staff_times": 1, "staff_per": "week"},
            REFUSED_WRITE,
        ),
        (u["project_closeout"], {"completed_on": "2026-06-01"}, REFUSED_WRITE),
        (u["acceptance_edit"], {"required": "on", "done_on": "2026-06-01"}, REFUSED_WRITE),
        (
            u["project_pipeline"],
            {"action": "step", "kind": "permit", "status": "in_progress", "duration": 5},
            REFUSED_WRITE,
        ),
        (
            u["project_pipeline"],
            {"action": "survey", "survey_done_on": "2026-05-01", "version": version},
            REFUSED_WRITE,
        ),
    ]
    for url, data, expected in writes:
        assert check_matrix(client_for, "post", url, expected, data) == []


def test_the_finding_loop_through_the_pages(org, client_for, world):
    staff, leader = client_for("staff_a"), client_for("leader")
    finding = world.open_finding
    detail = staff.get(urls(world)["inspection_detail"]).content.decode()
    assert f"/projects/findings/{finding.pk}/rectify/" in detail
    assert f"/projects/findings/{world.rectified.pk}/verify/" not in detail  # staff do not re-check
    # A rectification dated before the inspection is refused and keeps the text.
    early = staff.post(
        urls(world)["finding_rectify"],
        {"rectification": "加设防护栏杆", "rectified_on": "2026-06-01", "version": finding.version},
    )
    assert early.status_code == 400 and "加设防护栏杆" in early.content.decode()
    done = staff.post(
        urls(world)["finding_rectify"],
        {
            "rectification": "加设防护栏杆",
            "rectified_on": "2026-06-18",
            "version": finding.version,
            "photos": png("整改后.png"),
        },
    )
    assert done.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECTIFIED and finding.photos.count() == 1
    # Twice: the page sends back to the inspection instead.
    assert staff.get(urls(world)["finding_rectify"]).status_code == 302
    # The leader sends it back with a reason, then closes it.
    verify = f"/projects/findings/{finding.pk}/verify/"
    no_reason = leader.post(verify, {"decision": "fail", "note": "", "version": finding.version})
    assert no_reason.status_code == 400
    leader.post(verify, {"decision": "fail", "note": "高度不足", "version": finding.version})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN and "高度不足" in finding.rectification
    staff.post(
        urls(world)["finding_rectify"],
        {"rectification": "已加高", "rectified_on": "2026-06-19", "version": finding.version},
    )
    finding.refresh_from_db()
    stale = leader.post(verify, {"decision": "pass", "version": finding.version - 1})
    assert stale.status_code == 409
    leader.post(verify, {"decision": "pass", "version": finding.version})
    finding.refresh_from_db()
    assert (finding.status, finding.verified_by) == (FindingStatus.VERIFIED, org.users["leader"])


def test_monthly_reports_add_change_and_refuse_a_second_report_of_a_month(org, client_for, world):
    client = client_for("staff_a")
    url = urls(world)["monthly_report_add"]
    data = {
        "month": "2026-05",
        "investment": "1400",
        "image_progress": "主体结构完成60%",
        "problems": "征地拆迁滞后",
        "next_steps": "加快管道铺设",
    }
    assert client.post(url, data).status_code == 302
    report = MonthlyReport.objects.get()
    assert (report.month, report.reported_by) == (dt.date(2026, 5, 1), org.users["staff_a"])
    again = client.post(url, {**data, "investment": "1"})
    assert again.status_code == 400 and "征地拆迁滞后" in again.content.decode()
    page = client.get(url, {"year": 2026}).content.decode()
    # 1400 of 3000 through May: 46.7 %, 5.0 points ahead of 41.7 %.
    assert "46.7%" in page and "+5" in page
    edit = client.post(
        f"{url}?month=2026-05", {**data, "investment": "1200", "version": report.version}
    )
    assert edit.status_code == 302
    report.refresh_from_db()
    assert report.investment == D("1200")
    future = client.post(url, {**data, "month": "2099-01"})
    assert future.status_code == 400
    assert MonthlyReport.objects.count() == 1


def test_the_compliance_page_shows_a_red_badge_for_an_under_inspected_project(
    org, client_for, world
):
    met = make_project(org, "XM-002", stage=Stage.CONSTRUCTION)  # no leader: only staff count
    for day in ("2026-06-15",):
        inspection = Inspection.objects.create(project=met, date=dt.date.fromisoformat(day))
        inspection.inspectors.set([org.person("staff_a")])
    with time_machine.travel(WEDNESDAY, tick=False):
        client = client_for("staff_c")
        response = client.get(urls(world)["inspection_compliance"])
        body = response.content.decode()
        rows = {r.project.code: r for r in response.context["table"].data}
        assert rows["XM-001"].under_inspected and not rows["XM-002"].under_inspected
        # XM-001: the leader has not been this month; staff went on the 16th (this week).
        assert (rows["XM-001"].leader.done, rows["XM-001"].staff.done) == (0, 1)
        assert body.count('data-testid="under-inspected"') == 1
        assert response.context["n_short"] == 1
        export = client.get(urls(world)["inspection_compliance"], {"export": "xlsx"})
        sheet = load_workbook(BytesIO(export.content)).worksheets[0]
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        month = str(FrequencyPeriod.MONTH.label)
        short_row = next(row for row in values if str(row[0]).startswith("XM-001"))
        assert short_row[3] == gettext("%(done)d of %(times)d %(per)s") % {
            "done": 0,
            "times": 2,
            "per": month,
        }
        assert short_row[5] == gettext("Under-inspected")
        short = client.get(urls(world)["inspection_compliance"], {"short": "1"})
        assert [r.project.code for r in short.context["table"].data] == ["XM-001"]


def test_the_frequency_is_edited_per_project_and_the_compliance_follows(org, client_for, world):
    with time_machine.travel(WEDNESDAY, tick=False):
        client = client_for("chief_a")
        url = urls(world)["requirement_edit"]
        form = client.get(url)
        assert form.context["form"].initial["leader_times"] == 2
        response = client.post(
            url, {"leader_times": 1, "leader_per": "week", "staff_times": 1, "staff_per": "month"}
        )
        assert response.status_code == 302
        saved = {
            r.role: (r.times, r.per)
            for r in InspectionRequirement.objects.filter(project=world.project)
        }
        assert saved == {
            InspectorRole.LEADER: (1, FrequencyPeriod.WEEK),
            InspectorRole.STAFF: (1, FrequencyPeriod.MONTH),
        }
        leader_req = InspectionRequirement.objects.get(project=world.project, role="leader")
        stale = client.post(
            url,
            {
                "leader_times": 3,
                "leader_per": "month",
                "leader_version": leader_req.version - 1,
                "staff_times": 1,
                "staff_per": "month",
            },
        )
        assert stale.status_code == 409
        row = client.get(urls(world)["inspection_compliance"]).context["table"].data[0]
        assert (row.leader.times, row.leader.per, row.staff.per) == (1, "week", "month")


def test_closeout_page_shows_deadlines_red_when_overdue(org, client_for, world):
    url = urls(world)["project_closeout"]
    with time_machine.travel(dt.datetime(2026, 8, 10, 10, tzinfo=SHANGHAI), tick=False):
        client = client_for("staff_a")
        response = client.post(
            url,
            {
                "completed_on": "2026-06-30",
                "accepted_on": "2026-07-10",
                "contract_amount": "1200",
                "settlement_submitted_on": "2026-07-01",
                "settlement_amount": "1250",
                "audited_amount": "1180.5",
            },
        )
        assert response.status_code == 302
        closeout = Closeout.objects.get(project=world.project)
        page = client_for("staff_c").get(url)
        deadlines = {x.key: x for x in page.context["deadlines"]}
        # 备案 due 25 July (overdue 16 days), 结算审查 30 days → 31 July (overdue 10), 决算 30 Sept.
        assert (deadlines["filing"].due, deadlines["filing"].days_overdue) == (
            dt.date(2026, 7, 25),
            16,
        )
        assert (deadlines["settlement"].due, deadlines["settlement"].days_overdue) == (
            dt.date(2026, 7, 31),
            10,
        )
        assert (deadlines["final_accounts"].due, deadlines["final_accounts"].days_left) == (
            dt.date(2026, 9, 30),
            51,
        )
        body = page.content.decode()
        assert body.count('data-testid="overdue"') == 2
        assert "69.5" in body and "5.56%" in body
        assert page.context["form"] is None  # section C reads only
        bad = client.post(
            url,
            {
                "completed_on": "2026-06-30",
                "accepted_on": "2026-06-01",
                "version": closeout.version,
            },
        )
        assert bad.status_code == 400
        closeout.refresh_from_db()
        assert closeout.accepted_on == dt.date(2026, 7, 10)


def test_an_acceptance_item_is_passed_with_its_document(org, client_for, world):
    client = client_for("staff_a")
    response = client.post(
        urls(world)["acceptance_edit"],
        {
            "required": "on",
            "done_on": "2026-07-05",
            "note": "消防验收意见书",
            "files": png("消防.png"),
        },
    )
    assert response.status_code == 302
    item = AcceptanceItem.objects.get(project=world.project, kind=AcceptanceKind.FIRE)
    assert item.done_on == dt.date(2026, 7, 5) and item.documents.count() == 1
    page = client.get(urls(world)["project_closeout"])
    kinds = [i.kind for i in page.context["checklist"]]
    assert kinds == list(AcceptanceKind.values)
    assert client.get(f"/projects/{world.project.pk}/acceptance/nonsense/").status_code == 404


def test_a_pipeline_step_is_edited_in_place_and_targets_follow(org, client_for, world):
    client = client_for("leader")
    url = urls(world)["project_pipeline"]
    page = client.get(url, {"edit": "permit"})
    assert page.context["editing"] == "permit" and page.context["form"] is not None
    assert client_for("staff_c").get(url, {"edit": "permit"}).context["form"] is None
    response = client.post(
        url,
        {
            "action": "step",
            "kind": "permit",
            "status": "blocked",
            "blocker": "施工图未审",
            "duration": "5",
        },
    )
    assert response.status_code == 302
    assert PrepStep.objects.filter(project=world.reserve).count() == 10
    permit = PrepStep.objects.get(project=world.reserve, kind=PrepKind.PERMIT)
    assert (permit.status, permit.duration, permit.target_date) == (
        PrepStatus.BLOCKED,
        5,
        dt.date(2027, 2, 26),
    )
    # 施工许可 takes 5 working days now: 招标 is due 5 working days before 26 February 2027.
    assert PrepStep.objects.get(project=world.reserve, kind=PrepKind.TENDER).target_date == dt.date(
        2027, 2, 19
    )
    missing = client.post(
        url, {"action": "step", "kind": "tender", "status": "done", "duration": 20}
    )
    assert missing.status_code == 400
    survey = client.post(
        url,
        {
            "action": "survey",
            "survey_done_on": "2026-05-20",
            "survey_notes": "管网现状已摸清",
            "version": world.reserve.version,
        },
    )
    assert survey.status_code == 302
    world.reserve.refresh_from_db()
    assert world.reserve.survey_done_on == dt.date(2026, 5, 20)
    listing = client.get(urls(world)["pipeline"])
    (row,) = listing.context["table"].data
    assert row.project == world.reserve and [s.kind for s in row.blocked] == ["permit"]
    assert "施工图未审" in listing.content.decode()


# --- Query budgets ------------------------------------------------------------------------------


def _grow_inspections(org, project, n):
    start = Inspection.objects.count()
    rows = Inspection.objects.bulk_create(
        Inspection(project=project, date=dt.date(2026, 6, 1), focus=["safety", "quality"])
        for _ in range(n)
    )
    through = Inspection.inspectors.through
    through.objects.bulk_create(
        through(inspection_id=r.pk, person_id=org.person("staff_a").pk) for r in rows
    )
    Finding.objects.bulk_create(
        Finding(inspection=r, category="safety", description=f"问题{start + i}")
        for i, r in enumerate(rows)
    )


def _grow_projects(org, n, prefix, **fields):
    start = Project.objects.count()
    return Project.objects.bulk_create(
        Project(
            unit=org.bureau,
            code=f"{prefix}{start + i:05d}",
            name=f"项目{start + i}",
            planned_start=dt.date(2027, 4, 1),
            deadline=dt.date(2027, 12, 31),
            lead_section=org.section_a,
            responsible_leader=org.person("leader"),
            **fields,
        )
        for i in range(n)
    )


def _same_count(client, url, grow):
    grow(9)
    client.get(url)
    small = count_queries(lambda: client.get(url))
    grow(990)
    large = count_queries(lambda: client.get(url))
    assert small == large, f"{url}: {small} queries at 10 rows, {large} at 1,000"


def test_the_inspection_list_costs_the_same_at_10_and_1000_rows(org, client_for, world):
    _same_count(
        client_for("staff_c"),
        "/projects/inspections/",
        lambda n: _grow_inspections(org, world.project, n),
    )


def test_the_compliance_page_costs_the_same_at_10_and_1000_projects(org, client_for, world):
    def grow(n):
        projects = _grow_projects(org, n, "C", stage=Stage.CONSTRUCTION)
        InspectionRequirement.objects.bulk_create(
            InspectionRequirement(project=p, role="staff", times=2, per="month")
            for p in projects[::2]
        )
        _grow_inspections(org, projects[0], 3)

    _same_count(client_for("leader"), "/projects/inspections/compliance/", grow)


def test_the_pipeline_page_costs_the_same_at_10_and_1000_projects(org, client_for, world):
    def grow(n):
        projects = _grow_projects(org, n, "R", stage=Stage.RESERVE, plan_year=2027)
        PrepStep.objects.bulk_create(
            PrepStep(
                project=p,
                kind=kind,
                sort_order=i,
                status=PrepStatus.DONE,
                done_on=dt.date(2026, 5, 1),
            )
            for p in projects[::3]
            for i, kind in enumerate(PrepKind.values[:4])
        )

    _same_count(client_for("director"), "/projects/pipeline/?year=2027", grow)
