"""Plain factory functions for the key-projects module (STYLE.md: make_* functions, no magic).

Rows are created directly, as a user would have entered them; the services are tested on their own.
"""

from __future__ import annotations

import datetime as dt
import re

from duban.projects.models import Activity, Dependency, Project

_PREDECESSOR = re.compile(r"^\s*([^+\-\s]+?)\s*(?:([+-])\s*(\d+))?\s*$")


def make_project(
    org,
    code: str = "XM-001",
    name: str = "",
    planned_start: dt.date = dt.date(2026, 3, 2),
    deadline: dt.date = dt.date(2026, 12, 31),
    **fields,
) -> Project:
    """A project of the persona fixture's bureau, led by section A unless `lead_section` is given."""
    fields.setdefault("unit", org.bureau)
    fields.setdefault("lead_section", org.section_a)
    staff = fields.pop("staff", None)
    project = Project.objects.create(
        code=code,
        name=name or f"{code} 重点项目",
        planned_start=planned_start,
        deadline=deadline,
        **fields,
    )
    if staff:
        project.staff.set(staff)
    return project


def make_activity(project: Project, code: str, duration: int, **fields) -> Activity:
    """An activity (工序) appended to the project's plan."""
    if "sort_order" not in fields:
        last = (
            Activity.objects.filter(project=project)
            .order_by("-sort_order")
            .values_list("sort_order", flat=True)
            .first()
        )
        fields["sort_order"] = (last or 0) + 10
    fields.setdefault("name", f"工序{code}")
    return Activity.objects.create(project=project, code=code, duration=duration, **fields)


def link(predecessor: Activity, successor: Activity, lag: int = 0) -> Dependency:
    """Finish-to-start: `successor` starts `lag` working days after `predecessor` finishes."""
    return Dependency.objects.create(predecessor=predecessor, successor=successor, lag=lag)


def make_plan(project: Project, rows) -> dict[str, Activity]:
    """A whole plan in one call; returns the activities by code.

    Each row is `(code, duration)` or `(code, duration, predecessors)`, where predecessors is a string
    as the Excel import reads it ("A1,B2+3,C4-2") or a list of codes or (code, lag) pairs; or a dict
    with the keys of the API (code, name, duration, predecessors=[{"code", "lag"}], finish_by).
    Predecessors may name rows further down.
    """
    activities: dict[str, Activity] = {}
    links: list[tuple[str, str, int]] = []
    for row in rows:
        if isinstance(row, dict):
            code, duration = row["code"], row["duration"]
            extra = {k: row[k] for k in ("name", "finish_by") if row.get(k)}
            predecessors = [(p["code"], p.get("lag", 0)) for p in row.get("predecessors", [])]
        else:
            code, duration, *rest = row
            extra = {}
            predecessors = _predecessors(rest[0] if rest else None)
        activities[code] = make_activity(project, code, duration, **extra)
        links.extend((pred, code, lag) for pred, lag in predecessors)
    for pred, succ, lag in links:
        link(activities[pred], activities[succ], lag)
    return activities


def _predecessors(value) -> list[tuple[str, int]]:
    if not value:
        return []
    if isinstance(value, str):
        result = []
        for piece in re.split(r"[,，;；\s]+", value.strip()):
            if not piece:
                continue
            match = _PREDECESSOR.match(piece)
            if match is None:
                raise ValueError(f"bad predecessor {piece!r}")
            code, sign, lag = match.groups()
            result.append((code, (-1 if sign == "-" else 1) * int(lag or 0)))
        return result
    return [(p, 0) if isinstance(p, str) else (p[0], p[1]) for p in value]
