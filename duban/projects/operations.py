"""Operations of a key project after its plan: monthly reports, site inspections (现场巡查) and their
findings, inspection frequency and compliance, close-out deadlines (验收、备案、结算、决算、移交) and next
year's pipeline of pre-construction approvals (前期手续).

The functions here are the only place these rules live; pages call them, and the cockpit calls
`under_inspected`, `overdue_findings` and `closeout_deadlines_due`.

Calendar days or working days: the close-out deadlines are in calendar days (the regulations say 日/天
and months); the pipeline is scheduled in working days on `current_calendar()`.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.evidence import services as evidence
from duban.lib.workdays import Calendar
from duban.org.scoping import scope_for
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
from duban.workcalendar.services import current_calendar

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the 31st becomes the month's last day (31 Nov → 30 Nov)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


def _editable(project: Project, user) -> None:
    if project.is_archived or not Project.objects.editable_by(user).filter(pk=project.pk).exists():
        raise BusinessRuleError(_("You cannot change this project."))


# --- Monthly reports (月报) and the annual completion rate ------------------------------------


@dataclass(frozen=True)
class AnnualProgress:
    """Investment completed in a year through a month, against the year's plan and 时间进度."""

    year: int
    through_month: int
    plan: Decimal | None  # the project's planned investment this year (万元)
    completed: Decimal  # sum of the monthly reports January … through_month (万元)
    rate: Decimal | None  # completed / plan, in %
    time_progress: Decimal  # through_month / 12, in %
    gap: Decimal | None  # rate − time_progress, in percentage points; negative = behind


def annual_progress(
    project: Project, year: int, through_month: int, reports: Iterable[MonthlyReport] | None = None
) -> AnnualProgress:
    """完成率 and the gap to 时间进度 (the elapsed share of the year, counted in whole months)."""
    if reports is None:
        reports = MonthlyReport.objects.filter(project=project, month__year=year)
    completed = sum(
        (r.investment for r in reports if r.month.year == year and r.month.month <= through_month),
        Decimal(0),
    )
    plan = project.annual_investment or None
    rate = _pct(completed, plan) if plan else None
    time_progress = _pct(Decimal(through_month), Decimal(12))
    return AnnualProgress(
        year=year,
        through_month=through_month,
        plan=plan,
        completed=completed,
        rate=rate,
        time_progress=time_progress,
        gap=rate - time_progress if rate is not None else None,
    )


@transaction.atomic
def save_monthly_report(form, project: Project, user) -> MonthlyReport:
    """Save a `MonthlyReportForm` for `project` (a new report or the month's existing one)."""
    _editable(project, user)
    report = form.save(commit=False)
    report.project = project
    report.reported_by = user
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Someone reported the same month a moment ago (one report a month).
        raise BusinessRuleError(
            _("This month is already reported; open it from the list below to change it."),
            field="month",
        ) from None
    return report


# --- Site inspections (现场巡查) and findings ------------------------------------------------


@dataclass
class NewFinding:
    category: str
    description: str
    deadline: dt.date | None = None
    photos: Sequence[UploadedFile] = field(default_factory=list)


def evidence_section(project: Project, user):
    """Where a user's photos and documents for this project are filed: the project's lead section,
    or — for project staff from another section — the user's own section."""
    sections = list(evidence.writable_sections(user))
    if project.lead_section_id and any(s.pk == project.lead_section_id for s in sections):
        return project.lead_section
    if project.lead_section_id is None and scope_for(user).unit_wide:
        return None
    return sections[0] if sections else project.lead_section


def _upload_photos(project: Project, user, files: Iterable[UploadedFile], title: str):
    section = evidence_section(project, user)
    documents = []
    for file in files:
        result = evidence.upload(user, file, title=title, section=section)
        documents.append(result.document)
    return documents


