"""我的督办 (my tasks as the four quadrants, with what waits for me) and the escalation board of the
leaders and the director. Both load a fixed number of queries, whatever the number of tasks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from duban.accounts.roles import Role
from duban.core.params import int_param
from duban.core.views import PermissionRequiredMixin
from duban.org.models import Person, Section
from duban.org.scoping import scope_for
from duban.supervision.choices import ACTIVE_STATUSES, OPEN_STATUSES, Level, Quadrant, TaskStatus
from duban.supervision.models import Escalation, ExtensionRequest, Task
from duban.supervision.tables import QUADRANT_BADGE, Lights
from duban.workcalendar.services import current_calendar

# A quadrant or a board column shows this many cards; the rest are a click away in the filtered list.
CARDS = 30
BOARD_CARDS = 60


def _since(calendar, start: dt.date, today: dt.date) -> int:
    """Working days d with start < d <= today."""
    if today <= start:
        return 0
    return calendar.workdays_between(start + dt.timedelta(days=1), today)


# --- 我的督办 -----------------------------------------------------------------------------------


def my_task_rule(user) -> Q:
    """My tasks: the ones I own; a chief's section's; a leader's (or the director's) as responsible
    leader."""
    scope = scope_for(user)
    rule = Q(owner=scope.person_id)
    if user.role == Role.CHIEF and scope.own_section_id:
        rule |= Q(lead_section=scope.own_section_id)
    if user.role in (Role.LEADER, Role.DIRECTOR):
        rule |= Q(responsible_leader=scope.person_id)
    return rule


class MyTasksView(PermissionRequiredMixin, View):
    permission = "supervision.view_task"
    template_name = "supervision/my_tasks.html"

    def get(self, request):
        user = request.user
        scope = scope_for(user)
        today = timezone.localdate()
        calendar = current_calendar()
        lights = Lights.load(calendar, today)
        person_id = scope.person_id
        visible = Task.objects.visible_to(user).filter(archived_at__isnull=True)

        quadrants = {q: {"quadrant": q, "cards": [], "count": 0} for q in Quadrant}
        if person_id:
            counts = (
                visible.filter(my_task_rule(user), status__in=OPEN_STATUSES)
                .values("important", "urgent")
                .annotate(n=Count("id"))
            )
            for row in counts:
                quadrants[_quadrant(row["important"], row["urgent"])]["count"] = row["n"]
            for q, box in quadrants.items():
                if not box["count"]:
                    continue
                important = q in (Quadrant.IMPORTANT_URGENT, Quadrant.IMPORTANT)
                urgent = q in (Quadrant.IMPORTANT_URGENT, Quadrant.URGENT)
                rows = (
                    visible.filter(
                        my_task_rule(user),
                        status__in=OPEN_STATUSES,
                        important=important,
                        urgent=urgent,
                    )
                    .select_related("lead_section", "owner")
                    .order_by("deadline", "id")[:CARDS]
                )
                box["cards"] = [_card(lights, t) for t in rows]
        boxes = []
        for q in Quadrant:
            box = quadrants[q]
            box["label"] = q.label
            box["badge"] = QUADRANT_BADGE[q]
            box["more"] = max(0, box["count"] - len(box["cards"]))
            boxes.append(box)

        coordinate = []
        extensions = []
        reviews = []
        if person_id:
            rungs = (
                Escalation.objects.for_person(person_id)
                .visible_to(user)
                .select_related(
                    "to_person",
                    "task__owner",
                    "task__lead_section",
                    "problem__section",
                    "problem__solver",
                )
                .order_by("-level", "opened_on", "id")[:BOARD_CARDS]
            )
            coordinate = [_rung(lights, calendar, today, r) for r in rungs]
            extensions = list(
                ExtensionRequest.objects.visible_to(user)
                .filter(
                    status="pending",
                    approver=person_id,
                    task__archived_at__isnull=True,
                )
                .select_related("task__owner", "requested_by")
                .order_by("requested_on", "id")[:BOARD_CARDS]
            )
            for extension in extensions:
                extension.task_number = lights.number(extension.task)
            review_rule = Q(responsible_leader=person_id)
            if user.role == Role.DIRECTOR:
                review_rule |= Q(responsible_leader__isnull=True)
            reviews = list(
                visible.filter(review_rule, status=TaskStatus.REVIEW)
                .select_related("owner", "lead_section")
                .order_by("submitted_on", "id")[:BOARD_CARDS]
            )
            for task in reviews:
                task.display_number = lights.number(task)
        return render(
            request,
            self.template_name,
            {
                "title": _("My supervised tasks"),
                "quadrants": boxes,
                "coordinate": coordinate,
                "extensions": extensions,
                "reviews": reviews,
                "today": today,
            },
        )


def _quadrant(important: bool, urgent: bool) -> Quadrant:
    if important:
        return Quadrant.IMPORTANT_URGENT if urgent else Quadrant.IMPORTANT
    return Quadrant.URGENT if urgent else Quadrant.ROUTINE


def _card(lights: Lights, task: Task) -> dict:
    return {"task": task, "number": lights.number(task), "light": lights.light(task)}


def _rung(lights: Lights, calendar, today: dt.date, rung: Escalation) -> dict:
    task, problem = rung.task, rung.problem
    if task is not None:
        subject = {
            "kind": "task",
            "number": lights.number(task),
            "title": task.title,
            "url": task.get_absolute_url(),
            "who": task.owner,
            "section": task.lead_section,
        }
    else:
        subject = {
            "kind": "problem",
            "number": _("Problem"),
            "title": problem.title,
            "url": _problem_url(problem.pk),
            "who": problem.solver,
            "section": problem.section,
        }
    return {
        "rung": rung,
        "since": _since(calendar, rung.opened_on, today),
        **subject,
    }


def _problem_url(pk: int) -> str:
    return reverse("supervision:problem_detail", args=[pk])


# --- the escalation board -----------------------------------------------------------------------


class BoardView(PermissionRequiredMixin, View):
    """督办看板: what stands at the director (level 2), at the leaders in charge (level 1), and what
    is close to its deadline; a chart of overdue tasks by section."""

    permission = "supervision.view_escalation"
    template_name = "supervision/board.html"

    def get(self, request):
        user = request.user
        today = timezone.localdate()
        calendar = current_calendar()
        lights = Lights.load(calendar, today)
        sections = list(
            Section.objects.visible_to(user)
            .filter(archived_at__isnull=True)
            .order_by("unit_id", "sort_order", "id")
        )
        leaders = list(
            Person.objects.visible_to(user)
            .filter(is_active=True, user__role__in=(Role.LEADER, Role.DIRECTOR))
            .order_by("name")
        )
        section_id = _int(request.GET.get("section"), {s.pk for s in sections})
        leader_id = _int(request.GET.get("leader"), {p.pk for p in leaders})

        rungs = (
            Escalation.objects.open()
            .visible_to(user)
            .filter(
                Q(task__isnull=True)
                | Q(task__archived_at__isnull=True, task__status__in=OPEN_STATUSES),
                Q(problem__isnull=True) | Q(problem__archived_at__isnull=True),
            )
        )
        # Each task or problem stands once, at its highest open rung (level 2 hides its level 1).
        # NULL never equals NULL in SQL, so a task's rung matches only rungs of the same task.
        higher = Escalation.objects.filter(
            Q(task=OuterRef("task")) | Q(problem=OuterRef("problem")),
            resolved_at__isnull=True,
            level__gt=OuterRef("level"),
        )
        rungs = rungs.exclude(Exists(higher))
        if section_id:
            rungs = rungs.filter(Q(task__lead_section=section_id) | Q(problem__section=section_id))
        if leader_id:
            rungs = rungs.filter(Q(task__responsible_leader=leader_id) | Q(to_person=leader_id))
        counts = dict(rungs.values_list("level").annotate(n=Count("id")).order_by())
        columns = []
        for level, label, css in (
            (Level.DIRECTOR, _("At the director (level 2)"), "bg-red"),
            (Level.LEADER, _("At the leaders in charge (level 1)"), "bg-orange"),
            (Level.WARNING, _("Deadline near (warning)"), "bg-yellow"),
        ):
            rows = (
                rungs.filter(level=level)
                .select_related(
                    "to_person",
                    "task__owner",
                    "task__lead_section",
                    "problem__section",
                    "problem__solver",
                )
                .order_by("opened_on", "id")[:BOARD_CARDS]
            )
            cards = [_rung(lights, calendar, today, r) for r in rows]
            columns.append(
                {
                    "level": int(level),
                    "label": label,
                    "css": css,
                    "cards": cards,
                    "count": counts.get(level, 0),
                    "more": max(0, counts.get(level, 0) - len(cards)),
                }
            )
        return render(
            request,
            self.template_name,
            {
                "title": _("Escalation board"),
                "columns": columns,
                "sections": sections,
                "leaders": leaders,
                "section_id": section_id,
                "leader_id": leader_id,
                "chart": overdue_by_section(user, today, section_id, leader_id),
                "today": today,
            },
        )


def _int(value, allowed: set[int]) -> int | None:
    value = int_param(value)
    return value if value in allowed else None


def overdue_by_section(user, today: dt.date, section_id=None, leader_id=None) -> dict:
    """Overdue tasks still being handled, per lead section, stacked by escalation level (one query)."""
    tasks = Task.objects.visible_to(user).filter(
        archived_at__isnull=True, status__in=ACTIVE_STATUSES, deadline__lt=today
    )
    if section_id:
        tasks = tasks.filter(lead_section=section_id)
    if leader_id:
        tasks = tasks.filter(responsible_leader=leader_id)
    rows = (
        tasks.values("lead_section__name", "lead_section__sort_order", "escalation_level")
        .annotate(n=Count("id"))
        .order_by("lead_section__sort_order", "lead_section__name")
    )
    names: list[str] = []
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        name = row["lead_section__name"]
        if name not in names:
            names.append(name)
        level = min(int(row["escalation_level"] or 0), Level.DIRECTOR)
        counts[level][name] = counts[level].get(name, 0) + row["n"]
    series = [
        {"name": str(label), "color": color, "data": [counts[level].get(n, 0) for n in names]}
        for level, label, color in (
            (Level.WARNING, _("Not escalated"), "#f59f00"),
            (Level.LEADER, _("Level 1"), "#f76707"),
            (Level.DIRECTOR, _("Level 2"), "#d63939"),
        )
    ]
    return {"sections": names, "series": series, "total": sum(sum(s["data"]) for s in series)}


urlpatterns = [
    path("mine/", MyTasksView.as_view(), name="my_tasks"),
    path("board/", BoardView.as_view(), name="board"),
]
