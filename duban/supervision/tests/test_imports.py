"""Excel import of an existing 督办 ledger: a job, all or nothing, errors by row and column."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import Workbook, load_workbook

from duban.core import jobs
from duban.core.models import Job
from duban.org.tests.factories import make_person
from duban.supervision import imports
from duban.supervision.choices import EventKind, FeedbackCycle, Source, TaskStatus, Weekday
from duban.supervision.models import Event, Task
from duban.supervision.tests.factories import make_task

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
JULY_1 = dt.datetime(2026, 7, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
# The ledger's own headers, as the office writes them.
HEADERS = {
    "title": "标题",
    "content": "内容",
    "source": "来源",
    "source_ref": "来源文号",
    "lead_section": "牵头股室",
    "cooperating": "配合股室",
    "owner": "承办人",
    "responsible_leader": "责任领导",
    "important": "重要",
    "urgent": "紧急",
    "assigned_on": "交办日期",
    "deadline": "办结时限",
    "deadline_workdays": "工作日数",
    "feedback_cycle": "反馈周期",
    "status": "状态",
    "completed_on": "办结日期",
}
LETTER = {key: chr(ord("A") + i) for i, key in enumerate(HEADERS)}


@pytest.fixture(autouse=True)
def _handler(monkeypatch):
    # The kind as core.jobs.HANDLERS will name it (listed there by the lead).
    monkeypatch.setitem(
        jobs.HANDLERS, imports.JOB_KIND, "duban.supervision.imports.run_task_import"
    )


def ledger(rows: list[dict], name: str = "ledger.xlsx") -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADERS.values()))
    for cells in rows:
        assert not set(cells) - set(HEADERS), set(cells) - set(HEADERS)
        sheet.append([cells.get(key) for key in HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(buffer.getvalue())
    buffer.seek(0)
    buffer.name = name
    return buffer


def row(title: str, **cells) -> dict:
    cells.setdefault("source", "会议决定")
    cells.setdefault("lead_section", "股室A")
    cells.setdefault("owner", "staff_a")
    cells.setdefault("assigned_on", "2026-06-01")
    if "deadline_workdays" not in cells:
        cells.setdefault("deadline", "2026-06-30")
    return {"title": title, **cells}


def run_import(client, file, capture) -> Job:
    with time_machine.travel(JULY_1, tick=False), capture(execute=True):
        response = client.post("/supervision/tasks/import/", {"file": file})
    assert response.status_code == 302, response.content
    return Job.objects.latest("id")


def errors_of(job: Job) -> set[tuple[int, str]]:
    return {(e["row"], e["column"]) for e in job.result["errors"]}


def test_a_good_ledger_imports_every_task_numbered_in_order(
    org, client_for, django_capture_on_commit_callbacks
):
    same_name_a = make_person(org.bureau, org.section_a, name="张伟")
    same_name_c = make_person(org.bureau, org.section_c, name="张伟")
    same_name_c.phone = "13800000001"
    same_name_c.save()
    file = ledger(
        [
            row(
                "推进老旧小区改造",
                content="完成3个小区外墙改造",
                source="领导批示",
                source_ref="县长批示〔2026〕8号",
                cooperating="股室B、股室C",
                owner="张伟（股室A）",
                responsible_leader="director",
                important="是",
                urgent="是",
                deadline="2026年6月30日",
                feedback_cycle="每周",
            ),
            row(
                "排水管网清淤",
                source="信访/12345",
                owner="张伟（13800000001）",
                assigned_on=dt.datetime(2026, 6, 1),
                deadline=None,
                deadline_workdays=10,
                feedback_cycle="每周三",
                urgent="否",
                important="否",
                status="办理中",
            ),
            row(
                "整改安全隐患",
                deadline=dt.date(2026, 6, 20),
                status="已办结",
                completed_on="2026-06-18",
            ),
        ],
        "supervision-import-good.xlsx",
    )

    job = run_import(client_for("office"), file, django_capture_on_commit_callbacks)

    assert job.status == "succeeded", (job.message, job.result)
    tasks = list(Task.objects.order_by("seq"))
    assert [(t.year, t.seq, t.title) for t in tasks] == [
        (2026, 1, "推进老旧小区改造"),
        (2026, 2, "排水管网清淤"),
        (2026, 3, "整改安全隐患"),
    ]
    first, second, third = tasks
    assert first.number == "督办〔2026〕1号"
    assert (first.source, first.source_ref) == (Source.INSTRUCTION, "县长批示〔2026〕8号")
    assert first.owner == same_name_a
    assert first.responsible_leader == org.person("director")
    assert {s.name for s in first.cooperating_sections.all()} == {"股室B", "股室C"}
    assert (first.important, first.urgent, first.deadline) == (True, True, dt.date(2026, 6, 30))
    assert (first.feedback_cycle, first.status) == (FeedbackCycle.WEEKLY, TaskStatus.PENDING)

    assert second.owner == same_name_c
    assert second.source == Source.PETITION
    assert second.responsible_leader == org.person("leader")  # the lead section's leader in charge
    # 10 working days after 1 June 2026 (the Dragon Boat holiday is 19 June): 15 June.
    assert (second.deadline_workdays, second.deadline) == (10, dt.date(2026, 6, 15))
    assert (second.feedback_cycle, second.feedback_weekday) == (
        FeedbackCycle.WEEKLY,
        Weekday.WEDNESDAY,
    )
    assert second.feedback_due >= dt.date(2026, 7, 1)  # reports before the import are not late
    assert (second.status, second.accepted_on) == (TaskStatus.IN_PROGRESS, dt.date(2026, 6, 1))
    assert (second.important, second.urgent) == (False, False)

    assert (third.status, third.completed_on) == (TaskStatus.DONE, dt.date(2026, 6, 18))
    assert Event.objects.filter(task=third, kind=EventKind.COMPLETED).count() == 1
    assert Event.objects.filter(task=second, kind=EventKind.ACCEPTED).count() == 1
    assert Event.objects.filter(kind=EventKind.CREATED).count() == 3
    assert job.result["created"] == 3


def test_errors_in_rows_3_and_5_import_nothing_and_name_row_and_column(
    org, client_for, django_capture_on_commit_callbacks
):
    file = ledger(
        [
            row("第一项"),
            row("第二项", lead_section="不存在的股室"),  # row 3
            row("第三项"),
            row("第四项", deadline="6月30日", important="也许"),  # row 5
        ],
        "supervision-import-errors.xlsx",
    )

    job = run_import(client_for("office"), file, django_capture_on_commit_callbacks)

    assert job.status == "failed"
    assert Task.objects.count() == 0
    assert errors_of(job) == {
        (3, LETTER["lead_section"]),
        (5, LETTER["deadline"]),
        (5, LETTER["important"]),
    }
    assert job.result["error_count"] == 3
    by_cell = {(e["row"], e["column"]): e for e in job.result["errors"]}
    assert "不存在的股室" in by_cell[(3, LETTER["lead_section"])]["message"]
    assert by_cell[(5, LETTER["deadline"])]["header"]


def test_an_ambiguous_name_asks_for_the_phone_or_the_section(
    org, client_for, django_capture_on_commit_callbacks
):
    make_person(org.bureau, org.section_a, name="张伟")
    make_person(org.bureau, org.section_c, name="张伟")
    file = ledger([row("事项", owner="张伟"), row("事项二", owner="李四")])

    job = run_import(client_for("office"), file, django_capture_on_commit_callbacks)

    assert job.status == "failed"
    assert errors_of(job) == {(2, LETTER["owner"]), (3, LETTER["owner"])}
    ambiguous = next(e for e in job.result["errors"] if e["row"] == 2)["message"]
    assert "张伟（股室A）" in ambiguous


def test_cells_that_break_the_rules_are_each_reported(
    org, client_for, django_capture_on_commit_callbacks
):
    file = ledger(
        [
            row("缺时限", deadline=None),
            row("两个时限", deadline="2026-06-30", deadline_workdays=5),
            row("时限早于交办", deadline="2026-05-01"),
            row("办结无日期", status="已办结"),
            row("办结在将来", completed_on="2026-07-20"),
            row("状态不对", status="待审核", source="随便", feedback_cycle="每天"),
            row("", owner="", lead_section=""),
        ]
    )

    job = run_import(client_for("office"), file, django_capture_on_commit_callbacks)

    assert job.status == "failed"
    assert errors_of(job) == {
        (2, LETTER["deadline"]),
        (3, LETTER["deadline_workdays"]),
        (4, LETTER["deadline"]),
        (5, LETTER["completed_on"]),
        (6, LETTER["completed_on"]),
        (7, LETTER["status"]),
        (7, LETTER["source"]),
        (7, LETTER["feedback_cycle"]),
        (8, LETTER["title"]),
        (8, LETTER["owner"]),
        (8, LETTER["lead_section"]),
    }
    assert Task.objects.count() == 0


def test_a_ledger_cannot_be_imported_twice(org, client_for, django_capture_on_commit_callbacks):
    make_task(org, "已登记事项")
    job = run_import(
        client_for("office"), ledger([row("已登记事项")]), django_capture_on_commit_callbacks
    )
    assert job.status == "failed"
    assert errors_of(job) == {(2, LETTER["title"])}
    assert "督办〔2026〕1号" in job.result["errors"][0]["message"]


def test_the_template_has_an_instructions_sheet_and_imports_back(
    org, client_for, django_capture_on_commit_callbacks
):
    response = client_for("office").get("/supervision/tasks/import/template/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    (ARTIFACTS / "supervision-import-template.xlsx").write_bytes(content)
    book = load_workbook(io.BytesIO(content))
    assert len(book.sheetnames) == 2
    assert "说明" in book.sheetnames[1] or book.sheetnames[1] == "Instructions"
    assert book.worksheets[1]["A1"].value
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert len(headers) == len(imports.COLUMNS)
    values = {"title": "模板事项", "source": "上级交办", "lead_section": "股室A"}
    values |= {"owner": "staff_a", "deadline": "2026-07-31"}
    keys = [c.key for c in imports.COLUMNS]
    sheet.append([values.get(key) for key in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "template.xlsx"

    job = run_import(client_for("office"), buffer, django_capture_on_commit_callbacks)

    assert job.status == "succeeded", job.result
    task = Task.objects.get()
    assert (task.title, task.source, task.assigned_on) == (
        "模板事项",
        Source.HIGHER,
        dt.date(2026, 7, 1),
    )


def test_only_the_office_imports_and_a_wrong_file_is_refused(org, client_for):
    file = ledger([row("事项")])
    assert (
        client_for("staff_a").post("/supervision/tasks/import/", {"file": file}).status_code == 403
    )
    assert client_for("director").get("/supervision/tasks/import/").status_code == 403
    text = io.BytesIO(b"not a workbook")
    text.name = "ledger.xlsx"
    response = client_for("office").post("/supervision/tasks/import/", {"file": text})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert Task.objects.count() == 0 and Job.objects.count() == 0


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-06-30", dt.date(2026, 6, 30)),
        ("2026年6月30日", dt.date(2026, 6, 30)),
        ("2026/6/30", dt.date(2026, 6, 30)),
        (dt.datetime(2026, 6, 30), dt.date(2026, 6, 30)),
    ],
)
def test_dates_as_excel_dates_or_text(value, expected):
    assert imports.read_date(value) == expected


def test_text_that_is_not_a_date_is_refused():
    for value in ("6月30日", "2026-13-01", "1900-01-01", "明天"):
        with pytest.raises(ValueError):
            imports.read_date(value)