def _check_files(files: Iterable[UploadedFile], images_only: bool = True) -> None:
    """Every file is checked before anything is stored, so a bad one leaves nothing behind."""
    for file in files:
        try:
            kind = evidence.check_file(file)
            if images_only and not kind.mime.startswith("image/"):
                raise BusinessRuleError(_("This is not a photo: choose an image (JPEG, PNG …)."))
        except BusinessRuleError as error:
            raise BusinessRuleError(
                _("“%(name)s”: %(error)s") % {"name": file.name, "error": error.message},
                field="photos",
            ) from None


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def record_inspection(
    project: Project,
    user,
    *,
    date: dt.date,
    inspectors: Iterable,
    focus: Iterable[str],
    summary: str = "",
    findings: Iterable[NewFinding] = (),
    today: dt.date | None = None,
) -> Inspection:
    """Record a site inspection with its findings and their photos (filed as evidence documents)."""
    today = _today(today)
    inspectors, focus, findings = list(inspectors), list(focus), list(findings)
    _editable(project, user)
    if date > today:
        raise BusinessRuleError(_("An inspection cannot be dated in the future."), field="date")
    if not inspectors:
        raise BusinessRuleError(_("Choose who inspected the site."), field="inspectors")
    if not focus or set(focus) - set(InspectionFocus.values):
        raise BusinessRuleError(_("Choose what the inspection looked at."), field="focus")
    for finding in findings:
        if finding.category not in InspectionFocus.values or not finding.description.strip():
            raise BusinessRuleError(_("Each finding needs a category and a description."))
        if finding.deadline and finding.deadline < date:
            raise BusinessRuleError(
                _("A finding cannot be due for rectification before the inspection.")
            )
        _check_files(finding.photos)
    with transaction.atomic():
        ensure_requirements(project)
        inspection = Inspection.objects.create(
            project=project,
            date=date,
            focus=[f for f in InspectionFocus.values if f in focus],
            summary=summary.strip(),
            created_by=user,
        )
        inspection.inspectors.set(inspectors)
        title = _("%(code)s site inspection photo %(date)s") % {
            "code": project.code,
            "date": date.isoformat(),
        }
        for new in findings:
            finding = Finding.objects.create(
                inspection=inspection,
                category=new.category,
                description=new.description.strip(),
                deadline=new.deadline,
            )
            if new.photos:
                finding.photos.add(*_upload_photos(project, user, new.photos, title))
    return inspection


def _lock_finding(finding: Finding, user, version: int | None) -> Finding:
    locked = (
        Finding.objects.editable_by(user)
        .select_for_update()
        .select_related("inspection__project")
        .filter(pk=finding.pk)
        .first()
    )
    if locked is None or locked.inspection.project.is_archived:
        raise BusinessRuleError(_("You cannot change this finding."))
    if version is not None and locked.version != version:
        raise StaleEditError(locked)
    return locked


@transaction.atomic
def rectify_finding(
    finding: Finding,
    user,
    *,
    rectification: str,
    rectified_on: dt.date,
    version: int | None,
    photos: Sequence[UploadedFile] = (),
    today: dt.date | None = None,
) -> Finding:
    """整改: the contractor's fix is recorded; the finding waits for a leader's re-check."""
    today = _today(today)
    finding = _lock_finding(finding, user, version)
    if finding.status != FindingStatus.OPEN:
        raise BusinessRuleError(_("Only a finding still to rectify can be marked rectified."))
    if not rectification.strip():
        raise BusinessRuleError(_("Describe how the finding was rectified."), field="rectification")
    if rectified_on > today or rectified_on < finding.inspection.date:
        raise BusinessRuleError(
            _("The rectification date must be between the inspection and today."),
            field="rectified_on",
        )
    _check_files(photos)
    finding.status = FindingStatus.RECTIFIED
    finding.rectification = rectification.strip()
    finding.rectified_on = rectified_on
    finding.save()
    if photos:
        project = finding.inspection.project
        title = _("%(code)s rectification photo %(date)s") % {
            "code": project.code,
            "date": rectified_on.isoformat(),
        }
        finding.photos.add(*_upload_photos(project, user, photos, title))
    return finding


