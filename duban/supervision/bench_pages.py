"""Supervision page benchmark (`duban bench`): the task list, the escalation board and the task API at
100 and 10,000 tasks — server time and queries (the query count must not grow with the data).

`grow_tasks` bulk-creates tasks in every status, a tenth of them escalated, so the benchmark and the
query-count tests see the same kind of data.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from duban.core.bench import timed
from duban.supervision.choices import EscalationReason, Level, TaskStatus
from duban.supervision.models import Escalation, Task

STATUSES = [
    TaskStatus.PENDING,
    TaskStatus.IN_PROGRESS,
    TaskStatus.IN_PROGRESS,
    TaskStatus.REVIEW,
    TaskStatus.DONE,
    TaskStatus.DONE,
    TaskStatus.STOPPED,
]


def grow_tasks(n: int, *, unit, sections, owners, leader, director) -> None:
    """Add `n` tasks spread over the sections and owners; every tenth is escalated."""
    today = timezone.localdate()
    year = today.year
    start = (Task.objects.filter(unit=unit, year=year).aggregate(m=Max("seq"))["m"] or 0) + 1
    rows = []
    for i in range(n):
        status = STATUSES[i % len(STATUSES)]
        rows.append(
            Task(
                unit=unit,
                year=year,
                seq=start + i,
                title=f"基准督办事项{start + i}",
                source="meeting",
                lead_section=sections[i % len(sections)],
                owner=owners[i % len(owners)],
                responsible_leader=leader,
                important=i % 2 == 0,
                urgent=i % 3 == 0,
                assigned_on=today - dt.timedelta(days=60),
                deadline=today + dt.timedelta(days=(i % 40) - 20),
                status=status,
                escalation_level=2 if i % 20 == 0 else (1 if i % 10 == 0 else 0),
            )
        )
    created = Task.objects.bulk_create(rows, batch_size=1000)
    escalations = []
    for task in created:
        for level in range(1, task.escalation_level + 1):
            escalations.append(
                Escalation(
                    task=task,
                    level=level,
                    reason=EscalationReason.OVERDUE,
                    detail="基准",
                    to_person=leader if level == Level.LEADER else director,
                    opened_on=today,
                )
            )
    Escalation.objects.bulk_create(escalations, batch_size=1000)


def _measure(client: Client, url: str) -> tuple[float, int]:
    client.get(url)  # warm: the first request of a process builds the working-day calendar
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)  # read now: the next request resets the connection's log
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return timed(lambda: client.get(url), 3), query_count


@override_settings(ALLOWED_HOSTS=["*"])
def supervision_benchmarks() -> list[tuple[str, float, str]]:
    from duban.accounts.roles import Role
    from duban.org.tests import factories as f

    unit = f.make_unit("基准住建局", "BENCH-SUP")
    sections = [f.make_section(unit, f"基准股室{i}") for i in range(6)]
    director = f.make_member("bench_sup_director", Role.DIRECTOR, unit)
    leader = f.make_member("bench_sup_leader", Role.LEADER, unit)
    owners = [f.make_person(unit, s, name=f"承办人{i}") for i, s in enumerate(sections)]
    for section in sections:
        f.make_assignment(section, leader.person)
    client = Client()
    client.force_login(director)
    people = dict(
        unit=unit, sections=sections, owners=owners, leader=leader.person, director=director.person
    )
    results = []
    total = 0
    for size in (100, 10_000):
        grow_tasks(size - total, **people)
        total = size
        for label, url in (
            ("/supervision/tasks/", "/supervision/tasks/"),
            ("/supervision/board/", "/supervision/board/"),
            ("/supervision/mine/", "/supervision/mine/"),
            ("/api/v1/supervision/tasks/", "/api/v1/supervision/tasks/"),
        ):
            ms, queries = _measure(client, url)
            results.append((f"GET {label} at {size:,} tasks", ms, f"ms, {queries} queries"))
    return results
