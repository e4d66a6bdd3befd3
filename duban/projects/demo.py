"""The demo key projects: ~25 county projects across types and stages. Those under construction have
plans of 20–40 activities with an approved baseline, some behind; H1 inspections with findings; two
projects in acceptance, one in settlement; eight reserve projects for 2027 with approvals partly done.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal as D

from django.utils import timezone

from duban.accounts.models import User
from duban.lib import scheduling
from duban.org.models import Person, Section, Unit
from duban.projects import services
from duban.projects.choices import (
    AcceptanceKind,
    FindingStatus,
    InspectionFocus,
    PrepKind,
    PrepStatus,
    ProjectLevel,
    ProjectType,
    Stage,
)
from duban.projects.models import (
    AcceptanceItem,
    Activity,
    Closeout,
    Finding,
    Inspection,
    InspectionRequirement,
    MonthlyReport,
    PrepStep,
    Project,
    StageChange,
)
from duban.workcalendar.services import current_calendar

# Work breakdown per type: (phase, working days). Each plan runs in 2–3 sections (标段) side by side.
PHASES = {
    ProjectType.ROAD: [
        ("征拆及管线迁改", 20),
        ("施工准备（临建、围挡、交通导改）", 8),
        ("雨污水管道", 25),
        ("路基土方", 20),
        ("水稳基层", 15),
        ("沥青下面层", 6),
        ("沥青上面层", 5),
        ("人行道及侧平石", 12),
        ("路灯及标志标线", 10),
        ("绿化", 10),
    ],
    ProjectType.DRAINAGE: [
        ("放线及沟槽开挖", 15),
        ("基坑支护降水", 8),
        ("管道安装", 25),
        ("检查井砌筑", 12),
        ("闭水试验", 4),
        ("回填", 8),
        ("路面恢复", 10),
        ("CCTV检测", 4),
    ],
    ProjectType.RENOVATION: [
        ("居民意愿征询及方案公示", 10),
        ("水电气管网改造", 30),
        ("屋面防水及外墙", 25),
        ("加装电梯", 35),
        ("小区道路及停车", 15),
        ("照明安防及充电设施", 10),
        ("绿化提升", 10),
    ],
    ProjectType.HOUSING: [
        ("桩基工程", 25),
        ("基础及地下室", 30),
        ("主体结构", 60),
        ("砌体工程", 25),
        ("屋面工程", 10),
        ("安装工程", 30),
        ("装饰装修", 35),
        ("室外配套", 20),
    ],
    ProjectType.SEWAGE: [
        ("土建构筑物", 60),
        ("设备采购", 30),
        ("设备安装", 25),
        ("单机调试", 8),
        ("联动调试", 10),
        ("通水试运行", 20),
    ],
    ProjectType.GREENING: [
        ("场地平整", 10),
        ("园路铺装", 20),
        ("苗木种植", 25),
        ("景观小品", 15),
        ("灌溉及照明", 12),
    ],
    ProjectType.PUBLIC_BUILDING: [
        ("基础工程", 30),
        ("主体结构", 55),
        ("幕墙工程", 30),
        ("机电安装", 35),
        ("装饰装修", 40),
        ("消防及智能化", 20),
    ],
}

# code, name, type, level, stage, sections, investment (万元), start, deadline slack (1.1 loose / 0.92 behind)
UNDER_CONSTRUCTION = [
    (
        "XM2026-01",
        "城东大道改造工程",
        ProjectType.ROAD,
        ProjectLevel.CITY,
        2,
        D(18600),
        dt.date(2026, 3, 2),
        1.10,
    ),
    (
        "XM2026-02",
        "滨河路雨污分流改造工程",
        ProjectType.DRAINAGE,
        ProjectLevel.COUNTY,
        3,
        D(9200),
        dt.date(2026, 3, 16),
        0.92,
    ),
    (
        "XM2026-03",
        "建设路等8个老旧小区改造",
        ProjectType.RENOVATION,
        ProjectLevel.PROVINCE,
        2,
        D(6800),
        dt.date(2026, 4, 1),
        0.95,
    ),
    (
        "XM2026-04",
        "城南保障性租赁住房项目",
        ProjectType.HOUSING,
        ProjectLevel.CITY,
        2,
        D(24500),
        dt.date(2026, 2, 16),
        1.08,
    ),
    (
        "XM2026-05",
        "县第二污水处理厂提标改造",
        ProjectType.SEWAGE,
        ProjectLevel.PROVINCE,
        2,
        D(15800),
        dt.date(2026, 3, 2),
        1.05,
    ),
    (
        "XM2026-06",
        "人民公园提升改造工程",
        ProjectType.GREENING,
        ProjectLevel.COUNTY,
        3,
        D(2300),
        dt.date(2026, 4, 15),
        1.15,
    ),
    (
        "XM2026-07",
        "县全民健身中心",
        ProjectType.PUBLIC_BUILDING,
        ProjectLevel.COUNTY,
        2,
        D(12600),
        dt.date(2026, 3, 9),
        0.97,
    ),
    (
        "XM2026-08",
        "工业园区纬三路新建工程",
        ProjectType.ROAD,
        ProjectLevel.COUNTY,
        2,
        D(7400),
        dt.date(2026, 5, 6),
        1.12,
    ),
    (
        "XM2026-09",
        "城北片区排水管网完善工程",
        ProjectType.DRAINAGE,
        ProjectLevel.COUNTY,
        2,
        D(5600),
        dt.date(2026, 4, 20),
        1.02,
    ),
    (
        "XM2026-10",
        "幸福里等5个老旧小区改造",
        ProjectType.RENOVATION,
        ProjectLevel.COUNTY,
        3,
        D(4100),
        dt.date(2026, 5, 11),
        0.9,
    ),
]
OTHERS = [
    # code, name, type, stage, investment, start, deadline
    (
        "XM2025-11",
        "城西棚户区改造安置房",
        ProjectType.HOUSING,
        Stage.COMPLETED,
        D(21000),
        dt.date(2025, 3, 1),
        dt.date(2026, 9, 30),
    ),
    (
        "XM2025-12",
        "环城北路雨水管网工程",
        ProjectType.DRAINAGE,
        Stage.COMPLETED,
        D(3900),
        dt.date(2025, 5, 1),
        dt.date(2026, 8, 31),
    ),
    (
        "XM2025-13",
        "县城区供水管网改造",
        ProjectType.OTHER,
        Stage.ACCEPTED,
        D(4800),
        dt.date(2025, 4, 1),
        dt.date(2026, 6, 30),
    ),
    (
        "XM2025-14",
        "滨江公园一期",
        ProjectType.GREENING,
        Stage.DELIVERED,
        D(1900),
        dt.date(2025, 3, 1),
        dt.date(2025, 12, 31),
    ),
    (
        "XM2026-15",
        "城东农贸市场改造",
        ProjectType.PUBLIC_BUILDING,
        Stage.PRELIMINARY,
        D(3200),
        dt.date(2027, 3, 1),
        dt.date(2027, 12, 31),
    ),
    (
        "XM2026-16",
        "老城区燃气管道更新改造",
        ProjectType.OTHER,
        Stage.PRELIMINARY,
        D(5200),
        dt.date(2027, 2, 22),
        dt.date(2027, 11, 30),
    ),
    (
        "XM2026-17",
        "县文化中心停车场",
        ProjectType.PUBLIC_BUILDING,
        Stage.SUSPENDED,
        D(2600),
        dt.date(2026, 4, 1),
        dt.date(2026, 12, 31),
    ),
]
RESERVE_2027 = [
    ("CB2027-01", "城南新区纬一路工程", ProjectType.ROAD, D(8600), dt.date(2027, 4, 1), 7),
    ("CB2027-02", "城北污水处理厂二期", ProjectType.SEWAGE, D(26000), dt.date(2027, 5, 1), 4),
    (
        "CB2027-03",
        "红旗街等6个老旧小区改造",
        ProjectType.RENOVATION,
        D(5200),
        dt.date(2027, 3, 15),
        9,
    ),
    ("CB2027-04", "城东保障性住房二期", ProjectType.HOUSING, D(19800), dt.date(2027, 6, 1), 3),
    ("CB2027-05", "滨河绿道二期", ProjectType.GREENING, D(3100), dt.date(2027, 4, 15), 5),
    ("CB2027-06", "县城雨污分流三期", ProjectType.DRAINAGE, D(11200), dt.date(2027, 5, 10), 2),
    ("CB2027-07", "县体育场改造", ProjectType.PUBLIC_BUILDING, D(7800), dt.date(2027, 7, 1), 1),
    ("CB2027-08", "城区智慧停车一期", ProjectType.OTHER, D(2400), dt.date(2027, 3, 1), 6),
]
FIRMS = [
    "某县城市建设投资有限公司",
    "某省建工集团有限公司",
    "某市市政工程有限公司",
    "某建设监理咨询有限公司",
    "某市政设计研究院有限公司",
    "某县住房和城乡建设局",
]
TODAY = dt.date(2026, 11, 28)


def build() -> list:
    rng = random.Random(2027)
    bureau = Unit.objects.get(code="ZJJ")
    sections = {s.name: s for s in Section.objects.filter(unit=bureau)}
    city = sections["城市建设股"]
    housing = sections["住房保障股"]
    village = sections["村镇建设股"]
    leaders = list(
        Person.objects.filter(unit=bureau, user__role="leader").order_by("sort_order", "id")
    )
    director_user = User.objects.get(username="director")
    calendar = current_calendar()
    section_for = {
        ProjectType.HOUSING: housing,
        ProjectType.RENOVATION: city,
        ProjectType.GREENING: sections["人居环境股"],
    }
    for index, (code, name, ptype, level, lanes, money, start, slack) in enumerate(
        UNDER_CONSTRUCTION
    ):
        section = section_for.get(ptype, city)
        project = _project(
            bureau,
            code,
            name,
            ptype,
            level,
            Stage.CONSTRUCTION,
            money,
            start,
            TODAY,
            section,
            leaders[2 + index % 3],
            rng,
        )
        plan = _plan(ptype, max(lanes, -(-20 // len(PHASES[ptype]))))
        natural = scheduling.schedule(plan, start, dt.date(2029, 12, 31), calendar)
        working_days = natural.activities[-1].ef - calendar.workday_index(start) + 1
        # Keep every project still running today: a plan that would be finished starts later.
        while calendar.workday_at(calendar.workday_index(start) + int(working_days * 1.05)) < TODAY:
            start += dt.timedelta(days=14)
        project.planned_start = start
        project.deadline = calendar.add_workdays(start, int(working_days * slack))
        project.save()
        services.replace_plan(project, plan, director_user)
        services.approve_baseline(
            project,
            director_user,
            "立项批复计划",
            f"县发改投资〔2026〕{10 + index}号",
            approved_on=start - dt.timedelta(days=20),
        )
        _progress(project, calendar, slack, rng)
        _staff_and_requirements(project, section)
        _monthly_reports(project, start, rng)
        _inspections(project, section, rng)
        _stage_history(project, director_user, [Stage.PRELIMINARY, Stage.CONSTRUCTION], start)
    for code, name, ptype, stage, money, start, deadline in OTHERS:
        section = section_for.get(ptype, city)
        project = _project(
            bureau,
            code,
            name,
            ptype,
            ProjectLevel.COUNTY,
            stage,
            money,
            start,
            deadline,
            section,
            leaders[2],
            rng,
        )
        if stage == Stage.SUSPENDED:
            project.stage_reason = "规划方案调整，待县规委会重新审议"
            project.save()
        if stage in (Stage.COMPLETED, Stage.ACCEPTED, Stage.DELIVERED):
            _closeout(project, stage, money)
        if stage == Stage.PRELIMINARY:
            _prep_steps(project, rng, done=6)
        history = {
            Stage.COMPLETED: [Stage.CONSTRUCTION, Stage.COMPLETED],
            Stage.ACCEPTED: [Stage.CONSTRUCTION, Stage.COMPLETED, Stage.ACCEPTED],
            Stage.DELIVERED: [
                Stage.CONSTRUCTION,
                Stage.COMPLETED,
                Stage.ACCEPTED,
                Stage.SETTLED,
                Stage.DELIVERED,
            ],
            Stage.SUSPENDED: [Stage.CONSTRUCTION, Stage.SUSPENDED],
        }.get(stage, [])
        _stage_history(project, director_user, [Stage.PRELIMINARY, *history], start)
    for code, name, ptype, money, start, done in RESERVE_2027:
        project = _project(
            bureau,
            code,
            name,
            ptype,
            ProjectLevel.COUNTY,
            Stage.RESERVE,
            money,
            start,
            dt.date(start.year, 12, 31),
            section_for.get(ptype, village if ptype == ProjectType.OTHER else city),
            leaders[3],
            rng,
        )
        project.plan_year = 2027
        project.survey_done_on = dt.date(2026, 9, 15) if done >= 2 else None
        project.survey_notes = "已完成现场踏勘、管线摸排和居民意愿调查。" if done >= 2 else ""
        project.save()
        _prep_steps(project, rng, done=done)
    return []


def _project(
    unit, code, name, ptype, level, stage, money, start, deadline, section, leader, rng
) -> Project:
    return Project.objects.create(
        unit=unit,
        code=code,
        name=name,
        type=ptype,
        level=level,
        stage=stage,
        owner=FIRMS[0],
        contractor=FIRMS[1 + rng.randrange(2)],
        supervisor=FIRMS[3],
        designer=FIRMS[4],
        address=f"某县城区{name[:4]}一带",
        total_investment=money,
        annual_investment=(money * D("0.6")).quantize(D(1)),
        plan_year=start.year,
        funding_sources=rng.choice(
            [
                "中央预算内资金+地方政府专项债券",
                "县级财政资金",
                "专项债券+银行贷款",
                "省级补助+县级配套",
            ]
        ),
        responsible_leader=leader,
        lead_section=section,
        planned_start=start,
        deadline=deadline,
    )


def _plan(ptype, lanes: int) -> list[scheduling.ActivityInput]:
    phases = PHASES.get(ptype, PHASES[ProjectType.DRAINAGE])
    rows: list[scheduling.ActivityInput] = []
    lane_names = ["一标段", "二标段", "三标段", "四标段"]
    lasts = []
    for lane in range(lanes):
        previous = None
        for i, (phase, days) in enumerate(phases, start=1):
            code = f"{'ABCD'[lane]}{i:02d}"
            preds = ()
            if previous:
                preds = (scheduling.Dependency(previous),)
            elif lane:
                preds = (
                    scheduling.Dependency(f"A{i:02d}", 10),
                )  # each section starts 10 working days after the first
            rows.append(
                scheduling.ActivityInput(
                    code, f"{lane_names[lane]}{phase}", days, preds, weight=D(days)
                )
            )
            previous = code
        lasts.append(previous)
    rows.append(
        scheduling.ActivityInput(
            "M01", "完工", 0, tuple(scheduling.Dependency(code) for code in lasts)
        )
    )
    rows.append(scheduling.ActivityInput("M02", "竣工验收", 0, (scheduling.Dependency("M01", 15),)))
    return rows


def _progress(project, calendar, slack: float, rng) -> None:
    """Actual dates up to today: on time where the plan had room, late where it did not."""
    from duban.projects.schedule import load_plan

    plan = load_plan(project)
    delay = 0 if slack >= 1.05 else (6 if slack >= 0.95 else 12)
    today_index = calendar.workday_index(TODAY)
    for activity in Activity.objects.filter(project=project, archived_at__isnull=True):
        result = next(r for r in plan.schedule.activities if r.code == activity.code)
        start, finish = result.es + delay, result.ef + delay
        if start >= today_index:
            continue
        activity.actual_start = calendar.workday_at(start)
        if finish < today_index:
            activity.actual_finish = calendar.workday_at(max(start, finish))
            activity.percent_complete = D(100)
        else:
            done = (today_index - start) / max(1, activity.duration)
            activity.percent_complete = D(
                str(round(min(95, done * 100 * rng.uniform(0.8, 1.0)), 0))
            )
        activity.save()


def _staff_and_requirements(project, section) -> None:
    staff = list(Person.objects.filter(section=section, user__role="staff")[:2])
    project.staff.set(staff)
    InspectionRequirement.objects.create(project=project, role="leader", times=2, per="month")
    InspectionRequirement.objects.create(project=project, role="staff", times=1, per="week")


def _monthly_reports(project, start, rng) -> None:
    month = dt.date(start.year, start.month, 1)
    per_month = (project.annual_investment / D(9)).quantize(D(1))
    while month <= dt.date(2026, 10, 1):
        MonthlyReport.objects.create(
            project=project,
            month=month,
            investment=(per_month * D(str(rng.uniform(0.6, 1.2)))).quantize(D(1)),
            image_progress=rng.choice(
                ["主体施工有序推进", "管网铺设完成过半", "按计划推进，部分工序滞后", "进入收尾阶段"]
            ),
            problems=rng.choice(
                ["", "", "管线迁改协调进度慢", "雨季施工影响土方进度", "部分居民对施工时段有意见"]
            ),
            next_steps="加强调度，倒排工期，确保节点目标完成。",
        )
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _inspections(project, section, rng) -> None:
    people = list(project.staff.all()) or list(Person.objects.filter(section=section)[:1])
    leader = project.responsible_leader
    day = max(project.planned_start, dt.date(2026, 3, 1))
    while day <= dt.date(2026, 11, 27):
        if day.weekday() < 5:
            by_leader = rng.random() < 0.22
            if rng.random() < (0.55 if project.code.endswith(("02", "10")) else 0.85) or by_leader:
                inspection = Inspection.objects.create(
                    project=project,
                    date=day,
                    focus=rng.sample([f.value for f in InspectionFocus], 2),
                    summary="现场检查施工组织、安全防护和质量控制情况。",
                )
                inspection.inspectors.set([leader] if by_leader and leader else people[:1])
                if rng.random() < 0.3:
                    status = rng.choice(
                        [
                            FindingStatus.OPEN,
                            FindingStatus.RECTIFIED,
                            FindingStatus.VERIFIED,
                            FindingStatus.VERIFIED,
                        ]
                    )
                    category = rng.choice(
                        [InspectionFocus.SAFETY, InspectionFocus.QUALITY, InspectionFocus.CIVILISED]
                    )
                    Finding.objects.create(
                        inspection=inspection,
                        category=category,
                        description={
                            InspectionFocus.SAFETY: "基坑临边防护栏杆缺失一段",
                            InspectionFocus.QUALITY: "部分检查井井壁抹灰不密实",
                            InspectionFocus.CIVILISED: "围挡破损，出入口未冲洗车辆",
                        }[category],
                        deadline=day + dt.timedelta(days=7),
                        status=status,
                        rectification="已整改并拍照留存" if status != FindingStatus.OPEN else "",
                        rectified_on=day + dt.timedelta(days=5)
                        if status != FindingStatus.OPEN
                        else None,
                        verified_on=day + dt.timedelta(days=8)
                        if status == FindingStatus.VERIFIED
                        else None,
                    )
        day += dt.timedelta(days=rng.choice([5, 7, 8]))


def _closeout(project, stage, money) -> None:
    completed = project.deadline
    five = stage != Stage.COMPLETED or project.code.endswith("11")
    for kind in (
        AcceptanceKind.FIVE_PARTIES,
        AcceptanceKind.PLANNING,
        AcceptanceKind.FIRE,
        AcceptanceKind.ENERGY,
        AcceptanceKind.ARCHIVES,
    ):
        done = stage != Stage.COMPLETED or (
            five and kind in (AcceptanceKind.PLANNING, AcceptanceKind.FIRE)
        )
        AcceptanceItem.objects.create(
            project=project, kind=kind, done_on=completed + dt.timedelta(days=20) if done else None
        )
    closeout = Closeout.objects.create(
        project=project, completed_on=completed, contract_amount=money * D("0.92")
    )
    if stage in (Stage.ACCEPTED, Stage.DELIVERED):
        closeout.accepted_on = completed + dt.timedelta(days=25)
        closeout.filed_on = closeout.accepted_on + dt.timedelta(days=10)
        closeout.settlement_submitted_on = closeout.accepted_on + dt.timedelta(days=30)
        closeout.settlement_amount = money * D("0.95")
    if stage == Stage.DELIVERED:
        closeout.audited_amount = money * D("0.91")
        closeout.settled_on = closeout.settlement_submitted_on + dt.timedelta(days=50)
        closeout.final_accounts_on = closeout.settled_on + dt.timedelta(days=30)
        closeout.handed_over_on = closeout.final_accounts_on + dt.timedelta(days=10)
        closeout.receiving_unit = "某县园林绿化管理所"
    closeout.save()


def _prep_steps(project, rng, done: int) -> None:
    people = list(Person.objects.filter(section=project.lead_section)[:3])
    calendar = current_calendar()
    kinds = list(PrepKind)
    target = calendar.add_workdays(project.planned_start, -1)
    targets = {}
    for kind in reversed(kinds):
        targets[kind] = target
        target = calendar.add_workdays(target, -20)
    for index, kind in enumerate(kinds):
        is_done = index < done
        PrepStep.objects.create(
            project=project,
            kind=kind,
            sort_order=index * 10,
            duration=20,
            target_date=targets[kind],
            status=PrepStatus.DONE
            if is_done
            else (PrepStatus.IN_PROGRESS if index == done else PrepStatus.NOT_STARTED),
            document_number=f"县发改审批〔2026〕{rng.randint(20, 180)}号" if is_done else "",
            done_on=targets[kind] - dt.timedelta(days=rng.randint(3, 30))
            if is_done and targets[kind] < TODAY
            else (TODAY - dt.timedelta(days=rng.randint(3, 60)) if is_done else None),
            person=people[index % len(people)] if people else None,
            blocker="用地指标尚未落实" if index == done and rng.random() < 0.4 else "",
        )


def _stage_history(project, user, stages, start) -> None:
    previous = Stage.RESERVE
    when = start - dt.timedelta(days=90)
    for stage in stages:
        change = StageChange.objects.create(
            project=project,
            from_stage=previous,
            to_stage=stage,
            changed_by=user,
            reason="" if stage != Stage.SUSPENDED else project.stage_reason,
        )
        StageChange.objects.filter(pk=change.pk).update(
            changed_at=timezone.make_aware(dt.datetime.combine(when, dt.time(9)))
        )
        previous = stage
        when += dt.timedelta(days=60)
