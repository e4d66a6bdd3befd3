"""Queries per page do not grow with the number of tasks: the ledger, the board and my tasks cost the
same at 100 and at 1,000 tasks (the benchmark measures 10,000)."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.core.testing import count_queries
from duban.supervision.choices import EscalationReason, TaskStatus
from duban.supervision.models import Escalation, Task

STATUSES = [TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.REVIEW, TaskStatus.DONE]


def add_tasks(org, n: int) -> None:
    """Tasks in bulk (numbers set by hand, not through the service, for speed), a third escalated."""
    start = Task.objects.filter(unit=org.bureau, year=2026).count()
    sections = [org.section_a, org.section_b, org.section_c]
    owners = [org.person("staff_a"), org.person("chief_a"), org.person("staff_c")]
    today = dt.date.today()
    tasks = [
        Task(
            unit=org.bureau,
            year=2026,
            seq=start + i + 1,
            title=f"批量督办事项{start + i + 1}",
            source="meeting",
            lead_section=sections[i % 3],
            owner=owners[i % 3],
            responsible_leader=org.person("leader"),
            important=i % 2 == 0,
            urgent=i % 3 == 0,
            assigned_on=today - dt.timedelta(days=60),
            deadline=today + dt.timedelta(days=(i % 40) - 20),
            status=STATUSES[i % 4],
            escalation_level=i % 3,
        )
        for i in range(n)
    ]
    Task.objects.bulk_create(tasks, batch_size=500)
    created = Task.objects.filter(unit=org.bureau, year=2026, seq__gt=start).order_by("seq")
    rungs = []
    for task in created:
        if task.escalation_level >= 1:
            rungs.append(
                Escalation(
                    task=task,
                    level=1,
                    reason=EscalationReason.OVERDUE,
                    detail="逾期",
                    to_person=org.person("leader"),
                    opened_on=today - dt.timedelta(days=5),
                )
            )
        if task.escalation_level == 2:
            rungs.append(
                Escalation(
                    task=task,
                    level=2,
                    reason=EscalationReason.OVERDUE,
                    detail="逾期",
                    to_person=org.person("director"),
                    opened_on=today - dt.timedelta(days=2),
                )
            )
        elif task.pk % 5 == 0:
            rungs.append(
                Escalation(
                    task=task,
                    level=0,
                    reason=EscalationReason.DEADLINE_NEAR,
                    detail="临期",
                    to_person=task.owner,
                    opened_on=today,
                )
            )
    Escalation.objects.bulk_create(rungs, batch_size=500)


PAGES = {
    "task_list": "/supervision/tasks/",
    "task_list_filtered": "/supervision/tasks/?status=pending&status=in_progress&colour=red&sort=colour",
    "task_export": "/supervision/tasks/?colour=red&export=xlsx",
    "board": "/supervision/board/",
    "my_tasks": "/supervision/mine/",
}


@pytest.mark.parametrize("persona", ["director", "leader", "staff_a"])
def test_queries_are_the_same_at_100_and_1000_tasks(org, client_for, persona):
    client = client_for(persona)
    add_tasks(org, 100)
    small = {}
    for name, url in PAGES.items():
        if name == "task_export" and persona != "director":
            continue
        client.get(url)  # warm the calendar cache
        small[name] = count_queries(lambda url=url: client.get(url))
    add_tasks(org, 900)
    large = {}
    for name in small:
        large[name] = count_queries(lambda url=PAGES[name]: client.get(url))
    print(f"\n{persona}: queries at 100 tasks {small}; at 1,000 tasks {large}")
    assert small == large


def test_the_task_page_costs_the_same_with_a_long_timeline(org, client_for):
    from duban.supervision import services
    from duban.supervision.models import ProgressReport
    from duban.supervision.tests.factories import make_task

    task = make_task(org, deadline=dt.date(2099, 1, 1))
    services.report_progress(org.users["staff_a"], task, ProgressReport(text="开始", percent=0))
    client = client_for("staff_a")
    url = f"/supervision/tasks/{task.pk}/"
    client.get(url)
    short = count_queries(lambda: client.get(url))

    for i in range(15):
        task.refresh_from_db()
        services.report_progress(
            org.users["staff_a"], task, ProgressReport(text=f"进展{i}", percent=i)
        )
    long = count_queries(lambda: client.get(url))
    print(f"\ntask page: {short} queries with 2 events, {long} with 17")
    assert short == long
