"""The escalation ladder (DESIGN §1, the speech's "staff → leader in charge → director").

`scan(now)` is the periodic job (`duban tick`): it works out, for every task and problem still open,
which rungs its situation calls for under the unit's policy, opens the missing ones (timeline event +
notification + the person's 待我协调 list) and resolves those whose cause has gone (de-escalation).
`reevaluate(task)` does the same for one task right after a user acts on it.

Idempotent and safe with two workers: an open rung is a row, unique per subject and level in the
database, so the second worker's insert fails and it sends nothing; a rung is resolved by a conditional
UPDATE, so only one worker writes the de-escalation event.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.supervision.choices import (
    ACTIVE_STATUSES,
    EscalationReason,
    EventKind,
    ExtensionStatus,
    Level,
    ProblemStatus,
)
from duban.supervision.models import Escalation, Event, ExtensionRequest, Policy, Problem, Task
from duban.workcalendar.services import current_calendar


@dataclass(frozen=True)
class Rung:
    level: int
    reason: str
    detail: str
    to_person_id: int | None


def _since(calendar, start: dt.date, today: dt.date) -> int:
    """Working days d with start < d <= today."""
    if today <= start:
        return 0
    return calendar.workdays_between(start + dt.timedelta(days=1), today)


@dataclass
class TaskFacts:
    """What the ladder needs beyond the task row, loaded in bulk by the scan."""

    open_rungs: dict[int, Escalation]
    oldest_problem_on: dt.date | None
    second_extension_pending: bool
    director_id: int | None


def task_rungs(
    task: Task, facts: TaskFacts, policy: Policy, calendar, today: dt.date
) -> list[Rung]:
    if task.status not in ACTIVE_STATUSES or task.archived_at is not None:
        return []
    rungs: list[Rung] = []
    overdue = task.overdue_workdays(calendar, today)
    feedback_late = task.feedback_overdue_workdays(calendar, today)
    problem_wait = (
        _since(calendar, facts.oldest_problem_on, today) if facts.oldest_problem_on else 0
    )
    leader_id = task.responsible_leader_id or facts.director_id

    if overdue == 0 and task.in_warning_window(calendar, today, policy.warn_before):
        rungs.append(
            Rung(
                Level.WARNING,
                EscalationReason.DEADLINE_NEAR,
                _("Due on %(date)s") % {"date": task.deadline},
                task.owner_id,
            )
        )

    level1 = None
    if overdue >= policy.leader_overdue:
        level1 = (EscalationReason.OVERDUE, _("Overdue by %(n)s working days") % {"n": overdue})
    elif feedback_late >= policy.leader_feedback_overdue:
        level1 = (
            EscalationReason.FEEDBACK_OVERDUE,
            _("Progress report late by %(n)s working days") % {"n": feedback_late},
        )
    elif problem_wait >= policy.leader_problem_open:
        level1 = (
            EscalationReason.PROBLEM_OPEN,
            _("A problem has waited %(n)s working days") % {"n": problem_wait},
        )
    elif policy.leader_on_second_extension and facts.second_extension_pending:
        level1 = (EscalationReason.SECOND_EXTENSION, _("A second extension is requested"))
    if level1:
        rungs.append(Rung(Level.LEADER, level1[0], level1[1], leader_id))

    level2 = None
    if overdue >= policy.director_overdue:
        level2 = (EscalationReason.OVERDUE, _("Overdue by %(n)s working days") % {"n": overdue})
    elif task.coordination_requested_on:
        level2 = (EscalationReason.COORDINATION, _("The leader asks the director to coordinate"))
    elif level1 and Level.LEADER in facts.open_rungs:
        waited = _since(calendar, facts.open_rungs[Level.LEADER].opened_on, today)
        if waited >= policy.director_level1_open:
            level2 = (
                EscalationReason.LEVEL1_UNRESOLVED,
                _("Unresolved at the leader for %(n)s working days") % {"n": waited},
            )
    if level2:
        rungs.append(Rung(Level.DIRECTOR, level2[0], level2[1], facts.director_id))
    return rungs


def problem_rungs(
    problem: Problem,
    open_rungs: dict[int, Escalation],
    leader_id: int | None,
    director_id: int | None,
    policy: Policy,
    calendar,
    today: dt.date,
) -> list[Rung]:
    if problem.status != ProblemStatus.PENDING or problem.archived_at is not None:
        return []
    waited = _since(calendar, problem.raised_on, today)
    if waited < policy.problem_leader_after:
        return []
    rungs = [
        Rung(
            Level.LEADER,
            EscalationReason.WAITING_DECISION,
            _("Waiting for a decision for %(n)s working days") % {"n": waited},
            leader_id or director_id,
        )
    ]
    if Level.LEADER in open_rungs:
        at_leader = _since(calendar, open_rungs[Level.LEADER].opened_on, today)
        if at_leader >= policy.problem_director_after:
            rungs.append(
                Rung(
                    Level.DIRECTOR,
                    EscalationReason.LEVEL1_UNRESOLVED,
                    _("Unresolved at the leader for %(n)s working days") % {"n": at_leader},
                    director_id,
                )
            )
    return rungs


# --- applying the wanted rungs ------------------------------------------------------------------


def _sync(subject, open_rungs: dict[int, Escalation], wanted: list[Rung], now, today) -> int:
    """Open the missing rungs and resolve the unwanted ones; returns the number of changes."""
    is_task = isinstance(subject, Task)
    key = {"task": subject} if is_task else {"problem": subject}
    wanted_levels = {r.level: r for r in wanted}
    changes = 0
    for level, row in open_rungs.items():
        if level in wanted_levels:
            continue
        if Escalation.objects.filter(pk=row.pk, resolved_at__isnull=True).update(resolved_at=now):
            changes += 1
            if level >= Level.LEADER:
                Event.objects.create(
                    **key,
                    kind=EventKind.DEESCALATED,
                    at=now,
                    person=row.to_person,
                    text=_("%(level)s resolved") % {"level": Level(level).label},
                )
    for level, rung in wanted_levels.items():
        if level in open_rungs:
            row = open_rungs[level]
            if (row.reason, row.detail) != (rung.reason, rung.detail[:300]):
                # Same rung, cause restated ("overdue by 6 working days"): no new event or notice.
                Escalation.objects.filter(pk=row.pk).update(
                    reason=rung.reason, detail=rung.detail[:300]
                )
            continue
        try:
            with transaction.atomic():
                row = Escalation.objects.create(
                    **key,
                    level=level,
                    reason=rung.reason,
                    detail=rung.detail[:300],
                    to_person_id=rung.to_person_id,
                    opened_on=today,
                    opened_at=now,
                )
        except IntegrityError:
            continue  # another worker opened this rung first; it also sent the notice
        changes += 1
        Event.objects.create(
            **key,
            kind=EventKind.WARNED if level == Level.WARNING else EventKind.ESCALATED,
            at=now,
            person_id=rung.to_person_id,
            text=f"{Level(level).label}：{rung.detail}",
        )
        _notify_rung(subject, row, rung)
    levels = [lvl for lvl in wanted_levels if lvl >= Level.LEADER]
    top = max(levels, default=0)
    if subject.escalation_level != top:
        # Bookkeeping, not an edit: a queryset update neither bumps the version nor clobbers one.
        type(subject).objects.filter(pk=subject.pk).update(escalation_level=top)
        subject.escalation_level = top
    return changes


def _notify_rung(subject, row: Escalation, rung: Rung) -> None:
    from duban.notifications.services import notify
    from duban.org.models import Person

    person = Person.objects.filter(pk=rung.to_person_id).first() if rung.to_person_id else None
    if person is None:
        return
    if isinstance(subject, Task):
        name = f"{subject.number} {subject.title}"
        title = (
            _("Deadline near: %(name)s")
            if rung.level == Level.WARNING
            else _("Escalated to you: %(name)s")
        ) % {"name": name}
    else:
        title = _("Problem escalated to you: %(name)s") % {"name": subject.title}
    notify(
        person,
        kind="supervision.warning" if rung.level == Level.WARNING else "supervision.escalated",
        title=title,
        body=rung.detail,
        url=subject.get_absolute_url(),
        key=f"escalation:{row.pk}",
        urgent=rung.level == Level.DIRECTOR,
    )


# --- loading facts in bulk ----------------------------------------------------------------------


def _directors(unit_ids) -> dict[int, int]:
    from duban.accounts.roles import Role
    from duban.org.models import Person

    result: dict[int, int] = {}
    for unit_id, person_id in (
        Person.objects.filter(unit_id__in=unit_ids, is_active=True, user__role=Role.DIRECTOR)
        .order_by("-id")
        .values_list("unit_id", "id")
    ):
        result[unit_id] = person_id
    return result


def _policies(unit_ids) -> dict[int, Policy]:
    stored = {p.unit_id: p for p in Policy.objects.filter(unit_id__in=unit_ids)}
    return {u: stored.get(u) or Policy(unit_id=u) for u in unit_ids}


def _task_facts(tasks: list[Task]) -> dict[int, TaskFacts]:
    ids = [t.pk for t in tasks]
    open_rungs: dict[int, dict[int, Escalation]] = defaultdict(dict)
    for row in Escalation.objects.filter(task_id__in=ids, resolved_at__isnull=True):
        open_rungs[row.task_id][row.level] = row
    oldest: dict[int, dt.date] = {}
    for task_id, raised_on in Problem.objects.filter(
        task_id__in=ids, status=ProblemStatus.PENDING, archived_at__isnull=True
    ).values_list("task_id", "raised_on"):
        if task_id not in oldest or raised_on < oldest[task_id]:
            oldest[task_id] = raised_on
    second = set(
        ExtensionRequest.objects.filter(
            task_id__in=ids, status=ExtensionStatus.PENDING, ordinal__gte=2
        ).values_list("task_id", flat=True)
    )
    directors = _directors({t.unit_id for t in tasks})
    return {
        t.pk: TaskFacts(
            open_rungs=open_rungs.get(t.pk, {}),
            oldest_problem_on=oldest.get(t.pk),
            second_extension_pending=t.pk in second,
            director_id=directors.get(t.unit_id),
        )
        for t in tasks
    }


def _unchanged(model, row) -> bool:
    """Lock the row and check it is still the version the rungs were worked out from. The services
    lock the same row while they change it, so the ladder never acts on a state already gone."""
    current = model.objects.select_for_update().filter(pk=row.pk).values_list("version", flat=True)
    return list(current) == [row.version]


def _evaluate_tasks(tasks: list[Task], now) -> int:
    if not tasks:
        return 0
    today = timezone.localdate(now)
    calendar = current_calendar()
    policies = _policies({t.unit_id for t in tasks})
    facts = _task_facts(tasks)
    changes = 0
    for task in tasks:
        f = facts[task.pk]
        wanted = task_rungs(task, f, policies[task.unit_id], calendar, today)
        if not wanted and not f.open_rungs and task.escalation_level == 0:
            continue
        with transaction.atomic():
            if not _unchanged(Task, task):
                continue  # a user acted meanwhile; that action re-evaluated the task itself
            changes += _sync(task, f.open_rungs, wanted, now, today)
    return changes


def _evaluate_problems(problems: list[Problem], now) -> int:
    if not problems:
        return 0
    from duban.org.models import LeaderAssignment

    today = timezone.localdate(now)
    calendar = current_calendar()
    policies = _policies({p.unit_id for p in problems})
    directors = _directors({p.unit_id for p in problems})
    leaders = dict(
        LeaderAssignment.objects.current(today)
        .filter(section_id__in={p.section_id for p in problems})
        .values_list("section_id", "leader_id")
    )
    open_rungs: dict[int, dict[int, Escalation]] = defaultdict(dict)
    for row in Escalation.objects.filter(
        problem_id__in=[p.pk for p in problems], resolved_at__isnull=True
    ):
        open_rungs[row.problem_id][row.level] = row
    changes = 0
    for problem in problems:
        rungs = open_rungs.get(problem.pk, {})
        wanted = problem_rungs(
            problem,
            rungs,
            leaders.get(problem.section_id),
            directors.get(problem.unit_id),
            policies[problem.unit_id],
            calendar,
            today,
        )
        if not wanted and not rungs and problem.escalation_level == 0:
            continue
        with transaction.atomic():
            if not _unchanged(Problem, problem):
                continue
            changes += _sync(problem, rungs, wanted, now, today)
    return changes


TASK_FIELDS = (
    "id",
    "unit_id",
    "year",
    "seq",
    "prefix",
    "title",
    "status",
    "deadline",
    "submitted_on",
    "completed_on",
    "feedback_due",
    "owner_id",
    "responsible_leader_id",
    "coordination_requested_on",
    "escalation_level",
    "archived_at",
    "version",
)


def scan(now: dt.datetime) -> dict[str, int]:
    """The periodic scan over every open task and problem (and those with a rung still open)."""
    open_task_ids = Escalation.objects.filter(resolved_at__isnull=True, task__isnull=False).values(
        "task_id"
    )
    tasks = list(
        Task.objects.filter(
            Q(status__in=ACTIVE_STATUSES, archived_at__isnull=True) | Q(id__in=open_task_ids)
        ).only(*TASK_FIELDS)
    )
    open_problem_ids = Escalation.objects.filter(
        resolved_at__isnull=True, problem__isnull=False
    ).values("problem_id")
    problems = list(
        Problem.objects.filter(
            Q(status=ProblemStatus.PENDING, archived_at__isnull=True) | Q(id__in=open_problem_ids)
        ).only(
            "id",
            "unit_id",
            "section_id",
            "title",
            "status",
            "raised_on",
            "escalation_level",
            "archived_at",
            "version",
        )
    )
    return {
        "tasks": len(tasks),
        "task_changes": _evaluate_tasks(tasks, now),
        "problems": len(problems),
        "problem_changes": _evaluate_problems(problems, now),
    }


def reevaluate(task: Task) -> None:
    """Right after a user acts on a task: open or resolve its rungs now, not at the next tick."""
    fresh = Task.objects.only(*TASK_FIELDS).get(pk=task.pk)
    _evaluate_tasks([fresh], timezone.now())
    task.escalation_level = fresh.escalation_level


def reevaluate_problem(problem: Problem) -> None:
    fresh = Problem.objects.get(pk=problem.pk)
    _evaluate_problems([fresh], timezone.now())
    if fresh.task_id:
        reevaluate(fresh.task)
