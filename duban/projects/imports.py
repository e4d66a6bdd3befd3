"""Excel import of the project list and of a project's activity plan (and the pasted plan text).

Both run as core jobs: every row is checked first and every problem reported by row and column;
then everything is written in one transaction, or nothing. Predecessors are written as the plan
sheets write them: "A1,B2+3,C4-2" (B2 with a lag of 3 working days, C4 overlapping by 2).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from duban.core.jobs import JobFailed, Progress
from duban.lib import scheduling
from duban.lib.scheduling import ActivityInput
from duban.org.imports import ImportReport
from duban.org.models import Person, Section, Unit
from duban.org.scoping import scope_for
from duban.projects import services
from duban.projects.choices import ProjectLevel, ProjectType, Stage
from duban.projects.models import Project

MAX_PROJECTS = 2000
MAX_ACTIVITIES = 5000
SHEET_FILL = PatternFill("solid", fgColor="F2F2F2")
PREDECESSOR_SPLIT = re.compile(r"[,，;；、\s]+")
PREDECESSOR_LAG = re.compile(r"^(.+?)\s*([+＋\-－])\s*([^+＋\-－]+)$")
PERSON_SEPARATOR = re.compile(r"[/／]")
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True)
class Column:
    key: str
    msgid: str
    required: bool
    width: int = 14
    aliases: tuple[str, ...] = ()  # headers of people's own sheets (input vocabulary)

    @property
    def header(self) -> str:
        return _(self.msgid)

    def names(self) -> tuple[str, ...]:
        return (self.header, self.msgid, *self.aliases)


PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("code", gettext_noop("Project code"), True, 12, ("项目编码", "编码", "项目编号")),
    Column("name", gettext_noop("Project name"), True, 30, ("项目名称", "名称")),
    Column("type", gettext_noop("Type"), False, 14, ("项目类型", "类型")),
    Column("level", gettext_noop("Level"), False, 10, ("项目级别", "级别")),
    Column("stage", gettext_noop("Stage"), False, 10, ("项目阶段", "阶段")),
    Column("owner", gettext_noop("Owner"), False, 20, ("建设单位", "业主单位")),
    Column("contractor", gettext_noop("Contractor"), False, 20, ("施工单位",)),
    Column("supervisor", gettext_noop("Supervising firm"), False, 20, ("监理单位",)),
    Column("designer", gettext_noop("Design firm"), False, 20, ("设计单位",)),
    Column("address", gettext_noop("Location"), False, 24, ("建设地点", "地点")),
    Column("latitude", gettext_noop("Latitude"), False, 10, ("纬度",)),
    Column("longitude", gettext_noop("Longitude"), False, 10, ("经度",)),
    Column(
        "total_investment",
        gettext_noop("Total investment (万元)"),
        False,
        14,
        ("总投资", "总投资（万元）"),
    ),
    Column(
        "annual_investment",
        gettext_noop("Planned investment this year (万元)"),
        False,
        14,
        ("年度计划投资", "年度计划投资（万元）", "年度投资计划"),
    ),
    Column("funding_sources", gettext_noop("Funding sources"), False, 16, ("资金来源",)),
    Column(
        "responsible_leader",
        gettext_noop("Responsible leader"),
        False,
        12,
        ("责任领导", "分管领导"),
    ),
    Column("lead_section", gettext_noop("Lead section"), False, 12, ("牵头股室", "责任股室")),
    Column("planned_start", gettext_noop("Planned start"), True, 12, ("计划开工日期", "计划开工")),
    Column(
        "deadline",
        gettext_noop("Mandated completion date"),
        True,
        12,
        ("要求完工日期", "要求完成日期", "计划完工日期"),
    ),
    Column("notes", gettext_noop("Notes"), False, 24, ("备注",)),
)

PLAN_COLUMNS: tuple[Column, ...] = (
    Column("code", gettext_noop("Activity code"), True, 10, ("工序编码", "编码", "编号")),
    Column("name", gettext_noop("Activity name"), True, 30, ("工序名称", "名称", "工序")),
    Column(
        "duration",
        gettext_noop("Duration (working days)"),
        True,
        12,
        ("工期", "工期（工作日）", "工期(工作日)"),
    ),
    Column("predecessors", gettext_noop("Predecessors"), False, 18, ("紧前工序", "前置工序")),
    Column("finish_by", gettext_noop("Finish by"), False, 12, ("要求完成日期", "最迟完成日期")),
    Column("weight", gettext_noop("Weight"), False, 8, ("权重",)),
)

# Choice words people write in their sheets (input vocabulary), besides the codes and the labels.
TYPE_WORDS = {
    "市政道路": ProjectType.ROAD,
    "道路": ProjectType.ROAD,
    "排水管网": ProjectType.DRAINAGE,
    "管网": ProjectType.DRAINAGE,
    "老旧小区改造": ProjectType.RENOVATION,
    "老旧小区": ProjectType.RENOVATION,
    "保障性住房": ProjectType.HOUSING,
    "保障房": ProjectType.HOUSING,
    "污水处理": ProjectType.SEWAGE,
    "污水": ProjectType.SEWAGE,
    "园林绿化": ProjectType.GREENING,
    "园林": ProjectType.GREENING,
    "公共建筑": ProjectType.PUBLIC_BUILDING,
    "其他": ProjectType.OTHER,
}
LEVEL_WORDS = {
    "省重点": ProjectLevel.PROVINCE,
    "省级": ProjectLevel.PROVINCE,
    "市重点": ProjectLevel.CITY,
    "市级": ProjectLevel.CITY,
    "县重点": ProjectLevel.COUNTY,
    "县级": ProjectLevel.COUNTY,
}
STAGE_WORDS = {
    "储备": Stage.RESERVE,
    "前期": Stage.PRELIMINARY,
    "在建": Stage.CONSTRUCTION,
    "完工": Stage.COMPLETED,
    "已验收": Stage.ACCEPTED,
    "已结算": Stage.SETTLED,
    "已交付": Stage.DELIVERED,
}


# --- cells --------------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as the user sees it: whole numbers without ".0", dates without a time, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


def _normalise_header(value) -> str:
    return cell_text(value).replace("\n", "").rstrip("*＊").strip()


def read_date(value) -> dt.date | None:
    """A date cell (Excel date, 2026-10-09, 2026/10/9, 2026年10月9日); ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = DATE_TEXT.match(cell_text(value))
    if match is None:
        raise ValueError(value)
    return dt.date(*(int(part) for part in match.groups()))


