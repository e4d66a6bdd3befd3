"""挂图作战: the battle map — a portfolio Gantt of the key projects, and its Excel wall sheet.

One row per project, expandable to its activities: the approved plan (the latest baseline)
against the actual and forecast dates, the float colour, the critical path, and the flags of
挂图作战 — a red flag for a node done on time, a black flag for one overdue.

The data for any number of projects costs a fixed number of queries: the projects, their active
activities, their dependencies, the activities of each project's latest baseline, and the calendar.
Each project is then scheduled in Python (`duban.lib.scheduling` is pure and linear).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from duban.lib import scheduling
from duban.lib.workdays import Calendar
from duban.projects.models import Baseline, BaselineActivity, Project
from duban.projects.schedule import Plan, float_colour, load_plans
from duban.workcalendar.services import current_calendar

__all__ = [
    "BLACK",
    "DONE",
    "RED",
    "ActivityBar",
    "BattleMap",
    "ProjectRow",
    "build",
    "flag",
    "workbook",
]

DONE = "done"  # the colour of finished work, whatever its float
RED = "red"  # flag: done on time
BLACK = "black"  # flag: overdue, or done late


def flag(done: bool, finished_on: dt.date | None, due: dt.date | None, as_of: dt.date) -> str:
    """The 挂图作战 flag of a node: red when done by its due date, black when done after it or not
    done and the due date has passed ("" otherwise). `as_of` is read as the start of that day."""
    if due is None:
        return ""
    if done:
        return RED if finished_on is not None and finished_on <= due else BLACK
    return BLACK if due < as_of else ""


def _done(duration: int, actual_start: dt.date | None, actual_finish: dt.date | None) -> bool:
    """Finished, as the scheduler reads it: a finish date, or a milestone reached (either date)."""
    return actual_finish is not None or (duration == 0 and actual_start is not None)


@dataclass(frozen=True)
class ActivityBar:
    """One activity's line: forecast (early) dates, late finish, float, progress, approved dates."""

    code: str
    name: str
    duration: int
    start: dt.date
    finish: dt.date
    late_finish: dt.date
    total_float: int
    critical: bool
    actual_start: dt.date | None
    actual_finish: dt.date | None
    percent: Decimal
    baseline_start: dt.date | None
    baseline_finish: dt.date | None
    flag: str

    @property
    def milestone(self) -> bool:
        return self.duration == 0

    @property
    def done(self) -> bool:
        return _done(self.duration, self.actual_start, self.actual_finish)

    @property
    def colour(self) -> str:
        return DONE if self.done else float_colour(self.total_float)


@dataclass
class ProjectRow:
    """A project's line and its activities; without a schedulable plan only `errors` is set."""

    project: Project
    activities: list[ActivityBar] = field(default_factory=list)
    start: dt.date | None = None
    finish: dt.date | None = None
    project_float: int | None = None
    progress: Decimal | None = None
    critical_path: list[str] = field(default_factory=list)
    baseline_name: str = ""
    baseline_start: dt.date | None = None
    baseline_finish: dt.date | None = None
    errors: list[str] = field(default_factory=list)
    done: bool = False
    flag: str = ""

    @property
    def colour(self) -> str:
        return DONE if self.done else float_colour(self.project_float)


@dataclass
class BattleMap:
    as_of: dt.date
    rows: list[ProjectRow]
    show_baseline: bool = True

    @property
    def activity_count(self) -> int:
        return sum(len(row.activities) for row in self.rows)

    def span(self) -> tuple[dt.date, dt.date]:
        """First and last day anything is drawn on (today included), with a week either side."""
        days = [self.as_of]
        for row in self.rows:
            days += [d for d in (row.start, row.finish, row.project.deadline) if d]
            if self.show_baseline:
                days += [d for d in (row.baseline_start, row.baseline_finish) if d]
            for bar in row.activities:
                days += [d for d in (bar.start, bar.finish, bar.actual_start) if d]
        week = dt.timedelta(days=7)
        return min(days) - week, max(days) + week

    def weeks(self) -> list[dt.date]:
        """The Monday of every ISO week in the span."""
        first, last = self.span()
        monday = first - dt.timedelta(days=first.weekday())
        result = []
        while monday <= last:
            result.append(monday)
            monday += dt.timedelta(days=7)
        return result

    def chart_data(self, focus: int | None = None, poster: bool = False) -> dict:
        """What battlemap.js draws, sent with `json_script`; empty values are left out."""
        start, end = self.span()
        return {
            "asOf": self.as_of.isoformat(),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "baseline": self.show_baseline,
            "focus": focus,
            "poster": poster,
            "labels": _chart_labels(),
            "projects": [_project_json(row, self.show_baseline) for row in self.rows],
        }


