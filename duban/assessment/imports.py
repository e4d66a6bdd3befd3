"""Excel import of a scheme's indicators from the assessor's spreadsheet: a template to download,
every row and column error reported, and all rows created in one transaction or none.

The sheet is read in two passes. The first reads every row on its own (required cells, numbers,
method and parameters, names of sections and people); the second resolves what needs the whole file:
parent codes (a parent may come after its children), duplicate codes, the depth of the tree.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from duban.assessment.choices import Direction, Method, SchemeStatus, ValueKind
from duban.assessment.models import Indicator, RequiredMaterial, Scheme
from duban.core.jobs import JobFailed, Progress
from duban.lib import scoring
from duban.org.imports import ImportReport
from duban.org.models import Person, Section, Unit
from duban.org.scoping import scope_for

MAX_ROWS = 2000
MAX_LEVEL = 3
YES = {"是", "y", "yes", "1", "true", "√"}
NO = {"否", "n", "no", "0", "false", ""}
# The assessor's words for the kinds of value, as they appear in schemes (input aliases).
VALUE_KIND_WORDS = {"累计": ValueKind.CUMULATIVE, "时点": ValueKind.POINT, "次数": ValueKind.COUNT}
PARAM_SPLIT = re.compile(r"[;；,，\n\r]+")
PARAM_PAIR = re.compile(r"^\s*([^=＝:：]+?)\s*[=＝:：]\s*(.*?)\s*$")
MATERIAL_SPLIT = re.compile(r"[;；\n\r]+")
PERSON_SEPARATOR = re.compile(r"[/／]")
SHEET_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class Column:
    key: str
    msgid: str
    required: bool
    width: int = 14

    @property
    def header(self) -> str:
        return _(self.msgid)

    def names(self) -> tuple[str, ...]:
        """Headers that name this column: the template's (translated), the English msgid, and
        the words assessors' own sheets use (编码, 名称, 基本分, …)."""
        return (self.header, self.msgid, *HEADER_ALIASES.get(self.key, ()))


# Template order. The headers are English msgids, shown translated (编码, 名称, 上级编码, …).
COLUMNS: tuple[Column, ...] = (
    Column("code", gettext_noop("Indicator code"), True, 10),
    Column("name", gettext_noop("Indicator name"), True, 28),
    Column("parent", gettext_noop("Parent code"), False, 10),
    Column("points", gettext_noop("Points"), True, 8),
    Column("method", gettext_noop("Scoring method"), False, 18),
    Column("params", gettext_noop("Parameters"), False, 36),
    Column("target", gettext_noop("Target"), False, 10),
    Column("unit_of_measure", gettext_noop("Unit of measure"), False, 10),
    Column("direction", gettext_noop("Direction"), False, 10),
    Column("value_kind", gettext_noop("Kind of value"), False, 10),
    Column("rule_text", gettext_noop("Scoring rule"), False, 40),
    Column("assessor_department", gettext_noop("Assessing department"), False, 14),
    Column("lead_section", gettext_noop("Lead section"), False, 12),
    Column("responsible_leader", gettext_noop("Responsible leader"), False, 12),
    Column("responsible_person", gettext_noop("Responsible person"), False, 12),
    Column("materials", gettext_noop("Evidence materials"), False, 36),
    Column("is_bonus", gettext_noop("Bonus item"), False, 8),
)
BY_KEY = {c.key: c for c in COLUMNS}
# Headers of assessors' own spreadsheets, accepted as they are (input vocabulary, not interface).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("编码", "指标编码"),
    "name": ("名称", "指标名称", "考核指标"),
    "parent": ("上级编码",),
    "points": ("分值", "基本分"),
    "method": ("计分方法",),
    "params": ("参数", "计分参数"),
    "target": ("目标值", "目标"),
    "unit_of_measure": ("计量单位",),
    "direction": ("方向", "计分方向"),
    "value_kind": ("数值类型",),
    "rule_text": ("评分细则", "评分标准"),
    "assessor_department": ("考核部门",),
    "lead_section": ("牵头股室", "责任股室"),
    "responsible_leader": ("责任领导", "分管领导"),
    "responsible_person": ("责任人",),
    "materials": ("印证资料", "佐证材料"),
    "is_bonus": ("加分项",),
}


