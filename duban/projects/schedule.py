"""Glue between the stored plan and the pure scheduler (`duban.lib.scheduling`).

The plan's active activities and their dependencies become `ActivityInput` values, scheduled on the
one working-day calendar (`workcalendar.services.current_calendar`). Pages schedule as of today, so
work that has not started when it should pushes the forecast; the API's contract schedules the plan
as entered (planned start plus the actual dates) unless it is asked for `as_of`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from duban.lib import scheduling
from duban.lib.scheduling import ActivityInput, Schedule, ScheduleError
from duban.lib.workdays import Calendar
from duban.projects.models import Activity, Baseline, Dependency, Project
from duban.workcalendar.services import current_calendar

__all__ = [
    "GREEN_FLOAT",
    "Schedule",
    "ScheduleError",
    "Variance",
    "activity_inputs",
    "baseline_variance",
    "float_colour",
    "project_schedule",
    "project_schedules",
]

# Float (working days to the mandated date) at or above which an activity or a project is on track.
GREEN_FLOAT = 5


def float_colour(total_float: int | None) -> str:
    """green ≥ 5 working days of float, yellow 0–4, red behind the mandated date; "" without a plan."""
    if total_float is None:
        return ""
    if total_float >= GREEN_FLOAT:
        return "green"
    if total_float >= 0:
        return "yellow"
    return "red"


def active_activities(project_ids: Iterable[int]):
    return Activity.objects.filter(
        project_id__in=list(project_ids), archived_at__isnull=True
    ).order_by("project_id", "sort_order", "id")


def _links(activity_ids: list[int]) -> dict[int, list[scheduling.Dependency]]:
    """Predecessor links of the given (active) activities, by successor id, in entry order."""
    links: dict[int, list[scheduling.Dependency]] = defaultdict(list)
    rows = (
        Dependency.objects.filter(successor_id__in=activity_ids, predecessor__archived_at=None)
        .order_by("id")
        .values_list("successor_id", "predecessor__code", "lag")
    )
    for successor_id, code, lag in rows:
        links[successor_id].append(scheduling.Dependency(code, lag))
    return links


def activity_inputs(
    activities: list[Activity], links: dict[int, list[scheduling.Dependency]]
) -> list[ActivityInput]:
    return [
        ActivityInput(
            code=a.code,
            name=a.name,
            duration=a.duration,
            predecessors=tuple(links.get(a.pk, ())),
            finish_by=a.finish_by,
            weight=a.weight,
            actual_start=a.actual_start,
            actual_finish=a.actual_finish,
            percent_complete=a.percent_complete,
        )
        for a in activities
    ]


@dataclass
class Plan:
    """A project's active activities, their scheduler inputs, and the schedule (None without a plan
    or when the stored plan cannot be scheduled, with the reasons in `errors`)."""

    activities: list[Activity]
    inputs: list[ActivityInput]
    schedule: Schedule | None
    errors: dict[str, str]

    def results_by_code(self) -> dict[str, scheduling.ActivityResult]:
        return {r.code: r for r in self.schedule.activities} if self.schedule else {}


def load_plans(
    projects: Iterable[Project], as_of: dt.date | None = None, calendar: Calendar | None = None
) -> dict[int, Plan]:
    """Plans and schedules of many projects in two queries (plus the calendar's)."""
    projects = list(projects)
    if not projects:
        return {}
    by_project: dict[int, list[Activity]] = defaultdict(list)
    for activity in active_activities(p.pk for p in projects):
        by_project[activity.project_id].append(activity)
    links = _links([a.pk for rows in by_project.values() for a in rows])
    calendar = calendar or current_calendar()
    plans = {}
    for project in projects:
        activities = by_project.get(project.pk, [])
        inputs = activity_inputs(activities, links)
        schedule, errors = None, {}
        if inputs:
            try:
                schedule = scheduling.schedule(
                    inputs, project.planned_start, project.deadline, calendar, as_of
                )
            except ScheduleError as error:
                errors = error.errors
            except ValueError as error:
                # A stored plan that runs off the calendar (an old typo) must not break every page.
                errors = {
                    "activities": _("The plan runs outside the dates that can be scheduled: %(e)s")
                    % {"e": error}
                }
        plans[project.pk] = Plan(activities, inputs, schedule, errors)
    return plans


def load_plan(
    project: Project, as_of: dt.date | None = None, calendar: Calendar | None = None
) -> Plan:
    return load_plans([project], as_of, calendar)[project.pk]


def project_schedule(
    project: Project, as_of: dt.date | None = None, calendar: Calendar | None = None
) -> Schedule:
    """The schedule of the project's active plan; ScheduleError (Chinese messages) when it has no
    activity or cannot be scheduled."""
    plan = load_plan(project, as_of, calendar)
    if plan.schedule is None:
        raise ScheduleError(plan.errors or scheduling.validate([]))
    return plan.schedule


def project_schedules(
    projects: Iterable[Project], as_of: dt.date | None = None, calendar: Calendar | None = None
) -> dict[int, Schedule | None]:
    """Schedules of many projects at once (None for a project without a plan); constant queries."""
    return {pk: plan.schedule for pk, plan in load_plans(projects, as_of, calendar).items()}


# --- baselines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variance:
    """One activity against a baseline; variances in working days, positive = later than approved."""

    code: str
    name: str
    baseline_start: dt.date | None
    baseline_finish: dt.date | None
    start: dt.date | None
    finish: dt.date | None
    start_variance: int | None
    finish_variance: int | None

    @property
    def status(self) -> str:
        """ "added" (not in the baseline), "removed" (no longer in the plan), or "" when in both."""
        if self.baseline_finish is None:
            return "added"
        if self.finish is None:
            return "removed"
        return ""


def _shift(calendar: Calendar, approved: dt.date, now: dt.date) -> int:
    """Working days from the approved date to the current one (negative when earlier)."""
    return calendar.workday_index(now) - calendar.workday_index(approved)


def baseline_variance(
    project: Project,
    baseline: Baseline,
    schedule: Schedule | None = None,
    calendar: Calendar | None = None,
    as_of: dt.date | None = None,
) -> list[Variance]:
    """Every activity of the current plan, then those only in the baseline, with the working days
    by which its start and finish moved from the approved dates."""
    calendar = calendar or current_calendar()
    plan = None
    if schedule is None:
        plan = load_plan(project, as_of, calendar)
        schedule = plan.schedule
    names = {a.code: a.name for a in plan.activities} if plan else {}
    approved = {row.code: row for row in baseline.activities.all()}
    rows: list[Variance] = []
    results = schedule.activities if schedule else []
    for result in results:
        old = approved.get(result.code)
        rows.append(
            Variance(
                code=result.code,
                name=names.get(result.code) or (old.name if old else ""),
                baseline_start=old.start if old else None,
                baseline_finish=old.finish if old else None,
                start=result.early_start,
                finish=result.early_finish,
                start_variance=_shift(calendar, old.start, result.early_start) if old else None,
                finish_variance=_shift(calendar, old.finish, result.early_finish) if old else None,
            )
        )
    current = {r.code for r in results}
    for code, old in approved.items():
        if code not in current:
            rows.append(Variance(code, old.name, old.start, old.finish, None, None, None, None))
    return rows


def finish_variance(
    baseline: Baseline, schedule: Schedule | None, calendar: Calendar | None = None
) -> int | None:
    """Working days by which the forecast completion moved from the baseline's (positive = later)."""
    if schedule is None:
        return None
    finishes = [row.finish for row in baseline.activities.all()]
    if not finishes:
        return None
    return _shift(calendar or current_calendar(), max(finishes), schedule.finish)
