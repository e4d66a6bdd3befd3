"""Word documents of supervision in the official format (GB/T 9704, `lib.officedoc`): the 督办通知单
of one task and the weekly 督办通报.

The text is the document's own: what the office sends out is written in Chinese whatever the
interface language, so the Chinese names of the choices live here and not in the catalogue.
"""

from __future__ import annotations

import re

from django.utils import timezone

from duban.lib.officedoc import OfficialDocument, chinese_date
from duban.supervision.bulletin import Bulletin, Line
from duban.supervision.choices import FeedbackCycle, Level, Source
from duban.supervision.models import Task

SOURCE_NAMES = {
    Source.MEETING: "会议决定",
    Source.INSTRUCTION: "领导批示",
    Source.HIGHER: "上级交办",
    Source.INDICATOR: "考核指标",
    Source.PROJECT: "重点项目",
    Source.PETITION: "信访/12345",
    Source.OTHER: "其他",
}
WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
LEVEL_NAMES = {Level.LEADER: "一级督办（分管领导）", Level.DIRECTOR: "二级督办（主要负责人）"}


def safe_filename(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\r\n]+', "-", name).strip() or "document"


def feedback_requirement(task: Task) -> str:
    if task.feedback_cycle == FeedbackCycle.WEEKLY:
        cycle = f"每周{WEEKDAY_NAMES[task.feedback_weekday]}前报送一次办理进展"
    elif task.feedback_cycle == FeedbackCycle.MONTHLY:
        cycle = "每月最后一个工作日前报送一次办理进展"
    else:
        cycle = "办理过程中遇到困难和问题及时报告"
    return f"{cycle}；办结后及时报送办理结果及印证资料，由责任领导审核后销号。"


def _source(task: Task) -> str:
    text = SOURCE_NAMES.get(task.source, task.get_source_display())
    return f"{text}（{task.source_ref}）" if task.source_ref else text


def _quadrant(task: Task) -> str:
    return f"{'重要' if task.important else '一般'}、{'紧急' if task.urgent else '不紧急'}"


# 督办通知单 ---------------------------------------------------------------------------------------


def notice_title(task: Task) -> str:
    return f"督办通知单（{task.number}）"


def notice_docx(task: Task) -> bytes:
    """The 督办通知单 of one task: to the lead section, what, where from, by when, who; signed by
    the unit on the day of assignment."""
    cooperating = "、".join(s.name for s in task.cooperating_sections.all()) or "无"
    leader = task.responsible_leader.name if task.responsible_leader_id else "未指定"
    doc = OfficialDocument(
        title="督办通知单",
        doc_number=task.number,
        recipient=task.lead_section.name,
        issuer=task.unit.name,
        date=task.assigned_on,
    )
    doc.paragraph(
        f"根据{_source(task)}，现将“{task.title}”列为督办事项，由你股室牵头办理。"
        "请高度重视，明确专人负责，按时保质完成，不得一拖再拖。"
    )
    doc.heading(1, "督办事项")
    doc.paragraph(task.title)
    if task.content.strip():
        doc.paragraph(task.content)
    doc.heading(1, "办理要求")
    doc.paragraph(
        f"1.办结时限：{chinese_date(task.deadline)}前办结"
        + (f"（交办之日起{task.deadline_workdays}个工作日）" if task.deadline_workdays else "")
        + "。"
    )
    doc.paragraph(f"2.反馈要求：{feedback_requirement(task)}")
    doc.paragraph(f"3.轻重缓急：{_quadrant(task)}。")
    doc.paragraph(
        "4.确需延期的，应在办结时限前提出申请，说明理由和新的完成时间，经责任领导批准；"
        "逾期未办结的，按督办规定逐级升级督办。"
    )
    doc.heading(1, "责任分工")
    doc.table(
        ["督办编号", "牵头股室", "承办人", "责任领导", "配合股室"],
        [[task.number, task.lead_section.name, task.owner.name, leader, cooperating]],
        widths_mm=[36, 28, 24, 24, 44],
    )
    doc.paragraph(
        f"来源：{_source(task)}；交办日期：{chinese_date(task.assigned_on)}；"
        f"办结时限：{chinese_date(task.deadline)}。"
    )
    doc.paragraph("签收人：　　　　　　　签收日期：　　　　年　　月　　日")
    return doc.to_bytes()