def _explanations() -> dict[str, str]:
    methods = "；".join(f"{label}（{code}）" for code, label in scoring.METHODS.items())
    return {
        "code": _("Required. Unique within the scheme, for example 1, 1.2 or A-3."),
        "name": _("Required. The indicator's name as the scheme writes it."),
        "parent": _(
            "The code of the category or indicator it belongs to; empty for a first-level "
            "category. The parent may be on a later row or already in the scheme. At most three "
            "levels."
        ),
        "points": _("Required. The points of the indicator (分值); 0 is allowed for a veto item."),
        "method": _(
            "Empty for a category, whose score adds up its children. Otherwise one of: %(m)s."
        )
        % {"m": methods},
        "params": _(
            "The method's parameters as name=value pairs separated by semicolons; the names may be "
            "the codes or the Chinese labels listed below."
        ),
        "target": _(
            "The target value, needed by the completion and achieved/not achieved methods."
        ),
        "unit_of_measure": _("For example 亿元, %, 户."),
        "direction": _("越高越好 or 越低越好; empty means 越高越好."),
        "value_kind": _(
            "累计 (grows through the year, projected by the share of the year elapsed), 时点 (a "
            "level such as a rate) or 次数 (a count of events); empty means 时点."
        ),
        "rule_text": _("The scoring rule exactly as the scheme writes it."),
        "assessor_department": _("The department of the assessor that scores it."),
        "lead_section": _("The name of one of your unit's sections."),
        "responsible_leader": _(
            "The name of a person in your unit. If two people share the name, write 股室/姓名."
        ),
        "responsible_person": _(
            "The name of a person in your unit. If two people share the name, write 股室/姓名."
        ),
        "materials": _("The evidence the assessor asks for, separated by ； or one per line."),
        "is_bonus": _("是 for a bonus item (加分项); empty means 否."),
    }


def _param_lines() -> list[list[str]]:
    """One line per parameter of every method: method, parameter code, label, required, default."""
    lines = []
    for method, label in scoring.METHODS.items():
        specs = scoring.PARAMS.get(method, [])
        if not specs:
            lines.append([f"{label}（{method}）", "", _("No parameters."), "", ""])
            continue
        for spec in specs:
            choices = scoring.PARAM_CHOICES.get(spec.name)
            if choices:
                allowed = "、".join(f"{text}（{code}）" for code, text in choices.items())
            elif spec.name == "gate_last":
                allowed = _("是 or 否")
            else:
                allowed = _("a number")
            default = spec.default
            if default is None:
                optional_cap = spec.name == "cap" and not spec.required
                default_text = _("the indicator's points") if optional_cap else ""
            elif isinstance(default, bool):
                default_text = "是" if default else "否"
            else:
                default_text = str(scoring.PARAM_CHOICES.get(spec.name, {}).get(default, default))
            lines.append(
                [
                    f"{label}（{method}）",
                    spec.name,
                    f"{spec.label}: {allowed}",
                    _("required") if spec.required else _("optional"),
                    default_text,
                ]
            )
    return lines