def build(
    projects: QuerySet[Project] | Iterable[Project],
    as_of: dt.date,
    show_baseline: bool = True,
    calendar: Calendar | None = None,
) -> BattleMap:
    """The battle map of `projects` (already scoped and filtered) as of a day.

    Flags compare with the latest baseline's finish of the activity when it has one (the approved
    time node), else with its late finish; the baseline is read for the flags even when its bars
    are hidden (`show_baseline=False`).
    """
    projects = list(projects)
    calendar = calendar or current_calendar()
    plans = load_plans(projects, as_of, calendar)
    baselines = _latest_baselines([p.pk for p in projects])
    rows = [
        _project_row(project, plans[project.pk], baselines.get(project.pk), as_of, calendar)
        for project in projects
    ]
    return BattleMap(as_of, rows, show_baseline)


# --- loading ------------------------------------------------------------------------------------


@dataclass
class _Approved:
    name: str
    dates: dict[str, tuple[dt.date, dt.date]]


def _latest_baselines(project_ids: list[int]) -> dict[int, _Approved]:
    """The activities of each project's latest baseline, in one query."""
    if not project_ids:
        return {}
    latest = (
        Baseline.objects.filter(project_id=OuterRef("baseline__project_id"))
        .order_by("-approved_on", "-id")
        .values("id")[:1]
    )
    rows = BaselineActivity.objects.filter(
        baseline__project_id__in=project_ids, baseline_id=Subquery(latest)
    ).values_list("baseline__project_id", "baseline__name", "code", "start", "finish")
    result: dict[int, _Approved] = {}
    for project_id, name, code, start, finish in rows:
        result.setdefault(project_id, _Approved(name, {})).dates[code] = (start, finish)
    return result


def _project_row(
    project: Project,
    plan: Plan,
    approved: _Approved | None,
    as_of: dt.date,
    calendar: Calendar,
) -> ProjectRow:
    row = ProjectRow(project)
    if approved is not None:
        row.baseline_name = approved.name
        row.baseline_start = min(start for start, _finish in approved.dates.values())
        row.baseline_finish = max(finish for _start, finish in approved.dates.values())
    schedule = plan.schedule
    if schedule is None:
        row.errors = list(plan.errors.values())
        row.flag = flag(False, None, project.deadline, as_of)
        return row
    dates = approved.dates if approved else {}
    for activity, result in zip(plan.activities, schedule.activities, strict=True):
        baseline_start, baseline_finish = dates.get(activity.code, (None, None))
        done = _done(activity.duration, activity.actual_start, activity.actual_finish)
        row.activities.append(
            ActivityBar(
                code=activity.code,
                name=activity.name,
                duration=activity.duration,
                start=result.early_start,
                finish=result.early_finish,
                late_finish=result.late_finish,
                total_float=result.total_float,
                critical=result.critical,
                actual_start=activity.actual_start,
                actual_finish=activity.actual_finish,
                percent=activity.percent_complete,
                baseline_start=baseline_start,
                baseline_finish=baseline_finish,
                flag=flag(
                    done,
                    activity.actual_finish or activity.actual_start,
                    baseline_finish or result.late_finish,
                    as_of,
                ),
            )
        )
    row.start = min(bar.start for bar in row.activities)
    row.finish = schedule.finish
    row.project_float = schedule.project_float
    row.critical_path = schedule.critical_path
    row.progress = scheduling.progress_percent(plan.inputs, schedule.activities, as_of, calendar)[0]
    row.done = all(bar.done for bar in row.activities)
    row.flag = flag(row.done, schedule.finish, project.deadline, as_of)
    return row


# --- chart JSON ---------------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _compact(values: dict) -> dict:
    """Without the empty values (None, "", False, []); 0 is a value."""
    return {
        k: v for k, v in values.items() if v is not None and v is not False and v not in ("", [])
    }


