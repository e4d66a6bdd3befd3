"""The glue between the stored plan and the scheduler: exact dates on the Chinese calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.lib.scheduling import ScheduleError
from duban.projects import services
from duban.projects.schedule import (
    baseline_variance,
    float_colour,
    project_schedule,
    project_schedules,
)
from duban.projects.tests.factories import make_plan, make_project

D = dt.date

# Across 中秋 (9/25–27), 国庆 (10/1–7) and the make-up working Saturday 10/10 of 2026.
NATIONAL_DAY_PLAN = [
    ("A", 5),  # 9/28, 9/29, 9/30, 10/8, 10/9
    ("B", 3, "A"),  # 10/10 (Saturday, 调休上班), 10/12, 10/13
    ("C", 0, "B"),  # milestone when B finishes
    ("D", 1, "A+1"),  # one working day after A: 10/12
]


@pytest.fixture
def national_day(org):
    project = make_project(org, "ND", "国庆跨节项目", D(2026, 9, 28), D(2026, 10, 16))
    make_plan(project, NATIONAL_DAY_PLAN)
    return project


def dates(result):
    return (
        result.early_start,
        result.early_finish,
        result.late_start,
        result.late_finish,
        result.total_float,
        result.critical,
    )


def test_a_plan_across_the_national_day_holiday_has_exact_working_day_dates(national_day):
    schedule = project_schedule(national_day)
    by_code = {r.code: r for r in schedule.activities}
    assert [r.code for r in schedule.activities] == ["A", "B", "C", "D"]
    assert dates(by_code["A"]) == (
        D(2026, 9, 28),
        D(2026, 10, 9),
        D(2026, 10, 8),
        D(2026, 10, 13),
        3,
        True,
    )
    assert dates(by_code["B"]) == (
        D(2026, 10, 10),
        D(2026, 10, 13),
        D(2026, 10, 14),
        D(2026, 10, 16),
        3,
        True,
    )
    assert dates(by_code["C"]) == (
        D(2026, 10, 13),
        D(2026, 10, 13),
        D(2026, 10, 16),
        D(2026, 10, 16),
        3,
        True,
    )
    assert dates(by_code["D"]) == (
        D(2026, 10, 12),
        D(2026, 10, 12),
        D(2026, 10, 16),
        D(2026, 10, 16),
        4,
        False,
    )
    assert schedule.project_float == 3
    assert schedule.critical_path == ["A", "B", "C"]
    assert schedule.finish == D(2026, 10, 13)
    assert schedule.complete is True
    assert schedule.warnings == []
    assert float_colour(schedule.project_float) == "yellow"


def test_actual_dates_replace_the_early_dates_and_the_forecast_moves(national_day):
    a = national_day.activities.get(code="A")
    a.actual_start, a.actual_finish = D(2026, 9, 28), D(2026, 10, 8)
    a.save()
    schedule = project_schedule(national_day, as_of=D(2026, 10, 9))
    by_code = {r.code: r for r in schedule.activities}
    assert (by_code["A"].early_start, by_code["A"].early_finish) == (D(2026, 9, 28), D(2026, 10, 8))
    assert (by_code["B"].early_start, by_code["B"].early_finish) == (
        D(2026, 10, 9),
        D(2026, 10, 12),
    )
    assert schedule.project_float == 4


def test_a_2027_plan_is_scheduled_on_weekdays_and_says_so(org):
    project = make_project(org, "Y27", "明年项目", D(2027, 3, 1), D(2027, 6, 30))
    make_plan(project, [("A", 10), ("B", 5, "A")])
    schedule = project_schedule(project)
    assert schedule.complete is False
    assert schedule.warnings == ["2027年调休安排尚未录入，按周一至周五计算"]
    by_code = {r.code: r for r in schedule.activities}
    assert by_code["A"].early_finish == D(2027, 3, 12)  # ten weekdays from Monday 1 March
    assert by_code["B"].early_finish == D(2027, 3, 19)


def test_an_empty_plan_is_an_error_in_chinese(org):
    project = make_project(org, "E", "无计划", D(2026, 3, 2), D(2026, 12, 31))
    with pytest.raises(ScheduleError) as error:
        project_schedule(project)
    assert error.value.errors == {"activities": "尚未录入工序，无法排定工期"}
    assert project_schedules([project]) == {project.pk: None}


def test_archived_activities_are_not_in_the_schedule(org, national_day):
    from duban.lib.scheduling import ActivityInput

    services.replace_plan(national_day, [ActivityInput("X", "新工序", 2)], org.users["staff_a"])
    schedule = project_schedule(national_day)
    assert [r.code for r in schedule.activities] == ["X"]


def test_baseline_variance_is_in_working_days_per_activity(org, national_day):
    baseline = services.approve_baseline(
        national_day, org.users["leader"], "立项批复计划", "建发〔2026〕1号"
    )
    b = national_day.activities.get(code="B")
    b.actual_start, b.actual_finish = D(2026, 10, 10), D(2026, 10, 15)  # two working days late
    b.save()
    rows = {v.code: v for v in baseline_variance(national_day, baseline)}
    assert rows["A"].finish_variance == 0
    assert (rows["B"].baseline_finish, rows["B"].finish, rows["B"].finish_variance) == (
        D(2026, 10, 13),
        D(2026, 10, 15),
        2,
    )
    assert rows["C"].finish_variance == 2
    assert rows["D"].finish_variance == 0


def test_variance_names_added_and_removed_activities(org, national_day):
    from duban.lib.scheduling import ActivityInput

    baseline = services.approve_baseline(national_day, org.users["leader"], "立项批复计划")
    services.replace_plan(
        national_day,
        [ActivityInput("A", "基础", 5), ActivityInput("E", "新增", 2)],
        org.users["staff_a"],
    )
    rows = {v.code: v for v in baseline_variance(national_day, baseline)}
    assert rows["E"].status == "added" and rows["E"].finish_variance is None
    assert rows["B"].status == "removed"
    assert rows["A"].status == "" and rows["A"].finish_variance == 0


def test_schedules_of_many_projects_take_the_same_queries_as_of_one(
    org, django_assert_max_num_queries
):
    from duban.core.testing import count_queries
    from duban.workcalendar.services import current_calendar

    current_calendar()
    projects = [make_project(org, f"P{i}", f"项目{i}") for i in range(12)]
    for project in projects:
        make_plan(project, [("A", 3), ("B", 2, "A")])
    one = count_queries(lambda: project_schedules(projects[:1]))
    many = count_queries(lambda: project_schedules(projects))
    assert one == many
