"""The demo assessment: 某县考核办's 2026 scheme for 30 county departments, ~35 indicators for the
住建局, Q1 results published with the bureau 27th of 30, H1 reports, partial evidence, two deduction
explanations and a responsibility letter for each section.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal as D

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from duban.accounts.models import User
from duban.assessment import services
from duban.assessment.choices import ExplanationStatus, LetterStatus, ReportStatus, ValueKind
from duban.assessment.models import (
    DeductionExplanation,
    Indicator,
    Period,
    PublishedIndicatorScore,
    PublishedResult,
    Report,
    RequiredMaterial,
    ResponsibilityLetter,
    Scheme,
)
from duban.evidence import services as evidence
from duban.org.choices import UnitKind
from duban.org.models import Person, Section, Unit

PEERS = [
    ("县发展和改革局", "FGJ"),
    ("县教育局", "JYJ"),
    ("县科学技术局", "KJJ"),
    ("县工业和信息化局", "GXJ"),
    ("县公安局", "GAJ"),
    ("县民政局", "MZJ"),
    ("县司法局", "SFJ"),
    ("县财政局", "CZJ"),
    ("县人力资源和社会保障局", "RSJ"),
    ("县自然资源局", "ZRZYJ"),
    ("县生态环境分局", "STHJJ"),
    ("县交通运输局", "JTJ"),
    ("县水利局", "SLJ"),
    ("县农业农村局", "NYJ"),
    ("县商务局", "SWJ"),
    ("县文化和旅游局", "WLJ"),
    ("县卫生健康委员会", "WJW"),
    ("县退役军人事务局", "TYJ"),
    ("县应急管理局", "YJJ"),
    ("县审计局", "SJJ"),
    ("县市场监督管理局", "SCJ"),
    ("县统计局", "TJJ"),
    ("县医疗保障局", "YBJ"),
    ("县林业局", "LYJ"),
    ("县城市管理局", "CGJ"),
    ("县行政审批服务局", "SPJ"),
    ("县信访局", "XFJ"),
    ("县乡村振兴局", "XCZXJ"),
    ("县数据局", "SJUJ"),
]

# (code, name, points, method, params, target, unit, direction, kind, section, leader index, materials, rule)
# Categories have method None. Leader index refers to the five leaders in org.demo.LEADERS order.
INDICATORS = [
    ("A", "业务工作", D(60), None),
    (
        "A01",
        "建筑业总产值增速",
        D(5),
        "completion_linear",
        {
            "penalty_per_step": "0.5",
            "bonus_per_step": "0.2",
            "bonus_cap": "1",
            "basis": "difference",
        },
        D(9),
        "%",
        "higher",
        ValueKind.POINT,
        "建筑业管理股",
        1,
        ["统计局季度数据截图", "重点企业产值台账"],
        "完成目标增速得满分；每低1个百分点扣0.5分，扣完为止；每高1个百分点加0.2分，最多加1分。",
    ),
    (
        "A02",
        "建安工程投资完成额",
        D(5),
        "completion_linear",
        {"penalty_per_step": "1"},
        D(35),
        "亿元",
        "higher",
        ValueKind.CUMULATIVE,
        "计划财务股",
        0,
        ["投资完成情况月报"],
        "按年度目标完成比例计分，每少完成1%扣1分。",
    ),
    (
        "A03",
        "城镇老旧小区改造开工率",
        D(5),
        "completion_linear",
        {"penalty_per_step": "1", "step": "1"},
        D(100),
        "%",
        "higher",
        ValueKind.POINT,
        "城市建设股",
        2,
        ["开工小区清单", "施工许可证复印件", "现场照片"],
        "年度改造计划小区全部开工得满分，开工率每低1个百分点扣1分。",
    ),
    (
        "A04",
        "城镇老旧小区改造完工户数",
        D(4),
        "completion_linear",
        {"penalty_per_step": "0.5", "step": "2"},
        D(1800),
        "户",
        "higher",
        ValueKind.CUMULATIVE,
        "城市建设股",
        2,
        ["完工验收资料"],
        "按完成户数比例计分，每少完成2%扣0.5分。",
    ),
    (
        "A05",
        "保障性租赁住房筹集",
        D(4),
        "completion_linear",
        {"penalty_per_step": "1", "partial": "whole"},
        D(300),
        "套",
        "higher",
        ValueKind.CUMULATIVE,
        "住房保障股",
        3,
        ["筹集项目认定书"],
        "按筹集套数计分，每少完成1个百分点扣1分（不足1个百分点不扣）。",
    ),
    (
        "A06",
        "公租房租赁补贴发放",
        D(3),
        "binary",
        {},
        D(720),
        "户",
        "higher",
        ValueKind.CUMULATIVE,
        "住房保障股",
        3,
        ["补贴发放花名册", "银行代发回单"],
        "完成年度发放任务得满分，未完成不得分。",
    ),
    (
        "A07",
        "农村危房改造任务",
        D(4),
        "milestone_deduction",
        {"per_miss": "1.5", "gate_last": True},
        None,
        "",
        "higher",
        ValueKind.POINT,
        "村镇建设股",
        3,
        ["危房改造户档案", "竣工验收表"],
        "在规定时间节点完成的得满分；未完成阶段性目标的，每个时间节点扣1.5分；未完成年度目标的不得分。",
    ),
    (
        "A08",
        "农村生活垃圾无害化处理率",
        D(3),
        "completion_linear",
        {"penalty_per_step": "1", "basis": "difference"},
        D(99),
        "%",
        "higher",
        ValueKind.POINT,
        "人居环境股",
        2,
        ["处理量统计表"],
        "处理率达到99%得满分，每低1个百分点扣1分。",
    ),
    (
        "A09",
        "城镇污水集中处理率",
        D(4),
        "completion_linear",
        {"penalty_per_step": "1", "basis": "difference"},
        D(96),
        "%",
        "higher",
        ValueKind.POINT,
        "城市建设股",
        2,
        ["污水处理厂运行月报"],
        "达到96%得满分，每低1个百分点扣1分。",
    ),
    (
        "A10",
        "新建污水配套管网",
        D(3),
        "completion_linear",
        {"penalty_per_step": "0.5", "step": "5"},
        D(45),
        "公里",
        "higher",
        ValueKind.CUMULATIVE,
        "城市建设股",
        2,
        ["管网建设台账", "隐蔽工程验收记录"],
        "按年度任务完成比例计分，每少5%扣0.5分。",
    ),
    (
        "A11",
        "新铺燃气管道",
        D(3),
        "completion_linear",
        {"penalty_per_step": "1", "step": "10"},
        D(20),
        "公里",
        "higher",
        ValueKind.CUMULATIVE,
        "燃气管理股",
        4,
        ["燃气管网竣工资料"],
        "每少完成10%扣1分。",
    ),
    (
        "A12",
        "绿色建筑占新建建筑比例",
        D(3),
        "completion_linear",
        {"penalty_per_step": "0.5"},
        D(100),
        "%",
        "higher",
        ValueKind.POINT,
        "建筑业管理股",
        1,
        ["绿色建筑认定清单"],
        "新建民用建筑全面执行绿色建筑标准得满分，每低1个百分点扣0.5分。",
    ),
    (
        "A13",
        "装配式建筑开工面积占比",
        D(3),
        "ranking_proportional",
        {},
        None,
        "%",
        "higher",
        ValueKind.POINT,
        "建筑业管理股",
        1,
        ["装配式项目清单"],
        "第1名得满分，其余按与第1名的比例得分。",
    ),
    (
        "A14",
        "办理建筑许可审批时限",
        D(3),
        "completion_linear",
        {"penalty_per_step": "1", "step": "5"},
        D(40),
        "工作日",
        "lower",
        ValueKind.POINT,
        "行政审批股",
        4,
        ["审批系统导出数据"],
        "全流程审批时限不超过40个工作日得满分；超出的按目标值÷实际值折算完成率，每低5个百分点扣1分。",
    ),
    (
        "A15",
        "商品房网签备案及时率",
        D(3),
        "completion_linear",
        {"penalty_per_step": "0.5"},
        D(100),
        "%",
        "higher",
        ValueKind.POINT,
        "房地产市场监管股",
        3,
        ["网签备案系统报表"],
        "每低1个百分点扣0.5分。",
    ),
    (
        "A16",
        "城建档案归档率",
        D(3),
        "binary",
        {},
        D(95),
        "%",
        "higher",
        ValueKind.POINT,
        "城建档案馆",
        0,
        ["档案移交清单"],
        "竣工项目档案归档率达到95%得满分，否则不得分。",
    ),
    (
        "A17",
        "争取中央和省级资金",
        D(2),
        "completion_linear",
        {"penalty_per_step": "0.2", "step": "10"},
        D(12000),
        "万元",
        "higher",
        ValueKind.CUMULATIVE,
        "计划财务股",
        0,
        ["资金下达文件"],
        "每少完成10%扣0.2分。",
    ),
    ("B", "安全生产", D(10), None),
    (
        "B01",
        "建筑施工安全事故",
        D(4),
        "deduct_per_event",
        {"per_event": "2"},
        None,
        "起",
        "lower",
        ValueKind.COUNT,
        "质量安全监督站",
        1,
        ["事故统计月报"],
        "发生1起一般安全事故扣2分，扣完为止。",
    ),
    (
        "B02",
        "重大隐患整改率",
        D(3),
        "completion_linear",
        {"penalty_per_step": "1", "floor": "0"},
        D(100),
        "%",
        "higher",
        ValueKind.POINT,
        "质量安全监督站",
        1,
        ["隐患整改台账", "复查销号记录"],
        "重大隐患整改率100%得满分，每低1个百分点扣1分。",
    ),
    (
        "B03",
        "燃气安全专项整治",
        D(3),
        "milestone_deduction",
        {"per_miss": "1", "gate_last": False},
        None,
        "",
        "higher",
        ValueKind.POINT,
        "燃气管理股",
        4,
        ["整治工作方案", "排查台账"],
        "按专项整治时间节点推进，每延误一个节点扣1分。",
    ),
    ("C", "共性指标", D(20), None),
    (
        "C01",
        "党的建设",
        D(5),
        "deduct_per_event",
        {"per_event": "1", "cap": "5"},
        None,
        "次",
        "lower",
        ValueKind.COUNT,
        "办公室",
        0,
        ["党组会议记录", "主题教育台账"],
        "上级党建督查每发现1个问题扣1分，最多扣5分。",
    ),
    (
        "C02",
        "党风廉政建设",
        D(3),
        "deduct_per_event",
        {"per_event": "1.5"},
        None,
        "次",
        "lower",
        ValueKind.COUNT,
        "办公室",
        0,
        ["廉政谈话记录"],
        "每发生1起违纪问题扣1.5分，扣完为止。",
    ),
    (
        "C03",
        "依法行政",
        D(3),
        "deduct_per_event",
        {"per_event": "1"},
        None,
        "件",
        "lower",
        ValueKind.COUNT,
        "行政审批股",
        4,
        ["行政复议诉讼台账"],
        "行政复议被撤销或诉讼败诉每件扣1分。",
    ),
    (
        "C04",
        "政务公开和信息报送",
        D(3),
        "completion_linear",
        {"penalty_per_step": "0.5", "step": "10"},
        D(60),
        "篇",
        "higher",
        ValueKind.CUMULATIVE,
        "办公室",
        0,
        ["信息采用通报"],
        "年度报送60篇，每少10%扣0.5分。",
    ),
    (
        "C05",
        "督查督办事项办结率",
        D(3),
        "completion_linear",
        {"penalty_per_step": "1"},
        D(100),
        "%",
        "higher",
        ValueKind.POINT,
        "办公室",
        0,
        ["督办事项台账"],
        "办结率100%得满分，每低1个百分点扣1分。",
    ),
    (
        "C06",
        "12345热线按期办结率",
        D(3),
        "completion_linear",
        {"penalty_per_step": "1", "basis": "difference"},
        D(98),
        "%",
        "higher",
        ValueKind.POINT,
        "房地产市场监管股",
        3,
        ["热线工单统计"],
        "按期办结率98%得满分，每低1个百分点扣1分。",
    ),
    ("D", "社会评价", D(10), None),
    (
        "D01",
        "县级领导评价",
        D(4),
        "completion_linear",
        {"penalty_per_step": "0.1"},
        D(100),
        "分",
        "higher",
        ValueKind.POINT,
        "办公室",
        0,
        [],
        "按县级领导评分折算。",
    ),
    (
        "D02",
        "群众满意度调查",
        D(6),
        "completion_linear",
        {"penalty_per_step": "0.2", "basis": "difference"},
        D(95),
        "%",
        "higher",
        ValueKind.POINT,
        "办公室",
        0,
        ["满意度调查报告"],
        "满意度95%得满分，每低1个百分点扣0.2分。",
    ),
    ("E", "加分项目", D(0), None),
    (
        "E01",
        "工作创新创优受表彰",
        D(3),
        "bonus_capped",
        {"cap": "3"},
        None,
        "",
        "higher",
        ValueKind.COUNT,
        "办公室",
        0,
        ["表彰文件"],
        "受市级表彰每项加1分，省级加2分，国家级加3分，同一事项按最高级别计，最多加3分。",
    ),
    ("F", "一票否决", D(0), None),
    (
        "F01",
        "较大及以上建设工程安全事故",
        D(0),
        "veto",
        {"scope": "scheme"},
        None,
        "",
        "higher",
        ValueKind.COUNT,
        "质量安全监督站",
        1,
        [],
        "发生较大及以上安全事故的，年度考核为不合格。",
    ),
    (
        "F02",
        "数据造假",
        D(0),
        "veto",
        {"scope": "scheme"},
        None,
        "",
        "higher",
        ValueKind.COUNT,
        "计划财务股",
        0,
        [],
        "统计数据弄虚作假经查实的，实行一票否决。",
    ),
]

# H1 actuals: (actual, extras) per indicator code; None = not reported.
H1 = {
    "A01": (D("8.6"), {}),
    "A02": (D("17.1"), {}),
    "A03": (D("97"), {}),
    "A04": (D("850"), {}),
    "A05": (D("152"), {}),
    "A06": (D("365"), {}),
    "A07": (
        None,
        {
            "milestones": [
                {"due": "2026-03-31", "done": "2026-03-28"},
                {"due": "2026-06-30", "done": None},
                {"due": "2026-09-30", "done": None},
                {"due": "2026-11-30", "done": None},
            ]
        },
    ),
    "A08": (D("99.2"), {}),
    "A09": (D("94.5"), {}),
    "A10": (D("21.5"), {}),
    "A11": (D("9.2"), {}),
    "A12": (D("100"), {}),
    "A13": (D("31.5"), {"peers": ["46.99", "38.2", "29.4"]}),
    "A14": (D("43"), {}),
    "A15": (D("99.1"), {}),
    "A16": (D("96.5"), {}),
    "A17": (D("5600"), {}),
    "B01": (None, {"events": 1}),
    "B02": (D("98"), {}),
    "B03": (
        None,
        {
            "milestones": [
                {"due": "2026-04-30", "done": "2026-04-25"},
                {"due": "2026-06-15", "done": "2026-06-20"},
            ]
        },
    ),
    "C01": (None, {"events": 0}),
    "C02": (None, {"events": 0}),
    "C03": (None, {"events": 1}),
    "C04": (D("27"), {}),
    "C05": (D("97"), {}),
    "C06": (D("97.6"), {}),
    "D01": (D("92"), {}),
    "D02": None,
    "E01": (None, {"items": ["1"], "item_names": ["市级住建系统先进集体"]}),
    "F01": (None, {"triggered": False}),
    "F02": (None, {"triggered": False}),
}
Q1 = {
    "A01": D("6.9"),
    "A02": D("8.2"),
    "A03": D("61"),
    "A04": D("400"),
    "A05": D("70"),
    "A08": D("98.7"),
    "A09": D("94.1"),
    "A10": D("10.5"),
    "A11": D("4.3"),
    "A12": D("100"),
    "A14": D("45"),
    "A15": D("98.4"),
    "A16": D("95.5"),
    "A17": D("2800"),
    "B02": D("90"),
    "C04": D("14"),
    "C05": D("88"),
}
UNREPORTED_MATERIAL_CODES = {"A03", "A10", "B02", "C05", "A14"}


def build() -> list:
    rng = random.Random(2026)
    assessor = Unit.objects.get(code="KHB")
    bureau = Unit.objects.get(code="ZJJ")
    peers = [
        Unit.objects.create(
            name=name, code=code, parent=assessor, kind=UnitKind.DEPARTMENT, sort_order=10 + i
        )
        for i, (name, code) in enumerate(PEERS)
    ]
    scheme = Scheme.objects.create(
        year=2026,
        name="某县2026年度县直部门目标责任考核方案",
        assessor=assessor,
        total_points=D(100),
        note="依据《某县2026年度目标责任考核实施办法》：目标任务、共性指标、社会评价，另设加分项和一票否决项。",
    )
    scheme.units.set([bureau, *peers])
    periods = {
        code: Period.objects.create(
            scheme=scheme,
            code=code,
            name=name,
            start=dt.date(2026, 1, 1),
            end=end,
            deadline=deadline,
        )
        for code, name, end, deadline in (
            ("Q1", "一季度", dt.date(2026, 3, 31), dt.date(2026, 4, 10)),
            ("H1", "上半年", dt.date(2026, 6, 30), dt.date(2026, 7, 10)),
            ("Q3", "前三季度", dt.date(2026, 9, 30), dt.date(2026, 10, 12)),
            ("Y", "全年", dt.date(2026, 12, 31), dt.date(2027, 1, 15)),
        )
    }
    sections = {s.name: s for s in Section.objects.filter(unit=bureau)}
    leaders = list(
        Person.objects.filter(unit=bureau, user__role="leader").order_by("sort_order", "id")
    )
    director = Person.objects.get(user__username="director")
    chiefs = {p.section_id: p for p in Person.objects.filter(unit=bureau, user__role="chief")}
    indicators = _indicators(scheme, sections, leaders, chiefs)
    staff_user = {
        p.section_id: p.user for p in Person.objects.filter(unit=bureau, user__role="chief")
    }
    _reports(indicators, periods, bureau, staff_user, leaders, director)
    _evidence(indicators, staff_user, rng)
    _results(scheme, periods["Q1"], bureau, peers, indicators, rng)
    _explanations(indicators, periods["H1"], bureau, leaders, staff_user)
    _letters(scheme, indicators, sections, director)
    return []


def _indicators(scheme, sections, leaders, chiefs) -> dict[str, Indicator]:
    result: dict[str, Indicator] = {}
    parent = None
    for order, row in enumerate(INDICATORS, start=1):
        if row[3] is None:
            code, name, points, _method = row
            parent = Indicator.objects.create(
                scheme=scheme, code=code, name=name, points=points, sort_order=order
            )
            result[code] = parent
            continue
        (
            code,
            name,
            points,
            method,
            params,
            target,
            unit,
            direction,
            kind,
            section,
            leader,
            materials,
            rule,
        ) = row
        section_obj = sections[section]
        indicator = Indicator.objects.create(
            scheme=scheme,
            parent=parent,
            code=code,
            name=name,
            points=points,
            method=method,
            params=params,
            target=target,
            unit_of_measure=unit,
            direction=direction,
            value_kind=kind,
            rule_text=rule,
            assessor_department="县考核办" if code[0] in "CD" else "县住建领域考核组",
            responsible_leader=leaders[leader],
            lead_section=section_obj,
            responsible_person=chiefs.get(section_obj.pk),
            is_bonus=method == "bonus_capped",
            sort_order=order,
        )
        for index, material in enumerate(materials, start=1):
            RequiredMaterial.objects.create(indicator=indicator, name=material, sort_order=index)
        result[code] = indicator
    return result


def _reports(indicators, periods, bureau, staff_user, leaders, director) -> None:
    now = timezone.now()
    for code, value in H1.items():
        if value is None:
            continue
        indicator = indicators[code]
        actual, extras = value
        user = staff_user[indicator.lead_section_id]
        report = Report.objects.create(
            indicator=indicator,
            period=periods["H1"],
            unit=bureau,
            actual=actual,
            extras=extras,
            narrative="按月调度推进，上半年完成情况见附件台账。",
            status=ReportStatus.DRAFT,
        )
        services.submit_report(report, user)
        # Most are confirmed by the responsible leader; a few wait for confirmation, one was returned.
        if code in ("A09", "C05"):
            continue
        confirmer = User.objects.get(pk=indicator.responsible_leader.user_id)
        if code == "A14":
            services.return_report(
                report, confirmer, "审批时限数据口径与审批系统不一致，请核实后重报。"
            )
            continue
        services.confirm_report(report, confirmer)
    for code, value in H1.items():
        if value is None or code in ("D01", "E01"):
            continue  # evaluations and recognitions come later in the year
        indicator = indicators[code]
        actual, extras = value
        if code == "B01":
            extras = {"events": 0}
        Report.objects.create(
            indicator=indicator,
            period=periods["Q1"],
            unit=bureau,
            actual=Q1.get(code, actual),
            extras=extras,
            status=ReportStatus.CONFIRMED,
            submitted_at=now,
            confirmed_at=now,
        )
    del leaders, director


def _pdf(title: str) -> bytes:
    body = f"Duban demo evidence: {title}".encode()
    return b"%PDF-1.4\n1 0 obj<<>>endobj\n" + body + b"\n%%EOF\n"


def _evidence(indicators, staff_user, rng) -> None:
    for code, indicator in indicators.items():
        if indicator.is_category or code in UNREPORTED_MATERIAL_CODES:
            continue
        for material in indicator.materials.all():
            if rng.random() < 0.2:
                continue  # some evidence still missing
            user = staff_user[indicator.lead_section_id]
            upload = SimpleUploadedFile(
                f"{material.name}.pdf", _pdf(f"{code} {material.name}"), "application/pdf"
            )
            result = evidence.upload(
                user,
                upload,
                title=f"{indicator.name}—{material.name}",
                section=indicator.lead_section,
            )
            material.documents.add(result.document)


def _results(scheme, period, bureau, peers, indicators, rng) -> None:
    totals = sorted((D(str(round(rng.uniform(68.0, 92.0), 2))) for _ in peers), reverse=True)
    # Our Q1 total sits between the 26th and 27th peer values so that we rank 27th of 30.
    ours = (totals[25] + totals[26]) / 2 if len(totals) > 26 else D("85.9")
    ours = ours.quantize(D("0.01"))
    table = [(u, t) for u, t in zip(peers, totals, strict=True)] + [(bureau, ours)]
    table.sort(key=lambda pair: pair[1], reverse=True)
    for rank, (unit, total) in enumerate(table, start=1):
        result = PublishedResult.objects.create(
            scheme=scheme, period=period, unit=unit, total=total, rank=rank
        )
        if unit == bureau:
            for code, indicator in indicators.items():
                if indicator.is_category or indicator.is_veto or indicator.is_bonus:
                    continue
                share = D(str(rng.uniform(0.78, 1.0))).quantize(D("0.01"))
                PublishedIndicatorScore.objects.create(
                    result=result,
                    indicator=indicator,
                    score=(indicator.points * share).quantize(D("0.01")),
                    rank=rng.randint(8, 30)
                    if code in ("A03", "A09", "B02", "A14")
                    else rng.randint(1, 18),
                )


def _explanations(indicators, period, bureau, leaders, staff_user) -> None:
    first = DeductionExplanation.objects.create(
        indicator=indicators["A09"],
        period=period,
        unit=bureau,
        expected_deduction=D("1.5"),
        cause="城东污水处理厂提标改造期间（4—6月）处理能力下降约20%，导致上半年集中处理率为94.5%。",
        measures="已协调临时一体化处理设备，提标改造已于6月25日完成通水，7月起处理率恢复至97%以上。",
        request="恳请考核组核减提标改造期间的影响，按7月起的实际处理水平评价。",
    )
    approver = User.objects.get(pk=indicators["A09"].responsible_leader.user_id)
    services.approve_explanation(first, approver)
    DeductionExplanation.objects.create(
        indicator=indicators["A14"],
        period=period,
        unit=bureau,
        expected_deduction=D("1"),
        cause="上半年两个项目因规划调整退回补正，审批平均时限43个工作日，超出目标7.5%。",
        measures="已推行告知承诺制和并联审批，下半年新受理项目平均时限已降至36个工作日。",
        request="恳请考核组按全年平均时限评价。",
        status=ExplanationStatus.DRAFT,
    )
    del leaders, staff_user


def _letters(scheme, indicators, sections, director) -> None:
    tasks = {
        "城市建设股": "城镇老旧小区改造项目8月底前全部完工\n新建污水配套管网45公里\n城区雨污分流改造二期开工",
        "质量安全监督站": "汛前隐患排查全覆盖\n重大隐患动态清零\n开展建筑施工安全专项整治",
        "住房保障股": "保障性租赁住房筹集300套\n公租房租赁补贴按季度足额发放",
    }
    for section in sections.values():
        leader = section.current_leader
        if leader is None:
            continue
        letter = ResponsibilityLetter.objects.create(
            scheme=scheme,
            section=section,
            director=director,
            leader=leader,
            key_tasks=tasks.get(
                section.name, "完成年度目标责任书确定的各项工作任务\n配合完成局党组交办的重点工作"
            ),
            signed_on=dt.date(2026, 2, 26),
            status=LetterStatus.SIGNED,
        )
        letter.indicators.set([i for i in indicators.values() if i.lead_section_id == section.pk])
