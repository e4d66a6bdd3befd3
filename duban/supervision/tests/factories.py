"""Plain factory functions for supervision tests (STYLE.md: make_* functions, no magic).

`make_task` goes through `services.register_task`, as the pages do, so the number, the responsible
leader and the first report date are what a real registration gives.
"""

from __future__ import annotations

import datetime as dt

from duban.supervision import services
from duban.supervision.models import Lesson, Problem, Talk, Task


def make_task(
    org,
    title: str = "督办事项",
    *,
    by: str = "office",
    cooperating=(),
    notify_owner: bool = True,
    **fields,
) -> Task:
    fields.setdefault("unit", org.bureau)
    fields.setdefault("lead_section", org.section_a)
    fields.setdefault("owner", org.person("staff_a"))
    fields.setdefault("source", "meeting")
    fields.setdefault("assigned_on", dt.date(2026, 6, 1))
    fields.setdefault("deadline", dt.date(2026, 6, 30))
    return services.register_task(
        org.users[by], Task(title=title, **fields), cooperating, notify_owner=notify_owner
    )


def make_problem(org, title: str = "问题", *, by: str = "staff_a", **fields) -> Problem:
    fields.setdefault("unit", org.bureau)
    fields.setdefault("section", org.section_a)
    fields.setdefault("raised_on", dt.date(2026, 6, 1))
    return services.raise_problem(org.users[by], Problem(title=title, **fields))


def make_decided_problem(org, title: str, decision: str, **fields) -> Problem:
    problem = make_problem(org, title, **fields)
    return services.decide(org.users["director"], problem, decision, dt.date(2026, 6, 2), "局务会")


def make_lesson(org, title: str = "经验", **fields) -> Lesson:
    fields.setdefault("unit", org.bureau)
    fields.setdefault("kind", "practice")
    fields.setdefault("body", "做法")
    fields.setdefault("section", org.section_a)
    fields.setdefault("author", org.person("staff_a"))
    return Lesson.objects.create(title=title, **fields)


def make_talk(org, person: str = "staff_a", talker: str = "leader", **fields) -> Talk:
    fields.setdefault("unit", org.bureau)
    fields.setdefault("date", dt.date(2026, 5, 20))
    fields.setdefault("kind", "reminder")
    fields.setdefault("reason", "督办事项多次逾期")
    return Talk.objects.create(person=org.person(person), talker=org.person(talker), **fields)