@transaction.atomic
def verify_finding(
    finding: Finding,
    user,
    *,
    passed: bool,
    note: str = "",
    version: int | None,
    today: dt.date | None = None,
) -> Finding:
    """复查: a leader closes the finding, or sends it back to rectify with the reason."""
    today = _today(today)
    if not user.has_perm("projects.verify_finding"):
        raise BusinessRuleError(_("Only a leader can re-check a finding."))
    finding = _lock_finding(finding, user, version)
    if finding.status != FindingStatus.RECTIFIED:
        raise BusinessRuleError(_("Only a rectified finding can be re-checked."))
    if passed:
        finding.status = FindingStatus.VERIFIED
        finding.verified_by = user
        finding.verified_on = today
    else:
        if not note.strip():
            raise BusinessRuleError(_("Say why the rectification is not accepted."), field="note")
        finding.status = FindingStatus.OPEN
        finding.rectification = _("Re-check on %(date)s not passed: %(reason)s") % {
            "date": today.isoformat(),
            "reason": note.strip(),
        } + (f"\n\n{finding.rectification}" if finding.rectification else "")
        finding.rectified_on = None
    finding.save()
    return finding


def overdue_findings(as_of: dt.date, findings: QuerySet | None = None) -> QuerySet:
    """Findings still to rectify after their deadline (oldest deadline first).

    The cockpit passes `Finding.objects.visible_to(user)`.
    """
    findings = Finding.objects.all() if findings is None else findings
    return (
        findings.filter(
            status=FindingStatus.OPEN,
            deadline__lt=as_of,
            inspection__project__archived_at__isnull=True,
        )
        .select_related("inspection__project")
        .order_by("deadline", "id")
    )


# --- Inspection frequency and compliance ------------------------------------------------------

# The defaults every project starts with: the responsible leader twice a month, section staff weekly.
DEFAULT_REQUIREMENTS = {
    InspectorRole.LEADER: (2, FrequencyPeriod.MONTH),
    InspectorRole.STAFF: (1, FrequencyPeriod.WEEK),
}


def ensure_requirements(project: Project) -> dict[str, InspectionRequirement]:
    """The project's requirements by role, creating the defaults the first time they are needed."""
    existing = {r.role: r for r in InspectionRequirement.objects.filter(project=project)}
    for role, (times, per) in DEFAULT_REQUIREMENTS.items():
        if role not in existing:
            existing[role] = InspectionRequirement.objects.create(
                project=project, role=role, times=times, per=per
            )
    return existing


def requirements_of(project: Project) -> dict[str, InspectionRequirement]:
    """Saved requirements, with unsaved defaults for roles not set yet (reads never write).

    Uses `project.inspection_requirements.all()`, so a prefetch makes it free.
    """
    result = {r.role: r for r in project.inspection_requirements.all()}
    for role, (times, per) in DEFAULT_REQUIREMENTS.items():
        result.setdefault(
            role, InspectionRequirement(project=project, role=role, times=times, per=per)
        )
    return result


@transaction.atomic
def set_requirements(project: Project, user, values: dict[str, dict]) -> None:
    """Change the frequencies: `values[role] = {"times", "per", "version"}` (version None if new)."""
    _editable(project, user)
    current = {
        r.role: r for r in InspectionRequirement.objects.select_for_update().filter(project=project)
    }
    for role, value in values.items():
        requirement = current.get(role)
        if requirement is None:
            requirement = InspectionRequirement(project=project, role=role)
        elif value.get("version") is not None and value["version"] != requirement.version:
            raise StaleEditError(requirement)
        if requirement.pk and (requirement.times, requirement.per) == (
            value["times"],
            value["per"],
        ):
            continue
        requirement.times, requirement.per = value["times"], value["per"]
        requirement.save()


def period_bounds(as_of: dt.date, per: str) -> tuple[dt.date, dt.date]:
    """The calendar week (Monday–Sunday) or month containing `as_of`."""
    if per == FrequencyPeriod.WEEK:
        start = as_of - dt.timedelta(days=as_of.weekday())
        return start, start + dt.timedelta(days=6)
    last = pycalendar.monthrange(as_of.year, as_of.month)[1]
    return as_of.replace(day=1), as_of.replace(day=last)


@dataclass(frozen=True)
class RoleCompliance:
    role: str
    times: int
    per: str
    start: dt.date
    end: dt.date
    done: int
    applicable: bool  # False when the project has no responsible leader (or no staff at all)

    @property
    def short(self) -> int:
        return max(0, self.times - self.done) if self.applicable else 0

    @property
    def met(self) -> bool:
        return self.short == 0

    def label(self) -> str:
        return str(InspectorRole(self.role).label)

    def per_label(self) -> str:
        return str(FrequencyPeriod(self.per).label)


