"""Word documents of the assessment module, in the official format (GB/T 9704) of `lib.officedoc`.

The text is the document's own: what the bureau sends to the assessor and what the director and the
leaders sign is written in Chinese whatever the interface language.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import timezone

from duban.assessment.models import DeductionExplanation, Report, ResponsibilityLetter
from duban.lib.officedoc import OfficialDocument

RULE_LENGTH = 40  # characters of 评分细则 printed in a letter's table; the scheme has the rest

LETTER_DUTIES = (
    "乙方对分管股室目标任务的完成负领导责任，严格落实“一岗双责”，既抓业务工作，又抓党风廉政建设、"
    "安全生产和意识形态工作，定期听取工作汇报，及时协调解决困难和问题，确保各项指标全面完成、"
    "争先进位。",
    "甲方按照考核方案对目标任务完成情况进行跟踪督办，按考核周期调度通报，年终进行考核。考核结果"
    "作为年度评先评优、绩效分配和干部使用的重要依据；因工作不力造成指标失分、影响全局考核名次的，"
    "依规追究相关责任。",
    "本责任书一式两份，甲乙双方各执一份，自签订之日起生效。",
)


def number(value: Decimal | int | None) -> str:
    """A value as a person writes it: 10 not 10.00, 95.5 not 95.5000; None as —."""
    if value is None:
        return "—"
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def abbreviate(text: str, length: int = RULE_LENGTH) -> str:
    flat = re.sub(r"\s+", " ", text or "").strip()
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def safe_filename(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\r\n]+', "-", name).strip() or "document"


# 扣分说明 -----------------------------------------------------------------------------------------


def explanation_title(explanation: DeductionExplanation) -> str:
    return f"关于《{explanation.indicator.name}》指标{explanation.period.name}扣分情况的说明"


def explanation_docx(explanation: DeductionExplanation) -> bytes:
    indicator, period, unit = explanation.indicator, explanation.period, explanation.unit
    scheme = indicator.scheme
    report = Report.objects.filter(indicator=indicator, period=period, unit=unit).first()
    signed = explanation.approved_at or timezone.now()
    doc = OfficialDocument(
        title=explanation_title(explanation),
        recipient=f"{scheme.assessor.name}：",
        issuer=unit.name,
        date=timezone.localdate(signed),
    )
    doc.paragraph(
        f"根据《{scheme.name}》，现将我单位“{indicator.name}”指标{period.name}预计扣分情况"
        "说明如下。"
    )
    doc.heading(1, "基本情况")
    doc.paragraph(_basic_facts(explanation, report))
    doc.heading(1, "扣分原因")
    doc.paragraph(explanation.cause)
    doc.heading(1, "已采取的措施")
    doc.paragraph(explanation.measures)
    doc.heading(1, "恳请事项")
    doc.paragraph(explanation.request)
    return doc.to_bytes()


def _basic_facts(explanation: DeductionExplanation, report: Report | None) -> str:
    indicator, period = explanation.indicator, explanation.period
    measure = indicator.unit_of_measure
    facts = f"“{indicator.name}”指标分值{number(indicator.points)}分"
    if indicator.target is not None:
        facts += f"，目标值{number(indicator.target)}{measure}"
    if indicator.lead_section_id:
        facts += f"，牵头股室为{indicator.lead_section.name}"
    facts += "。"
    if report is not None and report.actual is not None:
        facts += f"{period.name}实际完成{number(report.actual)}{measure}，"
    else:
        facts += f"{period.name}完成值尚未填报，"
    facts += f"预计扣{number(explanation.expected_deduction)}分。"
    return facts


# 目标责任书 ---------------------------------------------------------------------------------------


def letter_title(letter: ResponsibilityLetter) -> str:
    return f"{letter.scheme.year}年度{letter.section.name}目标责任书"


def letter_docx(letter: ResponsibilityLetter) -> bytes:
    scheme, section = letter.scheme, letter.section
    unit = section.unit
    indicators = list(letter.indicators.all())
    doc = OfficialDocument(title=letter_title(letter))
    doc.paragraph(
        f"为全面完成《{scheme.name}》确定的{scheme.year}年度各项目标任务，进一步压实工作责任，"
        f"{unit.name}（甲方）与分管领导{letter.leader.name}（乙方）就{section.name}"
        f"{scheme.year}年度目标任务签订本责任书。"
    )
    doc.heading(1, "目标任务")
    if indicators:
        # Bonus items sit on top of the total, as on the letter's page.
        total = sum((i.points for i in indicators if not i.is_bonus), Decimal(0))
        bonus = [i for i in indicators if i.is_bonus]
        sentence = f"{section.name}承担以下{len(indicators)}项考核指标，基本分合计{number(total)}分"
        if bonus:
            sentence += f"，另含加分项{len(bonus)}项"
        doc.paragraph(sentence + "。")
        doc.table(
            ["序号", "指标", "分值", "目标值", "评分细则"],
            [
                [
                    str(n),
                    indicator.name,
                    number(indicator.points),
                    _target(indicator),
                    # The letter is signed: it carries the assessor's rule in full.
                    re.sub(r"\s+", " ", indicator.rule_text or "").strip() or "—",
                ]
                for n, indicator in enumerate(indicators, start=1)
            ],
            widths_mm=[12, 44, 16, 26, 58],
        )
    else:
        doc.paragraph(f"{section.name}本年度未承担考核指标。")
    tasks = letter.task_lines()
    if tasks:
        doc.heading(1, "重点工作")
        for n, task in enumerate(tasks, start=1):
            doc.paragraph(f"{n}.{task}")
    doc.heading(1, "责任与考核")
    for text in LETTER_DUTIES:
        doc.paragraph(text)
    doc.signature_block(
        [
            ("甲方（签字）：", f"{unit.name}局长 {letter.director.name}"),
            ("乙方（签字）：", f"分管领导 {letter.leader.name}"),
        ]
    )
    return doc.to_bytes()


def _target(indicator) -> str:
    if indicator.target is None:
        return "—"
    return f"{number(indicator.target)}{indicator.unit_of_measure}"
