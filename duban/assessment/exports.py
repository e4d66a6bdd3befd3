"""The scoreboard as an Excel workbook, with the page's filters (section, leader, lagging only)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from duban.assessment.scoreboard import Row, Scoreboard
from duban.org.models import Unit

HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
CATEGORY_FILL = PatternFill("solid", fgColor="EDEDED")
LAGGING_FILL = PatternFill("solid", fgColor="FDE2E1")
NUMBER = "0.00"
INTEGER = "0"


def filter_rows(
    board: Scoreboard,
    section_id: int | None = None,
    leader_id: int | None = None,
    lagging_only: bool = False,
) -> list[Row]:
    """The board's rows whose indicators match, in tree order; a category stays when any of its
    descendants matches. With no filter every row stays, empty categories included."""
    if section_id is None and leader_id is None and not lagging_only:
        return list(board.rows)

    def matches(row: Row) -> bool:
        indicator = row.indicator
        return (
            (section_id is None or indicator.lead_section_id == section_id)
            and (leader_id is None or indicator.responsible_leader_id == leader_id)
            and (not lagging_only or row.lagging)
        )

    kept: set[int] = set()

    def visit(row: Row) -> bool:
        keep = False
        for child in row.children:
            keep = visit(child) or keep
        if not row.is_category:
            keep = matches(row)
        if keep:
            kept.add(id(row))
        return keep

    for row in board.rows:
        if row.depth == 0:
            visit(row)
    return [row for row in board.rows if id(row) in kept]


def _id(value) -> int | None:
    """A filter value as the page passes it: an id, a numeric string or a model instance. Anything
    else (empty, a mangled query) is no filter, as the page treats it."""
    if hasattr(value, "pk"):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _columns() -> list[tuple[str, float, str | None]]:
    """(header, width, number format) in sheet order."""
    return [
        (_("Code"), 10, None),
        (_("Indicator"), 40, None),
        (_("Points"), 9, NUMBER),
        (_("Score now"), 10, NUMBER),
        (_("Projected year-end"), 10, NUMBER),
        (_("At risk"), 9, NUMBER),
        (_("Recoverable"), 9, NUMBER),
        (_("Evidence present"), 9, INTEGER),
        (_("Evidence required"), 9, INTEGER),
        (_("Lagging"), 8, None),
        (_("Why lagging"), 32, None),
        (_("Responsible leader"), 12, None),
        (_("Lead section"), 12, None),
        (_("Published score"), 10, NUMBER),
        (_("Published rank"), 9, INTEGER),
    ]


def _values(row: Row) -> list:
    indicator = row.indicator
    return [
        indicator.code,
        indicator.name,
        indicator.points,
        row.score,
        row.projected,
        row.at_risk,
        row.recoverable,
        row.materials_present,
        row.materials_total,
        _("Yes") if row.lagging else "",
        "；".join(row.lagging_reasons),
        indicator.responsible_leader.name if indicator.responsible_leader else "",
        indicator.lead_section.name if indicator.lead_section else "",
        row.published_score,
        row.published_rank,
    ]


def _filter_lines(board: Scoreboard, filters: Mapping) -> list[tuple[str, str]]:
    section_id, leader_id = _id(filters.get("section")), _id(filters.get("leader"))
    lines = []
    if section_id is not None:
        name = next(
            (
                r.indicator.lead_section.name
                for r in board.rows
                if r.indicator.lead_section_id == section_id
            ),
            str(section_id),
        )
        lines.append((_("Lead section"), name))
    if leader_id is not None:
        name = next(
            (
                r.indicator.responsible_leader.name
                for r in board.rows
                if r.indicator.responsible_leader_id == leader_id
            ),
            str(leader_id),
        )
        lines.append((_("Responsible leader"), name))
    if _lagging(filters):
        lines.append((_("Lagging"), _("lagging indicators only")))
    return lines


def _lagging(filters: Mapping) -> bool:
    value = filters.get("lagging")
    return value is True or str(value) in ("1", "true", "on")


def scoreboard_xlsx(board: Scoreboard, filters: Mapping | Sequence[Row] | None = None) -> bytes:
    """The scoreboard's tree with every figure, and a 说明 sheet with what it is and the totals.

    `filters` is the page's query (`request.GET` will do: {"section": id, "leader": id,
    "lagging": "1"}, any may be missing), applied with `filter_rows` and described on the notes
    sheet; or the rows the page already filtered.
    """
    if filters is None or isinstance(filters, Mapping):
        filters = filters or {}
        rows = filter_rows(
            board,
            section_id=_id(filters.get("section")),
            leader_id=_id(filters.get("leader")),
            lagging_only=_lagging(filters),
        )
        filter_lines = _filter_lines(board, filters)
    else:
        rows = list(filters)
        filter_lines = []
        if len(rows) != len(board.rows):
            filter_lines.append((_("Filtered"), _("rows matching the page's filters")))

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Scoreboard")
    columns = _columns()
    for index, (header, width, _format) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    for number, row in enumerate(rows, start=2):
        fill = CATEGORY_FILL if row.is_category else LAGGING_FILL if row.lagging else None
        for index, value in enumerate(_values(row), start=1):
            cell = sheet.cell(row=number, column=index, value=value)
            number_format = columns[index - 1][2]
            if number_format and value is not None:
                cell.number_format = number_format
            if fill is not None:
                cell.fill = fill
            if row.is_category:
                cell.font = Font(bold=True)
        sheet.cell(row=number, column=2).alignment = Alignment(indent=row.depth * 2)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"

    _notes(workbook, board, filter_lines, len(rows))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _notes(workbook: Workbook, board: Scoreboard, filter_lines, shown: int) -> None:
    sheet = workbook.create_sheet(_("Notes"))
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 90
    scheme, period = board.scheme, board.period
    unit = Unit.objects.filter(pk=board.unit_id).first()
    rank = board.rank
    if rank is not None and rank.rank:
        rank_text = _("%(r)d of %(n)d (as published)") % {"r": rank.rank, "n": rank.units}
    else:
        rank_text = _("not published yet")
    lines: list[tuple[str, object]] = [
        (_("Scheme"), f"{scheme.name}（{scheme.year}）"),
        (_("Assessing body"), str(scheme.assessor)),
        (_("Period"), f"{period.name}（{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}）"),
        (_("Unit"), str(unit) if unit else ""),
        (_("Exported on"), format_date(timezone.localdate(), "Y年n月j日")),
        *filter_lines,
        (_("Rows"), _("%(n)d of %(t)d") % {"n": shown, "t": len(board.rows)}),
        (_("Projection basis"), board.projection_basis),
        (_("Score now"), board.total_now),
        (_("Projected year-end"), board.total_projected),
        (_("Total points"), scheme.total_points),
        (_("Bonus points included"), board.bonus_now),
        (_("Grade now"), board.grade_now),
        (_("Grade projected"), board.grade_projected),
        (_("Veto triggered"), _("Yes") if board.vetoed else _("No")),
        (_("Points at risk"), board.at_risk),
        (_("Points recoverable"), board.recoverable),
        (_("Evidence present"), f"{board.materials_present} / {board.materials_total}"),
        (_("Lagging indicators"), len(board.lagging)),
        (_("Rank"), rank_text),
    ]
    for label, value in lines:
        sheet.append([label, value])
        cell = sheet.cell(row=sheet.max_row, column=2)
        cell.alignment = Alignment(wrap_text=True, horizontal="left")
        if isinstance(value, Decimal):
            cell.number_format = NUMBER
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