def _project_json(row: ProjectRow, show_baseline: bool) -> dict:
    project = row.project
    leader = project.responsible_leader
    section = project.lead_section
    return _compact(
        {
            "id": project.pk,
            "code": project.code,
            "name": project.name,
            "leader": leader.name if leader else "",
            "section": section.name if section else "",
            "stage": project.get_stage_display(),
            "s": _iso(row.start),
            "f": _iso(row.finish),
            "dl": _iso(project.deadline),
            "tf": row.project_float,
            "k": row.colour,
            "pg": float(row.progress) if row.progress is not None else None,
            "bn": row.baseline_name if show_baseline else "",
            "bs": _iso(row.baseline_start) if show_baseline else None,
            "bf": _iso(row.baseline_finish) if show_baseline else None,
            "fl": row.flag,
            "err": "；".join(row.errors),
            "acts": [_activity_json(bar, show_baseline) for bar in row.activities],
        }
    )


def _activity_json(bar: ActivityBar, show_baseline: bool) -> dict:
    return _compact(
        {
            "c": bar.code,
            "n": bar.name,
            "d": bar.duration,
            "s": _iso(bar.start),
            "f": _iso(bar.finish),
            "lf": _iso(bar.late_finish),
            "tf": bar.total_float,
            "cr": bar.critical,
            "k": bar.colour,
            "as": _iso(bar.actual_start),
            "af": _iso(bar.actual_finish),
            "p": float(bar.percent) if bar.percent else None,
            "bs": _iso(bar.baseline_start) if show_baseline else None,
            "bf": _iso(bar.baseline_finish) if show_baseline else None,
            "fl": bar.flag,
            "m": bar.milestone,
        }
    )


def _chart_labels() -> dict[str, str]:
    return {
        "today": _("Today"),
        "baseline": _("Planned (baseline)"),
        "forecast": _("Forecast"),
        "actual": _("Actual"),
        "lateFinish": _("Late finish"),
        "float": _("Total float"),
        "projectFloat": _("Project float"),
        "days": _("working days"),
        "critical": _("Critical activity"),
        "progress": _("Physical progress"),
        "deadline": _("Mandated completion date"),
        "leader": _("Responsible leader"),
        "section": _("Lead section"),
        "stage": _("Stage"),
        "milestone": _("Milestone"),
        "flagRed": _("Done on time"),
        "flagBlack": _("Overdue"),
        "noPlan": _("No activities entered yet"),
        "cannotSchedule": _("The plan cannot be scheduled"),
        "expand": _("Click to expand or collapse"),
    }


# --- Excel --------------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
TODAY_FILL = PatternFill("solid", fgColor="F4B6B6")
WEEK_FILLS = {
    "green": PatternFill("solid", fgColor="63BE7B"),
    "yellow": PatternFill("solid", fgColor="FFD966"),
    "red": PatternFill("solid", fgColor="F8696B"),
    DONE: PatternFill("solid", fgColor="7F7F7F"),
    "baseline": PatternFill("solid", fgColor="D9D9D9"),
}
FLAG_FONTS = {RED: Font(color="C00000", bold=True), BLACK: Font(color="000000", bold=True)}
DATE = "yyyy-mm-dd"
FIXED_COLUMNS = 12


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _week_header(monday: dt.date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}\n{monday:%m-%d}"