def scheme_template() -> io.BytesIO:
    """The workbook to fill in: the indicator sheet and the instructions with every parameter."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Indicators")
    for index, column in enumerate(COLUMNS, start=1):
        header = f"{column.header}*" if column.required else column.header
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True, color="C62828" if column.required else "000000")
        cell.fill = SHEET_FILL
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "C2"
    lists = {
        "method": list(scoring.METHODS.values()),
        "direction": list(scoring.DIRECTIONS.values()),
        "value_kind": list(VALUE_KIND_WORDS),
        "is_bonus": ["是", "否"],
    }
    for key, values in lists.items():
        letter = get_column_letter(_position(key))
        # A suggestion, not a rule: codes are accepted too, and the import checks every cell.
        validation = DataValidation(
            type="list", formula1=f'"{",".join(values)}"', allow_blank=True, showErrorMessage=False
        )
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)

    notes = workbook.create_sheet(_("Instructions"))
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 20
    notes.column_dimensions["C"].width = 60
    notes.column_dimensions["D"].width = 10
    notes.column_dimensions["E"].width = 16
    bold = Font(bold=True)
    for line in (
        _("One indicator per row on the first sheet, from row 2. Headers marked * are required."),
        _(
            "If any row has an error nothing is imported; the job page lists every error by row "
            "and column."
        ),
        _("Codes already in the scheme cannot be imported again."),
    ):
        notes.append([line])
    notes.append([])
    notes.append([_("Column"), _("Header"), _("How to fill it in")])
    for cell in notes[notes.max_row]:
        cell.font = bold
    explanations = _explanations()
    for index, column in enumerate(COLUMNS, start=1):
        notes.append([get_column_letter(index), column.header, explanations[column.key]])
        notes.cell(row=notes.max_row, column=3).alignment = Alignment(wrap_text=True)
    notes.append([])
    notes.append(
        [_("Scoring method"), _("Parameter"), _("Meaning and values"), _("Required"), _("Default")]
    )
    for cell in notes[notes.max_row]:
        cell.font = bold
    for line in _param_lines():
        notes.append(line)
    notes.append([])
    notes.append([_("Examples of the parameters cell")])
    notes[notes.max_row][0].font = bold
    for example in (
        "penalty_per_step=1; step=1; bonus_per_step=0.5; bonus_cap=2",
        "每步扣分=1；步长（百分点）=1；每步加分=0.5；加分上限=2",
        "per_event=0.5; cap=3",
        "每个逾期节点扣分=1；最后节点未完成不得分=是",
        "否决范围=所在类别计0分",
    ):
        notes.append([example])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _position(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key)


# --- reading ------------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    row: int
    code: str
    name: str
    parent_code: str
    values: dict = field(default_factory=dict)  # Indicator field values, without scheme and parent
    materials: list[str] = field(default_factory=list)
    level: int = 0


@dataclass
class Lookups:
    """What names in the file may refer to: the importing user's unit, its sections and people."""

    unit: Unit
    sections: dict[str, Section]
    people: dict[str, list[Person]]  # name → the active people of the unit with that name
    existing: dict[str, Indicator]  # code → the scheme's current (not archived) indicators

    @classmethod
    def load(cls, scheme: Scheme, unit: Unit) -> Lookups:
        sections = {s.name: s for s in Section.objects.filter(unit=unit, archived_at__isnull=True)}
        people: dict[str, list[Person]] = {}
        for person in (
            Person.objects.filter(unit=unit, is_active=True)
            .select_related("section")
            .order_by("id")
        ):
            people.setdefault(person.name, []).append(person)
        existing = {
            i.code: i for i in Indicator.objects.filter(scheme=scheme, archived_at__isnull=True)
        }
        return cls(unit, sections, people, existing)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _normalise_header(value) -> str:
    return _text(value).replace("\n", "").rstrip("*＊").strip()


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


