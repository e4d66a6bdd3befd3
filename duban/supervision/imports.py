"""Excel import of an existing 督办 ledger (督办事项台账), run as a core job.

Every row is checked first and every problem reported by row and column, in Chinese; then every task
is registered in one transaction through `services.register_task` (so numbers follow the file's
order), or nothing is. Rows the ledger marks 办理中 or 已办结 are brought to that state by
`services.settle_imported`, which writes the line on the task's timeline.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from duban.core.exceptions import BusinessRuleError
from duban.core.jobs import JobFailed, Progress
from duban.org.imports import ImportReport
from duban.org.models import Person, Section, Unit
from duban.org.scoping import scope_for
from duban.projects.imports import Cells, Column, cell_text, read_sheet
from duban.projects.imports import read_date as _read_date
from duban.supervision import services
from duban.supervision.choices import FeedbackCycle, Source, TaskStatus, Weekday
from duban.supervision.documents import SOURCE_NAMES
from duban.supervision.models import Task

JOB_KIND = "supervision.import_tasks"
MAX_ROWS = 2000
MAX_WORKDAYS = 365
SHEET_FILL = PatternFill("solid", fgColor="F2F2F2")
LIST_SPLIT = re.compile(r"[、,，;；/／\s]+")
QUALIFIED = re.compile(r"^(.+?)\s*[（(]\s*(.*?)\s*[)）]$")
PHONE = re.compile(r"^\+?\d[\d\- ]{5,18}\d$")

COLUMNS: tuple[Column, ...] = (
    Column("title", gettext_noop("Task title"), True, 30, ("标题", "事项名称", "督办事项")),
    Column("content", gettext_noop("Task content"), False, 40, ("内容", "具体内容", "督办内容")),
    Column("source", gettext_noop("Task source"), True, 12, ("来源", "事项来源")),
    Column("source_ref", gettext_noop("Source document number"), False, 18, ("来源文号", "文号")),
    Column("lead_section", gettext_noop("Lead section (牵头)"), True, 12, ("牵头股室", "牵头单位")),
    Column(
        "cooperating",
        gettext_noop("Cooperating sections (配合)"),
        False,
        18,
        ("配合股室", "配合单位"),
    ),
    Column("owner", gettext_noop("Owner (承办人)"), True, 14, ("承办人", "责任人")),
    Column(
        "responsible_leader",
        gettext_noop("Leader responsible"),
        False,
        14,
        ("责任领导", "分管领导"),
    ),
    Column("important", gettext_noop("Important (是/否)"), False, 8, ("重要",)),
    Column("urgent", gettext_noop("Urgent (是/否)"), False, 8, ("紧急",)),
    Column("assigned_on", gettext_noop("Date assigned"), False, 12, ("交办日期", "交办时间")),
    Column("deadline", gettext_noop("Time limit (date)"), False, 12, ("办结时限", "完成时限")),
    Column("deadline_workdays", gettext_noop("Working days allowed"), False, 10, ("工作日数",)),
    Column("feedback_cycle", gettext_noop("Feedback cycle"), False, 10, ("反馈周期", "反馈要求")),
    Column("status", gettext_noop("Handling status"), False, 10, ("状态", "办理状态")),
    Column("completed_on", gettext_noop("Date completed"), False, 12, ("办结日期", "办结时间")),
)

# Words people write in their ledgers (input vocabulary), besides the codes and interface labels.
SOURCE_WORDS = {
    **{name: value for value, name in SOURCE_NAMES.items()},
    "信访": Source.PETITION,
    "12345": Source.PETITION,
    "信访件": Source.PETITION,
    "会议": Source.MEETING,
    "批示": Source.INSTRUCTION,
    "上级": Source.HIGHER,
    "考核": Source.INDICATOR,
    "项目": Source.PROJECT,
}
STATUS_WORDS = {
    "待签收": TaskStatus.PENDING,
    "办理中": TaskStatus.IN_PROGRESS,
    "已办结": TaskStatus.DONE,
}
YES = {"是", "Y", "y", "yes", "Yes", "YES", "√", "✓", "1", "TRUE", "True", "true"}
NO = {"否", "N", "n", "no", "No", "NO", "×", "✗", "0", "FALSE", "False", "false"}
WEEKDAY_WORDS = {"一": Weekday.MONDAY, "二": Weekday.TUESDAY, "三": Weekday.WEDNESDAY}
WEEKDAY_WORDS |= {"四": Weekday.THURSDAY, "五": Weekday.FRIDAY}


def read_date(value) -> dt.date:
    """An Excel date, 2026-06-30, 2026/6/30 or 2026年6月30日, within 2000–2100."""
    day = _read_date(value)
    if not 2000 <= day.year <= 2100:
        raise ValueError(value)
    return day


def read_cycle(text: str) -> tuple[str, int] | None:
    """无 / 每周 (by Friday) / 每周一…每周五 / 每月; None for anything else."""
    text = text.replace("星期", "周").strip()
    if text in ("无", "不需要", "不定期", FeedbackCycle.NONE, str(FeedbackCycle.NONE.label)):
        return FeedbackCycle.NONE, Weekday.FRIDAY
    if text in ("每月", "月报", FeedbackCycle.MONTHLY, str(FeedbackCycle.MONTHLY.label)):
        return FeedbackCycle.MONTHLY, Weekday.FRIDAY
    if text in ("每周", "周报", FeedbackCycle.WEEKLY, str(FeedbackCycle.WEEKLY.label)):
        return FeedbackCycle.WEEKLY, Weekday.FRIDAY
    match = re.fullmatch(r"每周([一二三四五])", text)
    if match:
        return FeedbackCycle.WEEKLY, WEEKDAY_WORDS[match.group(1)]
    return None


# --- the template ---------------------------------------------------------------------------------


def task_template() -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Task ledger")
    for index, column in enumerate(COLUMNS, start=1):
        header = f"{column.header}*" if column.required else column.header
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True, color="C62828" if column.required else "000000")
        cell.fill = SHEET_FILL
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("Instructions"))
    notes.column_dimensions["A"].width = 110
    lines = [
        _(
            "One supervised task per row on the first sheet, from row 2. Headers marked * are required."
        ),
        _("Source: %(v)s; write the meeting minutes or document number in the next column.")
        % {"v": "、".join(SOURCE_NAMES.values())},
        _(
            "Lead section: a section of your unit. Cooperating sections: sections of your unit "
            "separated by 、."
        ),
        _(
            "Owner and leader responsible: a person in post in your unit. If two people share the "
            "name, write 姓名（股室） or 姓名（phone number）. An empty leader means the lead "
            "section's leader in charge."
        ),
        _("Important and urgent: 是 or 否; empty means important and not urgent."),
        _(
            "Dates as 2026-06-30 or 2026年6月30日, or Excel dates. An empty date assigned means "
            "today."
        ),
        _(
            "Time limit: either a date, or a number of working days from the date assigned (not "
            "both). A time limit already past is accepted: the task is overdue at once."
        ),
        _(
            "Feedback cycle: 无, 每周 (a report by Friday; 每周一…每周五 to choose the day) or 每月."
        ),
        _(
            "Status: 待签收, 办理中 or 已办结 (with the date completed); empty means 待签收, or "
            "已办结 when a date completed is given."
        ),
        _(
            "Numbers (督办〔year〕N号) are given in the order of the rows. A title already "
            "registered in your unit is refused, so a ledger cannot be imported twice."
        ),
        _(
            "If any row has an error nothing is imported; the job page lists every error by row "
            "and column."
        ),
    ]
    for line in lines:
        notes.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


# --- reading ----------------------------------------------------------------------------------------


@dataclass
class Lookups:
    unit: Unit
    sections: dict[str, Section]
    people: list[Person]
    titles: dict[str, Task]

    @classmethod
    def load(cls, unit: Unit) -> Lookups:
        sections = {s.name: s for s in Section.objects.filter(unit=unit, archived_at__isnull=True)}
        people = list(
            Person.objects.filter(unit=unit, is_active=True)
            .select_related("section")
            .order_by("id")
        )
        titles = {}
        for task in Task.objects.filter(unit=unit, archived_at__isnull=True).only(
            "id", "title", "prefix", "year", "seq"
        ):
            titles.setdefault(task.title, task)
        return cls(unit, sections, people, titles)

    def section(self, cells: Cells, key: str, name: str) -> Section | None:
        section = self.sections.get(name)
        if section is None:
            cells.error(key, _("%(u)s has no section “%(s)s”.") % {"u": self.unit, "s": name})
        return section

    def person(self, cells: Cells, key: str, required: bool) -> Person | None:
        """姓名, 姓名（股室）, 姓名（phone）, 股室/姓名, or a phone number alone."""
        text = cells.text(key)
        if not text:
            if required:
                cells.error(key, _("This cell is required."))
            return None
        name, qualifier = text, ""
        match = QUALIFIED.match(text)
        if match:
            name, qualifier = match.groups()
        elif "/" in text or "／" in text:
            qualifier, name = (p.strip() for p in re.split(r"[/／]", text, maxsplit=1))
        elif PHONE.match(text):
            name, qualifier = "", text
        elif " " in text:
            name, qualifier = (p.strip() for p in text.split(None, 1))
        candidates = [p for p in self.people if not name or p.name == name]
        if qualifier:
            if PHONE.match(qualifier):
                digits = re.sub(r"\D", "", qualifier)
                candidates = [p for p in candidates if re.sub(r"\D", "", p.phone) == digits]
            else:
                candidates = [p for p in candidates if p.section and p.section.name == qualifier]
        if not candidates:
            cells.error(
                key,
                _("No one in post in %(u)s matches “%(n)s”.") % {"u": self.unit, "n": text},
            )
            return None
        if len(candidates) > 1:
            cells.error(
                key,
                _(
                    "%(k)d people in %(u)s are called “%(n)s”: add the phone number or the "
                    "section, e.g. %(n)s（%(s)s）."
                )
                % {
                    "k": len(candidates),
                    "u": self.unit,
                    "n": name,
                    "s": candidates[0].section.name if candidates[0].section else "股室",
                },
            )
            return None
        return candidates[0]


@dataclass
class TaskRow:
    row: int
    values: dict
    cooperating: list[Section]
    status: str
    completed_on: dt.date | None


def _flag(cells: Cells, key: str, default: bool) -> bool:
    text = cells.text(key)
    if not text:
        return default
    if text in YES:
        return True
    if text in NO:
        return False
    cells.error(key, _("Write 是 or 否."))
    return default


def _date(cells: Cells, key: str) -> dt.date | None:
    raw = cells.raw(key)
    if not cell_text(raw):
        return None
    try:
        return read_date(raw)
    except (ValueError, TypeError):
        cells.error(key, _("Write a date such as 2026-06-30 or 2026年6月30日."))
        return None


def _choice(cells: Cells, key: str, words: dict, choices, default):
    text = cells.text(key)
    if not text:
        return default
    if text in words:
        return words[text]
    for value, label in choices.choices:
        if text in (value, str(label)):
            return value
    cells.error(key, _("Write one of: %(v)s.") % {"v": "、".join(words)})
    return default


def parse_tasks(
    workbook_file, lookups: Lookups, progress=None
) -> tuple[ImportReport, list[TaskRow]]:
    """Read and check every row; nothing is written here."""
    report, position, data = read_sheet(workbook_file, COLUMNS, MAX_ROWS)
    if report.errors:
        return report, []
    today = timezone.localdate()
    parsed: list[TaskRow] = []
    for count, (row_number, values) in enumerate(data):
        if progress and count % 50 == 0:
            progress(count, len(data), _("Checking row %(n)d") % {"n": row_number})
        cells = Cells(report, COLUMNS, position, row_number, values)
        v: dict = {"title": cells.required("title", 200)}
        existing = lookups.titles.get(v["title"])
        if existing is not None:
            cells.error(
                "title",
                _("A task with this title is already registered: %(n)s.") % {"n": existing.number},
            )
        v["content"] = cells.text("content")
        if not cells.text("source"):
            cells.error("source", _("This cell is required."))
        v["source"] = _choice(cells, "source", SOURCE_WORDS, Source, Source.OTHER)
        v["source_ref"] = cells.optional("source_ref", 200)
        lead_name = cells.text("lead_section")
        lead = None
        if not lead_name:
            cells.error("lead_section", _("This cell is required."))
        else:
            lead = lookups.section(cells, "lead_section", lead_name)
        v["lead_section"] = lead
        cooperating: list[Section] = []
        for name in LIST_SPLIT.split(cells.text("cooperating")):
            if not name:
                continue
            section = lookups.section(cells, "cooperating", name)
            if section is not None and section != lead and section not in cooperating:
                cooperating.append(section)
        v["owner"] = lookups.person(cells, "owner", required=True)
        v["responsible_leader"] = lookups.person(cells, "responsible_leader", required=False)
        v["important"] = _flag(cells, "important", True)
        v["urgent"] = _flag(cells, "urgent", False)
        assigned_on = _date(cells, "assigned_on")
        if assigned_on is None and "assigned_on" not in cells.failed:
            assigned_on = today
        v["assigned_on"] = assigned_on or today
        deadline = _date(cells, "deadline")
        workdays = _workdays(cells)
        if "deadline" not in cells.failed and "deadline_workdays" not in cells.failed:
            if deadline is None and workdays is None:
                cells.error(
                    "deadline", _("Give a time limit: a date, or a number of working days.")
                )
            elif deadline is not None and workdays is not None:
                cells.error(
                    "deadline_workdays",
                    _("Give either a date or a number of working days, not both."),
                )
            elif deadline is not None and assigned_on and deadline < assigned_on:
                cells.error("deadline", _("The time limit cannot be before the date assigned."))
        v["deadline"] = deadline
        v["deadline_workdays"] = workdays
        cycle = cells.text("feedback_cycle")
        v["feedback_cycle"], v["feedback_weekday"] = FeedbackCycle.NONE, Weekday.FRIDAY
        if cycle:
            read = read_cycle(cycle)
            if read is None:
                cells.error("feedback_cycle", _("Write 无, 每周 or 每月."))
            else:
                v["feedback_cycle"], v["feedback_weekday"] = read
        completed_on = _date(cells, "completed_on")
        default_status = TaskStatus.DONE if completed_on else TaskStatus.PENDING
        status = _choice(cells, "status", STATUS_WORDS, _ImportStatus, default_status)
        if (
            status == TaskStatus.DONE
            and completed_on is None
            and "completed_on" not in cells.failed
        ):
            cells.error("completed_on", _("A completed task needs the date it was completed."))
        elif status != TaskStatus.DONE and completed_on is not None:
            cells.error("completed_on", _("Only a completed task has a date completed."))
        elif completed_on is not None:
            if completed_on > today:
                cells.error("completed_on", _("The date completed cannot be in the future."))
            elif assigned_on and completed_on < assigned_on:
                cells.error(
                    "completed_on", _("The date completed cannot be before the date assigned.")
                )
        parsed.append(TaskRow(row_number, v, cooperating, status, completed_on))
    report.errors.sort(key=lambda e: (e["row"], len(e["column"]), e["column"]))
    return report, parsed


class _ImportStatus:
    """Statuses a ledger row may carry (待审核 and 已中止 are reached in the system, not imported)."""

    choices = [
        (s.value, s.label) for s in (TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.DONE)
    ]


def _workdays(cells: Cells) -> int | None:
    raw = cells.raw("deadline_workdays")
    text = cell_text(raw)
    if not text:
        return None
    if not re.fullmatch(r"\d+", text) or not 1 <= int(text) <= MAX_WORKDAYS:
        cells.error(
            "deadline_workdays",
            _("Write a whole number of working days from 1 to %(n)d.") % {"n": MAX_WORKDAYS},
        )
        return None
    return int(text)


# --- the job ----------------------------------------------------------------------------------------


def _importing_unit(user) -> Unit:
    unit = Unit.objects.filter(pk=scope_for(user).own_unit_id).first()
    if unit is None:
        raise JobFailed(_("You belong to no unit, so sections and people cannot be matched."))
    return unit


def run_task_import(job, progress: Progress) -> dict:
    """Job handler: check every row, then register every task in one transaction."""
    user = job.created_by
    if not (user.has_perm("supervision.import_task") and user.has_perm("supervision.add_task")):
        raise JobFailed(_("You may not import supervised tasks."))
    unit = _importing_unit(user)
    with job.input_file.open("rb") as handle:
        content = io.BytesIO(handle.read())
    lookups = Lookups.load(unit)
    report, rows = parse_tasks(content, lookups, progress)
    if report.errors:
        raise JobFailed(
            _("Nothing was imported: %(n)d problem(s) found. Correct the file and import it again.")
            % {"n": len(report.errors)},
            {"errors": report.errors[:500], "error_count": len(report.errors)},
        )
    if not rows:
        raise JobFailed(_("The file has no rows to import."))
    numbers = []
    try:
        with transaction.atomic():
            for count, row in enumerate(rows):
                if count % 50 == 0:
                    progress(count, len(rows), _("Saving"))
                task = services.register_task(
                    user,
                    Task(unit=unit, **row.values),
                    row.cooperating,
                    # An old ledger's finished work is history: its owners get no "new task" notice.
                    notify_owner=row.status != TaskStatus.DONE,
                )
                task = services.settle_imported(user, task, row.status, row.completed_on)
                numbers.append(task.number)
    except BusinessRuleError as error:
        raise JobFailed(
            _("Nothing was imported: row %(r)d: %(m)s") % {"r": row.row, "m": error.message}
        ) from error
    progress(len(rows), len(rows), _("Saving"))
    result = {
        "message": _("Imported %(n)d supervised tasks (%(first)s to %(last)s).")
        % {"n": len(numbers), "first": numbers[0], "last": numbers[-1]},
        "created": len(numbers),
    }
    result["next_url"] = reverse("supervision:task_list")
    result["next_label"] = _("View the tasks")
    return result