@dataclass(frozen=True)
class ProjectCompliance:
    project: Project
    leader: RoleCompliance
    staff: RoleCompliance

    @property
    def roles(self) -> tuple[RoleCompliance, RoleCompliance]:
        return (self.leader, self.staff)

    @property
    def under_inspected(self) -> bool:
        return any(not r.met for r in self.roles)


def _inspection_count(role: str, start: dt.date, end: dt.date) -> Coalesce:
    inspections = Inspection.objects.filter(project=OuterRef("pk"), date__range=(start, end))
    if role == InspectorRole.LEADER:
        inspections = inspections.filter(inspectors=OuterRef("responsible_leader"))
    else:
        inspections = inspections.filter(
            Q(inspectors__projects=OuterRef("pk")) | Q(inspectors__section=OuterRef("lead_section"))
        )
    counted = (
        inspections.order_by()
        .values("project")
        .annotate(n=Count("id", distinct=True))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def under_construction(projects: QuerySet | None = None) -> QuerySet:
    projects = Project.objects.all() if projects is None else projects
    return projects.filter(stage=Stage.CONSTRUCTION, archived_at__isnull=True)


def compliance(projects: QuerySet, as_of: dt.date) -> list[ProjectCompliance]:
    """Inspections this week/month against each role's requirement, for every project under
    construction in `projects` (two queries however many projects).

    Counted for the leader: inspections the project's responsible leader took part in. For staff:
    inspections with anyone on the project's staff or in its lead section. One inspection counts once
    per role, however many of them went.
    """
    week, month = period_bounds(as_of, FrequencyPeriod.WEEK), period_bounds(as_of, "month")
    bounds = {FrequencyPeriod.WEEK: week, FrequencyPeriod.MONTH: month}
    rows = (
        under_construction(projects)
        .select_related("responsible_leader", "lead_section")
        .prefetch_related(Prefetch("inspection_requirements"))
        .annotate(
            n_leader_week=_inspection_count(InspectorRole.LEADER, *week),
            n_leader_month=_inspection_count(InspectorRole.LEADER, *month),
            n_staff_week=_inspection_count(InspectorRole.STAFF, *week),
            n_staff_month=_inspection_count(InspectorRole.STAFF, *month),
            has_staff=Exists(Project.staff.through.objects.filter(project_id=OuterRef("pk"))),
        )
        .order_by("code", "id")
    )
    result = []
    for project in rows:
        requirements = requirements_of(project)
        applicable = {
            InspectorRole.LEADER: project.responsible_leader_id is not None,
            InspectorRole.STAFF: bool(project.lead_section_id or project.has_staff),
        }
        per_role = {}
        for role in (InspectorRole.LEADER, InspectorRole.STAFF):
            requirement = requirements[role]
            start, end = bounds[requirement.per]
            per_role[role] = RoleCompliance(
                role=role,
                times=requirement.times,
                per=requirement.per,
                start=start,
                end=end,
                done=getattr(project, f"n_{role}_{requirement.per}"),
                applicable=applicable[role],
            )
        result.append(
            ProjectCompliance(
                project, per_role[InspectorRole.LEADER], per_role[InspectorRole.STAFF]
            )
        )
    return result


def under_inspected(as_of: dt.date, projects: QuerySet | None = None) -> list[ProjectCompliance]:
    """Projects under construction inspected less than required this week/month.

    The cockpit passes `Project.objects.visible_to(user)`.
    """
    projects = Project.objects.all() if projects is None else projects
    return [row for row in compliance(projects, as_of) if row.under_inspected]


# --- Completion acceptance and close-out (验收、备案、结算、决算、移交) --------------------------

# The items every project is checked against; the others are offered as not required.
DEFAULT_REQUIRED_ACCEPTANCE = frozenset(
    {
        AcceptanceKind.FIVE_PARTIES,
        AcceptanceKind.PLANNING,
        AcceptanceKind.FIRE,
        AcceptanceKind.CIVIL_DEFENCE,
        AcceptanceKind.ENERGY,
        AcceptanceKind.ARCHIVES,
    }
)
FILING_DAYS = 15  # 竣工验收备案: within 15 days of passing the acceptance (条例第49条)
FINAL_ACCOUNTS_MONTHS = 3  # 竣工财务决算: within 3 months of completion (财建〔2016〕503号)
# 结算审查 (财建〔2004〕369号), calendar days from the submission: (largest amount in 万元, days).
SETTLEMENT_BANDS: tuple[tuple[Decimal | None, int], ...] = (
    (Decimal(500), 20),  # below 500万: 20 days (500万 itself is in the next band)
    (Decimal(2000), 30),  # 500万 to 2000万 inclusive: 30 days
    (Decimal(5000), 45),  # above 2000万 to 5000万 inclusive: 45 days
    (None, 60),  # above 5000万: 60 days
)


def settlement_review_days(contract_amount: Decimal | None) -> int | None:
    if contract_amount is None:
        return None
    if contract_amount < SETTLEMENT_BANDS[0][0]:
        return SETTLEMENT_BANDS[0][1]
    for limit, days in SETTLEMENT_BANDS[1:]:
        if limit is None or contract_amount <= limit:
            return days
    raise AssertionError("the last band has no limit")


def acceptance_checklist(project: Project, items: Iterable[AcceptanceItem] | None = None):
    """Every acceptance kind in order: the saved item, or an unsaved default (required or not)."""
    if items is None:
        items = AcceptanceItem.objects.filter(project=project).prefetch_related(
            "documents__current_version"
        )
    saved = {item.kind: item for item in items}
    return [
        saved.get(kind)
        or AcceptanceItem(project=project, kind=kind, required=kind in DEFAULT_REQUIRED_ACCEPTANCE)
        for kind in AcceptanceKind.values
    ]


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    basis: str  # what the deadline counts from, e.g. "15 days from the acceptance"
    due: dt.date | None  # None while the date it counts from is not entered
    done_on: dt.date | None
    as_of: dt.date

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    @property
    def days_left(self) -> int | None:
        """Calendar days to the deadline (negative when overdue); None when done or not started."""
        if self.due is None or self.is_done:
            return None
        return (self.due - self.as_of).days

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue else 0

    @property
    def late_by(self) -> int:
        """Days the step was done after its deadline (0 when on time)."""
        if self.done_on is None or self.due is None:
            return 0
        return max(0, (self.done_on - self.due).days)


def accepted_on(
    closeout: Closeout | None, checklist: Iterable[AcceptanceItem] = ()
) -> dt.date | None:
    """The acceptance date: the close-out's, else the five-party acceptance item's."""
    if closeout is not None and closeout.accepted_on:
        return closeout.accepted_on
    for item in checklist:
        if item.kind == AcceptanceKind.FIVE_PARTIES and item.done_on:
            return item.done_on
    return None


def closeout_deadlines(
    closeout: Closeout | None, as_of: dt.date, checklist: Iterable[AcceptanceItem] = ()
) -> list[Deadline]:
    """备案 (15 days from acceptance), 结算审查 (20/30/45/60 days by contract amount from the
    submission) and 决算 (3 months from completion), each with days left or overdue."""
    c = closeout or Closeout()
    accepted = accepted_on(closeout, checklist)
    review_days = settlement_review_days(c.contract_amount)
    settlement_due = None
    if c.settlement_submitted_on and review_days is not None:
        settlement_due = c.settlement_submitted_on + dt.timedelta(days=review_days)
    if review_days is None:
        settlement_basis = _("Enter the contract amount: the review period depends on it.")
    else:
        settlement_basis = _("%(days)d days from the submission (contract amount)") % {
            "days": review_days
        }
    return [
        Deadline(
            key="filing",
            label=_("Acceptance filing (竣工验收备案)"),
            basis=_("%(days)d days from the acceptance") % {"days": FILING_DAYS},
            due=accepted + dt.timedelta(days=FILING_DAYS) if accepted else None,
            done_on=c.filed_on,
            as_of=as_of,
        ),
        Deadline(
            key="settlement",
            label=_("Settlement review (结算审查)"),
            basis=settlement_basis,
            due=settlement_due,
            done_on=c.settled_on,
            as_of=as_of,
        ),
        Deadline(
            key="final_accounts",
            label=_("Final accounts (竣工财务决算)"),
            basis=_("%(months)d months from completion") % {"months": FINAL_ACCOUNTS_MONTHS},
            due=add_months(c.completed_on, FINAL_ACCOUNTS_MONTHS) if c.completed_on else None,
            done_on=c.final_accounts_on,
            as_of=as_of,
        ),
    ]


@dataclass(frozen=True)
class SettlementDifference:
    amount: Decimal  # submitted − audited (审减额), 万元
    percent: Decimal | None  # of the submitted amount (审减率)


def settlement_difference(closeout: Closeout | None) -> SettlementDifference | None:
    if closeout is None or closeout.settlement_amount is None or closeout.audited_amount is None:
        return None
    amount = closeout.settlement_amount - closeout.audited_amount
    percent = _pct(amount, closeout.settlement_amount) if closeout.settlement_amount else None
    return SettlementDifference(amount, percent)


def closeout_deadlines_due(
    as_of: dt.date, projects: QuerySet | None = None, within_days: int = 7
) -> list[tuple[Project, Deadline]]:
    """Close-out deadlines not met that are overdue or due within `within_days` (soonest first).

    The cockpit passes `Project.objects.visible_to(user)`.
    """
    projects = Project.objects.all() if projects is None else projects
    closeouts = Closeout.objects.filter(
        project__in=projects.filter(archived_at__isnull=True)
    ).select_related("project")
    five_parties = dict(
        AcceptanceItem.objects.filter(
            project__in=closeouts.values("project"),
            kind=AcceptanceKind.FIVE_PARTIES,
            done_on__isnull=False,
        ).values_list("project_id", "done_on")
    )
    due = []
    for closeout in closeouts:
        checklist = []
        if closeout.project_id in five_parties:
            checklist = [
                AcceptanceItem(
                    kind=AcceptanceKind.FIVE_PARTIES, done_on=five_parties[closeout.project_id]
                )
            ]
        for deadline in closeout_deadlines(closeout, as_of, checklist):
            if deadline.days_left is not None and deadline.days_left <= within_days:
                due.append((closeout.project, deadline))
    due.sort(key=lambda pair: (pair[1].due, pair[0].code))
    return due


@transaction.atomic
def save_acceptance_item(form, project: Project, user, files: Sequence[UploadedFile] = ()):
    """Save an `AcceptanceItemForm` (creating the item the first time) and file its documents."""
    _editable(project, user)
    _check_files(files, images_only=False)
    item = form.save(commit=False)
    item.project = project
    item.save()
    if files:
        title = _("%(code)s acceptance: %(item)s") % {
            "code": project.code,
            "item": item.get_kind_display(),
        }
        item.documents.add(*_upload_photos(project, user, files, title))
    return item


@transaction.atomic
def save_survey(form, project: Project, user) -> Project:
    """Save a `SurveyForm` (摸底调查: when the reserve project was surveyed and what was found)."""
    _editable(project, user)
    return form.save()


@transaction.atomic
def save_closeout(form, project: Project, user) -> Closeout:
    _editable(project, user)
    closeout = form.save(commit=False)
    closeout.project = project
    closeout.save()
    return closeout


# --- Next year's pipeline: pre-construction approvals (前期手续) ------------------------------

PREP_ORDER: tuple[str, ...] = tuple(PrepKind.values)
DEFAULT_PREP_DURATION = 20  # working days, the model's default


def prep_targets(
    planned_start: dt.date, durations: dict[str, int], calendar: Calendar
) -> dict[str, dt.date]:
    """Target dates scheduled backwards from the planned start, in working days.

    施工许可 must be done by the working day before the planned start; each earlier approval by the
    next one's target less the next one's duration (the time the next one takes).
    """
    targets: dict[str, dt.date] = {}
    later: str | None = None
    for kind in reversed(PREP_ORDER):
        if later is None:
            targets[kind] = calendar.add_workdays(planned_start, -1)
        else:
            targets[kind] = calendar.add_workdays(targets[later], -durations[later])
        later = kind
    return targets


def prep_checklist(
    project: Project, steps: Iterable[PrepStep] | None = None, calendar: Calendar | None = None
) -> list[PrepStep]:
    """The ten approvals in order: saved steps, unsaved defaults for the others, each with
    `target_date` set to the live backward schedule (what is stored may be older)."""
    if steps is None:
        steps = PrepStep.objects.filter(project=project).select_related("person")
    saved = {step.kind: step for step in steps}
    checklist = [
        saved.get(kind)
        or PrepStep(project=project, kind=kind, sort_order=index, duration=DEFAULT_PREP_DURATION)
        for index, kind in enumerate(PREP_ORDER)
    ]
    targets = prep_targets(
        project.planned_start,
        {s.kind: s.duration for s in checklist},
        calendar or current_calendar(),
    )
    for step in checklist:
        step.target_date = targets[step.kind]
    return checklist


def ensure_prep_steps(project: Project) -> dict[str, PrepStep]:
    existing = {s.kind: s for s in PrepStep.objects.filter(project=project)}
    for index, kind in enumerate(PREP_ORDER):
        if kind not in existing:
            existing[kind] = PrepStep.objects.create(
                project=project, kind=kind, sort_order=index, duration=DEFAULT_PREP_DURATION
            )
    return existing


@transaction.atomic
def schedule_prep_steps(project: Project, calendar: Calendar | None = None) -> int:
    """Store the backward schedule on the project's saved steps; returns how many changed.

    Call it whenever the planned start or a duration changes (idempotent).
    """
    steps = list(PrepStep.objects.select_for_update().filter(project=project))
    if not steps:
        return 0
    stored = {s.kind: s.target_date for s in steps}
    checklist = prep_checklist(project, steps, calendar)
    changed = 0
    for step in checklist:
        if step.pk and stored[step.kind] != step.target_date:
            step.save(update_fields=["target_date", "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def save_prep_step(form, project: Project, user) -> PrepStep:
    """Save a `PrepStepForm`; the first edit creates the whole checklist; targets follow."""
    _editable(project, user)
    existing = ensure_prep_steps(project)
    step = form.save(commit=False)
    if step.pk is None:
        # The form was built on an unsaved default; apply its values to the row just created.
        row = existing[step.kind]
        for name in form.cleaned_data:
            if name != "version" and hasattr(row, name):
                setattr(row, name, form.cleaned_data[name])
        step = row
    step.project = project
    step.save()
    schedule_prep_steps(project)
    step.refresh_from_db()
    return step


@dataclass(frozen=True)
class PipelineRow:
    project: Project
    steps: list[PrepStep]
    as_of: dt.date

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.status == PrepStatus.DONE)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def readiness(self) -> Decimal:
        """Share of approvals done, in %."""
        return _pct(Decimal(self.done), Decimal(self.total)) if self.total else Decimal(0)

    @property
    def blocked(self) -> list[PrepStep]:
        return [s for s in self.steps if s.status == PrepStatus.BLOCKED]

    @property
    def late(self) -> list[PrepStep]:
        """Approvals not obtained by their target date."""
        return [
            s
            for s in self.steps
            if s.status != PrepStatus.DONE and s.target_date and s.target_date < self.as_of
        ]

    @property
    def next_step(self) -> PrepStep | None:
        return next((s for s in self.steps if s.status != PrepStatus.DONE), None)


def pipeline_projects(projects: QuerySet, year: int) -> QuerySet:
    """Reserve and pre-construction projects planned for `year` (by plan year, else planned start)."""
    return projects.filter(
        Q(plan_year=year) | Q(plan_year__isnull=True, planned_start__year=year),
        stage__in=(Stage.RESERVE, Stage.PRELIMINARY),
        archived_at__isnull=True,
    )


def pipeline(projects: QuerySet, year: int, as_of: dt.date) -> list[PipelineRow]:
    """Every pipeline project of `year` with its checklist, readiness and blockers (3 queries)."""
    calendar = current_calendar()
    rows = (
        pipeline_projects(projects, year)
        .select_related("responsible_leader", "lead_section")
        .prefetch_related(
            Prefetch("prep_steps", queryset=PrepStep.objects.select_related("person"))
        )
        .order_by("planned_start", "code", "id")
    )
    return [
        PipelineRow(project, prep_checklist(project, project.prep_steps.all(), calendar), as_of)
        for project in rows
    ]