class RowReader:
    """Reads one spreadsheet row into Indicator values, reporting each problem at its cell."""

    def __init__(self, report: ImportReport, lookups: Lookups, position: dict[str, int]):
        self.report = report
        self.lookups = lookups
        self.position = position  # key → 0-based index in the sheet
        self.row = 0
        self.failed: set[str] = set()

    def error(self, key: str, message: str) -> None:
        self.failed.add(key)
        index = self.position.get(key)  # an optional column may be absent from the sheet
        column = index + 1 if index is not None else None
        self.report.error(self.row, column, BY_KEY[key].header, message)

    def cell(self, values, key: str) -> str:
        index = self.position.get(key)
        return _text(values[index]) if index is not None and index < len(values) else ""

    def read(self, row_number: int, values) -> ParsedRow:
        self.row, self.failed = row_number, set()
        cell = {c.key: self.cell(values, c.key) for c in COLUMNS}
        parsed = ParsedRow(row_number, cell["code"], cell["name"], cell["parent"])
        v = parsed.values
        self._required_text(cell, "code", 30)
        self._required_text(cell, "name", 200)
        v["code"], v["name"] = cell["code"], cell["name"]
        v["points"] = self._number(cell["points"], "points", places=2, digits=8, required=True)
        if v["points"] is not None and v["points"] < 0:
            self.error("points", _("The points cannot be negative."))
            v["points"] = None
        v["method"] = self._method(cell["method"])
        v["target"] = self._number(cell["target"], "target", places=4, digits=16)
        v["direction"] = self._direction(cell["direction"])
        v["value_kind"] = self._value_kind(cell["value_kind"])
        v["params"] = self._params(cell["params"], v["method"])
        if v["method"]:
            self._validate_config(v)
        v["unit_of_measure"] = self._optional_text(cell, "unit_of_measure", 20)
        v["assessor_department"] = self._optional_text(cell, "assessor_department", 100)
        v["rule_text"] = cell["rule_text"]
        v["lead_section"] = self._section(cell["lead_section"])
        v["responsible_leader"] = self._person(cell["responsible_leader"], "responsible_leader")
        v["responsible_person"] = self._person(cell["responsible_person"], "responsible_person")
        v["is_bonus"] = self._yes_no(cell["is_bonus"], "is_bonus")
        parsed.materials = self._materials(cell["materials"])
        return parsed

    def _required_text(self, cell: dict, key: str, limit: int) -> None:
        if not cell[key]:
            self.error(key, _("This cell is required."))
        elif len(cell[key]) > limit:
            self.error(key, _("At most %(n)d characters.") % {"n": limit})

    def _optional_text(self, cell: dict, key: str, limit: int) -> str:
        if len(cell[key]) > limit:
            self.error(key, _("At most %(n)d characters.") % {"n": limit})
        return cell[key]

    def _number(self, text: str, key: str, places: int, digits: int, required=False):
        if not text:
            if required:
                self.error(key, _("This cell is required."))
            return None
        number = _decimal(text)
        if number is None:
            self.error(key, _("“%(v)s” is not a number.") % {"v": text})
            return None
        if abs(number) >= Decimal(10) ** (digits - places):
            self.error(key, _("The number is too large."))
            return None
        rounded = round(number, places)
        if rounded != number:
            self.error(key, _("At most %(n)d decimal places.") % {"n": places})
            return None
        return rounded

    def _method(self, text: str) -> str:
        if not text:
            return ""
        for code, label in scoring.METHODS.items():
            if text in (code, label, str(Method(code).label)):
                return code
        self.error(
            "method",
            _("Unknown scoring method “%(v)s”. Use one of: %(m)s.")
            % {"v": text, "m": "、".join(scoring.METHODS.values())},
        )
        return ""

    def _direction(self, text: str) -> str:
        if not text:
            return Direction.HIGHER
        for code, label in scoring.DIRECTIONS.items():
            if text in (code, label, str(Direction(code).label)):
                return code
        self.error("direction", _("Write 越高越好 or 越低越好."))
        return Direction.HIGHER

    def _value_kind(self, text: str) -> str:
        if not text:
            return ValueKind.POINT
        if text in VALUE_KIND_WORDS:
            return VALUE_KIND_WORDS[text]
        for kind in ValueKind:
            if text in (kind.value, str(kind.label)):
                return kind.value
        self.error("value_kind", _("Write 累计, 时点 or 次数."))
        return ValueKind.POINT

    def _yes_no(self, text: str, key: str) -> bool:
        lowered = text.lower()
        if lowered in YES:
            return True
        if lowered not in NO:
            self.error(key, _("Write 是 or 否."))
        return False

    def _params(self, text: str, method: str) -> dict:
        if not text:
            return {}
        if not method:
            if "method" not in self.failed:
                self.error("params", _("A category (no scoring method) takes no parameters."))
            return {}
        specs = {spec.name: spec for spec in scoring.PARAMS.get(method, [])}
        # The full label (步长（百分点）) or its words before the bracket (步长).
        labels = {spec.label: spec.name for spec in specs.values()}
        labels.update({spec.label.split("（")[0]: spec.name for spec in specs.values()})
        params: dict = {}
        for piece in PARAM_SPLIT.split(text):
            if not piece.strip():
                continue
            match = PARAM_PAIR.match(piece)
            if match is None:
                self.error(
                    "params",
                    _("“%(p)s” is not of the form name=value.") % {"p": piece.strip()},
                )
                continue
            key, raw = match.groups()
            name = labels.get(key, key)
            if name in params:
                self.error("params", _("The parameter “%(p)s” is given twice.") % {"p": key})
                continue
            params[name] = _param_value(specs.get(name), raw)
        return params

    def _validate_config(self, v: dict) -> None:
        problems = scoring.validate_config(
            v["method"], v["points"], v["params"], v["target"], v["direction"]
        )
        for field_name, message in problems.items():
            key = (
                field_name
                if field_name in ("points", "target", "direction", "method")
                else "params"
            )
            if key in self.failed and key != "params":
                continue  # the cell already has its own message
            self.error(key, message)

    def _section(self, text: str) -> Section | None:
        if not text:
            return None
        section = self.lookups.sections.get(text)
        if section is None:
            self.error(
                "lead_section",
                _("%(u)s has no section “%(s)s”.") % {"u": self.lookups.unit, "s": text},
            )
        return section

    def _person(self, text: str, key: str) -> Person | None:
        if not text:
            return None
        parts = [p.strip() for p in PERSON_SEPARATOR.split(text, maxsplit=1)]
        section_name, name = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
        candidates = self.lookups.people.get(name, [])
        if section_name:
            candidates = [p for p in candidates if p.section and p.section.name == section_name]
            if not candidates:
                self.error(
                    key,
                    _("No one called “%(n)s” works in the section “%(s)s”.")
                    % {"n": name, "s": section_name},
                )
                return None
        elif not candidates:
            self.error(
                key,
                _("No one called “%(n)s” works in %(u)s.") % {"n": name, "u": self.lookups.unit},
            )
            return None
        if len(candidates) > 1:
            examples = "、".join(f"{p.section.name}/{p.name}" for p in candidates if p.section)
            self.error(
                key,
                _(
                    "%(k)d people in your unit are called “%(n)s”: write the section and the "
                    "name as 股室/姓名 (%(e)s)."
                )
                % {"k": len(candidates), "n": name, "e": examples or "—"},
            )
            return None
        return candidates[0]

    def _materials(self, text: str) -> list[str]:
        names = [m.strip() for m in MATERIAL_SPLIT.split(text) if m.strip()]
        for name in names:
            if len(name) > 200:
                self.error("materials", _("A material's name has at most 200 characters."))
                break
        return names