# 督办通报 -----------------------------------------------------------------------------------------


def bulletin_title(bulletin: Bulletin) -> str:
    year, week, _ = bulletin.monday.isocalendar()
    return f"督办工作通报（{year}年第{week}周）"


def _people(line: Line) -> str:
    task = line.task
    names = [f"承办人{task.owner.name}"]
    if task.responsible_leader_id:
        names.append(f"责任领导{task.responsible_leader.name}")
    return "，".join(names)


def bulletin_docx(bulletin: Bulletin) -> bytes:
    b = bulletin
    year, week, _ = b.monday.isocalendar()
    doc = OfficialDocument(
        title=bulletin_title(b),
        issuer=b.unit.name if b.unit else None,
        date=min(b.sunday, timezone.localdate()),
        doc_number=f"{year}年第{week}期",  # one issue a week, numbered by the ISO week
    )
    period = f"{chinese_date(b.monday)}至{chinese_date(b.sunday)}"
    doc.paragraph(f"为压实工作责任，防止工作一拖再拖，现将{period}督办事项办理情况通报如下。")
    doc.heading(1, "总体情况")
    doc.paragraph(
        f"截至{chinese_date(b.as_of)}，纳入督办事项{b.total}项，其中本周新交办{b.new_this_week}项；"
        f"本年已办结{b.done_this_year}项，其中本周办结{len(b.done_this_week)}项；"
        f"正在办理{b.in_progress}项，其中逾期{len(b.overdue)}项；"
        f"升级督办{len(b.escalated)}项（一级{b.escalated_level1}项、二级{b.escalated_level2}项）。"
    )
    doc.heading(1, "办结事项")
    if b.done_this_week:
        for n, line in enumerate(b.done_this_week, start=1):
            task = line.task
            doc.paragraph(
                f"{n}.{task.number}“{task.title}”（{task.lead_section.name}，"
                f"承办人{task.owner.name}），{chinese_date(task.completed_on)}办结。"
            )
    else:
        doc.paragraph("本周无办结事项。")
    doc.heading(1, "逾期事项")
    if b.overdue:
        for n, line in enumerate(b.overdue, start=1):
            task = line.task
            doc.paragraph(
                f"{n}.{task.number}“{task.title}”，牵头股室{task.lead_section.name}，"
                f"办结时限{chinese_date(task.deadline)}，已逾期{line.overdue_workdays}个工作日"
                f"（{_people(line)}）。"
            )
        doc.paragraph("请逾期事项的承办股室说明原因、明确办结时间，责任领导加强调度，尽快办结。")
    else:
        doc.paragraph("本周无逾期事项。")
    doc.heading(1, "升级督办事项")
    if b.escalated:
        for n, line in enumerate(b.escalated, start=1):
            task = line.task
            to = "、".join(line.escalated_to) or "—"
            reasons = "；".join(dict.fromkeys(line.reasons))
            doc.paragraph(
                f"{n}.{task.number}“{task.title}”，{LEVEL_NAMES[line.level]}，"
                f"提请{to}协调（{reasons}）；{_people(line)}。"
            )
    else:
        doc.paragraph("本周无升级督办事项。")
    doc.heading(1, "各股室情况")
    rows = [
        [
            row.section.name,
            str(row.total),
            str(row.done),
            str(row.in_progress),
            str(row.overdue),
            str(row.escalated),
        ]
        for row in b.sections
    ]
    totals = b.section_totals
    rows.append(
        [
            "合计",
            str(totals.total),
            str(totals.done),
            str(totals.in_progress),
            str(totals.overdue),
            str(totals.escalated),
        ]
    )
    doc.table(
        ["股室", "督办事项", "已办结", "正在办理", "逾期", "升级督办"],
        rows,
        widths_mm=[36, 24, 24, 24, 24, 24],
    )
    doc.paragraph(
        "各股室要对照通报，逐项梳理未办结事项，分清轻重缓急，能办的马上办，"
        "办不了的及时向分管领导报告，分管领导协调不了的报主要负责人研究，"
        "确保督办事项件件有着落、事事有回音。"
    )
    return doc.to_bytes()
