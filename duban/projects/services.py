"""State changes of key projects: the plan, baselines and stages. Each is atomic and locks the project.

- `replace_plan` archives the active activities and writes the new ones (nothing is deleted); the
  progress recorded on an activity whose code stays in the plan is carried over.
- `approve_baseline` freezes the plan's dates as a named, immutable baseline.
- `change_stage` advances a stage only through its gate (or the director's recorded override),
  suspends with a reason and resumes to the stage left; every change writes a `StageChange` row.

The 三保 figures of a project (investment against 时间进度, open findings) are computed here too, for
the project page, the list, the 推进表 and the battle map alike.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.lib import scheduling
from duban.lib.scheduling import ActivityInput
from duban.org.scoping import scope_for
from duban.projects.choices import (
    STAGE_ORDER,
    AcceptanceKind,
    BaselineKind,
    FindingStatus,
    InspectionFocus,
    PrepKind,
    PrepStatus,
    Stage,
)
from duban.projects.models import (
    AcceptanceItem,
    Activity,
    Baseline,
    BaselineActivity,
    Closeout,
    Dependency,
    Finding,
    MonthlyReport,
    PrepStep,
    Project,
    StageChange,
)

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
CODE_MAX = 40
NAME_MAX = 200


class PlanError(BusinessRuleError):
    """A plan that cannot be saved; `errors` maps `activities[i].field` (or `activities`) to Chinese
    messages, as `scheduling.validate` does."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(errors.values()))
        self.errors = errors


def _locked(project: Project, expected_version: int | None = None) -> Project:
    row = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and row.version != expected_version:
        raise StaleEditError(row)
    return row


def own_unit_id(user) -> int | None:
    return scope_for(user).own_unit_id


def check_dates(planned_start: dt.date | None, deadline: dt.date | None) -> dict[str, str]:
    """The one rule between a project's dates, for forms, the API and the import."""
    if planned_start and deadline and deadline < planned_start:
        return {"deadline": _("The mandated completion date is before the planned start.")}
    return {}


# --- the plan -----------------------------------------------------------------------------------


def plan_problems(rows: list[ActivityInput]) -> dict[str, str]:
    """Everything wrong with a plan before it is saved: the scheduler's checks plus the lengths the
    database holds."""
    errors = scheduling.validate(rows)
    for i, row in enumerate(rows):
        if isinstance(row.code, str) and len(row.code) > CODE_MAX:
            errors.setdefault(
                f"activities[{i}].code",
                _("An activity code has at most %(n)d characters.") % {"n": CODE_MAX},
            )
        if isinstance(row.name, str) and len(row.name) > NAME_MAX:
            errors.setdefault(
                f"activities[{i}].name",
                _("An activity name has at most %(n)d characters.") % {"n": NAME_MAX},
            )
    return errors


@transaction.atomic
def replace_plan(
    project: Project, rows: list[ActivityInput], by, expected_version: int | None = None
) -> list[Activity]:
    """Replace the project's plan in one transaction: the active activities are archived (never
    deleted) and the rows become the new plan, with their predecessor links. Actual dates and
    % complete recorded on an activity whose code is still in the plan are carried over.

    Raises PlanError with every problem (unknown or duplicate codes, cycles, negative durations,
    non-integer lags) and changes nothing then.
    """
    errors = plan_problems(rows)
    if errors:
        raise PlanError(errors)
    project = _locked(project, expected_version)
    now = timezone.now()
    previous = {}
    for old in Activity.objects.filter(project=project, archived_at__isnull=True).order_by("id"):
        previous[old.code] = old
        old.archived_at = now
        old.archived_by = by
        old.archive_reason = _("Replaced by a new plan")
        old.save()
    created: dict[str, Activity] = {}
    for index, row in enumerate(rows, start=1):
        old = previous.get(row.code)
        created[row.code] = Activity.objects.create(
            project=project,
            code=row.code,
            name=(row.name or "").strip() or row.code,
            duration=row.duration,
            finish_by=row.finish_by,
            weight=row.weight,
            actual_start=old.actual_start if old else None,
            actual_finish=old.actual_finish if old else None,
            percent_complete=old.percent_complete if old else 0,
            sort_order=index * 10,
        )
    for row in rows:
        for link in row.predecessors:
            Dependency.objects.create(
                predecessor=created[link.code], successor=created[row.code], lag=link.lag
            )
    # The plan is part of the project: its version moves, so an editor holding the old one is refused.
    project.save()
    return list(created.values())