def _param_value(spec: scoring.ParamSpec | None, raw: str):
    """The value as the indicator stores it: numbers as strings, choices as codes, yes/no as bool.

    Anything unreadable is passed on as written, so `scoring.validate_config` names the problem.
    """
    if spec is None:
        return raw
    choices = scoring.PARAM_CHOICES.get(spec.name)
    if choices:
        for code, label in choices.items():
            if raw in (code, label):
                return str(code)
        return raw
    if spec.name == "gate_last":
        lowered = raw.lower()
        if lowered in YES:
            return True
        if lowered in NO - {""}:
            return False
        return raw
    number = _decimal(raw)
    return str(number) if number is not None else raw


def _resolve_tree(
    report: ImportReport, rows: list[ParsedRow], lookups: Lookups, position: dict[str, int]
) -> None:
    """Duplicate codes, parents (in the file or the scheme), loops and the depth of every row."""
    # Without a parent column in the sheet no row names a parent, so its position is never used.
    code_col, parent_col = position["code"] + 1, position.get("parent", -1) + 1
    code_header, parent_header = BY_KEY["code"].header, BY_KEY["parent"].header
    first: dict[str, ParsedRow] = {}
    for row in rows:
        if not row.code:
            continue
        if row.code in lookups.existing:
            report.error(
                row.row,
                code_col,
                code_header,
                _("The scheme already has an indicator with the code “%(c)s”.") % {"c": row.code},
            )
        elif row.code in first:
            report.error(
                row.row,
                code_col,
                code_header,
                _("The code “%(c)s” is also on row %(r)d.")
                % {"c": row.code, "r": first[row.code].row},
            )
        else:
            first[row.code] = row

    def parent_of(row: ParsedRow):
        if row.parent_code in first:
            return first[row.parent_code]
        return lookups.existing.get(row.parent_code)

    for row in rows:
        if not row.parent_code:
            continue
        if row.parent_code == row.code:
            report.error(
                row.row, parent_col, parent_header, _("An indicator cannot be its own parent.")
            )
            row.parent_code = ""
            continue
        parent = parent_of(row)
        if parent is None:
            report.error(
                row.row,
                parent_col,
                parent_header,
                _("No indicator with the code “%(c)s” in the file or the scheme.")
                % {"c": row.parent_code},
            )
            row.parent_code = ""
            continue
        method = parent.values.get("method") if isinstance(parent, ParsedRow) else parent.method
        if method:
            report.error(
                row.row,
                parent_col,
                parent_header,
                _(
                    "“%(c)s” has a scoring method, so it cannot hold sub-indicators; leave its "
                    "method empty to make it a category."
                )
                % {"c": row.parent_code},
            )

    def level(row: ParsedRow) -> int:
        """1 for a top-level row; -1 when the parents go round in a loop. Iterative: a long
        chain of parents in a bad file must not exhaust the stack."""
        chain: list[ParsedRow] = []
        node = row
        while True:
            if node is None:
                base = 0
                break
            if isinstance(node, Indicator):
                base = node.level
                break
            if node.level:
                base = node.level
                break
            if any(node is seen for seen in chain):
                base = -1
                break
            chain.append(node)
            node = parent_of(node) if node.parent_code else None
        for node in reversed(chain):
            base = -1 if base < 0 else base + 1
            node.level = base
        return row.level

    for row in rows:
        depth = level(row)
        if depth < 0:
            report.error(
                row.row,
                parent_col,
                parent_header,
                _("The parent codes go round in a loop (%(c)s).") % {"c": row.code},
            )
        elif depth > MAX_LEVEL:
            report.error(
                row.row, parent_col, parent_header, _("A scheme has at most three levels.")
            )