def read_decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def read_whole(value):
    """A cell meant to hold a whole number: an int when it is one, else the value as written (so the
    scheduler's check names the problem)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = cell_text(value)
    if re.fullmatch(r"[+\-－]?\d+", text):
        return int(text.replace("－", "-"))
    number = read_decimal(text)
    if number is not None:
        return int(number) if number == number.to_integral_value() else float(number)
    return text


def parse_predecessors(text: str, codes: set[str]) -> tuple[scheduling.Dependency, ...]:
    """ "A1,B2+3,C4-2" → A1 (lag 0), B2 (lag 3), C4 (lag −2). A piece that is a code of the plan as
    written is that code, so codes may contain "-"; unknown codes and non-integer lags are passed on
    for the scheduler's check to name."""
    links = []
    for piece in PREDECESSOR_SPLIT.split(text.strip()):
        if not piece:
            continue
        if piece in codes:
            links.append(scheduling.Dependency(piece, 0))
            continue
        match = PREDECESSOR_LAG.match(piece)
        if match is None:
            links.append(scheduling.Dependency(piece, 0))
            continue
        code, sign, amount = match.groups()
        lag = read_whole(amount)
        if isinstance(lag, int | float) and not isinstance(lag, bool):
            lag = -lag if sign in "-－" else lag
        links.append(scheduling.Dependency(code.strip(), lag))
    return tuple(links)


def format_predecessors(links) -> str:
    return ",".join(link.code if not link.lag else f"{link.code}{link.lag:+d}" for link in links)


# --- sheets -------------------------------------------------------------------------------------


def _template(columns: tuple[Column, ...], title: str, notes: list[str]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for index, column in enumerate(columns, start=1):
        header = f"{column.header}*" if column.required else column.header
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True, color="C62828" if column.required else "000000")
        cell.fill = SHEET_FILL
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    instructions = workbook.create_sheet(_("Instructions"))
    instructions.column_dimensions["A"].width = 100
    for line in notes:
        instructions.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def project_template() -> io.BytesIO:
    return _template(
        PROJECT_COLUMNS,
        _("Projects"),
        [
            _("One project per row on the first sheet, from row 2. Headers marked * are required."),
            _(
                "A code already used by a project of your unit updates that project; its stage is "
                "changed on the project page, through its gate."
            ),
            _("Type: %(v)s.") % {"v": "、".join(str(label) for label in ProjectType.labels)},
            _("Level: 省重点, 市重点 or 县重点; empty means 县重点."),
            _(
                "Stage of a new project: 储备, 前期, 在建, 完工, 已验收, 已结算 or 已交付; empty means 前期."
            ),
            _("Amounts in 万元. Dates as 2026-03-01."),
            _(
                "Responsible leader: a person of your unit; if two share the name, write 股室/姓名. "
                "Lead section: a section of your unit; empty means your own section."
            ),
            _(
                "If any row has an error nothing is imported; the job page lists every error by row "
                "and column."
            ),
        ],
    )


