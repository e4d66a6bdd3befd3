"""The 督办通知单 and the weekly 督办通报: their text, the GB/T 9704 page, the week's numbers and a
fixed query count.

Week 2026-W26 is Mon 22 June – Sun 28 June 2026; the clock is frozen on Friday 26 June. The Dragon
Boat holiday (19–21 June) sits just before it, so a deadline of Monday 22 June is 4 working days
late on the 26th (23, 24, 25, 26), and one of 10 June is 11.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document
from docx.shared import Mm

from duban.core.testing import count_queries
from duban.supervision import bulletin, services
from duban.supervision.choices import Level, TaskStatus
from duban.supervision.models import Escalation, Policy
from duban.supervision.tests.factories import make_task

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
FRIDAY = dt.datetime(2026, 6, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def save(name: str, content: bytes) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(content)


def docx_text(content: bytes) -> tuple[object, str]:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("|".join(cell.text for cell in row.cells))
    return document, "\n".join(lines)


def assert_gbt9704_page(document) -> None:
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.top_margin - Mm(37)) < Mm(0.1)
    assert abs(section.bottom_margin - Mm(35)) < Mm(0.1)
    assert abs(section.left_margin - Mm(28)) < Mm(0.1)
    assert abs(section.right_margin - Mm(26)) < Mm(0.1)


# --- 督办通知单 ------------------------------------------------------------------------------------


def test_notice_carries_the_task_in_official_format(org, client_for):
    Policy.objects.create(unit=org.bureau, number_prefix="住建督")
    make_task(org, "先占一号")
    task = make_task(
        org,
        "推进老旧小区改造",
        content="完成3个小区的外墙改造。",
        source="instruction",
        source_ref="县长批示〔2026〕8号",
        cooperating=[org.section_b, org.section_c],
        feedback_cycle="weekly",
        deadline=dt.date(2026, 6, 30),
    )

    response = client_for("staff_a").get(f"/supervision/tasks/{task.pk}/notice.docx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".docx" in response["Content-Disposition"]
    save("supervision-notice.docx", response.content)
    document, text = docx_text(response.content)
    assert_gbt9704_page(document)
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == "住建督〔2026〕2号"
    assert "督办通知单" in paragraphs
    assert "股室A：" in paragraphs
    for expected in (
        "领导批示（县长批示〔2026〕8号）",
        "推进老旧小区改造",
        "完成3个小区的外墙改造。",
        "办结时限：2026年6月30日前办结",
        "每周星期五前报送一次办理进展",
        "一、督办事项",
        "二、办理要求",
        "三、责任分工",
        "住建督〔2026〕2号|股室A|staff_a|leader|股室B、股室C",
    ):
        assert expected in text, expected
    # The sign-off: the issuing unit and the day of assignment, at the end of the body.
    assert paragraphs[-2:] == ["某县住房和城乡建设局", "2026年6月1日"]


def test_notice_of_a_task_out_of_scope_is_not_found(org, client_for):
    task = make_task(org, "股室A的事项")
    assert client_for("staff_c").get(f"/supervision/tasks/{task.pk}/notice.docx").status_code == 404


# --- the weekly bulletin ---------------------------------------------------------------------------


def week_of_tasks(org) -> dict:
    """Tasks in every situation the bulletin counts, as they stand on Friday 26 June 2026."""
    office = org.users["office"]
    tasks = {
        "done": make_task(org, "本周办结事项", deadline=dt.date(2026, 6, 30)),
        "done_before": make_task(org, "上周办结事项", deadline=dt.date(2026, 6, 30)),
        "overdue": make_task(org, "逾期事项", deadline=dt.date(2026, 6, 22)),
        "escalated": make_task(org, "二级督办事项", deadline=dt.date(2026, 6, 10)),
        "open": make_task(org, "正常办理事项", deadline=dt.date(2026, 7, 31)),
        "section_c": make_task(
            org,
            "股室C事项",
            lead_section=org.section_c,
            owner=org.person("staff_c"),
            deadline=dt.date(2026, 7, 10),
        ),
        "stopped": make_task(org, "已中止事项"),
        "next_week": make_task(org, "下周交办事项", assigned_on=dt.date(2026, 6, 29)),
    }
    services.settle_imported(office, tasks["done"], TaskStatus.DONE, dt.date(2026, 6, 24))
    services.settle_imported(office, tasks["done_before"], TaskStatus.DONE, dt.date(2026, 6, 17))
    services.stop(office, tasks["stopped"], "撤销")
    for level, person in ((Level.LEADER, "leader"), (Level.DIRECTOR, "director")):
        Escalation.objects.create(
            task=tasks["escalated"],
            level=level,
            reason="overdue",
            detail="逾期多日",
            to_person=org.person(person),
            opened_on=dt.date(2026, 6, 15),
        )
    return tasks


def test_bulletin_counts_the_week_as_it_stood(org):
    week_of_tasks(org)
    with time_machine.travel(FRIDAY, tick=False):
        b = bulletin.build(org.users["director"], bulletin.parse_week("2026-W26"))

    assert (b.monday, b.sunday, b.as_of) == (
        dt.date(2026, 6, 22),
        dt.date(2026, 6, 28),
        dt.date(2026, 6, 26),
    )
    assert [line.task.title for line in b.done_this_week] == ["本周办结事项"]
    assert b.done_this_year == 2
    assert b.in_progress == 4  # overdue, escalated, open, section C
    assert b.total == 6  # the stopped one and next week's are not counted
    overdue = {line.task.title: line.overdue_workdays for line in b.overdue}
    assert overdue == {"逾期事项": 4, "二级督办事项": 11}
    assert [(line.task.title, line.level) for line in b.escalated] == [("二级督办事项", 2)]
    assert b.escalated[0].escalated_to == ["director", "leader"]
    assert (b.escalated_level1, b.escalated_level2) == (0, 1)
    rows = {
        row.section.name: (row.total, row.done, row.in_progress, row.overdue, row.escalated)
        for row in b.sections
    }
    assert rows == {"股室A": (5, 2, 3, 2, 1), "股室B": (0, 0, 0, 0, 0), "股室C": (1, 0, 1, 0, 0)}


def test_bulletin_of_an_earlier_week_uses_that_week(org):
    week_of_tasks(org)
    with time_machine.travel(FRIDAY, tick=False):
        b = bulletin.build(org.users["director"], bulletin.parse_week("2026-W25"))
    assert [line.task.title for line in b.done_this_week] == ["上周办结事项"]
    # On Sunday 21 June the task due Monday 22 June was not late yet; the one due 10 June was.
    assert {line.task.title for line in b.overdue} == {"二级督办事项"}


def test_bulletin_is_scoped_to_what_the_user_sees(org):
    week_of_tasks(org)
    with time_machine.travel(FRIDAY, tick=False):
        b = bulletin.build(org.users["staff_c"], bulletin.parse_week("2026-W26"))
    assert b.total == 1
    assert [row.section.name for row in b.sections] == ["股室C"]


def test_bulletin_page_and_word_file(org, client_for):
    week_of_tasks(org)
    client = client_for("director")
    with time_machine.travel(FRIDAY, tick=False):
        page = client.get("/supervision/bulletin/")
        response = client.get("/supervision/bulletin.docx?week=2026-W26")

    assert page.status_code == 200
    assert page.context["bulletin"].week == "2026-W26"  # the current week by default
    html = page.content.decode()
    assert 'data-testid="count-overdue">2<' in html
    assert "/supervision/bulletin.docx?week=2026-W26" in html

    assert response.status_code == 200
    save("supervision-bulletin.docx", response.content)
    document, text = docx_text(response.content)
    assert_gbt9704_page(document)
    for expected in (
        "督办工作通报（2026年第26周）",
        "一、总体情况",
        "本周办结1项",
        "逾期2项",
        "升级督办1项（一级0项、二级1项）",
        "二、办结事项",
        "“本周办结事项”",
        "三、逾期事项",
        "已逾期4个工作日（承办人staff_a，责任领导leader）",
        "已逾期11个工作日",
        "四、升级督办事项",
        "二级督办（主要负责人），提请director、leader协调",
        "五、各股室情况",
        "股室|督办事项|已办结|正在办理|逾期|升级督办",
        "股室A|5|2|3|2|1",
        "合计|6|2|4|2|1",
        "某县住房和城乡建设局",
        "2026年6月26日",
    ):
        assert expected in text, expected


@pytest.mark.parametrize("week", ["2026-W60", "week 3", "1999-W01", "2025-W53"])
def test_a_bad_week_is_refused_with_the_text_kept(org, client_for, week):
    response = client_for("director").get("/supervision/bulletin/", {"week": week})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="week-error"' in html
    assert f'value="{week}"' in html
    docx = client_for("director").get("/supervision/bulletin.docx", {"week": week})
    assert docx.status_code == 400


def test_week_parsing():
    assert bulletin.parse_week("2026-W26") == dt.date(2026, 6, 22)
    assert bulletin.parse_week("2026W1") == dt.date(2025, 12, 29)
    assert bulletin.parse_week("2020-W53") == dt.date(2020, 12, 28)
    assert bulletin.week_label(dt.date(2026, 6, 22)) == "2026-W26"
    assert bulletin.monday_of(dt.date(2026, 6, 28)) == dt.date(2026, 6, 22)


def _many(org, n: int) -> None:
    sections = (org.section_a, org.section_b, org.section_c)
    for i in range(n):
        task = make_task(
            org,
            f"事项{i}",
            lead_section=sections[i % 3],
            deadline=dt.date(2026, 6, 10) + dt.timedelta(days=i % 30),
        )
        if i % 4 == 0:
            services.settle_imported(
                org.users["office"], task, TaskStatus.DONE, dt.date(2026, 6, 24)
            )
        elif i % 5 == 0:
            Escalation.objects.create(
                task=task,
                level=Level.LEADER,
                reason="overdue",
                to_person=org.person("leader"),
                opened_on=dt.date(2026, 6, 15),
            )


@pytest.mark.parametrize(
    "url", ["/supervision/bulletin/?week=2026-W26", "/supervision/bulletin.docx"]
)
def test_bulletin_queries_do_not_grow_with_the_tasks(org, client_for, url):
    client = client_for("director")
    _many(org, 10)
    with time_machine.travel(FRIDAY, tick=False):
        client.get(url)  # warm the calendar and the session
        few = count_queries(lambda: client.get(url))
    _many(org, 190)
    with time_machine.travel(FRIDAY, tick=False):
        many = count_queries(lambda: client.get(url))
        response = client.get(url)
    assert response.status_code == 200
    assert many == few


def test_bulletin_of_a_future_week_is_empty(org):
    make_task(org, "事项")
    with time_machine.travel(FRIDAY, tick=False):
        b = bulletin.build(org.users["director"], bulletin.parse_week("2026-W30"))
    assert (b.total, b.in_progress, b.overdue) == (0, 0, [])