def plan_rows(project: Project) -> list[ActivityInput]:
    """The active plan as scheduler inputs (the form the API's PUT takes, and GET returns)."""
    from duban.projects.schedule import load_plan

    return load_plan(project).inputs


@transaction.atomic
def record_progress(
    activity: Activity,
    by,
    actual_start: dt.date | None,
    actual_finish: dt.date | None,
    percent_complete: Decimal | None,
    expected_version: int | None = None,
) -> Activity:
    """Enter an activity's actual dates and % complete; a finished activity is 100 % complete."""
    row = Activity.objects.select_for_update().get(pk=activity.pk)
    if expected_version is not None and row.version != expected_version:
        raise StaleEditError(row)
    if row.is_archived:
        raise BusinessRuleError(_("This activity is no longer in the plan."))
    problems = progress_problems(actual_start, actual_finish, percent_complete)
    if problems:
        field, message = next(iter(problems.items()))
        raise BusinessRuleError(message, field=field)
    row.actual_start = actual_start
    row.actual_finish = actual_finish
    row.percent_complete = HUNDRED if actual_finish else (percent_complete or Decimal(0))
    row.save()
    return row


def progress_problems(
    actual_start: dt.date | None, actual_finish: dt.date | None, percent: Decimal | None
) -> dict[str, str]:
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if actual_start and actual_start > today:
        errors["actual_start"] = _("An actual date cannot be in the future.")
    if actual_finish and actual_finish > today:
        errors["actual_finish"] = _("An actual date cannot be in the future.")
    if actual_start and actual_finish and actual_finish < actual_start:
        errors["actual_finish"] = _("The actual finish is before the actual start.")
    if percent is not None and not Decimal(0) <= percent <= HUNDRED:
        errors["percent_complete"] = _("Enter a percentage between 0 and 100.")
    return errors


# --- baselines ----------------------------------------------------------------------------------


@transaction.atomic
def approve_baseline(
    project: Project,
    by,
    name: str,
    document_number: str = "",
    approved_on: dt.date | None = None,
) -> Baseline:
    """Freeze the plan's dates (planned start and actual dates, not today's forecast) as a named
    baseline: the first is the 立项批复计划, each later one an approved adjustment (调整批复)."""
    from duban.projects.schedule import load_plan

    project = _locked(project)
    if not name.strip():
        raise BusinessRuleError(_("Give the baseline a name."), field="name")
    plan = load_plan(project)
    if plan.schedule is None:
        raise BusinessRuleError(
            _("The plan cannot be scheduled, so it cannot be approved: %(why)s")
            % {"why": "；".join(plan.errors.values()) or _("the plan has no activity")}
        )
    kind = BaselineKind.ADJUSTMENT if project.baselines.exists() else BaselineKind.INITIAL
    baseline = Baseline.objects.create(
        project=project,
        name=name.strip(),
        kind=kind,
        approved_by=by,
        approved_on=approved_on or timezone.localdate(),
        document_number=document_number.strip(),
        deadline=project.deadline,
    )
    names = {a.code: a.name for a in plan.activities}
    durations = {a.code: a.duration for a in plan.activities}
    BaselineActivity.objects.bulk_create(
        BaselineActivity(
            baseline=baseline,
            code=result.code,
            name=names[result.code],
            duration=durations[result.code],
            start=result.early_start,
            finish=result.early_finish,
        )
        for result in plan.schedule.activities
    )
    return baseline


# --- stages -------------------------------------------------------------------------------------


def next_stage(stage: str) -> str | None:
    if stage not in STAGE_ORDER:
        return None
    position = STAGE_ORDER.index(stage)
    return STAGE_ORDER[position + 1] if position + 1 < len(STAGE_ORDER) else None


def stage_left(project: Project) -> str | None:
    """The stage a suspended project left (where resuming takes it)."""
    change = (
        StageChange.objects.filter(project=project, to_stage=Stage.SUSPENDED)
        .order_by("-changed_at", "-id")
        .first()
    )
    return change.from_stage if change else None


def allowed_stages(project: Project) -> list[str]:
    """The stages a change may go to now: the next one and suspension, or back when suspended."""
    if project.stage == Stage.SUSPENDED:
        left = stage_left(project)
        return [left] if left else []
    following = next_stage(project.stage)
    return [s for s in (following, Stage.SUSPENDED) if s]