def parse_scheme(
    workbook_file, lookups: Lookups, progress: Progress | None = None
) -> tuple[ImportReport, list[ParsedRow]]:
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
    headers = [_normalise_header(h) for h in header_row]
    position: dict[str, int] = {}
    for column in COLUMNS:
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
    if report.errors:
        return report, []
    data = list(rows)
    if len(data) > MAX_ROWS:
        raise JobFailed(_("At most %(n)d rows can be imported at once.") % {"n": MAX_ROWS})
    reader = RowReader(report, lookups, position)
    parsed = []
    for offset, values in enumerate(data):
        row_number = offset + 2
        if progress and offset % 50 == 0:
            progress(offset, len(data), _("Checking row %(n)d") % {"n": row_number})
        if not any(_text(v) for v in values):
            continue
        parsed.append(reader.read(row_number, values))
    _resolve_tree(report, parsed, lookups, position)
    report.errors.sort(key=lambda e: (e["row"], len(e["column"]), e["column"]))
    return report, parsed


# --- writing ------------------------------------------------------------------------------------


def importable_schemes(user):
    """Schemes the user may import indicators into (the view and the job ask the same question)."""
    if not (
        user.has_perm("assessment.import_scheme") and user.has_perm("assessment.change_scheme")
    ):
        return Scheme.objects.none()
    return Scheme.objects.visible_to(user).filter(archived_at__isnull=True)


