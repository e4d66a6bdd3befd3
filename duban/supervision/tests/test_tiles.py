"""The cockpit's supervision tiles: counts by level, 待我协调, problems waiting, due this week;
scoped, only with the permission, and a fixed number of queries. Clock: Friday 26 June 2026."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template.loader import render_to_string

from duban.core.testing import count_queries
from duban.supervision.choices import Level
from duban.supervision.models import Escalation, Task
from duban.supervision.tests.factories import make_problem, make_task
from duban.supervision.tiles import supervision_tiles

FRIDAY = dt.datetime(2026, 6, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = dt.date(2026, 6, 26)


def rung(org, level, person, task=None, problem=None, opened=dt.date(2026, 6, 15)):
    return Escalation.objects.create(
        task=task,
        problem=problem,
        level=level,
        reason="overdue" if task else "waiting_decision",
        to_person=org.person(person),
        opened_on=opened,
    )


def situation(org) -> dict:
    t = {
        "late0": make_task(org, "刚逾期", deadline=dt.date(2026, 6, 25)),
        "late1": make_task(org, "一级逾期", deadline=dt.date(2026, 6, 20)),
        "late2": make_task(org, "二级逾期", deadline=dt.date(2026, 6, 10)),
        "today": make_task(org, "今天到期", deadline=TODAY),
        "sunday": make_task(org, "周日到期", deadline=dt.date(2026, 6, 28)),
        "later": make_task(org, "下月到期", deadline=dt.date(2026, 7, 31)),
        "other": make_task(
            org,
            "股室C逾期",
            lead_section=org.section_c,
            owner=org.person("staff_c"),
            deadline=dt.date(2026, 6, 10),
        ),
    }
    Task.objects.filter(pk=t["late1"].pk).update(escalation_level=Level.LEADER)
    Task.objects.filter(pk__in=[t["late2"].pk, t["other"].pk]).update(
        escalation_level=Level.DIRECTOR
    )
    rung(org, Level.LEADER, "leader", task=t["late1"])
    rung(org, Level.LEADER, "leader", task=t["late2"], opened=dt.date(2026, 6, 11))
    rung(org, Level.DIRECTOR, "director", task=t["late2"])
    old = make_problem(org, "资金缺口", raised_on=dt.date(2026, 5, 1))
    make_problem(org, "用地手续", raised_on=dt.date(2026, 6, 1))
    rung(org, Level.LEADER, "leader", problem=old)
    return t


def tiles(org, persona):
    with time_machine.travel(FRIDAY, tick=False):
        return supervision_tiles(org.users[persona])


def test_counts_by_level_and_due_this_week(org):
    situation(org)
    s = tiles(org, "director")["supervision"]
    assert (s["overdue"], s["overdue_level0"], s["overdue_level1"], s["overdue_level2"]) == (
        4,
        1,
        1,
        2,
    )
    assert (s["escalated"], s["escalated_level1"], s["escalated_level2"]) == (3, 1, 2)
    assert s["due_this_week"] == 2
    assert [t.title for t in s["due"]] == ["今天到期", "周日到期"]
    assert s["problems_waiting"] == 2
    assert [p.title for p in s["problems_oldest"]] == ["资金缺口", "用地手续"]


def test_waiting_for_my_coordination_lists_my_open_rungs(org):
    situation(org)
    leader = tiles(org, "leader")["supervision"]
    assert leader["mine_count"] == 3
    assert [r.subject.title for r in leader["mine"]] == ["二级逾期", "一级逾期", "资金缺口"]
    director = tiles(org, "director")["supervision"]
    assert [r.subject.title for r in director["mine"]] == ["二级逾期"]
    assert tiles(org, "staff_a")["supervision"]["mine_count"] == 0


def test_scoped_to_what_the_user_sees(org):
    situation(org)
    c = tiles(org, "staff_c")["supervision"]
    assert (c["overdue"], c["escalated"], c["due_this_week"]) == (1, 1, 0)


@pytest.mark.parametrize("persona", ["auditor", "sysadmin", "secadmin"])
def test_nothing_without_the_permission(org, persona):
    situation(org)
    assert tiles(org, persona) == {}


def test_the_partial_renders_links_and_numbers(org):
    situation(org)
    html = render_to_string("supervision/_cockpit_tiles.html", tiles(org, "leader"))
    for testid in ("tile-overdue", "tile-coordinate", "tile-problems", "tile-due-week"):
        assert f'data-testid="{testid}"' in html
    assert html.count('data-testid="coordinate-item"') == 3
    assert "/supervision/tasks/?colour=red" in html
    assert "督办〔2026〕3号 二级逾期" in html


def test_queries_do_not_grow_with_the_tasks(org):
    situation(org)
    user = org.users["leader"]
    with time_machine.travel(FRIDAY, tick=False):
        supervision_tiles(user)
        few = count_queries(lambda: supervision_tiles(user))
    for i in range(200):
        task = make_task(org, f"事项{i}", deadline=dt.date(2026, 6, 1) + dt.timedelta(days=i % 40))
        if i % 7 == 0:
            rung(org, Level.LEADER, "leader", task=task)
    with time_machine.travel(FRIDAY, tick=False):
        many = count_queries(lambda: supervision_tiles(user))
    assert many == few