def _done(value) -> bool:
    return value not in (None, "")


def gate_problems(project: Project, to_stage: str) -> list[str]:
    """What is missing before the project may advance to `to_stage` (empty: the gate is met)."""
    label = Stage(to_stage).label
    if to_stage == Stage.CONSTRUCTION:
        steps = list(PrepStep.objects.filter(project=project))
        if not steps:
            return [
                _(
                    "No pre-construction approval (前期手续) is recorded: the construction permit "
                    "(施工许可) is missing."
                )
            ]
        permit = next((s for s in steps if s.kind == PrepKind.PERMIT), None)
        if permit is None or permit.status != PrepStatus.DONE:
            return [_("The construction permit (施工许可) is not obtained yet.")]
        return []
    if to_stage == Stage.COMPLETED:
        activities = list(
            Activity.objects.filter(project=project, archived_at__isnull=True).order_by(
                "sort_order", "id"
            )
        )
        if not activities:
            return [_("The plan has no activity, so nothing shows the works are finished.")]
        open_codes = [a.code for a in activities if a.actual_finish is None]
        if open_codes:
            shown = "、".join(open_codes[:10]) + ("…" if len(open_codes) > 10 else "")
            return [
                _("%(n)d activities have no actual finish: %(codes)s.")
                % {"n": len(open_codes), "codes": shown}
            ]
        return []
    if to_stage == Stage.ACCEPTED:
        problems = []
        items = list(AcceptanceItem.objects.filter(project=project))
        missing = [str(i.get_kind_display()) for i in items if i.required and not i.done_on]
        if missing:
            problems.append(
                _("Acceptance items not passed yet: %(items)s.") % {"items": "、".join(missing)}
            )
        five = next((i for i in items if i.kind == AcceptanceKind.FIVE_PARTIES), None)
        closeout = Closeout.objects.filter(project=project).first()
        if not ((five and five.done_on) or (closeout and closeout.accepted_on)):
            problems.append(_("The date of the five-party completion acceptance is not entered."))
        return problems
    if to_stage == Stage.SETTLED:
        closeout = Closeout.objects.filter(project=project).first()
        problems = []
        if closeout is None or closeout.audited_amount is None:
            problems.append(_("The audited settlement amount is not entered."))
        if closeout is None or not closeout.settled_on:
            problems.append(_("The date the settlement review finished is not entered."))
        return problems
    if to_stage == Stage.DELIVERED:
        closeout = Closeout.objects.filter(project=project).first()
        problems = []
        if closeout is None or not closeout.handed_over_on:
            problems.append(_("The hand-over date is not entered."))
        if closeout is None or not closeout.receiving_unit.strip():
            problems.append(_("The receiving unit is not entered."))
        return problems
    if to_stage in (Stage.PRELIMINARY, Stage.SUSPENDED):
        return []
    return [_("There is no gate into the stage “%(s)s”.") % {"s": label}]


@transaction.atomic
def change_stage(
    project: Project,
    by,
    to_stage: str,
    reason: str = "",
    override: bool = False,
    expected_version: int | None = None,
) -> StageChange:
    """Move the project to `to_stage` and record it on the stage timeline.

    A stage advances one step at a time when its gate is met; the director (projects.override_gate)
    may advance without it, with a reason, and that is recorded. Suspension (停工/缓建) is possible
    from any stage with a reason; resuming goes back to the stage left.
    """
    project = _locked(project, expected_version)
    reason = (reason or "").strip()
    current = project.stage
    if to_stage not in Stage.values:
        raise BusinessRuleError(_("Choose a stage."), field="to_stage")
    if to_stage == current:
        raise BusinessRuleError(_("The project is already at this stage."), field="to_stage")
    overridden = False
    if to_stage == Stage.SUSPENDED:
        if not reason:
            raise BusinessRuleError(
                _("Give the reason for the suspension or deferral."), field="reason"
            )
        project.stage_reason = reason[:300]
    elif current == Stage.SUSPENDED:
        left = stage_left(project)
        if to_stage != left:
            raise BusinessRuleError(
                _("A suspended project resumes at the stage it left (%(s)s).")
                % {"s": Stage(left).label if left else "—"},
                field="to_stage",
            )
        project.stage_reason = ""
    else:
        if to_stage != next_stage(current):
            raise BusinessRuleError(
                _("A stage advances one step at a time: from “%(a)s” only to “%(b)s”.")
                % {
                    "a": Stage(current).label,
                    "b": Stage(next_stage(current)).label if next_stage(current) else "—",
                },
                field="to_stage",
            )
        problems = gate_problems(project, to_stage)
        if problems:
            if not override:
                raise BusinessRuleError(
                    _("The gate to “%(s)s” is not met: %(why)s")
                    % {"s": Stage(to_stage).label, "why": " ".join(problems)}
                )
            if not by.has_perm("projects.override_gate"):
                raise BusinessRuleError(
                    _("Only the director may advance a stage without its gate.")
                )
            if not reason:
                raise BusinessRuleError(
                    _("Give the reason for advancing without the gate."), field="reason"
                )
            overridden = True
    project.stage = to_stage
    project.save()
    return StageChange.objects.create(
        project=project,
        from_stage=current,
        to_stage=to_stage,
        changed_by=by,
        override=overridden,
        reason=reason[:300],
    )


