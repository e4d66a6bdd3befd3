"""挂图作战: the chart data (bars, float colours, flags, baselines), the page and the Excel sheet.

The plan used throughout, on the 2026 calendar (March has no holiday), planned from Monday 2 March:

    A  10 days              → 2–13 March
    B   5 days after A      → 16–20 March
    C   1 day  after A      → 16 March
    M  milestone after B, C → 20 March
    deadline Tuesday 24 March: project float 2; A, B, M critical; C has 6 days of float.

The baseline is approved on that plan; then A is done on time, B and C have started; the clock is
frozen on Wednesday 18 March.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from duban.core.testing import check_matrix
from duban.projects import battlemap
from duban.projects.battlemap import BLACK, DONE, RED, flag
from duban.projects.models import Activity, Project
from duban.projects.services import approve_baseline
from duban.projects.tests.factories import link, make_activity, make_plan, make_project

TODAY = dt.date(2026, 3, 18)
FROZEN = dt.datetime(2026, 3, 18, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
PLAN = [("A", 10), ("B", 5, "A"), ("C", 1, "A"), ("M", 0, "B,C")]


def progress(activity: Activity, **fields) -> None:
    Activity.objects.filter(pk=activity.pk).update(**fields)


@pytest.fixture
def portfolio(org):
    """The plan above (approved); a late project without baseline, an empty one, a broken one."""
    leader = org.person("leader")
    main = make_project(
        org,
        "XM-001",
        "滨河路改造",
        deadline=dt.date(2026, 3, 24),
        responsible_leader=leader,
    )
    acts = make_plan(main, PLAN)
    approve_baseline(main, org.users["leader"], "立项批复计划", approved_on=dt.date(2026, 3, 1))
    progress(
        acts["A"],
        actual_start=dt.date(2026, 3, 2),
        actual_finish=dt.date(2026, 3, 13),
        percent_complete=100,
    )
    progress(acts["B"], actual_start=dt.date(2026, 3, 16), percent_complete=40)
    progress(acts["C"], actual_start=dt.date(2026, 3, 16))
    late = make_project(org, "XM-002", "污水管网", deadline=dt.date(2026, 3, 31))
    make_activity(late, "X", 12)
    empty = make_project(
        org, "XM-003", "保障房", deadline=dt.date(2026, 3, 31), lead_section=org.section_c
    )
    broken = make_project(org, "XM-004", "公园", deadline=dt.date(2026, 3, 31))
    p, q = make_activity(broken, "P", 3), make_activity(broken, "Q", 3)
    link(p, q)
    link(q, p)
    return {"main": main, "late": late, "empty": empty, "broken": broken}


def build(show_baseline: bool = True) -> battlemap.BattleMap:
    return battlemap.build(Project.objects.order_by("code"), TODAY, show_baseline)


def bars(data: battlemap.BattleMap, code: str) -> dict[str, battlemap.ActivityBar]:
    row = next(r for r in data.rows if r.project.code == code)
    return {bar.code: bar for bar in row.activities}


# --- flags ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "finished_on", "due", "expected"),
    [
        (True, dt.date(2026, 3, 13), dt.date(2026, 3, 13), RED),  # done on the day: on time
        (True, dt.date(2026, 3, 16), dt.date(2026, 3, 13), BLACK),  # done after it
        (False, None, dt.date(2026, 3, 17), BLACK),  # due yesterday, not done
        (False, None, TODAY, ""),  # due today: not yet overdue
        (False, None, None, ""),
    ],
)
def test_flag_rules(done, finished_on, due, expected):
    assert flag(done, finished_on, due, TODAY) == expected


# --- the data builder ----------------------------------------------------------------------------


@time_machine.travel(FROZEN, tick=False)
def test_activity_bars_carry_forecast_actual_and_baseline_dates(portfolio):
    a, b, c, m = (bars(build(), "XM-001")[code] for code in "ABCM")
    assert (a.start, a.finish, a.actual_start, a.actual_finish) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 13),
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 13),
    )
    # B is 40 % done: 3 of its 5 days remain from today, so it still ends on Friday the 20th.
    assert (b.start, b.finish, b.percent) == (dt.date(2026, 3, 16), dt.date(2026, 3, 20), 40)
    assert (b.baseline_start, b.baseline_finish) == (dt.date(2026, 3, 16), dt.date(2026, 3, 20))
    # C started on the 16th, not done: its one day is forecast for today.
    assert (c.start, c.finish) == (dt.date(2026, 3, 16), dt.date(2026, 3, 18))
    assert m.milestone and (m.start, m.finish, m.late_finish) == (
        dt.date(2026, 3, 20),
        dt.date(2026, 3, 20),
        dt.date(2026, 3, 24),
    )


@time_machine.travel(FROZEN, tick=False)
def test_colours_follow_the_float_and_the_critical_path(portfolio):
    data = build()
    main = bars(data, "XM-001")
    assert {code: (bar.total_float, bar.colour, bar.critical) for code, bar in main.items()} == {
        "A": (2, DONE, True),
        "B": (2, "yellow", True),
        "C": (4, "yellow", False),
        "M": (2, "yellow", True),
    }
    # X cannot start before today and needs 12 working days: 2 days behind the 31 March deadline.
    x = bars(data, "XM-002")["X"]
    assert (x.start, x.finish, x.total_float, x.colour) == (
        dt.date(2026, 3, 18),
        dt.date(2026, 4, 2),
        -2,
        "red",
    )
    rows = {row.project.code: row for row in data.rows}
    assert (rows["XM-001"].project_float, rows["XM-001"].colour) == (2, "yellow")
    assert rows["XM-001"].critical_path == ["A", "B", "M"]
    assert (rows["XM-002"].project_float, rows["XM-002"].colour) == (-2, "red")


@time_machine.travel(FROZEN, tick=False)
def test_green_needs_five_working_days_of_float(org):
    project = make_project(org, "XM-010", deadline=dt.date(2026, 3, 31))
    make_plan(project, [("A", 5), ("B", 1)])  # from today: A ends 24 March (5 days of float)
    by_code = bars(build(), "XM-010")
    assert (by_code["A"].total_float, by_code["A"].colour) == (5, "green")
    assert (by_code["B"].total_float, by_code["B"].colour) == (9, "green")


@time_machine.travel(FROZEN, tick=False)
def test_red_flag_on_time_black_flag_overdue(portfolio):
    main = bars(build(), "XM-001")
    assert main["A"].flag == RED  # done on 13 March, the approved finish
    assert main["C"].flag == BLACK  # approved for 16 March, still not done
    assert main["B"].flag == ""  # due on the 20th
    assert main["M"].flag == ""


@time_machine.travel(FROZEN, tick=False)
def test_done_after_the_latest_approved_finish_is_a_black_flag(portfolio, org):
    b = Activity.objects.get(project=portfolio["main"], code="B")
    progress(b, actual_finish=dt.date(2026, 3, 17), percent_complete=100)
    assert bars(build(), "XM-001")["B"].flag == RED  # the approved plan gave it until the 20th
    # An adjustment approved on 2 March made B a one-day job on the 16th.
    progress(b, duration=1, actual_start=None, actual_finish=None, percent_complete=0)
    approve_baseline(
        portfolio["main"], org.users["leader"], "调整", approved_on=dt.date(2026, 3, 2)
    )
    progress(
        b,
        duration=5,
        actual_start=dt.date(2026, 3, 16),
        actual_finish=dt.date(2026, 3, 17),
        percent_complete=100,
    )
    latest = bars(build(), "XM-001")["B"]
    assert (latest.baseline_start, latest.baseline_finish) == (
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 16),
    )
    assert latest.flag == BLACK


@time_machine.travel(FROZEN, tick=False)
def test_without_a_baseline_the_late_finish_decides_the_flag(portfolio):
    late = portfolio["late"]
    make_activity(late, "Y", 2, actual_start=dt.date(2026, 3, 2))
    # Y started on the 2nd and is not done; its late finish is the deadline, the 31st.
    assert bars(build(), "XM-002")["Y"].flag == ""
    Project.objects.filter(pk=late.pk).update(deadline=dt.date(2026, 3, 16))
    assert bars(build(), "XM-002")["Y"].flag == BLACK


@time_machine.travel(FROZEN, tick=False)
def test_project_rows_sum_up_their_plan(portfolio):
    rows = {row.project.code: row for row in build().rows}
    main = rows["XM-001"]
    assert (main.start, main.finish) == (dt.date(2026, 3, 2), dt.date(2026, 3, 20))
    assert (main.baseline_name, main.baseline_start, main.baseline_finish) == (
        "立项批复计划",
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 20),
    )
    # Weighted by the default weight 1: A 100 %, B 40 %, C 0 %, M 0 % → 35 %.
    assert main.progress == Decimal("35.00")
    assert (main.done, main.flag) == (False, "")
    assert rows["XM-003"].activities == [] and rows["XM-003"].errors == []
    assert rows["XM-004"].activities == [] and "循环依赖" in rows["XM-004"].errors[0]


@time_machine.travel(FROZEN, tick=False)
def test_a_project_past_its_deadline_gets_a_black_flag(portfolio):
    Project.objects.filter(pk=portfolio["empty"].pk).update(deadline=dt.date(2026, 3, 10))
    rows = {row.project.code: row for row in build().rows}
    assert rows["XM-003"].flag == BLACK


@time_machine.travel(FROZEN, tick=False)
def test_chart_json_is_compact_and_complete(portfolio):
    chart = build().chart_data(focus=portfolio["main"].pk)
    assert (chart["asOf"], chart["focus"], chart["baseline"]) == (
        "2026-03-18",
        portfolio["main"].pk,
        True,
    )
    assert chart["start"] == "2026-02-23"  # a week before the first bar
    assert chart["end"] == "2026-04-09"  # a week after X's forecast finish
    main = chart["projects"][0]
    assert {k: main[k] for k in ("code", "leader", "k", "tf", "bs", "bf", "dl", "pg")} == {
        "code": "XM-001",
        "leader": portfolio["main"].responsible_leader.name,
        "k": "yellow",
        "tf": 2,
        "bs": "2026-03-02",
        "bf": "2026-03-20",
        "dl": "2026-03-24",
        "pg": 35.0,
    }
    a, b, c, m = main["acts"]
    assert a == {
        "c": "A",
        "n": "工序A",
        "d": 10,
        "s": "2026-03-02",
        "f": "2026-03-13",
        "lf": "2026-03-17",
        "tf": 2,
        "cr": True,
        "k": "done",
        "as": "2026-03-02",
        "af": "2026-03-13",
        "p": 100.0,
        "bs": "2026-03-02",
        "bf": "2026-03-13",
        "fl": "red",
    }
    assert c["fl"] == "black" and "cr" not in c and c["tf"] == 4
    assert m["m"] is True and m["d"] == 0
    assert "acts" not in chart["projects"][2] and "tf" not in chart["projects"][2]
    assert "循环依赖" in chart["projects"][3]["err"]


@time_machine.travel(FROZEN, tick=False)
def test_baseline_none_hides_the_baseline_bars_but_keeps_the_flags(portfolio):
    chart = build(show_baseline=False).chart_data()
    main = chart["projects"][0]
    assert "bs" not in main and all("bs" not in a and "bf" not in a for a in main["acts"])
    assert [a.get("fl") for a in main["acts"]] == ["red", None, "black", None]


# --- the page ------------------------------------------------------------------------------------

URLS = ("projects:battlemap", "projects:battlemap_xlsx")


@pytest.mark.parametrize("name", URLS)
def test_permission_matrix(org, client_for, name):
    make_project(org)
    expected = {
        p: 200 for p in ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
    } | {"sysadmin": 403, "secadmin": 403, "auditor": 403, "anonymous": 302}
    assert check_matrix(client_for, "get", reverse(name), expected) == []


@time_machine.travel(FROZEN, tick=False)
def test_page_sends_the_chart_data_and_the_legend(portfolio, client_for):
    response = client_for("staff_c").get(reverse("projects:battlemap"))
    assert response.status_code == 200
    chart = response.context["chart"]
    assert [p["code"] for p in chart["projects"]] == ["XM-001", "XM-002", "XM-003", "XM-004"]
    html = response.content.decode()
    assert 'id="battlemap-data"' in html and "battlemap.js" in html and "onclick" not in html
    assert response.context["unscheduled"][0].project.code == "XM-004"


@time_machine.travel(FROZEN, tick=False)
def test_page_filters_like_the_project_list(portfolio, client_for, org):
    client = client_for("director")
    response = client.get(reverse("projects:battlemap"), {"section": org.section_c.pk})
    assert [p["code"] for p in response.context["chart"]["projects"]] == ["XM-003"]
    response = client.get(reverse("projects:battlemap"), {"leader": org.person("leader").pk})
    assert [p["code"] for p in response.context["chart"]["projects"]] == ["XM-001"]
    response = client.get(reverse("projects:battlemap"), {"stage": "construction"})
    assert response.context["chart"]["projects"] == []


@time_machine.travel(FROZEN, tick=False)
def test_focus_on_one_project(portfolio, client_for, org):
    client = client_for("director")
    main = portfolio["main"]
    response = client.get(reverse("projects:battlemap"), {"project": main.pk})
    chart = response.context["chart"]
    assert chart["focus"] == main.pk and [p["code"] for p in chart["projects"]] == ["XM-001"]
    peer = make_project(org, "FG-001", unit=org.peer, lead_section=org.section_d)
    assert client.get(reverse("projects:battlemap"), {"project": peer.pk}).status_code == 404
    assert client.get(reverse("projects:battlemap"), {"project": "x"}).status_code == 404
    all_codes = [
        p["code"] for p in client.get(reverse("projects:battlemap")).context["chart"]["projects"]
    ]
    assert "FG-001" not in all_codes  # another unit's project is not on this bureau's map


@time_machine.travel(FROZEN, tick=False)
def test_archived_projects_are_not_on_the_map(portfolio, client_for):
    Project.objects.filter(pk=portfolio["empty"].pk).update(archived_at=FROZEN)
    response = client_for("director").get(reverse("projects:battlemap"))
    assert "XM-003" not in [p["code"] for p in response.context["chart"]["projects"]]


@time_machine.travel(FROZEN, tick=False)
def test_poster_mode_sets_an_a0_page(portfolio, client_for):
    response = client_for("director").get(reverse("projects:battlemap"), {"poster": "1"})
    assert response.context["chart"]["poster"] is True
    assert "841mm 1189mm" in response.content.decode()


# --- Excel ---------------------------------------------------------------------------------------


def fill(cell) -> str:
    return cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else ""


@time_machine.travel(FROZEN, tick=False)
def test_excel_sheet_one_row_per_activity_one_column_per_week(portfolio, client_for):
    response = client_for("director").get(reverse("projects:battlemap_xlsx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [_("Battle map"), _("Legend")]
    sheet = book[_("Battle map")]
    headers = [c.value for c in sheet[1]]
    assert headers[:12] == [
        _("Project"),
        _("Activity code"),
        _("Activity name"),
        _("Duration (working days)"),
        _("Planned start"),
        _("Planned finish"),
        _("Forecast start"),
        _("Forecast finish"),
        _("Actual start"),
        _("Actual finish"),
        _("Total float"),
        _("Critical activity"),
    ]
    # The span runs from a week before 2 March to a week after 2 April: ISO weeks 9 to 15.
    assert headers[12:] == [
        "2026-W09\n02-23",
        "2026-W10\n03-02",
        "2026-W11\n03-09",
        "2026-W12\n03-16",
        "2026-W13\n03-23",
        "2026-W14\n03-30",
        "2026-W15\n04-06",
    ]
    assert sheet.freeze_panes == "M2"
    assert sheet.auto_filter.ref == f"A1:S{sheet.max_row}"
    rows = {(r[0].value, r[1].value): r for r in sheet.iter_rows(min_row=2)}
    assert len(rows) == 5  # A, B, C, M and X: projects without a schedulable plan have no line
    a = rows["XM-001 滨河路改造", "A"]
    assert [c.value for c in a[3:12]] == [
        10,
        dt.datetime(2026, 3, 2),
        dt.datetime(2026, 3, 13),
        dt.datetime(2026, 3, 2),
        dt.datetime(2026, 3, 13),
        dt.datetime(2026, 3, 2),
        dt.datetime(2026, 3, 13),
        2,
        _("Yes"),
    ]
    assert [fill(c) for c in a[12:]] == ["", "7F7F7F", "7F7F7F", "", "", "", ""]  # done: dark
    assert a[13].value is None and a[14].value == "⚑"  # the red flag in its finish week
    b = rows["XM-001 滨河路改造", "B"]
    assert [fill(c) for c in b[12:]] == ["", "", "", "FFD966", "", "", ""]  # yellow
    x = rows["XM-002 污水管网", "X"]
    assert [fill(c) for c in x[12:]] == ["", "", "", "F8696B", "F8696B", "F8696B", ""]  # red
    m = rows["XM-001 滨河路改造", "M"]
    assert m[15].value == "◆"


@time_machine.travel(FROZEN, tick=False)
def test_excel_grey_where_only_the_baseline_lies(portfolio, client_for):
    # A was approved for 2–13 March; were it not started, it would be forecast from today.
    a = Activity.objects.get(project=portfolio["main"], code="A")
    progress(a, actual_start=None, actual_finish=None, percent_complete=0)
    response = client_for("director").get(reverse("projects:battlemap_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content))[_("Battle map")]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "A")
    assert row[6].value == dt.datetime(2026, 3, 18)
    assert [fill(cell) for cell in row[12:17]] == ["", "D9D9D9", "D9D9D9", "F8696B", "F8696B"]


@time_machine.travel(FROZEN, tick=False)
def test_excel_keeps_the_filters(portfolio, client_for, org):
    response = client_for("director").get(
        reverse("projects:battlemap_xlsx"), {"section": org.section_c.pk}
    )
    sheet = load_workbook(io.BytesIO(response.content))[_("Battle map")]
    assert sheet.max_row == 1  # XM-003 has no activity
