"""Operations services: findings from inspection to re-check, inspection compliance, close-out
deadlines, and the pipeline's approvals scheduled backwards from the planned start."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.evidence.tests.factories import png_bytes, upload_file
from duban.org.tests.factories import make_person
from duban.projects import operations
from duban.projects.choices import (
    AcceptanceKind,
    FindingStatus,
    FrequencyPeriod,
    InspectionFocus,
    InspectorRole,
    PrepKind,
    PrepStatus,
    Stage,
)
from duban.projects.forms_operations import PrepStepForm
from duban.projects.models import (
    AcceptanceItem,
    Closeout,
    Finding,
    Inspection,
    InspectionRequirement,
    MonthlyReport,
    PrepStep,
)
from duban.projects.tests.factories import make_project
from duban.workcalendar.services import current_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEDNESDAY = dt.datetime(2026, 6, 17, 10, tzinfo=SHANGHAI)  # week 15–21 June 2026


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def inspect(project, day: str, *people, user=None):
    """An inspection row as recorded (straight to the table: compliance only reads rows)."""
    inspection = Inspection.objects.create(project=project, date=d(day), focus=["safety"])
    inspection.inspectors.set(people)
    return inspection


# --- Findings ---------------------------------------------------------------------------------


@pytest.fixture
def site(org):
    project = make_project(org, stage=Stage.CONSTRUCTION, responsible_leader=org.person("leader"))
    with time_machine.travel(WEDNESDAY, tick=False):
        inspection = operations.record_inspection(
            project,
            org.users["staff_a"],
            date=d("2026-06-16"),
            inspectors=[org.person("staff_a"), org.person("leader")],
            focus=[InspectionFocus.SAFETY, InspectionFocus.CIVILISED],
            summary="基坑支护巡查",
            findings=[
                operations.NewFinding(
                    InspectionFocus.SAFETY,
                    "临边防护缺失",
                    deadline=d("2026-06-20"),
                    photos=[upload_file(png_bytes(), "临边.png")],
                )
            ],
        )
    return project, inspection, inspection.findings.get()


def test_recording_an_inspection_files_photos_in_the_lead_section_and_creates_the_defaults(
    org, site
):
    project, inspection, finding = site
    assert inspection.created_by == org.users["staff_a"]
    assert inspection.focus == ["safety", "civilised"]
    assert set(inspection.inspectors.all()) == {org.person("staff_a"), org.person("leader")}
    photo = finding.photos.get()
    assert (photo.section, photo.unit) == (org.section_a, org.bureau)
    assert photo.current_version.blob.kind == "png"
    requirements = {
        r.role: (r.times, r.per) for r in InspectionRequirement.objects.filter(project=project)
    }
    assert requirements == {"leader": (2, "month"), "staff": (1, "week")}


def test_an_inspection_is_refused_in_the_future_without_inspectors_or_from_outside(org):
    project = make_project(org, stage=Stage.CONSTRUCTION)
    base = {
        "date": d("2026-06-17"),
        "inspectors": [org.person("staff_a")],
        "focus": [InspectionFocus.QUALITY],
    }
    with time_machine.travel(WEDNESDAY, tick=False):
        for user, change, field in [
            ("staff_a", {"date": d("2026-06-18")}, "date"),
            ("staff_a", {"inspectors": []}, "inspectors"),
            ("staff_a", {"focus": ["weather"]}, "focus"),
            ("staff_c", {}, None),
        ]:
            with pytest.raises(BusinessRuleError) as refused:
                operations.record_inspection(project, org.users[user], **{**base, **change})
            assert refused.value.field == field
        with pytest.raises(BusinessRuleError):
            operations.record_inspection(
                project,
                org.users["staff_a"],
                **base,
                findings=[operations.NewFinding("quality", "x", photos=[upload_file()])],
            )
    assert Inspection.objects.count() == 0
    assert InspectionRequirement.objects.count() == 0


def test_a_finding_goes_open_rectified_verified_and_wrong_steps_are_refused(org, site):
    _project, _inspection, finding = site
    staff, leader, chief = org.users["staff_a"], org.users["leader"], org.users["chief_a"]
    with time_machine.travel(dt.datetime(2026, 6, 19, 9, tzinfo=SHANGHAI), tick=False):
        with pytest.raises(BusinessRuleError, match="整改|rectified"):
            operations.verify_finding(finding, leader, passed=True, version=finding.version)
        with pytest.raises(BusinessRuleError):
            operations.rectify_finding(
                finding,
                org.users["staff_c"],
                rectification="已整改",
                rectified_on=d("2026-06-18"),
                version=finding.version,
            )
        with pytest.raises(StaleEditError):
            operations.rectify_finding(
                finding,
                staff,
                rectification="已整改",
                rectified_on=d("2026-06-18"),
                version=finding.version + 1,
            )
        with pytest.raises(BusinessRuleError) as early:
            operations.rectify_finding(
                finding,
                staff,
                rectification="已整改",
                rectified_on=d("2026-06-15"),
                version=finding.version,
            )
        assert early.value.field == "rectified_on"

        finding = operations.rectify_finding(
            finding,
            staff,
            rectification="已补设防护栏杆",
            rectified_on=d("2026-06-18"),
            version=finding.version,
            photos=[upload_file(png_bytes(), "整改后.png")],
        )
        assert (finding.status, finding.rectified_on) == (FindingStatus.RECTIFIED, d("2026-06-18"))
        assert finding.photos.count() == 2
        with pytest.raises(BusinessRuleError):
            operations.rectify_finding(
                finding, staff, rectification="再次", rectified_on=d("2026-06-18"), version=None
            )
        with pytest.raises(BusinessRuleError, match="leader|领导"):
            operations.verify_finding(finding, chief, passed=True, version=finding.version)
        with pytest.raises(BusinessRuleError) as no_reason:
            operations.verify_finding(finding, leader, passed=False, version=finding.version)
        assert no_reason.value.field == "note"

        finding = operations.verify_finding(
            finding, leader, passed=False, note="栏杆高度不足1.2米", version=finding.version
        )
        assert finding.status == FindingStatus.OPEN and finding.rectified_on is None
        assert "栏杆高度不足1.2米" in finding.rectification
        assert "已补设防护栏杆" in finding.rectification

        finding = operations.rectify_finding(
            finding,
            staff,
            rectification="栏杆加高至1.2米",
            rectified_on=d("2026-06-19"),
            version=finding.version,
        )
        finding = operations.verify_finding(finding, leader, passed=True, version=finding.version)
    finding.refresh_from_db()
    assert (finding.status, finding.verified_by, finding.verified_on) == (
        FindingStatus.VERIFIED,
        leader,
        d("2026-06-19"),
    )
    with pytest.raises(BusinessRuleError):
        operations.verify_finding(finding, leader, passed=True, version=finding.version)


def test_overdue_findings_are_open_past_their_deadline(org, site):
    _project, inspection, finding = site
    late = Finding.objects.create(
        inspection=inspection,
        category="quality",
        description="钢筋保护层不足",
        deadline=d("2026-06-18"),
    )
    Finding.objects.create(inspection=inspection, category="quality", description="无期限")
    assert list(operations.overdue_findings(d("2026-06-20"))) == [late]
    assert list(operations.overdue_findings(d("2026-06-21"))) == [late, finding]
    Finding.objects.filter(pk=late.pk).update(status=FindingStatus.RECTIFIED)
    assert list(operations.overdue_findings(d("2026-06-21"))) == [finding]
    assert list(operations.overdue_findings(d("2026-06-21"), Finding.objects.none())) == []


# --- Compliance -------------------------------------------------------------------------------


@pytest.fixture
def compliance_world(org):
    leader, staff_a, staff_c = org.person("leader"), org.person("staff_a"), org.person("staff_c")
    outsider = make_person(org.bureau, org.section_b, name="股室B人员")
    construction = {"stage": Stage.CONSTRUCTION, "responsible_leader": leader}
    met = make_project(org, "P1", **construction)
    short = make_project(org, "P2", **construction, staff=[staff_c])
    monthly = make_project(org, "P3", **construction)
    make_project(org, "P4", stage=Stage.PRELIMINARY, responsible_leader=leader)
    InspectionRequirement.objects.create(
        project=monthly, role=InspectorRole.STAFF, times=3, per=FrequencyPeriod.MONTH
    )
    # P1: the leader twice in June, staff twice this week (the leader's first visit counts once).
    inspect(met, "2026-06-02", leader, staff_a)
    inspect(met, "2026-06-16", leader)
    inspect(met, "2026-06-15", staff_a, org.person("chief_a"))
    inspect(met, "2026-06-17", staff_a)
    # P2: the leader once in June (and once in May), staff none this week: Sunday 14 June is last week,
    # a person of another section is neither staff nor of the lead section.
    inspect(short, "2026-05-31", leader)
    inspect(short, "2026-06-03", leader)
    inspect(short, "2026-06-14", staff_c)
    inspect(short, "2026-06-16", outsider)
    # P3: staff three times a month (met), the leader never.
    for day in ("2026-06-01", "2026-06-14", "2026-06-17"):
        inspect(monthly, day, staff_a)
    inspect(monthly, "2026-07-01", leader)  # after today
    # P5: led by section B; its staff member from section C went this week, the leader twice.
    helped = make_project(org, "P5", **construction, lead_section=org.section_b, staff=[staff_c])
    inspect(helped, "2026-06-16", staff_c, staff_a)
    inspect(helped, "2026-06-05", leader)
    inspect(helped, "2026-06-12", leader, staff_c)
    return met, short, monthly


def test_compliance_counts_inspections_per_role_and_period(org, compliance_world):
    met, short, monthly = compliance_world
    rows = {
        r.project.code: r for r in operations.compliance(org.bureau.projects.all(), d("2026-06-17"))
    }
    assert set(rows) == {"P1", "P2", "P3", "P5"}

    def summary(row):
        return [(r.role, r.done, r.times, r.per, r.short) for r in row.roles]

    assert summary(rows["P1"]) == [("leader", 2, 2, "month", 0), ("staff", 2, 1, "week", 0)]
    assert summary(rows["P2"]) == [("leader", 1, 2, "month", 1), ("staff", 0, 1, "week", 1)]
    assert summary(rows["P3"]) == [("leader", 0, 2, "month", 2), ("staff", 3, 3, "month", 0)]
    assert summary(rows["P5"]) == [("leader", 2, 2, "month", 0), ("staff", 1, 1, "week", 0)]
    assert rows["P2"].staff.start == d("2026-06-15") and rows["P2"].staff.end == d("2026-06-21")
    assert [r.under_inspected for r in rows.values()] == [False, True, True, False]
    # Reading compliance creates no requirement rows.
    assert InspectionRequirement.objects.count() == 1


def test_under_inspected_for_the_cockpit_under_a_frozen_clock(org, compliance_world):
    with time_machine.travel(WEDNESDAY, tick=False):
        today = timezone.localdate()
    assert today == d("2026-06-17")
    assert [r.project.code for r in operations.under_inspected(today)] == ["P2", "P3"]
    # Next Monday: the staff of P1 owe this week's visit too.
    monday = d("2026-06-22")
    assert [r.project.code for r in operations.under_inspected(monday)] == [
        "P1",
        "P2",
        "P3",
        "P5",
    ]
    # A user who sees no project sees nothing.
    assert operations.under_inspected(today, org.bureau.projects.none()) == []


def test_a_project_without_leader_or_staff_is_not_short_for_that_role(org):
    project = make_project(org, "P9", stage=Stage.CONSTRUCTION, lead_section=None)
    (row,) = operations.compliance(org.bureau.projects.all(), d("2026-06-17"))
    assert row.project == project
    assert (row.leader.applicable, row.staff.applicable, row.under_inspected) == (
        False,
        False,
        False,
    )


def test_requirements_are_changed_with_a_version_check(org):
    project = make_project(org, stage=Stage.CONSTRUCTION)
    staff = org.users["staff_a"]
    operations.set_requirements(
        project, staff, {"leader": {"times": 4, "per": "month", "version": None}}
    )
    leader_req = InspectionRequirement.objects.get(project=project, role="leader")
    assert (leader_req.times, leader_req.per) == (4, "month")
    with pytest.raises(StaleEditError):
        operations.set_requirements(
            project, staff, {"leader": {"times": 1, "per": "week", "version": 99}}
        )
    with pytest.raises(BusinessRuleError):
        operations.set_requirements(
            project, org.users["staff_c"], {"staff": {"times": 2, "per": "week", "version": None}}
        )
    assert InspectionRequirement.objects.count() == 1


# --- Monthly reports --------------------------------------------------------------------------


def test_annual_completion_rate_and_gap_to_time_progress(org):
    project = make_project(org, annual_investment=D("3000"))
    for month, amount in [(1, "200"), (2, "150"), (3, "400"), (4, "350"), (5, "300")]:
        MonthlyReport.objects.create(
            project=project,
            month=dt.date(2026, month, 1),
            investment=D(amount),
            image_progress="主体施工",
        )
    MonthlyReport.objects.create(
        project=project, month=dt.date(2025, 12, 1), investment=D("999"), image_progress="-"
    )
    progress = operations.annual_progress(project, 2026, 5)
    assert progress.completed == D("1400")
    assert progress.rate == D("46.67")
    assert progress.time_progress == D("41.67")
    assert progress.gap == D("5.00")
    behind = operations.annual_progress(project, 2026, 6)
    assert (behind.completed, behind.time_progress, behind.gap) == (
        D("1400"),
        D("50.00"),
        D("-3.33"),
    )
    project.annual_investment = None
    assert operations.annual_progress(project, 2026, 5).rate is None


# --- Close-out deadlines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "days"),
    [
        ("0", 20),
        ("499.99", 20),
        ("500", 30),
        ("2000", 30),
        ("2000.01", 45),
        ("5000", 45),
        ("5000.01", 60),
        ("80000", 60),
    ],
)
def test_settlement_review_period_by_contract_amount(amount, days):
    assert operations.settlement_review_days(D(amount)) == days


@pytest.mark.parametrize(
    ("amount", "due"),
    [("480", "2026-08-21"), ("1200", "2026-08-31"), ("3600", "2026-09-15"), ("9000", "2026-09-30")],
)
def test_settlement_review_deadline_counts_calendar_days_from_the_submission(org, amount, due):
    closeout = Closeout(contract_amount=D(amount), settlement_submitted_on=d("2026-08-01"))
    deadline = operations.closeout_deadlines(closeout, d("2026-08-10"))[1]
    assert (deadline.key, deadline.due) == ("settlement", d(due))
    assert deadline.days_left == (d(due) - d("2026-08-10")).days


def test_filing_is_due_15_days_after_acceptance_with_days_left_or_overdue():
    closeout = Closeout(accepted_on=d("2026-06-20"))
    filing = operations.closeout_deadlines(closeout, d("2026-07-01"))[0]
    assert (filing.key, filing.due, filing.days_left, filing.overdue) == (
        "filing",
        d("2026-07-05"),
        4,
        False,
    )
    late = operations.closeout_deadlines(closeout, d("2026-07-08"))[0]
    assert (late.days_left, late.overdue, late.days_overdue) == (-3, True, 3)
    closeout.filed_on = d("2026-07-07")
    done = operations.closeout_deadlines(closeout, d("2026-07-08"))[0]
    assert (done.is_done, done.days_left, done.overdue, done.late_by) == (True, None, False, 2)


def test_filing_counts_from_the_five_party_acceptance_when_no_date_is_entered():
    item = AcceptanceItem(kind=AcceptanceKind.FIVE_PARTIES, done_on=d("2026-06-10"))
    filing = operations.closeout_deadlines(None, d("2026-06-12"), [item])[0]
    assert filing.due == d("2026-06-25")


@pytest.mark.parametrize(
    ("completed", "due"),
    [("2026-05-31", "2026-08-31"), ("2026-11-30", "2027-02-28"), ("2027-11-30", "2028-02-29")],
)
def test_final_accounts_are_due_three_months_after_completion(completed, due):
    closeout = Closeout(completed_on=d(completed))
    final = operations.closeout_deadlines(closeout, d(completed))[2]
    assert (final.key, final.due) == ("final_accounts", d(due))


def test_no_deadline_before_its_starting_date_is_entered():
    deadlines = operations.closeout_deadlines(None, d("2026-06-01"))
    assert [(x.due, x.days_left, x.overdue) for x in deadlines] == [(None, None, False)] * 3


def test_settlement_difference_is_submitted_minus_audited_with_its_share():
    closeout = Closeout(settlement_amount=D("1250"), audited_amount=D("1180.50"))
    difference = operations.settlement_difference(closeout)
    assert (difference.amount, difference.percent) == (D("69.50"), D("5.56"))
    assert operations.settlement_difference(Closeout(settlement_amount=D("1"))) is None


def test_closeout_deadlines_due_for_the_cockpit(org):
    soon = make_project(org, "C1")
    late = make_project(org, "C2")
    far = make_project(org, "C3")
    Closeout.objects.create(project=soon, accepted_on=d("2026-06-20"))  # filing due 5 July
    Closeout.objects.create(
        project=late, contract_amount=D("300"), settlement_submitted_on=d("2026-06-01")
    )  # review due 21 June
    Closeout.objects.create(project=far, completed_on=d("2026-06-30"))  # 决算 due 30 September
    AcceptanceItem.objects.create(
        project=far, kind=AcceptanceKind.FIVE_PARTIES, done_on=d("2026-06-26")
    )  # filing due 11 July
    due = operations.closeout_deadlines_due(d("2026-07-01"), within_days=7)
    assert [(p.code, x.key, x.due, x.days_left) for p, x in due] == [
        ("C2", "settlement", d("2026-06-21"), -10),
        ("C1", "filing", d("2026-07-05"), 4),
    ]
    assert [p.code for p, _ in operations.closeout_deadlines_due(d("2026-07-05"))] == [
        "C2",
        "C1",
        "C3",
    ]


# --- Pipeline ---------------------------------------------------------------------------------


def test_pipeline_targets_are_scheduled_backwards_across_the_national_day_holiday(db):
    durations = {kind: 20 for kind in PrepKind.values}
    durations.update({PrepKind.PERMIT: 3, PrepKind.TENDER: 5, PrepKind.DRAWING_REVIEW: 2})
    targets = operations.prep_targets(d("2026-10-12"), durations, current_calendar())
    # 10 October 2026 is a Saturday worked in exchange for the holiday (1–7 October).
    assert targets[PrepKind.PERMIT] == d("2026-10-10")
    # Three working days before it: 9, 8 October, then back over the holiday to 30 September.
    assert targets[PrepKind.TENDER] == d("2026-09-30")
    # Five before that: 29, 28, 24, 23, 22 September (25–27 are the Mid-Autumn days off).
    assert targets[PrepKind.DRAWING_REVIEW] == d("2026-09-22")
    # Two before that: 21 September and Sunday 20 September, a make-up working day.
    assert targets[PrepKind.WORKS_PLANNING] == d("2026-09-20")
    assert list(targets) == list(reversed(PrepKind.values))


def test_saving_a_step_creates_the_checklist_and_recomputes_targets(org):
    project = make_project(org, "R1", stage=Stage.RESERVE, planned_start=d("2026-10-12"))
    assert PrepStep.objects.count() == 0
    checklist = operations.prep_checklist(project)
    assert [s.kind for s in checklist] == PrepKind.values
    assert all(s.pk is None for s in checklist)
    permit = checklist[-1]
    with time_machine.travel(WEDNESDAY, tick=False):
        form = PrepStepForm(
            {"status": PrepStatus.IN_PROGRESS, "duration": 3, "document_number": "", "blocker": ""},
            instance=permit,
        )
        assert form.is_valid(), form.errors
        operations.save_prep_step(form, project, org.users["staff_a"])
    stored = dict(PrepStep.objects.filter(project=project).values_list("kind", "target_date"))
    assert len(stored) == 10
    assert stored[PrepKind.PERMIT] == d("2026-10-10")
    assert stored[PrepKind.TENDER] == d("2026-09-30")
    # The planned start moves: one call brings every stored target along.
    project.planned_start = d("2026-11-02")
    project.save()
    assert operations.schedule_prep_steps(project) == 10
    assert PrepStep.objects.get(project=project, kind=PrepKind.PERMIT).target_date == d(
        "2026-10-30"
    )
    assert operations.schedule_prep_steps(project) == 0


def test_pipeline_rows_show_readiness_blockers_and_late_steps(org):
    reserve = make_project(
        org, "R1", stage=Stage.RESERVE, planned_start=d("2027-03-01"), plan_year=2027
    )
    make_project(org, "R2", stage=Stage.PRELIMINARY, planned_start=d("2027-05-10"))
    make_project(org, "R3", stage=Stage.CONSTRUCTION, planned_start=d("2027-01-04"))
    make_project(org, "R4", stage=Stage.RESERVE, planned_start=d("2028-03-01"))
    steps = operations.ensure_prep_steps(reserve)
    for kind in (PrepKind.PROPOSAL, PrepKind.SITE, PrepKind.EIA):
        steps[kind].status, steps[kind].done_on = PrepStatus.DONE, d("2026-05-01")
        steps[kind].save()
    steps[PrepKind.FEASIBILITY].status = PrepStatus.BLOCKED
    steps[PrepKind.FEASIBILITY].blocker = "资金来源未落实"
    steps[PrepKind.FEASIBILITY].save()
    rows = operations.pipeline(org.bureau.projects.all(), 2027, d("2026-09-10"))
    assert [r.project.code for r in rows] == ["R1", "R2"]
    first, second = rows
    assert (first.done, first.total, first.readiness) == (3, 10, D("30.00"))
    assert [s.kind for s in first.blocked] == [PrepKind.FEASIBILITY]
    assert first.next_step.kind == PrepKind.FEASIBILITY
    assert (second.done, second.readiness, second.blocked) == (0, D("0"), [])
    # Twenty working days each: R1's 可研 was due 7 September 2026, R2's 项目建议书 24 August.
    assert [(s.kind, s.target_date) for s in first.late] == [
        (PrepKind.FEASIBILITY, d("2026-09-07"))
    ]
    assert [(s.kind, s.target_date) for s in second.late] == [(PrepKind.PROPOSAL, d("2026-08-24"))]