# --- 三保: investment against 时间进度, inspection findings ---------------------------------------


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def time_progress(as_of: dt.date) -> Decimal:
    """时间进度: the share of the year elapsed by the end of `as_of`, in percent (30 June ≈ 49.59)."""
    days = 366 if pycalendar.isleap(as_of.year) else 365
    return _round(Decimal(as_of.timetuple().tm_yday) * HUNDRED / days)


@dataclass(frozen=True)
class Investment:
    """This year's investment: plan, completed (monthly reports), completion rate, 时间进度 and the
    gap in percentage points (positive: ahead of 时间进度)."""

    annual_plan: Decimal | None
    completed: Decimal
    rate: Decimal | None
    time_progress: Decimal
    gap: Decimal | None

    @property
    def behind(self) -> bool:
        return self.gap is not None and self.gap < 0


def investment(
    annual_plan: Decimal | None, completed: Decimal | None, as_of: dt.date
) -> Investment:
    completed = completed or Decimal(0)
    elapsed = time_progress(as_of)
    rate = _round(completed * HUNDRED / annual_plan) if annual_plan else None
    return Investment(
        annual_plan, completed, rate, elapsed, _round(rate - elapsed) if rate is not None else None
    )


def with_progress(queryset: QuerySet, as_of: dt.date) -> QuerySet:
    """Projects annotated with `year_investment` (monthly reports of the year up to `as_of`) and the
    latest report's `latest_problems` and `latest_month`: one query for any number of projects."""
    latest = MonthlyReport.objects.filter(project=OuterRef("pk"), month__lte=as_of).order_by(
        "-month"
    )
    return queryset.annotate(
        year_investment=Sum(
            "monthly_reports__investment",
            filter=Q(monthly_reports__month__year=as_of.year, monthly_reports__month__lte=as_of),
        ),
        latest_problems=Subquery(latest.values("problems")[:1]),
        latest_month=Subquery(latest.values("month")[:1]),
    )


def project_investment(project: Project, as_of: dt.date) -> Investment:
    completed = getattr(project, "year_investment", None)
    if completed is None and not hasattr(project, "year_investment"):
        completed = MonthlyReport.objects.filter(
            project=project, month__year=as_of.year, month__lte=as_of
        ).aggregate(total=Sum("investment"))["total"]
    if project.planned_start.year > as_of.year:
        # A project that starts next year has no plan for this one: 时间进度 does not apply.
        return investment(None, completed, as_of)
    return investment(project.annual_investment, completed, as_of)


OPEN_FINDING = (FindingStatus.OPEN, FindingStatus.RECTIFIED)


@dataclass
class FindingSummary:
    """Open findings of one category (not yet re-checked and closed) and the count this year."""

    open: list
    this_year: int


def findings_summary(project: Project, as_of: dt.date) -> dict[str, FindingSummary]:
    """Safety and quality findings of the project's inspections: two queries."""
    categories = (InspectionFocus.SAFETY, InspectionFocus.QUALITY)
    rows = list(
        Finding.objects.filter(
            inspection__project=project, category__in=categories, status__in=OPEN_FINDING
        )
        .select_related("inspection")
        .order_by("deadline", "id")
    )
    counts = dict.fromkeys(categories, 0)
    for category, n in (
        Finding.objects.filter(
            inspection__project=project,
            category__in=categories,
            inspection__date__year=as_of.year,
        )
        .order_by()
        .values("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    ):
        counts[category] = n
    return {c: FindingSummary([f for f in rows if f.category == c], counts[c]) for c in categories}
