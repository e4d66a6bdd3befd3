"""The numbers of the weekly 督办通报: done, in progress, overdue, escalated, and by section.

The week is an ISO week (Monday–Sunday). Everything is counted as it stood at the end of the week —
or today, for the week in progress: a task is open on that day if it was assigned by then, is not
stopped and was not completed by then; it is overdue if it is open and its (current) deadline has
passed; it is escalated if a rung of level 1 or 2 was open on that day. A fixed number of queries,
whatever the number of tasks: the visible tasks of the year in one query, their rungs in another.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from duban.org.models import Section, Unit
from duban.org.scoping import scope_for
from duban.supervision.choices import Level, TaskStatus
from duban.supervision.models import Escalation, Policy, Task
from duban.workcalendar.services import current_calendar

WEEK = re.compile(r"^\s*(\d{4})\s*-?\s*[Ww]\s*(\d{1,2})\s*$")


def parse_week(text: str) -> dt.date:
    """ "2026-W26" → the Monday of that ISO week; ValueError for anything else."""
    match = WEEK.match(text or "")
    if match is None:
        raise ValueError(text)
    year, week = (int(part) for part in match.groups())
    if not 2000 <= year <= 2100:
        raise ValueError(text)
    return dt.date.fromisocalendar(year, week, 1)  # ValueError for week 53 of a 52-week year


def week_label(monday: dt.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass
class Line:
    """One task as the bulletin prints it."""

    task: Task
    overdue_workdays: int = 0
    level: int = 0
    escalated_to: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


@dataclass
class SectionRow:
    section: Section
    total: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    escalated: int = 0


@dataclass
class Bulletin:
    unit: Unit | None
    prefix: str
    monday: dt.date
    sunday: dt.date
    as_of: dt.date
    total: int = 0
    new_this_week: int = 0
    done_this_year: int = 0
    done_this_week: list[Line] = field(default_factory=list)
    in_progress: int = 0
    overdue: list[Line] = field(default_factory=list)
    escalated: list[Line] = field(default_factory=list)
    sections: list[SectionRow] = field(default_factory=list)

    @property
    def week(self) -> str:
        return week_label(self.monday)

    @property
    def escalated_level1(self) -> int:
        return sum(1 for line in self.escalated if line.level == Level.LEADER)

    @property
    def escalated_level2(self) -> int:
        return sum(1 for line in self.escalated if line.level == Level.DIRECTOR)

    @property
    def previous_week(self) -> str:
        return week_label(self.monday - dt.timedelta(days=7))

    @property
    def next_week(self) -> str:
        return week_label(self.monday + dt.timedelta(days=7))

    @property
    def is_current(self) -> bool:
        return self.monday <= timezone.localdate() <= self.sunday

    @property
    def section_totals(self) -> SectionRow:
        total = SectionRow(section=None)  # type: ignore[arg-type]
        for row in self.sections:
            total.total += row.total
            total.done += row.done
            total.in_progress += row.in_progress
            total.overdue += row.overdue
            total.escalated += row.escalated
        return total


def _done_on(task: Task) -> dt.date | None:
    return task.completed_on if task.status == TaskStatus.DONE else None


def build(user, monday: dt.date, today: dt.date | None = None) -> Bulletin:
    """The bulletin of the ISO week starting on `monday`, over the tasks `user` sees."""
    today = today or timezone.localdate()
    sunday = monday + dt.timedelta(days=6)
    as_of = min(sunday, today)
    scope = scope_for(user)
    unit = Unit.objects.filter(pk=scope.own_unit_id).first()
    prefix = Policy.for_unit(unit.pk).number_prefix if unit else "督办"
    bulletin = Bulletin(unit=unit, prefix=prefix, monday=monday, sunday=sunday, as_of=as_of)
    if as_of < monday:  # a week still to come: nothing has happened in it yet
        return bulletin
    year_start = dt.date(as_of.year, 1, 1)
    tasks = list(
        Task.objects.visible_to(user)
        .filter(archived_at__isnull=True, assigned_on__lte=as_of)
        .exclude(status=TaskStatus.STOPPED)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gte=year_start))
        .select_related("lead_section", "owner", "responsible_leader")
        .order_by("deadline", "year", "seq")
    )
    rungs = _rungs_open_on(user, as_of)
    calendar = current_calendar()
    rows: dict[int, SectionRow] = {
        s.pk: SectionRow(s) for s in _sections(scope, unit.pk if unit else None)
    }
    for task in tasks:
        row = rows.setdefault(task.lead_section_id, SectionRow(task.lead_section))
        done_on = _done_on(task)
        row.total += 1
        bulletin.total += 1
        if monday <= task.assigned_on <= sunday:
            bulletin.new_this_week += 1
        if done_on is not None and done_on <= as_of:
            row.done += 1
            bulletin.done_this_year += 1
            if done_on >= monday:
                bulletin.done_this_week.append(Line(task))
            continue
        row.in_progress += 1
        bulletin.in_progress += 1
        line = Line(task)
        if task.deadline < as_of and _still_working(task, as_of):
            line.overdue_workdays = calendar.workdays_between(
                task.deadline + dt.timedelta(days=1), as_of
            )
            row.overdue += 1
            bulletin.overdue.append(line)
        for rung in rungs.get(task.pk, ()):
            line.level = max(line.level, rung.level)
            name = rung.to_person.name if rung.to_person else ""
            if name and name not in line.escalated_to:
                line.escalated_to.append(name)
            reason = rung.detail or rung.get_reason_display()
            if reason not in line.reasons:  # levels 1 and 2 often share the cause (lateness)
                line.reasons.append(reason)
        if line.level:
            row.escalated += 1
            bulletin.escalated.append(line)
    bulletin.overdue.sort(key=lambda line: (-line.overdue_workdays, line.task.seq))
    bulletin.escalated.sort(key=lambda line: (-line.level, line.task.deadline, line.task.seq))
    bulletin.done_this_week.sort(key=lambda line: (line.task.completed_on, line.task.seq))
    bulletin.sections = list(rows.values())
    bulletin.sections.sort(key=lambda row: (row.section.sort_order, row.section.pk))
    return bulletin


def _still_working(task: Task, as_of: dt.date) -> bool:
    """Lateness stops counting once completion was submitted (it waits for the leader's review)."""
    return task.submitted_on is None or task.submitted_on > as_of


def _rungs_open_on(user, day: dt.date) -> dict[int, list[Escalation]]:
    """Level 1 and 2 rungs of visible tasks that were open on `day`, by task."""
    end_of_day = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    rungs = (
        Escalation.objects.filter(
            task__in=Task.objects.visible_to(user).filter(archived_at__isnull=True).values("id"),
            level__gte=Level.LEADER,
            opened_on__lte=day,
        )
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=end_of_day))
        .select_related("to_person")
        .order_by("-level", "opened_at")
    )
    by_task: dict[int, list[Escalation]] = defaultdict(list)
    for rung in rungs:
        by_task[rung.task_id].append(rung)
    return by_task


def _sections(scope, unit_id: int | None) -> list[Section]:
    """The sections the bulletin lists even when they have no task: the unit's for the director and
    the office, the user's own (and led) sections otherwise."""
    if unit_id is None:
        return []
    sections = Section.objects.filter(unit_id=unit_id, archived_at__isnull=True)
    if not scope.unit_wide:
        sections = sections.filter(pk__in=scope.section_ids)
    return list(sections.order_by("sort_order", "id"))