def create_indicators(scheme: Scheme, rows: list[ParsedRow]) -> tuple[int, int]:
    """Create the checked rows, parents first, in file order; returns (indicators, materials)."""
    existing = {
        i.code: i for i in Indicator.objects.filter(scheme=scheme, archived_at__isnull=True)
    }
    last = max((i.sort_order for i in existing.values()), default=0)
    order = {row.code: last + 10 * (index + 1) for index, row in enumerate(rows)}
    created: dict[str, Indicator] = {}
    materials = 0
    for row in sorted(rows, key=lambda r: r.level):  # sorted() is stable: file order per level
        parent = (
            (created.get(row.parent_code) or existing.get(row.parent_code))
            if row.parent_code
            else None
        )
        values = dict(row.values)
        if not values["method"]:
            values.update(params={}, target=None)
        indicator = Indicator.objects.create(
            scheme=scheme, parent=parent, sort_order=order[row.code], **values
        )
        created[row.code] = indicator
        for index, name in enumerate(row.materials, start=1):
            RequiredMaterial.objects.create(indicator=indicator, name=name, sort_order=10 * index)
            materials += 1
    return len(created), materials


def run_scheme_import(job, progress: Progress) -> dict:
    """Job handler: check every row, then create every indicator in one transaction, or none."""
    user = job.created_by
    scheme = importable_schemes(user).filter(pk=job.params.get("scheme_id")).first()
    if scheme is None:
        raise JobFailed(_("The scheme does not exist or you may not change it."))
    if scheme.status == SchemeStatus.CLOSED:
        raise JobFailed(_("The scheme is closed; indicators cannot be added to it."))
    unit = Unit.objects.filter(pk=scope_for(user).own_unit_id).first()
    if unit is None:
        raise JobFailed(_("You belong to no unit, so sections and people cannot be matched."))
    with job.input_file.open("rb") as handle:
        content = io.BytesIO(handle.read())
    lookups = Lookups.load(scheme, unit)
    report, rows = parse_scheme(content, lookups, progress)
    if report.errors:
        raise JobFailed(
            _("Nothing was imported: %(n)d problem(s) found. Correct the file and import it again.")
            % {"n": len(report.errors)},
            {"errors": report.errors[:500], "error_count": len(report.errors)},
        )
    if not rows:
        raise JobFailed(_("The file has no rows to import."))
    progress(len(rows), len(rows), _("Saving"))
    with transaction.atomic():
        # Lock the scheme, then make sure nobody added indicators while the file was being checked.
        Scheme.objects.select_for_update().filter(pk=scheme.pk).first()
        checked = set(lookups.existing)
        if (
            set(
                Indicator.objects.filter(scheme=scheme, archived_at__isnull=True).values_list(
                    "code", flat=True
                )
            )
            != checked
        ):
            raise JobFailed(_("The scheme changed while the file was checked; import it again."))
        count, materials = create_indicators(scheme, rows)
    return {
        "message": _("Imported %(n)d indicators and %(m)d evidence materials into %(s)s.")
        % {"n": count, "m": materials, "s": scheme.name},
        "created": count,
        "materials": materials,
        "next_url": scheme.get_absolute_url(),
        "next_label": _("View the scheme"),
    }
