"""The cockpit's supervision tiles: overdue tasks (by level), escalated tasks, 待我协调 (the rungs
naming me), problems waiting for a decision, and tasks due this week — over the tasks the user sees.
A fixed number of queries, whatever the number of tasks."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from duban.org.scoping import scope_for
from duban.supervision.choices import ACTIVE_STATUSES, OPEN_STATUSES, Level, ProblemStatus
from duban.supervision.models import Escalation, Problem, Task

TOP = 5


def _url(name: str, query: str = "") -> str:
    return reverse(name) + query


def supervision_tiles(user, today: dt.date | None = None) -> dict:
    if not user.has_perm("supervision.view_task"):
        return {}
    today = today or timezone.localdate()
    sunday = today + dt.timedelta(days=6 - today.weekday())
    visible = Task.objects.visible_to(user).filter(archived_at__isnull=True)
    active = Q(status__in=ACTIVE_STATUSES)
    overdue = active & Q(deadline__lt=today)
    escalated = Q(status__in=OPEN_STATUSES, escalation_level__gte=Level.LEADER)
    counts = visible.aggregate(
        overdue=Count("id", filter=overdue),
        overdue_level0=Count("id", filter=overdue & Q(escalation_level=Level.WARNING)),
        overdue_level1=Count("id", filter=overdue & Q(escalation_level=Level.LEADER)),
        overdue_level2=Count("id", filter=overdue & Q(escalation_level=Level.DIRECTOR)),
        escalated=Count("id", filter=escalated),
        escalated_level1=Count("id", filter=escalated & Q(escalation_level=Level.LEADER)),
        escalated_level2=Count("id", filter=escalated & Q(escalation_level=Level.DIRECTOR)),
        due_this_week=Count("id", filter=active & Q(deadline__gte=today, deadline__lte=sunday)),
    )
    due = list(
        visible.filter(active, deadline__gte=today, deadline__lte=sunday)
        .select_related("lead_section", "owner")
        .order_by("deadline", "year", "seq")[:TOP]
    )
    scope = scope_for(user)
    person_id = scope.person_id
    mine: list[Escalation] = []
    mine_count = 0
    if person_id:
        rungs = Escalation.objects.visible_to(user).for_person(person_id)
        mine_count = rungs.count()
        mine = list(
            rungs.select_related("task", "problem").order_by("-level", "opened_on", "id")[:TOP]
        )
    problems = Problem.objects.visible_to(user).filter(
        status=ProblemStatus.PENDING, archived_at__isnull=True
    )
    can_see_problems = user.has_perm("supervision.view_problem")
    return {
        "supervision": {
            **counts,
            "today": today,
            "due": due,
            "mine": mine,
            "mine_count": mine_count,
            "problems_waiting": problems.count() if can_see_problems else 0,
            "problems_oldest": (
                list(problems.select_related("section").order_by("raised_on", "id")[:TOP])
                if can_see_problems
                else []
            ),
            "can_see_problems": can_see_problems,
            "overdue_url": _url("supervision:task_list", "?colour=red"),
            "escalated_url": _url("supervision:board"),
            "problems_url": _url("supervision:problem_list", "?status=pending"),
            "due_url": _url("supervision:task_list"),
            "bulletin_url": _url("supervision:bulletin"),
        }
    }
