"""Services of key projects: the plan, baselines, stages, and the 三保 figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.lib.scheduling import ActivityInput, Dependency
from duban.projects import services
from duban.projects.choices import (
    AcceptanceKind,
    BaselineKind,
    FindingStatus,
    InspectionFocus,
    PrepKind,
    PrepStatus,
    Stage,
)
from duban.projects.models import (
    AcceptanceItem,
    Activity,
    Baseline,
    BaselineActivity,
    Closeout,
    Finding,
    Inspection,
    MonthlyReport,
    PrepStep,
    StageChange,
)
from duban.projects.models import (
    Dependency as DependencyRow,
)
from duban.projects.tests.factories import make_activity, make_plan, make_project

D = dt.date


@pytest.fixture
def project(org):
    return make_project(org, "XM-1", "滨河路改造", D(2026, 3, 2), D(2026, 12, 31))


def row(code, duration, *predecessors, name=""):
    return ActivityInput(
        code, name or f"工序{code}", duration, tuple(Dependency(c, lag) for c, lag in predecessors)
    )


# --- the plan -----------------------------------------------------------------------------------


def test_replacing_the_plan_archives_the_old_activities_and_deletes_nothing(org, project):
    old = make_plan(project, [("A", 5), ("B", 3, "A")])
    user = org.users["staff_a"]
    services.replace_plan(project, [row("A", 6), row("C", 2, ("A", 1))], user)

    for activity in old.values():
        activity.refresh_from_db()
        assert activity.is_archived and activity.archived_by == user
    assert Activity.objects.filter(project=project).count() == 4
    assert DependencyRow.objects.filter(successor=old["B"]).exists()  # the old link is kept
    active = Activity.objects.filter(project=project, archived_at__isnull=True).order_by(
        "sort_order"
    )
    assert [(a.code, a.duration) for a in active] == [("A", 6), ("C", 2)]
    link = DependencyRow.objects.get(successor__code="C", successor__archived_at=None)
    assert (link.predecessor.code, link.lag) == ("A", 1)


def test_progress_recorded_on_a_code_that_stays_is_carried_over(org, project):
    old = make_plan(project, [("A", 5)])["A"]
    old.actual_start, old.percent_complete = D(2026, 3, 2), Decimal("40")
    old.save()
    services.replace_plan(project, [row("A", 8)], org.users["staff_a"])
    new = Activity.objects.get(project=project, archived_at=None)
    assert (new.actual_start, new.percent_complete, new.duration) == (D(2026, 3, 2), 40, 8)


@pytest.mark.parametrize(
    ("rows", "key", "message"),
    [
        ([row("A", 1), row("A", 2)], "activities[1].code", "工序编码重复：A"),
        ([row("A", 1, ("Z", 0))], "activities[0].predecessors", "前置工序编码不存在：Z"),
        ([row("A", -1)], "activities[0].duration", "工期不能为负数"),
        (
            [row("A", 1, ("B", 0)), row("B", 1, ("A", 0))],
            "activities",
            "工序存在循环依赖：A → B → A",
        ),
        (
            [row("A", 1), row("B", 1, ("A", 1.5))],
            "activities[1].predecessors",
            "搭接时间必须是整数（工作日）：A",
        ),
    ],
)
def test_a_bad_plan_is_refused_whole_and_changes_nothing(org, project, rows, key, message):
    make_plan(project, [("OLD", 3)])
    with pytest.raises(services.PlanError) as error:
        services.replace_plan(project, rows, org.users["staff_a"])
    assert error.value.errors[key] == message
    assert list(Activity.objects.filter(project=project).values_list("code", "archived_at")) == [
        ("OLD", None)
    ]


def test_record_progress_sets_100_percent_on_finish_and_refuses_future_dates(org, project):
    activity = make_activity(project, "A", 5)
    with time_machine.travel(dt.datetime(2026, 5, 20, 9, tzinfo=dt.UTC)):
        done = services.record_progress(
            activity, org.users["staff_a"], D(2026, 5, 1), D(2026, 5, 8), Decimal(10), 1
        )
        assert done.percent_complete == 100
        with pytest.raises(BusinessRuleError):
            services.record_progress(done, org.users["staff_a"], D(2026, 5, 1), D(2026, 6, 1), None)
        with pytest.raises(StaleEditError):
            services.record_progress(done, org.users["staff_a"], D(2026, 5, 1), None, None, 1)


# --- baselines ----------------------------------------------------------------------------------


def test_a_baseline_freezes_the_plans_dates_and_later_ones_are_adjustments(org, project):
    make_plan(project, [("A", 5), ("B", 3, "A")])
    first = services.approve_baseline(
        project, org.users["leader"], "立项批复计划", "县发改〔2026〕12号"
    )
    assert first.kind == BaselineKind.INITIAL and first.deadline == D(2026, 12, 31)
    frozen = {a.code: (a.start, a.finish) for a in first.activities.all()}
    assert frozen == {"A": (D(2026, 3, 2), D(2026, 3, 6)), "B": (D(2026, 3, 9), D(2026, 3, 11))}

    services.replace_plan(project, [row("A", 10), row("B", 3, ("A", 0))], org.users["staff_a"])
    second = services.approve_baseline(project, org.users["leader"], "调整批复")
    assert second.kind == BaselineKind.ADJUSTMENT
    assert {a.code: a.finish for a in second.activities.all()}["B"] == D(2026, 3, 18)
    first.refresh_from_db()
    assert {a.code: (a.start, a.finish) for a in first.activities.all()} == frozen


def test_a_baseline_and_its_dates_are_immutable(org, project):
    make_plan(project, [("A", 5)])
    baseline = services.approve_baseline(project, org.users["leader"], "立项批复计划")
    baseline.name = "改名"
    with pytest.raises(TypeError):
        baseline.save()
    with pytest.raises(TypeError):
        baseline.delete()
    frozen = baseline.activities.get()
    frozen.finish = D(2027, 1, 1)
    with pytest.raises(TypeError):
        frozen.save()
    with pytest.raises(TypeError):
        frozen.delete()
    assert Baseline.objects.get().name == "立项批复计划"
    assert BaselineActivity.objects.get().finish == D(2026, 3, 6)


def test_a_plan_without_activities_cannot_be_approved(org, project):
    with pytest.raises(BusinessRuleError):
        services.approve_baseline(project, org.users["leader"], "立项批复计划")
    assert not Baseline.objects.exists()


# --- stages -------------------------------------------------------------------------------------


def changes(project):
    return list(
        StageChange.objects.filter(project=project)
        .order_by("id")
        .values_list("from_stage", "to_stage", "override", "reason")
    )


def test_construction_needs_the_permit_and_names_what_is_missing(org, project):
    user = org.users["staff_a"]
    with pytest.raises(BusinessRuleError) as error:
        services.change_stage(project, user, Stage.CONSTRUCTION)
    assert "施工许可" in error.value.message
    PrepStep.objects.create(project=project, kind=PrepKind.PERMIT, status=PrepStatus.IN_PROGRESS)
    with pytest.raises(BusinessRuleError):
        services.change_stage(project, user, Stage.CONSTRUCTION)
    PrepStep.objects.filter(project=project).update(status=PrepStatus.DONE)
    services.change_stage(project, user, Stage.CONSTRUCTION)
    project.refresh_from_db()
    assert project.stage == Stage.CONSTRUCTION
    assert changes(project) == [(Stage.PRELIMINARY, Stage.CONSTRUCTION, False, "")]


def test_completion_needs_every_activity_finished(org, project):
    user = org.users["staff_a"]
    project.stage = Stage.CONSTRUCTION
    project.save()
    plan = make_plan(project, [("A", 2), ("B", 2, "A")])
    plan["A"].actual_finish = D(2026, 3, 3)
    plan["A"].save()
    with pytest.raises(BusinessRuleError) as error:
        services.change_stage(project, user, Stage.COMPLETED)
    assert "B" in error.value.message
    plan["B"].actual_finish = D(2026, 3, 5)
    plan["B"].save()
    services.change_stage(project, user, Stage.COMPLETED)
    assert changes(project) == [(Stage.CONSTRUCTION, Stage.COMPLETED, False, "")]


def test_acceptance_needs_the_required_items_and_the_five_party_date(org, project):
    user = org.users["staff_a"]
    project.stage = Stage.COMPLETED
    project.save()
    AcceptanceItem.objects.create(project=project, kind=AcceptanceKind.FIRE)
    AcceptanceItem.objects.create(project=project, kind=AcceptanceKind.ENERGY, required=False)
    with pytest.raises(BusinessRuleError) as error:
        services.change_stage(project, user, Stage.ACCEPTED)
    assert "消防" in error.value.message
    assert len(services.gate_problems(project, Stage.ACCEPTED)) == 2
    AcceptanceItem.objects.filter(kind=AcceptanceKind.FIRE).update(done_on=D(2026, 11, 2))
    AcceptanceItem.objects.create(
        project=project, kind=AcceptanceKind.FIVE_PARTIES, done_on=D(2026, 11, 5)
    )
    services.change_stage(project, user, Stage.ACCEPTED)
    assert project.stage_changes.count() == 1


def test_settlement_and_hand_over_need_the_close_out_facts(org, project):
    user = org.users["staff_a"]
    project.stage = Stage.ACCEPTED
    project.save()
    assert len(services.gate_problems(project, Stage.SETTLED)) == 2
    closeout = Closeout.objects.create(project=project, audited_amount=Decimal("1200.5"))
    assert len(services.gate_problems(project, Stage.SETTLED)) == 1
    closeout.settled_on = D(2026, 11, 20)
    closeout.save()
    services.change_stage(project, user, Stage.SETTLED)
    with pytest.raises(BusinessRuleError):
        services.change_stage(project, user, Stage.DELIVERED)
    closeout.handed_over_on, closeout.receiving_unit = D(2026, 11, 25), "县城市管理局"
    closeout.save()
    services.change_stage(project, user, Stage.DELIVERED)
    assert [c[1] for c in changes(project)] == [Stage.SETTLED, Stage.DELIVERED]


def test_stages_advance_one_step_at_a_time(org, project):
    with pytest.raises(BusinessRuleError):
        services.change_stage(project, org.users["director"], Stage.COMPLETED, "跳过", True)
    assert changes(project) == []


def test_the_director_overrides_a_gate_with_a_recorded_reason(org, project):
    director = org.users["director"]
    with pytest.raises(BusinessRuleError):
        services.change_stage(project, director, Stage.CONSTRUCTION, "", override=True)
    services.change_stage(
        project, director, Stage.CONSTRUCTION, "县政府专题会议纪要〔2026〕5号", True
    )
    project.refresh_from_db()
    assert project.stage == Stage.CONSTRUCTION
    assert changes(project) == [
        (Stage.PRELIMINARY, Stage.CONSTRUCTION, True, "县政府专题会议纪要〔2026〕5号")
    ]


def test_only_the_director_may_override(org, project):
    for persona in ("leader", "chief_a", "staff_a", "office"):
        with pytest.raises(BusinessRuleError):
            services.change_stage(project, org.users[persona], Stage.CONSTRUCTION, "急", True)
    assert changes(project) == []


def test_suspension_needs_a_reason_and_resumes_at_the_stage_left(org, project):
    user = org.users["staff_a"]
    project.stage = Stage.CONSTRUCTION
    project.save()
    with pytest.raises(BusinessRuleError):
        services.change_stage(project, user, Stage.SUSPENDED)
    services.change_stage(project, user, Stage.SUSPENDED, "征拆未完成")
    project.refresh_from_db()
    assert (project.stage, project.stage_reason) == (Stage.SUSPENDED, "征拆未完成")
    assert services.allowed_stages(project) == [Stage.CONSTRUCTION]
    with pytest.raises(BusinessRuleError):
        services.change_stage(project, user, Stage.COMPLETED)
    services.change_stage(project, user, Stage.CONSTRUCTION, "复工")
    project.refresh_from_db()
    assert (project.stage, project.stage_reason) == (Stage.CONSTRUCTION, "")
    assert changes(project) == [
        (Stage.CONSTRUCTION, Stage.SUSPENDED, False, "征拆未完成"),
        (Stage.SUSPENDED, Stage.CONSTRUCTION, False, "复工"),
    ]


def test_a_stale_stage_change_is_refused(org, project):
    with pytest.raises(StaleEditError):
        services.change_stage(project, org.users["staff_a"], Stage.SUSPENDED, "缓建", False, 99)
    assert changes(project) == []


# --- 三保 figures --------------------------------------------------------------------------------


def test_time_progress_is_the_share_of_the_year_elapsed():
    assert services.time_progress(D(2026, 6, 30)) == Decimal("49.59")
    assert services.time_progress(D(2026, 12, 31)) == Decimal("100.00")
    assert services.time_progress(D(2028, 2, 29)) == Decimal("16.39")  # leap year: 60/366


def test_investment_against_time_progress_in_points(org, project):
    project.annual_investment = Decimal("2000")
    project.save()
    for month, amount in ((D(2025, 12, 1), 999), (D(2026, 3, 1), 400), (D(2026, 6, 1), 500)):
        MonthlyReport.objects.create(
            project=project, month=month, investment=Decimal(amount), image_progress="主体施工"
        )
    figures = services.project_investment(project, D(2026, 6, 30))
    assert figures.completed == 900
    assert figures.rate == Decimal("45.00")
    assert figures.time_progress == Decimal("49.59")
    assert figures.gap == Decimal("-4.59") and figures.behind
    annotated = services.with_progress(type(project).objects.filter(pk=project.pk), D(2026, 6, 30))
    assert services.project_investment(annotated.get(), D(2026, 6, 30)) == figures


def test_findings_summary_counts_open_safety_and_quality_findings(org, project):
    this_year = Inspection.objects.create(project=project, date=D(2026, 5, 6))
    last_year = Inspection.objects.create(project=project, date=D(2025, 11, 6))
    Finding.objects.create(
        inspection=this_year, category=InspectionFocus.SAFETY, description="临边无防护"
    )
    Finding.objects.create(
        inspection=this_year,
        category=InspectionFocus.SAFETY,
        description="已整改待复查",
        status=FindingStatus.RECTIFIED,
    )
    Finding.objects.create(
        inspection=this_year,
        category=InspectionFocus.SAFETY,
        description="已销号",
        status=FindingStatus.VERIFIED,
    )
    Finding.objects.create(
        inspection=last_year, category=InspectionFocus.QUALITY, description="蜂窝麻面"
    )
    Finding.objects.create(
        inspection=this_year, category=InspectionFocus.SCHEDULE, description="滞后"
    )
    summary = services.findings_summary(project, D(2026, 6, 30))
    assert [f.description for f in summary["safety"].open] == ["临边无防护", "已整改待复查"]
    assert summary["safety"].this_year == 3
    assert [f.description for f in summary["quality"].open] == ["蜂窝麻面"]
    assert summary["quality"].this_year == 0