def workbook(battlemap: BattleMap) -> bytes:
    """The wall sheet: one row per activity, one column per ISO week, weeks coloured like the chart
    (float colour, dark when done, grey where only the approved plan lies), ◆ on milestones and ⚑
    for the flags. Plain values, frozen headers and an autofilter: the office edits and sorts it."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Battle map")
    headers = [
        (_("Project"), 28),
        (_("Activity code"), 10),
        (_("Activity name"), 24),
        (_("Duration (working days)"), 9),
        (_("Planned start"), 11),
        (_("Planned finish"), 11),
        (_("Forecast start"), 11),
        (_("Forecast finish"), 11),
        (_("Actual start"), 11),
        (_("Actual finish"), 11),
        (_("Total float"), 8),
        (_("Critical activity"), 8),
    ]
    weeks = battlemap.weeks()
    column_of = {monday: FIXED_COLUMNS + 1 + i for i, monday in enumerate(weeks)}
    this_week = _monday(battlemap.as_of)
    for col, (title, width) in enumerate(headers, start=1):
        _header(sheet, col, title, width)
    for monday, col in column_of.items():
        cell = _header(sheet, col, _week_header(monday), 6.5)
        if monday == this_week:
            cell.fill = TODAY_FILL
    sheet.row_dimensions[1].height = 32
    row_number = 1
    for row in battlemap.rows:
        label = f"{row.project.code} {row.project.name}"
        for bar in row.activities:
            row_number += 1
            _activity_line(sheet, row_number, label, bar, battlemap.show_baseline)
            _week_cells(sheet, row_number, bar, column_of, battlemap.show_baseline)
    last_column = get_column_letter(FIXED_COLUMNS + len(weeks))
    sheet.freeze_panes = sheet.cell(row=2, column=FIXED_COLUMNS + 1)
    sheet.auto_filter.ref = f"A1:{last_column}{max(row_number, 2)}"
    _legend(book.create_sheet(_("Legend")))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header(sheet, col: int, title: str, width: float):
    cell = sheet.cell(row=1, column=col, value=title)
    cell.font = Font(bold=True)
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.column_dimensions[get_column_letter(col)].width = width
    return cell


def _activity_line(sheet, r: int, label: str, bar: ActivityBar, show_baseline: bool) -> None:
    values = [
        label,
        bar.code,
        bar.name,
        bar.duration,
        bar.baseline_start if show_baseline else None,
        bar.baseline_finish if show_baseline else None,
        bar.start,
        bar.finish,
        bar.actual_start,
        bar.actual_finish,
        bar.total_float,
        _("Yes") if bar.critical else "",
    ]
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row=r, column=col, value=value)
        if isinstance(value, dt.date):
            cell.number_format = DATE
    if bar.critical:
        sheet.cell(row=r, column=12).font = Font(color="C00000", bold=True)


def _week_cells(
    sheet, r: int, bar: ActivityBar, column_of: dict[dt.date, int], show_baseline: bool
) -> None:
    forecast = _weeks_between(bar.start, bar.finish)
    fill = WEEK_FILLS.get(bar.colour)
    for monday in forecast:
        cell = sheet.cell(row=r, column=column_of[monday])
        if fill is not None:
            cell.fill = fill
    if show_baseline and bar.baseline_start and bar.baseline_finish:
        for monday in _weeks_between(bar.baseline_start, bar.baseline_finish):
            if monday not in forecast and monday in column_of:
                sheet.cell(row=r, column=column_of[monday]).fill = WEEK_FILLS["baseline"]
    mark = ("◆" if bar.milestone else "") + ("⚑" if bar.flag else "")
    if mark:
        cell = sheet.cell(row=r, column=column_of[_monday(bar.finish)], value=mark)
        cell.alignment = Alignment(horizontal="center")
        if bar.flag:
            cell.font = FLAG_FONTS[bar.flag]


def _weeks_between(first: dt.date, last: dt.date) -> list[dt.date]:
    monday, end = _monday(first), _monday(max(first, last))
    result = []
    while monday <= end:
        result.append(monday)
        monday += dt.timedelta(days=7)
    return result


def _legend(sheet) -> None:
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 48
    lines = [
        (WEEK_FILLS["green"], "", None, _("Float of 5 working days or more")),
        (WEEK_FILLS["yellow"], "", None, _("Float of 0 to 4 working days")),
        (WEEK_FILLS["red"], "", None, _("Behind: negative float")),
        (WEEK_FILLS[DONE], "", None, _("Done")),
        (WEEK_FILLS["baseline"], "", None, _("Planned (baseline) only")),
        (None, "◆", None, _("Milestone")),
        (None, "⚑", FLAG_FONTS[RED], _("Red flag: done on time")),
        (None, "⚑", FLAG_FONTS[BLACK], _("Black flag: overdue, or done late")),
    ]
    for r, (fill, mark, font, text) in enumerate(lines, start=1):
        key = sheet.cell(row=r, column=1, value=mark or None)
        key.alignment = Alignment(horizontal="center")
        if fill is not None:
            key.fill = fill
        if font is not None:
            key.font = font
        sheet.cell(row=r, column=2, value=text)