def plan_template() -> io.BytesIO:
    return _template(
        PLAN_COLUMNS,
        _("Plan"),
        [
            _(
                "One activity per row on the first sheet, from row 2. Headers marked * are required."
            ),
            _("Duration in working days; 0 makes a milestone."),
            _(
                "Predecessors: the codes of the activities that must finish first, separated by "
                "commas; a lag in working days after a code, e.g. A1,B2+3,C4-2 (C4 may overlap by "
                "2 days)."
            ),
            _("Finish by: a date the activity must be finished by, besides the project's date."),
            _(
                "The import replaces the whole plan; actual dates entered on an activity whose "
                "code stays are kept."
            ),
            _(
                "If any row has an error nothing is imported; the job page lists every error by row "
                "and column."
            ),
        ],
    )


def read_sheet(
    workbook_file, columns: tuple[Column, ...], max_rows: int
) -> tuple[ImportReport, dict[str, int], list[tuple[int, tuple]]]:
    """The first sheet: missing required columns reported, each column's position by any of its
    names, and the non-empty rows with their Excel row numbers (every Excel import uses this)."""
    report = ImportReport()
    try:
        workbook = load_workbook(workbook_file, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — any unreadable file is the user's to fix, not a crash
        raise JobFailed(_("The file could not be read as an Excel workbook.")) from exc
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header_row = next(rows, None)
    if header_row is None:
        raise JobFailed(_("The sheet is empty."))
    headers = [_normalise_header(h) for h in header_row]
    position: dict[str, int] = {}
    for column in columns:
        for name in column.names():
            if name in headers:
                position[column.key] = headers.index(name)
                break
        else:
            if column.required:
                report.error(
                    1,
                    None,
                    column.header,
                    _("The column “%(h)s” is missing.") % {"h": column.header},
                )
    data = []
    for offset, values in enumerate(rows):
        if any(cell_text(v) for v in values):
            data.append((offset + 2, values))
    if len(data) > max_rows:
        raise JobFailed(_("At most %(n)d rows can be imported at once.") % {"n": max_rows})
    return report, position, data


class Cells:
    """One row's cells by column key, reporting each problem at its cell."""

    def __init__(self, report, columns, position, row: int, values):
        self.report, self.position, self.row, self.values = report, position, row, values
        self.by_key = {c.key: c for c in columns}
        self.failed: set[str] = set()

    def raw(self, key: str):
        index = self.position.get(key)
        return self.values[index] if index is not None and index < len(self.values) else None

    def text(self, key: str) -> str:
        return cell_text(self.raw(key))

    def error(self, key: str, message: str) -> None:
        self.failed.add(key)
        index = self.position.get(key)
        self.report.error(
            self.row, index + 1 if index is not None else None, self.by_key[key].header, message
        )

    def required(self, key: str, max_length: int) -> str:
        value = self.text(key)
        if not value:
            self.error(key, _("This cell is required."))
        elif len(value) > max_length:
            self.error(key, _("At most %(n)d characters.") % {"n": max_length})
        return value

    def optional(self, key: str, max_length: int) -> str:
        value = self.text(key)
        if len(value) > max_length:
            self.error(key, _("At most %(n)d characters.") % {"n": max_length})
        return value

    def date(self, key: str, required: bool = False) -> dt.date | None:
        raw = self.raw(key)
        if not cell_text(raw):
            if required:
                self.error(key, _("This cell is required."))
            return None
        try:
            return read_date(raw)
        except ValueError:
            self.error(key, _("Write a date such as 2026-03-01."))
            return None

    def decimal(self, key: str, minimum=None, maximum=None) -> Decimal | None:
        text = self.text(key)
        if not text:
            return None
        number = read_decimal(text)
        if number is None:
            self.error(key, _("Write a number."))
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.error(key, _("Write a number from %(a)s to %(b)s.") % {"a": minimum, "b": maximum})
            return None
        return number

    def choice(self, key: str, choices, words: dict, default):
        text = self.text(key)
        if not text:
            return default
        for value, label in choices.choices:
            if text in (value, str(label)):
                return value
        if text in words:
            return words[text]
        allowed = "、".join(words) if words else "、".join(str(label) for label in choices.labels)
        self.error(key, _("Write one of: %(v)s.") % {"v": allowed})
        return default


# --- the project list ---------------------------------------------------------------------------


@dataclass
class ProjectLookups:
    unit: Unit
    sections: dict[str, Section]
    people: dict[str, list[Person]]
    existing: dict[str, Project]
    editable: set[int]

    @classmethod
    def load(cls, user, unit: Unit) -> ProjectLookups:
        sections = {s.name: s for s in Section.objects.filter(unit=unit, archived_at__isnull=True)}
        people: dict[str, list[Person]] = {}
        for person in Person.objects.filter(unit=unit, is_active=True).select_related("section"):
            people.setdefault(person.name, []).append(person)
        existing = {p.code: p for p in Project.objects.filter(unit=unit, archived_at__isnull=True)}
        editable = set(
            Project.objects.editable_by(user).filter(unit=unit).values_list("id", flat=True)
        )
        return cls(unit, sections, people, existing, editable)

    def person(self, cells: Cells, key: str) -> Person | None:
        text = cells.text(key)
        if not text:
            return None
        parts = [p.strip() for p in PERSON_SEPARATOR.split(text, maxsplit=1)]
        section_name, name = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
        candidates = self.people.get(name, [])
        if section_name:
            candidates = [p for p in candidates if p.section and p.section.name == section_name]
        if not candidates:
            cells.error(
                key, _("No one called “%(n)s” works in %(u)s.") % {"n": text, "u": self.unit}
            )
            return None
        if len(candidates) > 1:
            cells.error(
                key,
                _("%(k)d people in your unit are called “%(n)s”: write 股室/姓名.")
                % {"k": len(candidates), "n": name},
            )
            return None
        return candidates[0]


@dataclass
class ProjectRow:
    row: int
    code: str
    values: dict
    existing: Project | None


def parse_projects(
    workbook_file, lookups: ProjectLookups, default_section: Section | None, progress=None
) -> tuple[ImportReport, list[ProjectRow]]:
    """Read and check every row; nothing is written here."""
    report, position, data = read_sheet(workbook_file, PROJECT_COLUMNS, MAX_PROJECTS)
    if report.errors:
        return report, []
    parsed: list[ProjectRow] = []
    first_row: dict[str, int] = {}
    for count, (row_number, values) in enumerate(data):
        if progress and count % 50 == 0:
            progress(count, len(data), _("Checking row %(n)d") % {"n": row_number})
        cells = Cells(report, PROJECT_COLUMNS, position, row_number, values)
        code = cells.required("code", 40)
        existing = lookups.existing.get(code)
        if code and code in first_row:
            cells.error(
                "code",
                _("The code “%(c)s” is also on row %(r)d.") % {"c": code, "r": first_row[code]},
            )
        elif code:
            first_row[code] = row_number
        if existing is not None and existing.pk not in lookups.editable:
            cells.error(
                "code",
                _("The project “%(c)s” exists and you may not change it.") % {"c": code},
            )
        v: dict = {"code": code, "name": cells.required("name", 200)}
        v["type"] = cells.choice("type", ProjectType, TYPE_WORDS, ProjectType.OTHER)
        v["level"] = cells.choice("level", ProjectLevel, LEVEL_WORDS, ProjectLevel.COUNTY)
        stage = cells.choice("stage", _StageChoices, STAGE_WORDS, None)
        if existing is None:
            v["stage"] = stage or Stage.PRELIMINARY
        elif stage and stage != existing.stage:
            cells.error(
                "stage",
                _("The stage of an existing project is changed on its page, through its gate."),
            )
        for key, length in (
            ("owner", 200),
            ("contractor", 200),
            ("supervisor", 200),
            ("designer", 200),
            ("address", 300),
            ("funding_sources", 300),
        ):
            v[key] = cells.optional(key, length)
        v["notes"] = cells.text("notes")
        v["latitude"] = cells.decimal("latitude", -90, 90)
        v["longitude"] = cells.decimal("longitude", -180, 180)
        v["total_investment"] = cells.decimal("total_investment", 0, Decimal("999999999999"))
        v["annual_investment"] = cells.decimal("annual_investment", 0, Decimal("999999999999"))
        v["responsible_leader"] = lookups.person(cells, "responsible_leader")
        section_name = cells.text("lead_section")
        if section_name:
            v["lead_section"] = lookups.sections.get(section_name)
            if v["lead_section"] is None:
                cells.error(
                    "lead_section",
                    _("%(u)s has no section “%(s)s”.") % {"u": lookups.unit, "s": section_name},
                )
        elif existing is None:
            v["lead_section"] = default_section
        v["planned_start"] = cells.date("planned_start", required=True)
        v["deadline"] = cells.date("deadline", required=True)
        for key, message in services.check_dates(v["planned_start"], v["deadline"]).items():
            cells.error(key, message)
        for key in ("latitude", "longitude"):
            if v[key] is not None:
                v[key] = v[key].quantize(Decimal("0.000001"))
        parsed.append(ProjectRow(row_number, code, v, existing))
    report.errors.sort(key=lambda e: (e["row"], len(e["column"]), e["column"]))
    return report, parsed


class _StageChoices:
    """Stages a project may be entered at (not 停工/缓建: that needs a reason, on the page)."""

    choices = [(s.value, s.label) for s in Stage if s != Stage.SUSPENDED]
    labels = [s.label for s in Stage if s != Stage.SUSPENDED]


def _importing_unit(user) -> Unit:
    unit = Unit.objects.filter(pk=scope_for(user).own_unit_id).first()
    if unit is None:
        raise JobFailed(_("You belong to no unit, so sections and people cannot be matched."))
    return unit


def _refuse(report: ImportReport):
    raise JobFailed(
        _("Nothing was imported: %(n)d problem(s) found. Correct the file and import it again.")
        % {"n": len(report.errors)},
        {"errors": report.errors[:500], "error_count": len(report.errors)},
    )


def run_project_import(job, progress: Progress) -> dict:
    """Job handler: check every row, then create or update every project in one transaction."""
    user = job.created_by
    if not (user.has_perm("projects.import_project") and user.has_perm("projects.add_project")):
        raise JobFailed(_("You may not import projects."))
    unit = _importing_unit(user)
    scope = scope_for(user)
    default_section = Section.objects.filter(pk=scope.own_section_id).first()
    with job.input_file.open("rb") as handle:
        content = io.BytesIO(handle.read())
    lookups = ProjectLookups.load(user, unit)
    report, rows = parse_projects(content, lookups, default_section, progress)
    if report.errors:
        _refuse(report)
    if not rows:
        raise JobFailed(_("The file has no rows to import."))
    progress(len(rows), len(rows), _("Saving"))
    created = updated = 0
    with transaction.atomic():
        current = set(
            Project.objects.select_for_update()
            .filter(unit=unit, archived_at__isnull=True)
            .values_list("code", flat=True)
        )
        if current != set(lookups.existing):
            raise JobFailed(_("The projects changed while the file was checked; import it again."))
        for row in rows:
            if row.existing is None:
                Project.objects.create(unit=unit, **row.values)
                created += 1
            else:
                project = row.existing
                for key, value in row.values.items():
                    setattr(project, key, value)
                project.save()
                updated += 1
    return {
        "message": _("Imported: %(c)d new, %(u)d updated.") % {"c": created, "u": updated},
        "created": created,
        "updated": updated,
        "next_url": reverse("projects:project_list"),
        "next_label": _("View the projects"),
    }


# --- the activity plan --------------------------------------------------------------------------


@dataclass
class PlanRow:
    row: int
    activity: ActivityInput


def _plan_rows(report: ImportReport, position: dict[str, int], data) -> list[PlanRow]:
    """Read plan rows (from a sheet or pasted text) and run the scheduler's checks on the whole."""
    cells_by_row: list[Cells] = []
    codes = set()
    for row_number, values in data:
        cells = Cells(report, PLAN_COLUMNS, position, row_number, values)
        cells_by_row.append(cells)
        codes.add(cells.text("code"))
    rows: list[PlanRow] = []
    for cells in cells_by_row:
        code = cells.required("code", services.CODE_MAX)
        name = cells.required("name", services.NAME_MAX)
        duration_raw = cells.raw("duration")
        duration = read_whole(duration_raw)
        if not cell_text(duration_raw):
            cells.error("duration", _("This cell is required."))
            duration = 0
        weight = Decimal(1)
        if cells.text("weight"):
            weight = cells.decimal("weight", 0, Decimal("999999")) or Decimal(1)
        activity = ActivityInput(
            code=code,
            name=name,
            duration=duration,
            predecessors=parse_predecessors(cells.text("predecessors"), codes),
            finish_by=cells.date("finish_by"),
            weight=weight,
        )
        rows.append(PlanRow(cells.row, activity))
    _check_plan(report, position, rows)
    report.errors.sort(key=lambda e: (e["row"], len(e["column"]), e["column"]))
    return rows


KEY = re.compile(r"^activities\[(\d+)\]\.(\w+)$")


def _check_plan(report: ImportReport, position: dict[str, int], rows: list[PlanRow]) -> None:
    """The scheduler's checks, each put on its row and column (a cycle on the first row it names)."""
    failed = {(e["row"], e["header"]) for e in report.errors}
    headers = {c.key: c.header for c in PLAN_COLUMNS}
    for key, message in services.plan_problems([r.activity for r in rows]).items():
        match = KEY.match(key)
        if match is None:
            named = [r.row for r in rows if f"{r.activity.code} →" in message]
            row = named[0] if named else (rows[0].row if rows else 1)
            report.error(
                row, position.get("predecessors", -1) + 1 or None, headers["predecessors"], message
            )
            continue
        row = rows[int(match.group(1))]
        field = match.group(2) if match.group(2) in headers else "code"
        if (row.row, headers[field]) in failed:
            continue  # the cell already has its own message
        index = position.get(field)
        report.error(row.row, index + 1 if index is not None else None, headers[field], message)


def parse_plan(workbook_file, progress=None) -> tuple[ImportReport, list[PlanRow]]:
    report, position, data = read_sheet(workbook_file, PLAN_COLUMNS, MAX_ACTIVITIES)
    if report.errors:
        return report, []
    if progress:
        progress(0, len(data), _("Checking the plan"))
    return report, _plan_rows(report, position, data)


def parse_plan_text(text: str) -> tuple[ImportReport, list[PlanRow]]:
    """A plan pasted from a spreadsheet: one activity a line, cells separated by tabs (or |), in the
    template's column order; a first line of headers is skipped."""
    lines = [line for line in text.splitlines()]
    data = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        separator = "\t" if "\t" in line else "|"
        cells = tuple(cell.strip() for cell in line.split(separator))
        if not data and _normalise_header(cells[0]) in PLAN_COLUMNS[0].names():
            continue
        data.append((number, cells))
    report = ImportReport()
    if len(data) > MAX_ACTIVITIES:
        report.error(
            1, None, "", _("At most %(n)d rows can be imported at once.") % {"n": MAX_ACTIVITIES}
        )
        return report, []
    position = {column.key: index for index, column in enumerate(PLAN_COLUMNS)}
    return report, _plan_rows(report, position, data)


def plan_text(project: Project) -> str:
    """The active plan as tab-separated text, the format the text editor takes back."""
    lines = ["\t".join(c.header for c in PLAN_COLUMNS)]
    for activity in services.plan_rows(project):
        lines.append(
            "\t".join(
                [
                    activity.code,
                    activity.name,
                    str(activity.duration),
                    format_predecessors(activity.predecessors),
                    activity.finish_by.isoformat() if activity.finish_by else "",
                    f"{activity.weight.normalize():f}" if activity.weight != 1 else "",
                ]
            )
        )
    return "\n".join(lines)


def importable_projects(user):
    """Projects whose plan the user may replace by import (the view and the job ask alike)."""
    if not (user.has_perm("projects.import_project") and user.has_perm("projects.change_activity")):
        return Project.objects.none()
    return Project.objects.editable_by(user).filter(archived_at__isnull=True)


def run_plan_import(job, progress: Progress) -> dict:
    """Job handler: check the whole plan, then replace the project's plan in one transaction."""
    user = job.created_by
    project = importable_projects(user).filter(pk=job.params.get("project_id")).first()
    if project is None:
        raise JobFailed(_("The project does not exist or you may not change it."))
    with job.input_file.open("rb") as handle:
        content = io.BytesIO(handle.read())
    report, rows = parse_plan(content, progress)
    if report.errors:
        _refuse(report)
    if not rows:
        raise JobFailed(_("The file has no rows to import."))
    progress(len(rows), len(rows), _("Saving"))
    try:
        created = services.replace_plan(project, [r.activity for r in rows], user)
    except services.PlanError as error:  # the plan changed meanwhile; nothing was written
        raise JobFailed(error.message) from error
    return {
        "message": _("Imported a plan of %(n)d activities into %(p)s.")
        % {"n": len(created), "p": project},
        "created": len(created),
        "next_url": reverse("projects:project_plan", args=[project.pk]),
        "next_label": _("View the plan"),
    }
