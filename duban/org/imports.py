"""Excel import of people: all or nothing, every error reported with its row and column."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from duban.core.jobs import JobFailed, Progress
from duban.org.models import Person, Section, Unit

MAX_ROWS = 5000
PHONE = re.compile(r"^[0-9+\- ]{5,20}$")
YES = {"是", "在岗", "y", "yes", "1", "true"}
NO = {"否", "离岗", "n", "no", "0", "false"}


def columns() -> list[tuple[str, str, bool]]:
    """(key, header, required) in template order."""
    return [
        ("name", _("Full name"), True),
        ("unit_code", _("Unit code"), True),
        ("section", _("Section"), False),
        ("position", _("Position"), False),
        ("phone", _("Phone"), False),
        ("active", _("In post (yes/no)"), False),
    ]


def people_template() -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("People")
    for index, (_key, header, required) in enumerate(columns(), start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True, color="C62828" if required else "000000")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("Instructions"))
    for line in (
        _("One person per row on the first sheet, from row 2. Red headers are required."),
        _("Unit code: the code shown on the units page, for example ZJJ."),
        _("Section: the exact section name within that unit; leave empty for leaders."),
        _("Phone: digits, spaces, + and - only."),
        _("In post: 是 or 否; empty means 是."),
        _("A row with the same unit, name and phone as an existing person updates that person."),
        _(
            "If any row has an error nothing is imported; the page lists every error by row and column."
        ),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@dataclass
class ImportReport:
    errors: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)

    def error(self, row: int, column: int | None, header: str, message: str) -> None:
        self.errors.append(
            {
                "row": row,
                "column": get_column_letter(column) if column else "",
                "header": header,
                "message": message,
            }
        )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_people(
    workbook_file,
    units: dict[str, Unit],
    sections: dict[tuple[int, str], Section],
    progress: Progress | None = None,
) -> ImportReport:
    """Read and check every row; nothing is written here."""
    report = ImportReport()
    try:
        workbook = load_workbook(workbook_file, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — any unreadable file is the user's to fix, not a crash
        raise JobFailed(_("The file could not be read as an Excel workbook.")) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header_row = next(rows, None)
    if header_row is None:
        raise JobFailed(_("The sheet is empty."))
    headers = [_text(h) for h in header_row]
    position: dict[str, int] = {}
    for key, header, required in columns():
        if header in headers:
            position[key] = headers.index(header)
        elif required:
            report.error(1, None, header, _("The column “%(h)s” is missing.") % {"h": header})
    if report.errors:
        return report
    data = list(rows)
    if len(data) > MAX_ROWS:
        raise JobFailed(_("At most %(n)d rows can be imported at once.") % {"n": MAX_ROWS})
    labels = {key: header for key, header, _r in columns()}

    def cell(values, key):
        index = position.get(key)
        return _text(values[index]) if index is not None and index < len(values) else ""

    for offset, values in enumerate(data):
        row_number = offset + 2
        if progress and offset % 50 == 0:
            progress(offset, len(data), _("Checking row %(n)d") % {"n": row_number})
        if not any(_text(v) for v in values):
            continue
        col = {key: position[key] + 1 for key in position}
        name = cell(values, "name")
        unit_code = cell(values, "unit_code")
        section_name = cell(values, "section")
        phone = cell(values, "phone")
        active_text = cell(values, "active").lower()
        row = {
            "row": row_number,
            "name": name,
            "position": cell(values, "position"),
            "phone": phone,
        }
        if not name:
            report.error(row_number, col["name"], labels["name"], _("The full name is required."))
        elif len(name) > 50:
            report.error(
                row_number,
                col["name"],
                labels["name"],
                _("The full name is longer than 50 characters."),
            )
        unit = units.get(unit_code)
        if not unit_code:
            report.error(
                row_number, col["unit_code"], labels["unit_code"], _("The unit code is required.")
            )
        elif unit is None:
            report.error(
                row_number,
                col["unit_code"],
                labels["unit_code"],
                _("No unit with the code “%(c)s” (or you may not manage it).") % {"c": unit_code},
            )
        row["unit"] = unit
        row["section"] = None
        if section_name and unit is not None:
            section = sections.get((unit.pk, section_name))
            if section is None:
                report.error(
                    row_number,
                    col["section"],
                    labels["section"],
                    _("The unit has no section “%(s)s”.") % {"s": section_name},
                )
            row["section"] = section
        if phone and not PHONE.match(phone):
            report.error(
                row_number,
                col["phone"],
                labels["phone"],
                _("“%(p)s” is not a phone number.") % {"p": phone},
            )
        if len(row["position"]) > 50:
            report.error(
                row_number,
                col["position"],
                labels["position"],
                _("The position is longer than 50 characters."),
            )
        if active_text and active_text not in YES | NO:
            report.error(row_number, col["active"], labels["active"], _("Write 是 or 否."))
        row["is_active"] = active_text not in NO
        report.rows.append(row)
    return report


def run_people_import(job, progress: Progress) -> dict:
    """Job handler: check every row, then write them all in one transaction, or none."""
    user = job.created_by
    units = {u.code: u for u in Unit.objects.visible_to(user).active()}
    sections = {(s.unit_id, s.name): s for s in Section.objects.visible_to(user).active()}
    with job.input_file.open("rb") as handle:
        report = parse_people(io.BytesIO(handle.read()), units, sections, progress)
    if report.errors:
        raise JobFailed(
            _("Nothing was imported: %(n)d problem(s) found. Correct the file and import it again.")
            % {"n": len(report.errors)},
            {"errors": report.errors[:500], "error_count": len(report.errors)},
        )
    if not report.rows:
        raise JobFailed(_("The file has no rows to import."))
    progress(len(report.rows), len(report.rows), _("Saving"))
    created = updated = 0
    with transaction.atomic():
        for row in report.rows:
            existing = None
            if row["phone"]:
                existing = Person.objects.filter(
                    unit=row["unit"], name=row["name"], phone=row["phone"]
                ).first()
            if existing is None:
                Person.objects.create(
                    name=row["name"],
                    unit=row["unit"],
                    section=row["section"],
                    position=row["position"],
                    phone=row["phone"],
                    is_active=row["is_active"],
                )
                created += 1
            else:
                existing.section = row["section"]
                existing.position = row["position"]
                existing.is_active = row["is_active"]
                existing.save()
                updated += 1
    return {
        "message": _("Imported: %(c)d new, %(u)d updated.") % {"c": created, "u": updated},
        "next_url": reverse("org:person_list"),
        "next_label": _("View the people"),
        "created": created,
        "updated": updated,
    }
