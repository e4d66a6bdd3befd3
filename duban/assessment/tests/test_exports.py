"""The scoreboard as Excel, with the page's filters: section, responsible leader, lagging only."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine
from django.http import QueryDict
from django.utils.translation import gettext
from openpyxl import load_workbook

from duban.assessment import exports, scoreboard
from duban.assessment.models import PublishedIndicatorScore, PublishedResult, RequiredMaterial
from duban.assessment.tests.factories import (
    make_indicator,
    make_period,
    make_report,
    make_scheme,
)

SUMMER = "2026-07-15 10:00 +0800"


@dataclass
class World:
    scheme: object
    period: object
    work: object  # category 1
    output: object  # 1.1, section A, leader; full points
    safety: object  # 1.2, section C; lagging
    other: object  # category 2
    party: object  # 2.1, section C; not reported
    empty: object  # category 3, no indicators


@pytest.fixture
def world(org) -> World:
    scheme = make_scheme(org)
    period = make_period(scheme, "H1")
    leader = org.person("leader")
    work = make_indicator(scheme, "1", "重点工作", 15, method="", target=None, sort_order=1)
    output = make_indicator(
        scheme,
        "1.1",
        "建筑业产值",
        10,
        parent=work,
        lead_section=org.section_a,
        responsible_leader=leader,
        sort_order=2,
    )
    safety = make_indicator(
        scheme, "1.2", "安全生产", 5, parent=work, lead_section=org.section_c, sort_order=3
    )
    other = make_indicator(scheme, "2", "共性指标", 5, method="", target=None, sort_order=4)
    party = make_indicator(
        scheme, "2.1", "党建工作", 5, parent=other, lead_section=org.section_c, sort_order=5
    )
    empty = make_indicator(scheme, "3", "其他", 0, method="", target=None, sort_order=6)
    make_report(output, period, org.bureau, actual=100)
    make_report(safety, period, org.bureau, actual=50)
    RequiredMaterial.objects.create(indicator=output, name="统计月报")
    RequiredMaterial.objects.create(indicator=output, name="产值台账")
    published = PublishedResult.objects.create(
        scheme=scheme, period=period, unit=org.bureau, total=Decimal("80.5"), rank=2
    )
    PublishedIndicatorScore.objects.create(
        result=published, indicator=output, score=Decimal("9.5"), rank=1
    )
    return World(scheme, period, work, output, safety, other, party, empty)


def board_of(world, org):
    return scoreboard.build(world.scheme, world.period, org.bureau.pk)


def codes(rows) -> list[str]:
    return [r.indicator.code for r in rows]


# --- filter_rows --------------------------------------------------------------------------------


def test_without_filters_every_row_stays(org, world):
    assert codes(exports.filter_rows(board_of(world, org))) == ["1", "1.1", "1.2", "2", "2.1", "3"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"section": "a"}, ["1", "1.1"]),
        ({"section": "c"}, ["1", "1.2", "2", "2.1"]),
        ({"leader": True}, ["1", "1.1"]),
        ({"lagging_only": True}, ["1", "1.2"]),
        ({"section": "c", "lagging_only": True}, ["1", "1.2"]),
        ({"section": "a", "lagging_only": True}, []),
        ({"section": "b"}, []),
    ],
)
def test_filters_keep_categories_whose_descendants_match(org, world, filters, expected):
    sections = {"a": org.section_a.pk, "b": org.section_b.pk, "c": org.section_c.pk}
    rows = exports.filter_rows(
        board_of(world, org),
        section_id=sections.get(filters.get("section")),
        leader_id=org.person("leader").pk if filters.get("leader") else None,
        lagging_only=filters.get("lagging_only", False),
    )
    assert codes(rows) == expected


def test_a_third_level_match_keeps_both_ancestors(org, world):
    sub = make_indicator(
        world.scheme, "2.2", "作风建设", 0, method="", target=None, parent=world.other, sort_order=7
    )
    make_indicator(
        world.scheme, "2.2.1", "作风", 2, parent=sub, lead_section=org.section_b, sort_order=8
    )
    rows = exports.filter_rows(board_of(world, org), section_id=org.section_b.pk)
    assert codes(rows) == ["2", "2.2", "2.2.1"]


# --- the workbook -------------------------------------------------------------------------------


def _book(content: bytes):
    return load_workbook(io.BytesIO(content))


def _rows_by_code(sheet) -> dict:
    return {row[0].value: row for row in sheet.iter_rows(min_row=2)}


def _fill(cell) -> str:
    return cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else ""


@time_machine.travel(SUMMER, tick=False)
def test_the_sheet_has_the_tree_the_figures_and_the_formats(org, world):
    book = _book(exports.scoreboard_xlsx(board_of(world, org), {}))
    sheet, notes = book.worksheets
    assert book.sheetnames == [gettext("Scoreboard"), gettext("Notes")]
    header = [c.value for c in sheet[1]]
    assert header == [h for h, _w, _f in exports._columns()]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "C2"

    rows = _rows_by_code(sheet)
    assert list(rows) == ["1", "1.1", "1.2", "2", "2.1", "3"]
    output = [c.value for c in rows["1.1"]]
    assert output[:9] == ["1.1", "建筑业产值", 10, 10, 10, 0, 0, 0, 2]
    assert output[9:] == [None, None, "leader", "股室A", 9.5, 1]  # empty cells read as None
    assert rows["1.1"][3].number_format == "0.00" and rows["1.1"][14].number_format == "0"
    assert isinstance(rows["1.1"][2].value, int | float)
    safety = [c.value for c in rows["1.2"]]
    assert safety[3] == 0 and safety[5] == 5 and safety[9] == gettext("Yes")
    assert safety[10]  # the reason it lags
    assert rows["2.1"][3].value is None  # not reported: empty, not 0
    assert [c.value for c in rows["1"]][2:5] == [15, 10, 10]

    assert rows["1"][1].alignment.indent == 0 and rows["1.1"][1].alignment.indent == 2
    assert _fill(rows["1"][0]) == _fill(rows["1"][14]) == "EDEDED" and rows["1"][0].font.bold
    assert _fill(rows["1.2"][0]) == _fill(rows["1.2"][14]) == "FDE2E1"
    assert _fill(rows["1.1"][0]) == ""

    lines = {row[0]: row[1] for row in notes.iter_rows(values_only=True)}
    assert lines[gettext("Scheme")] == f"{world.scheme.name}（2026）"
    assert lines[gettext("Unit")] == str(org.bureau)
    assert lines[gettext("Exported on")] == "2026年7月15日"
    assert lines[gettext("Projection basis")] == board_of(world, org).projection_basis
    # 5 lost on 1.2 and the 5 of the unreported 2.1, at risk until it is reported
    assert lines[gettext("Score now")] == 10 and lines[gettext("Points at risk")] == 10
    assert lines[gettext("Grade now")] == "不合格"
    assert world.period.name in lines[gettext("Period")]
    assert lines[gettext("Rank")] == gettext("%(r)d of %(n)d (as published)") % {"r": 2, "n": 1}


def test_filters_given_as_the_page_query_are_applied_and_described(org, world):
    content = exports.scoreboard_xlsx(
        board_of(world, org), {"section": str(org.section_c.pk), "lagging": "1", "leader": ""}
    )
    sheet, notes = _book(content).worksheets
    assert list(_rows_by_code(sheet)) == ["1", "1.2"]
    lines = {row[0]: row[1] for row in notes.iter_rows(values_only=True)}
    assert lines[gettext("Lead section")] == "股室C"
    assert lines[gettext("Lagging")] == gettext("lagging indicators only")
    assert lines[gettext("Rows")] == gettext("%(n)d of %(t)d") % {"n": 2, "t": 6}


def test_the_request_query_itself_may_be_passed(org, world):
    query = QueryDict(f"leader={org.person('leader').pk}&section=&lagging=0&period=H1")
    sheet, notes = _book(exports.scoreboard_xlsx(board_of(world, org), query)).worksheets
    assert list(_rows_by_code(sheet)) == ["1", "1.1"]
    lines = {row[0]: row[1] for row in notes.iter_rows(values_only=True)}
    assert lines[gettext("Responsible leader")] == "leader"
    assert gettext("Lead section") not in lines and gettext("Lagging") not in lines


def test_a_mangled_filter_is_no_filter(org, world):
    content = exports.scoreboard_xlsx(board_of(world, org), {"section": "abc", "leader": "1x"})
    assert len(list(_rows_by_code(_book(content).worksheets[0]))) == 6


def test_rows_already_filtered_by_the_page_are_written_as_given(org, world):
    board = board_of(world, org)
    rows = exports.filter_rows(board, leader_id=org.person("leader").pk)
    sheet = _book(exports.scoreboard_xlsx(board, rows)).worksheets[0]
    assert list(_rows_by_code(sheet)) == ["1", "1.1"]


def test_the_scoreboard_page_exports_with_its_filters(org, client_for, world):
    response = client_for("staff_a").get(
        f"/assessment/schemes/{world.scheme.pk}/",
        {"period": "H1", "lagging": "1", "export": "xlsx"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = _book(response.content).worksheets[0]
    assert list(_rows_by_code(sheet)) == ["1", "1.2"]
