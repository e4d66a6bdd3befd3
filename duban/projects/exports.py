"""The 重点项目推进表: one row per project with the list's filters — investment against 时间进度,
the project float to the mandated date, the status colour and the problems of the latest report."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from duban.lib.scheduling import Schedule
from duban.projects import services
from duban.projects.models import Project
from duban.projects.schedule import float_colour, project_schedules

HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
COLOUR_FILLS = {
    "green": PatternFill("solid", fgColor="C6EFCE"),
    "yellow": PatternFill("solid", fgColor="FFEB9C"),
    "red": PatternFill("solid", fgColor="FFC7CE"),
}
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MONEY = "#,##0.00"
PERCENT = "0.00"
POINTS = "+0.00;-0.00;0.00"
HEADER_ROW = 3


@dataclass
class ProgressRow:
    """One project's line of the 推进表 (also what the battle map and reports can read)."""

    project: Project
    investment: services.Investment
    schedule: Schedule | None
    problems: str

    @property
    def project_float(self) -> int | None:
        return self.schedule.project_float if self.schedule else None

    @property
    def colour(self) -> str:
        return float_colour(self.project_float)


def progress_rows(projects: Iterable[Project], as_of: dt.date) -> list[ProgressRow]:
    """The rows for projects annotated by `services.with_progress`; schedules as of `as_of`.

    Queries: the projects, their activities, their links and the calendar — whatever their number.
    """
    projects = list(projects)
    schedules = project_schedules(projects, as_of)
    return [
        ProgressRow(
            project=p,
            investment=services.project_investment(p, as_of),
            schedule=schedules.get(p.pk),
            problems=getattr(p, "latest_problems", "") or "",
        )
        for p in projects
    ]


def colour_label(colour: str) -> str:
    return {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red")}.get(colour, _("No plan"))


def _columns() -> list[tuple[str, float, str | None]]:
    """(header, width, number format) in sheet order."""
    return [
        (_("No."), 5, None),
        (_("Code"), 12, None),
        (_("Project"), 30, None),
        (_("Type"), 14, None),
        (_("Level"), 12, None),
        (_("Stage"), 12, None),
        (_("Responsible leader"), 10, None),
        (_("Lead section"), 12, None),
        (_("Total investment (万元)"), 13, MONEY),
        (_("Planned investment this year (万元)"), 13, MONEY),
        (_("Completed this year (万元)"), 13, MONEY),
        (_("Completion rate (%)"), 10, PERCENT),
        (_("时间进度 (%)"), 10, PERCENT),
        (_("Against 时间进度 (points)"), 11, POINTS),
        (_("Float (working days)"), 10, "0"),
        (_("Status"), 8, None),
        (_("Problems (latest monthly report)"), 40, None),
    ]


def _values(number: int, row: ProgressRow) -> list:
    project, money = row.project, row.investment
    stage = project.get_stage_display()
    if project.stage_reason:
        stage = f"{stage}（{project.stage_reason}）"
    return [
        number,
        project.code,
        project.name,
        project.get_type_display(),
        project.get_level_display(),
        stage,
        project.responsible_leader.name if project.responsible_leader else "",
        project.lead_section.name if project.lead_section else "",
        project.total_investment,
        project.annual_investment,
        money.completed,
        money.rate,
        money.time_progress,
        money.gap,
        row.project_float,
        colour_label(row.colour),
        row.problems,
    ]


def progress_table_xlsx(
    rows: list[ProgressRow], as_of: dt.date, filter_lines: list[tuple[str, str]] = ()
) -> bytes:
    """The workbook: a title, the date and filters, the header on row 3, one row per project."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Progress table")
    columns = _columns()
    last = get_column_letter(len(columns))
    sheet.cell(row=1, column=1, value=_("Key project progress table")).font = Font(
        bold=True, size=16
    )
    sheet.merge_cells(f"A1:{last}1")
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    subtitle = [_("As of %(d)s") % {"d": format_date(as_of, "Y年n月j日")}]
    subtitle += [f"{label}：{value}" for label, value in filter_lines]
    sheet.cell(row=2, column=1, value="　".join(subtitle))
    sheet.merge_cells(f"A2:{last}2")
    for index, (header, width, _format) in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"D{HEADER_ROW + 1}"
    status_column = next(i for i, c in enumerate(columns, start=1) if c[0] == _("Status"))
    for number, row in enumerate(rows, start=1):
        line = HEADER_ROW + number
        for index, value in enumerate(_values(number, row), start=1):
            cell = sheet.cell(row=line, column=index, value=value)
            cell.border = BORDER
            number_format = columns[index - 1][2]
            if number_format and value is not None:
                cell.number_format = number_format
            if index == len(columns):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        fill = COLOUR_FILLS.get(row.colour)
        if fill is not None:
            sheet.cell(row=line, column=status_column).fill = fill
    if rows:
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(rows)}"
    notes = workbook.create_sheet(_("Notes"))
    notes.column_dimensions["A"].width = 100
    for text in (
        _(
            "Completion rate = investment completed this year (monthly reports) ÷ planned investment this year."
        ),
        _("时间进度 = the share of the year elapsed on the date of the table."),
        _(
            "Against 时间进度: the completion rate minus 时间进度, in percentage points (negative: behind)."
        ),
        _(
            "Float: working days between the forecast finish and the mandated date, on the Chinese "
            "working-day calendar; status green at 5 or more, yellow 0 to 4, red when behind."
        ),
    ):
        notes.append([text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
