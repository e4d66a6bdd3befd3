"""The Word files of the assessment module, opened again with python-docx: what the assessor and the
signatories read."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from urllib.parse import quote

import docx
import pytest
import time_machine

from duban.assessment import documents
from duban.assessment.choices import ExplanationStatus, ReportStatus
from duban.assessment.tests.factories import (
    make_explanation,
    make_indicator,
    make_letter,
    make_period,
    make_report,
    make_scheme,
)

EXPLANATION_TITLE = "关于《城镇老旧小区改造》指标上半年扣分情况的说明"
LETTER_TITLE = "2026年度股室A目标责任书"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LONG_RULE = (
    "完成年度改造任务得满分，完成率每低1个百分点扣1分，扣完为止；未按时报送进度的，每次扣0.5分；"
    "被省市通报批评的，每次扣2分。"
)


def opened(content: bytes):
    return docx.Document(io.BytesIO(content))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def assert_a4(document) -> None:
    section = document.sections[0]
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297


@pytest.fixture
def scheme(org):
    return make_scheme(org)


@pytest.fixture
def indicator(org, scheme):
    return make_indicator(
        scheme, "1.1", "城镇老旧小区改造", 10, lead_section=org.section_a,
        responsible_leader=org.person("leader"), unit_of_measure="%", rule_text=LONG_RULE,
    )  # fmt: skip


@pytest.fixture
def explanation(org, scheme, indicator):
    return make_explanation(
        indicator, make_period(scheme, "H1"), org.bureau, expected_deduction="3.50",
        cause="两个小区居民意见不统一。", measures="逐户走访。\n召开居民议事会三次。",
        request="恳请酌情计分。",
    )  # fmt: skip


# --- 扣分说明 ----------------------------------------------------------------------------------


def test_explanation_reads_as_an_official_letter_to_the_assessor(org, explanation):
    make_report(explanation.indicator, explanation.period, org.bureau, actual="96.5",
                status=ReportStatus.CONFIRMED)  # fmt: skip
    explanation.status = ExplanationStatus.APPROVED
    explanation.approved_at = dt.datetime(2026, 7, 3, 20, 0, tzinfo=dt.UTC)  # 7月4日 in Beijing
    explanation.save()
    document = opened(documents.explanation_docx(explanation))
    lines = texts(document)
    assert lines[0] == EXPLANATION_TITLE
    assert lines[1] == "某县考核办："
    assert [line for line in lines if line[1:2] == "、"] == [
        "一、基本情况",
        "二、扣分原因",
        "三、已采取的措施",
        "四、恳请事项",
    ]
    facts = lines[lines.index("一、基本情况") + 1]
    assert facts == (
        "“城镇老旧小区改造”指标分值10分，目标值100%，牵头股室为股室A。"
        "上半年实际完成96.5%，预计扣3.5分。"
    )
    assert lines[lines.index("三、已采取的措施") + 1 : lines.index("四、恳请事项")] == [
        "逐户走访。",
        "召开居民议事会三次。",
    ]
    assert lines[-2:] == ["某县住房和城乡建设局", "2026年7月4日"]
    assert_a4(document)


def test_an_unreported_period_says_so_and_a_draft_is_dated_today(explanation):
    with time_machine.travel(dt.datetime(2026, 8, 20, 2, tzinfo=dt.UTC), tick=False):
        document = opened(documents.explanation_docx(explanation))
    lines = texts(document)
    facts = lines[lines.index("一、基本情况") + 1]
    assert "上半年完成值尚未填报，预计扣3.5分。" in facts
    assert lines[-1] == "2026年8月20日"


def test_the_explanation_downloads_with_its_chinese_name(explanation, client_for):
    response = client_for("staff_c").get(f"/assessment/explanations/{explanation.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert (
        f"filename*=utf-8''{quote(EXPLANATION_TITLE + '.docx')}" in response["Content-Disposition"]
    )
    assert texts(opened(response.content))[0] == EXPLANATION_TITLE


# --- 目标责任书 --------------------------------------------------------------------------------


@pytest.fixture
def letter(org, scheme, indicator):
    other = make_indicator(
        scheme, "1.2", "保障性住房建设", "5.5", method="binary", params={}, target=300,
        lead_section=org.section_a, unit_of_measure="套",
    )  # fmt: skip
    return make_letter(
        scheme, org.section_a, org.person("director"), org.person("leader"),
        indicators=[indicator, other], key_tasks="完成老旧小区改造12个\n\n开工保障房300套",
    )  # fmt: skip


def test_letter_lists_indicators_tasks_and_the_signatories(letter):
    document = opened(documents.letter_docx(letter))
    lines = texts(document)
    assert lines[0] == LETTER_TITLE
    assert "某县住房和城乡建设局（甲方）与分管领导leader（乙方）" in lines[1]
    assert [line for line in lines if line[1:2] == "、"] == [
        "一、目标任务",
        "二、重点工作",
        "三、责任与考核",
    ]
    assert "股室A承担以下2项考核指标，基本分合计15.5分。" in lines
    assert lines[lines.index("二、重点工作") + 1 : lines.index("三、责任与考核")] == [
        "1.完成老旧小区改造12个",
        "2.开工保障房300套",
    ]
    assert any("一岗双责" in line for line in lines)

    table, signatures = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "指标", "分值", "目标值", "评分细则"]
    assert rows[1][:4] == ["1", "城镇老旧小区改造", "10", "100%"]
    assert rows[1][4] == LONG_RULE  # a signed letter carries the rule in full
    assert rows[2] == ["2", "保障性住房建设", "5.5", "300套", "—"]
    assert len(rows) == 3

    signed = [cell.text for row in signatures.rows for cell in row.cells]
    assert signed[0].startswith("甲方（签字）：\n某县住房和城乡建设局局长 director")
    assert signed[1].startswith("乙方（签字）：\n分管领导 leader")
    assert_a4(document)


def test_a_letter_without_key_tasks_or_indicators_still_reads_right(org, scheme):
    letter = make_letter(scheme, org.section_b, org.person("director"), org.person("leader"))
    document = opened(documents.letter_docx(letter))
    lines = texts(document)
    assert lines[0] == "2026年度股室B目标责任书"
    assert [line for line in lines if line[1:2] == "、"] == ["一、目标任务", "二、责任与考核"]
    assert "股室B本年度未承担考核指标。" in lines
    assert len(document.tables) == 1  # the signatures only


def test_the_letter_downloads_with_its_chinese_name(letter, client_for):
    response = client_for("office").get(f"/assessment/letters/{letter.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert f"filename*=utf-8''{quote(LETTER_TITLE + '.docx')}" in response["Content-Disposition"]
    assert texts(opened(response.content))[0] == LETTER_TITLE


# --- helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, "—"),
        (10, "10"),
        ("10.00", "10"),
        ("95.5000", "95.5"),
        ("0.05", "0.05"),
        ("1E+1", "10"),
    ],
)
def test_numbers_are_written_as_people_write_them(value, expected):
    assert documents.number(None if value is None else Decimal(str(value))) == expected


def test_long_rules_are_abbreviated_and_file_names_made_safe():
    assert documents.abbreviate("短  规则\n第二行") == "短 规则 第二行"
    assert documents.abbreviate("一" * 41) == "一" * 39 + "…"
    assert documents.safe_filename("a/b:c?.docx") == "a-b-c-.docx"
