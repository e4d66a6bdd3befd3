"""Tests for the project scheduler (倒排工期).

Exact dates are worked out by hand on the 2026 calendar (国办发明电〔2025〕7号): in March 2026 the
working days from Monday 03-02 are numbered 0, 1, 2, … ("rel" below), and the working day before
03-02 is the 春节 make-up Saturday 02-28. Properties compare the scheduler with a naive
fixed-point reference on random networks.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from duban.lib.scheduling import (
    ActivityInput,
    ActivityResult,
    Dependency,
    Schedule,
    ScheduleError,
    baseline,
    progress_percent,
    schedule,
    validate,
)
from duban.lib.workdays import Calendar, DayOverride

CALENDAR = Calendar()
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)

MARCH_2 = date(2026, 3, 2)
S = CALENDAR.workday_index(MARCH_2)  # rel 0


def d(text: str) -> date:
    return date.fromisoformat(text)


def act(code: str, duration: int, *predecessors: str | tuple[str, int], **fields) -> ActivityInput:
    """An activity; a predecessor is "A" (lag 0) or ("A", lag)."""
    links = tuple(
        Dependency(p) if isinstance(p, str) else Dependency(p[0], p[1]) for p in predecessors
    )
    return ActivityInput(code, f"工序{code}", duration, links, **fields)


def run(
    activities: list[ActivityInput],
    deadline: str = "2026-03-17",
    start: str = "2026-03-02",
    calendar: Calendar = CALENDAR,
    as_of: str | None = None,
) -> Schedule:
    return schedule(
        activities, d(start), d(deadline), calendar, None if as_of is None else d(as_of)
    )


def rows(plan: Schedule) -> dict[str, ActivityResult]:
    return {r.code: r for r in plan.activities}


def rel(result: ActivityResult) -> tuple[int, int, int, int, int]:
    """(es, ef, ls, lf, float) counted from 2026-03-02."""
    return (result.es - S, result.ef - S, result.ls - S, result.lf - S, result.total_float)


def shown(result: ActivityResult) -> tuple[str, str, str, str]:
    return tuple(
        x.isoformat()
        for x in (result.early_start, result.early_finish, result.late_start, result.late_finish)
    )


def textbook(**changes: dict) -> list[ActivityInput]:
    """A(3) → B(4), C(2); B, C → D(5); D → E (completion milestone)."""
    activities = [
        act("A", 3),
        act("B", 4, "A"),
        act("C", 2, "A"),
        act("D", 5, "B", "C"),
        act("E", 0, "D"),
    ]
    return [replace(a, **changes.get(a.code, {})) for a in activities]


# --- the textbook network -----------------------------------------------------------------------


def test_given_textbook_network_when_scheduling_then_exact_indices_and_floats() -> None:
    plan = run(textbook())
    assert {code: rel(r) for code, r in rows(plan).items()} == {
        "A": (0, 2, 0, 2, 0),
        "B": (3, 6, 3, 6, 0),
        "C": (3, 4, 5, 6, 2),
        "D": (7, 11, 7, 11, 0),
        "E": (12, 11, 12, 11, 0),
    }


def test_given_textbook_network_when_scheduling_then_exact_dates() -> None:
    plan = run(textbook())
    assert {code: shown(r) for code, r in rows(plan).items()} == {
        "A": ("2026-03-02", "2026-03-04", "2026-03-02", "2026-03-04"),
        "B": ("2026-03-05", "2026-03-10", "2026-03-05", "2026-03-10"),
        "C": ("2026-03-05", "2026-03-06", "2026-03-09", "2026-03-10"),
        "D": ("2026-03-11", "2026-03-17", "2026-03-11", "2026-03-17"),
        "E": ("2026-03-17", "2026-03-17", "2026-03-17", "2026-03-17"),
    }


def test_given_textbook_network_when_scheduling_then_critical_path_and_summary() -> None:
    plan = run(textbook())
    assert plan.critical_path == ["A", "B", "D", "E"]
    assert [r.code for r in plan.activities if r.critical] == ["A", "B", "D", "E"]
    assert (plan.project_float, plan.compress_by, plan.finish) == (0, 0, d("2026-03-17"))
    assert (plan.complete, plan.warnings) == (True, [])
    assert (plan.planned_start, plan.deadline) == (d("2026-03-02"), d("2026-03-17"))


def test_given_three_spare_days_when_scheduling_then_every_float_grows_by_three() -> None:
    plan = run(textbook(), deadline="2026-03-20")
    assert {code: r.total_float for code, r in rows(plan).items()} == {
        "A": 3,
        "B": 3,
        "C": 5,
        "D": 3,
        "E": 3,
    }
    assert plan.project_float == 3
    assert plan.critical_path == ["A", "B", "D", "E"]
    assert rows(plan)["E"].late_finish == d("2026-03-20")


def test_given_deadline_on_a_sunday_when_scheduling_then_last_working_day_before_counts() -> None:
    plan = run(textbook(), deadline="2026-03-22")
    assert plan.project_float == 3
    assert rows(plan)["E"].late_finish == d("2026-03-20")


def test_given_planned_start_on_a_sunday_when_scheduling_then_starts_next_working_day() -> None:
    plan = run(textbook(), start="2026-03-01")
    assert rows(plan)["A"].early_start == d("2026-03-02")
    assert plan.project_float == 0


def test_given_activities_in_reverse_order_when_scheduling_then_same_dates_in_input_order() -> None:
    plan = run(textbook()[::-1])
    assert [r.code for r in plan.activities] == ["E", "D", "C", "B", "A"]
    assert rows(plan) == rows(run(textbook()))
    assert plan.critical_path == ["A", "B", "D", "E"]


# --- negative float -----------------------------------------------------------------------------


def test_given_deadline_two_days_too_early_when_scheduling_then_compress_by_two() -> None:
    plan = run(textbook(), deadline="2026-03-13")
    assert plan.project_float == -2
    assert plan.compress_by == 2
    assert plan.warnings == ["按当前计划无法按期完成，需压缩工期2个工作日"]
    assert plan.critical_path == ["A", "B", "D", "E"]
    assert {code: r.total_float for code, r in rows(plan).items()} == {
        "A": -2,
        "B": -2,
        "C": 0,
        "D": -2,
        "E": -2,
    }
    assert not rows(plan)["C"].critical
    # Late start 2 working days before 03-02: the make-up Saturday 02-28 is one of them.
    assert shown(rows(plan)["A"]) == ("2026-03-02", "2026-03-04", "2026-02-27", "2026-03-02")
    assert plan.finish == d("2026-03-17")


def test_given_deadline_before_planned_start_when_scheduling_then_float_not_an_error() -> None:
    plan = run(textbook(), deadline="2026-02-27")
    assert plan.project_float == -13  # 02-27 is rel −2 (02-28 is the make-up Saturday)
    assert plan.warnings == ["按当前计划无法按期完成，需压缩工期13个工作日"]


# --- milestones ---------------------------------------------------------------------------------


def test_given_milestone_after_a_task_then_it_finishes_on_the_task_finish_day() -> None:
    plan = run([act("A", 3), act("M", 0, "A"), act("B", 2, "M")], deadline="2026-03-06")
    r = rows(plan)
    assert rel(r["M"]) == (3, 2, 3, 2, 0)
    assert shown(r["M"]) == ("2026-03-04",) * 4
    assert shown(r["B"])[:2] == ("2026-03-05", "2026-03-06")
    assert plan.critical_path == ["A", "M", "B"]


def test_given_milestone_with_lag_when_scheduling_then_lag_days_after_predecessor() -> None:
    plan = run([act("A", 3), act("M", 0, ("A", 2)), act("B", 1, "M")], deadline="2026-03-09")
    r = rows(plan)
    assert rel(r["M"])[:2] == (5, 4)
    assert r["M"].early_start == r["M"].early_finish == d("2026-03-06")
    assert r["B"].early_start == d("2026-03-09")
    assert plan.project_float == 0


def test_given_milestone_without_predecessors_then_it_finishes_the_day_before_the_start() -> None:
    # The contract: f = s − 1, shown as the finish day. Before 03-02 comes the make-up Saturday.
    plan = run([act("M", 0), act("A", 1, "M")], deadline="2026-03-02")
    r = rows(plan)
    assert rel(r["M"])[:2] == (0, -1)
    assert r["M"].early_start == r["M"].early_finish == d("2026-02-28")
    assert r["A"].early_start == d("2026-03-02")


def test_given_final_milestone_with_slack_then_late_dates_show_the_late_finish_day() -> None:
    plan = run(textbook(), deadline="2026-03-20")
    e = rows(plan)["E"]
    assert (e.ls - S, e.lf - S) == (15, 14)
    assert e.late_start == e.late_finish == d("2026-03-20")


def test_given_chain_of_milestones_then_all_fall_on_the_same_day() -> None:
    plan = run([act("A", 2), act("M1", 0, "A"), act("M2", 0, "M1"), act("M3", 0, "M2")])
    assert {r.early_finish for r in plan.activities if r.code != "A"} == {d("2026-03-03")}
    assert plan.critical_path == ["A", "M1", "M2", "M3"]


def test_given_completion_milestone_and_its_task_tie_then_the_path_ends_at_the_milestone() -> None:
    plan = run([act("E", 0, "D"), act("D", 3)], deadline="2026-03-04")
    assert plan.critical_path == ["D", "E"]


# --- lags ---------------------------------------------------------------------------------------


def test_given_positive_lag_when_scheduling_then_successor_waits_lag_days() -> None:
    plan = run([act("A", 3), act("B", 2, ("A", 2))], deadline="2026-03-10")
    r = rows(plan)
    assert rel(r["A"]) == (0, 2, 0, 2, 0)
    assert rel(r["B"]) == (5, 6, 5, 6, 0)
    assert r["B"].early_start == d("2026-03-09")  # 03-05 and 03-06 are the lag days


def test_given_negative_lag_when_scheduling_then_successor_overlaps() -> None:
    plan = run([act("A", 5), act("B", 3, ("A", -2))], deadline="2026-03-09")
    r = rows(plan)
    assert rel(r["A"]) == (0, 4, 0, 4, 0)
    assert rel(r["B"]) == (3, 5, 3, 5, 0)
    assert plan.critical_path == ["A", "B"]


def test_given_large_negative_lag_when_scheduling_then_nothing_starts_before_planned_start() -> (
    None
):
    plan = run([act("A", 2), act("B", 1, ("A", -5))])
    assert rows(plan)["B"].early_start == d("2026-03-02")


def test_given_negative_lag_when_predecessor_ends_last_then_it_alone_is_critical() -> None:
    plan = run([act("A", 5), act("B", 1, ("A", -2))], deadline="2026-03-16")
    r = rows(plan)
    assert rel(r["A"]) == (0, 4, 6, 10, 6)
    assert rel(r["B"]) == (3, 3, 10, 10, 7)
    assert (plan.project_float, plan.critical_path) == (6, ["A"])
    assert plan.finish == d("2026-03-06")


def test_given_two_links_to_one_predecessor_when_validating_then_it_is_refused():
    # A link is stored once per pair (database constraint): the plan must say it once.
    from duban.lib.scheduling import ActivityInput, Dependency, validate

    rows = [
        ActivityInput("A", "甲", 3),
        ActivityInput("B", "乙", 2, (Dependency("A"), Dependency("A", 4))),
    ]
    assert "同一前置工序只能填写一次" in validate(rows)["activities[1].predecessors"]


def test_given_finish_by_before_early_finish_then_it_and_its_predecessors_go_negative() -> None:
    plan = run(textbook(C={"finish_by": d("2026-03-05")}))
    r = rows(plan)
    assert rel(r["C"]) == (3, 4, 2, 3, -1)
    assert rel(r["A"]) == (0, 2, -1, 1, -1)
    assert r["B"].total_float == 0 and not r["B"].critical
    assert (plan.project_float, plan.critical_path) == (-1, ["A", "C"])
    assert plan.warnings == ["按当前计划无法按期完成，需压缩工期1个工作日"]


def test_given_finish_by_on_a_sunday_then_last_working_day_before_is_the_late_finish() -> None:
    plan = run(textbook(C={"finish_by": d("2026-03-08")}))
    r = rows(plan)
    assert rel(r["C"]) == (3, 4, 3, 4, 0)
    assert r["C"].critical
    assert r["C"].late_finish == d("2026-03-06")
    assert plan.critical_path == ["A", "B", "D", "E"]


def test_given_finish_by_after_the_deadline_then_it_changes_nothing() -> None:
    assert rows(run(textbook(C={"finish_by": d("2026-06-30")}))) == rows(run(textbook()))


def test_given_finish_by_on_a_milestone_then_it_bounds_the_milestone() -> None:
    plan = run(textbook(E={"finish_by": d("2026-03-16")}), deadline="2026-03-31")
    assert rel(rows(plan)["E"]) == (12, 11, 11, 10, -1)
    assert plan.critical_path == ["A", "B", "D", "E"]


# --- the calendar: National Day 2026 and 2027 ---------------------------------------------------


def national_day_plan() -> Schedule:
    activities = [
        act("A", 2),
        act("B", 6, "A"),
        act("C", 3, "B"),
        act("D", 2, "C"),
        act("M", 0, "D"),
    ]
    return run(activities, start="2026-09-18", deadline="2026-10-16")


def test_given_plan_across_national_day_2026_when_scheduling_then_exact_dates() -> None:
    # Off: 09-25..09-27 (中秋节), 10-01..10-07 (国庆节); make-up workdays: Sun 09-20, Sat 10-10.
    plan = national_day_plan()
    assert {code: shown(r) for code, r in rows(plan).items()} == {
        "A": ("2026-09-18", "2026-09-20", "2026-09-23", "2026-09-24"),
        "B": ("2026-09-21", "2026-09-29", "2026-09-28", "2026-10-10"),
        "C": ("2026-09-30", "2026-10-09", "2026-10-12", "2026-10-14"),
        "D": ("2026-10-10", "2026-10-12", "2026-10-15", "2026-10-16"),
        "M": ("2026-10-12", "2026-10-12", "2026-10-16", "2026-10-16"),
    }
    assert (plan.project_float, plan.finish, plan.complete) == (4, d("2026-10-12"), True)
    assert plan.critical_path == ["A", "B", "C", "D", "M"]


def test_given_start_on_national_day_when_scheduling_then_work_starts_on_10_08() -> None:
    plan = run([act("A", 3)], start="2026-10-01", deadline="2026-10-31")
    assert shown(rows(plan)["A"])[:2] == ("2026-10-08", "2026-10-10")


def test_given_a_2027_plan_when_scheduling_then_monday_to_friday_with_a_warning() -> None:
    plan = run([act("A", 5), act("B", 3, "A")], start="2027-09-27", deadline="2027-10-15")
    assert shown(rows(plan)["A"])[:2] == ("2027-09-27", "2027-10-01")  # 10-01 guessed a workday
    assert shown(rows(plan)["B"])[:2] == ("2027-10-04", "2027-10-06")
    assert plan.project_float == 7
    assert plan.complete is False
    assert plan.warnings == ["2027年调休安排尚未录入，按周一至周五计算"]


def test_given_2027_holidays_entered_when_scheduling_then_complete_and_dates_move() -> None:
    national_day = [
        DayOverride(date(2027, 10, day), is_workday=False, name="国庆节") for day in range(1, 8)
    ]
    calendar = Calendar(overrides=national_day, complete_years=[2027])
    activities = [act("A", 5), act("B", 3, "A")]
    plan = run(activities, start="2027-09-27", deadline="2027-10-15", calendar=calendar)
    assert shown(rows(plan)["A"])[:2] == ("2027-09-27", "2027-10-08")
    assert shown(rows(plan)["B"])[:2] == ("2027-10-11", "2027-10-13")
    assert (plan.project_float, plan.complete, plan.warnings) == (2, True, [])


def test_given_a_plan_running_into_2027_when_scheduling_then_only_2027_is_warned() -> None:
    plan = run([act("A", 10)], start="2026-12-21", deadline="2027-01-29")
    # 12-21..12-31 hold 9 working days; the tenth is 2027-01-01, a Friday nobody has ruled on yet.
    assert rows(plan)["A"].early_finish == d("2027-01-01")
    assert plan.warnings == ["2027年调休安排尚未录入，按周一至周五计算"]
    assert not plan.complete


def test_given_work_in_2026_but_deadline_in_2027_when_scheduling_then_2027_is_warned() -> None:
    plan = run([act("A", 5)], start="2026-11-02", deadline="2027-03-31")
    assert plan.finish == d("2026-11-06")
    assert plan.warnings == ["2027年调休安排尚未录入，按周一至周五计算"]


def test_given_both_guessed_year_and_tight_deadline_then_both_warnings() -> None:
    plan = run([act("A", 10)], start="2027-03-01", deadline="2027-03-05")
    assert plan.warnings == [
        "2027年调休安排尚未录入，按周一至周五计算",
        "按当前计划无法按期完成，需压缩工期5个工作日",
    ]


# --- validation ---------------------------------------------------------------------------------


def test_given_a_valid_plan_when_validating_then_no_errors() -> None:
    assert validate(textbook()) == {}


def test_given_unknown_predecessor_when_validating_then_named_on_its_row() -> None:
    errors = validate([act("A", 1), act("B", 1, "A", "X", "Y")])
    assert errors == {"activities[1].predecessors": "前置工序编码不存在：X、Y"}


def test_given_duplicate_code_when_validating_then_second_row_is_flagged() -> None:
    errors = validate([act("A", 1), act("B", 1), act("A", 2)])
    assert errors == {"activities[2].code": "工序编码重复：A"}


def test_given_blank_code_when_validating_then_flagged() -> None:
    assert validate([act(" ", 1)]) == {"activities[0].code": "工序编码不能为空"}


@pytest.mark.parametrize(
    ("duration", "message"),
    [(-1, "工期不能为负数"), (1.5, "工期必须是整数（工作日）"), (True, "工期必须是整数（工作日）")],
)
def test_given_bad_duration_when_validating_then_flagged(duration: object, message: str) -> None:
    assert validate([act("A", duration)]) == {"activities[0].duration": message}  # type: ignore[arg-type]


@pytest.mark.parametrize("lag", [1.5, "2", None, True])
def test_given_non_integer_lag_when_validating_then_flagged(lag: object) -> None:
    errors = validate([act("A", 1), act("B", 1, ("A", lag))])  # type: ignore[arg-type]
    assert errors == {"activities[1].predecessors": "搭接时间必须是整数（工作日）：A"}


def test_given_self_dependency_when_validating_then_flagged_and_not_called_a_cycle() -> None:
    errors = validate([act("A", 1, "A")])
    assert errors == {"activities[0].predecessors": "工序不能以自身为前置工序"}


def test_given_several_problems_on_one_row_then_all_are_reported() -> None:
    errors = validate([act("A", 1), act("B", -2, "B", "Q", ("A", 0.5))])  # type: ignore[arg-type]
    assert errors == {
        "activities[1].duration": "工期不能为负数",
        "activities[1].predecessors": (
            "工序不能以自身为前置工序；前置工序编码不存在：Q；搭接时间必须是整数（工作日）：A"
        ),
    }


def test_given_a_cycle_when_validating_then_its_activities_are_named_in_order() -> None:
    # B follows A, C follows B, A follows C; named from the first-listed row, C.
    errors = validate([act("C", 1, "B"), act("A", 1, "C"), act("B", 1, "A"), act("X", 1)])
    assert errors == {"activities": "工序存在循环依赖：C → A → B → C"}


def test_given_two_cycles_and_a_follower_when_validating_then_each_cycle_named_once() -> None:
    errors = validate(
        [
            act("A", 1, "B"),
            act("B", 1, "A"),
            act("F", 1, "B"),  # held up by the cycle, but not part of it
            act("P", 1, "R"),
            act("Q", 1, "P"),
            act("R", 1, "Q"),
        ]
    )
    assert errors == {
        "activities": "工序存在循环依赖：A → B → A；工序存在循环依赖：P → Q → R → P",
    }


def test_given_a_cycle_when_scheduling_then_refused_with_the_same_message() -> None:
    with pytest.raises(ScheduleError) as caught:
        run([act("A", 1, "B"), act("B", 1, "A")])
    assert caught.value.errors == {"activities": "工序存在循环依赖：A → B → A"}
    assert "工序存在循环依赖：A → B → A" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_given_duplicate_codes_and_a_loop_then_only_the_codes_are_reported() -> None:
    errors = validate([act("A", 1, "B"), act("B", 1, "A"), act("B", 1)])
    assert errors == {"activities[2].code": "工序编码重复：B"}


def test_given_no_activities_when_validating_or_scheduling_then_refused() -> None:
    assert validate([]) == {"activities": "尚未录入工序，无法排定工期"}
    with pytest.raises(ScheduleError):
        run([])


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        ({"percent_complete": Decimal("100.1")}, "percent_complete", "完成百分比应在0到100之间"),
        ({"percent_complete": -1}, "percent_complete", "完成百分比应在0到100之间"),
        ({"percent_complete": "50"}, "percent_complete", "完成百分比应在0到100之间"),
        ({"weight": Decimal(-1)}, "weight", "权重不能为负数"),
        ({"weight": "heavy"}, "weight", "权重必须是数字"),
        ({"finish_by": "2026-03-05"}, "finish_by", "要求完成日期必须是日期"),
        (
            {"actual_start": d("2026-03-05"), "actual_finish": d("2026-03-04")},
            "actual_finish",
            "实际完成日期不能早于实际开始日期",
        ),
    ],
)
def test_given_bad_field_when_validating_then_flagged_on_its_key(
    fields: dict, key: str, message: str
) -> None:
    assert validate([act("A", 3, **fields)]) == {f"activities[0].{key}": message}


def test_given_actual_dates_after_as_of_when_validating_then_flagged() -> None:
    activity = act("A", 3, actual_start=d("2026-03-10"), actual_finish=d("2026-03-12"))
    assert validate([activity]) == {}
    assert validate([activity], as_of=d("2026-03-09")) == {
        "activities[0].actual_start": "实际开始日期不能晚于进度统计日期",
        "activities[0].actual_finish": "实际完成日期不能晚于进度统计日期",
    }
    with pytest.raises(ScheduleError):
        run([activity], as_of="2026-03-09")


# --- actual dates and the forecast --------------------------------------------------------------


def test_given_late_actual_start_when_scheduling_then_successors_and_finish_move() -> None:
    plan = run(textbook(A={"actual_start": d("2026-03-03")}))
    r = rows(plan)
    assert rel(r["A"])[:2] == (1, 3)
    assert rel(r["B"])[:2] == (4, 7)
    assert rel(r["D"])[:2] == (8, 12)
    assert plan.finish == d("2026-03-18")
    assert plan.project_float == -1


def test_given_actual_finish_when_scheduling_then_duration_is_what_it_took() -> None:
    plan = run(textbook(A={"actual_start": d("2026-03-02"), "actual_finish": d("2026-03-06")}))
    r = rows(plan)
    assert rel(r["A"]) == (0, 4, -2, 2, -2)  # five working days taken; float measured from them
    assert shown(r["B"])[:2] == ("2026-03-09", "2026-03-12")
    assert plan.finish == d("2026-03-19")
    assert plan.compress_by == 2


def test_given_early_actual_finish_when_scheduling_then_successors_start_earlier() -> None:
    plan = run(textbook(A={"actual_start": d("2026-03-02"), "actual_finish": d("2026-03-03")}))
    assert rows(plan)["B"].early_start == d("2026-03-04")
    assert plan.project_float == 1


def test_given_started_before_predecessor_finished_then_actual_start_wins() -> None:
    plan = run(textbook(B={"actual_start": d("2026-03-03")}))
    r = rows(plan)
    assert rel(r["B"])[:2] == (1, 4)
    assert rel(r["D"])[:2] == (5, 9)  # now C (ends rel 4) and B tie


def test_given_actual_dates_on_a_weekend_then_start_snaps_forward_and_finish_back() -> None:
    activities = [
        act("X", 3, actual_start=d("2026-03-07"), actual_finish=d("2026-03-15")),
        act("Y", 1, "X"),
    ]
    r = rows(run(activities, deadline="2026-03-31"))
    assert shown(r["X"])[:2] == ("2026-03-09", "2026-03-13")
    assert r["Y"].early_start == d("2026-03-16")


def test_given_work_done_entirely_on_a_weekend_then_it_occupies_no_working_day() -> None:
    activities = [act("X", 1, actual_start=d("2026-03-07"), actual_finish=d("2026-03-08"))]
    x = rows(run(activities))["X"]
    assert x.ef == x.es - 1
    assert x.early_start == x.early_finish == d("2026-03-06")


def test_given_actual_finish_without_start_then_start_assumed_from_the_duration() -> None:
    plan = run(textbook(A={"actual_finish": d("2026-03-05")}))
    assert rel(rows(plan)["A"])[:2] == (1, 3)


@pytest.mark.parametrize("field", ["actual_start", "actual_finish"])
def test_given_milestone_reached_then_its_date_and_successors_follow(field: str) -> None:
    activities = [act("A", 3), act("M", 0, "A", **{field: d("2026-03-10")}), act("B", 1, "M")]
    r = rows(run(activities))
    assert r["M"].early_start == r["M"].early_finish == d("2026-03-10")
    assert rel(r["M"])[:2] == (7, 6)
    assert r["B"].early_start == d("2026-03-11")


def test_given_started_activity_and_as_of_then_remaining_work_is_forecast_from_today() -> None:
    started = {"actual_start": d("2026-03-02"), "percent_complete": Decimal(30)}
    activities = [act("X", 10, **started), act("Y", 1, "X")]
    without = rows(run(activities, deadline="2026-03-31"))
    forecast = rows(run(activities, deadline="2026-03-31", as_of="2026-03-09"))
    assert without["X"].early_finish == d("2026-03-13")  # no as_of: planned duration
    # ceil(10 × 70%) = 7 days from Monday 03-09: 03-09 … 03-17.
    assert forecast["X"].early_finish == d("2026-03-17")
    assert forecast["Y"].early_start == d("2026-03-18")


def test_given_remaining_fraction_of_a_day_then_forecast_rounds_up() -> None:
    started = {"actual_start": d("2026-03-02"), "percent_complete": Decimal(50)}
    x = rows(run([act("X", 3, **started)], as_of="2026-03-03"))["X"]
    assert rel(x)[:2] == (0, 2)  # ceil(1.5) = 2 days from 03-03


def test_given_quick_progress_then_forecast_finish_can_come_earlier_than_planned() -> None:
    started = {"actual_start": d("2026-03-02"), "percent_complete": Decimal(80)}
    x = rows(run([act("X", 10, **started)], as_of="2026-03-04"))["X"]
    assert rel(x)[:2] == (0, 3)  # 2 days left from rel 2


def test_given_100_percent_but_no_finish_date_then_forecast_finishes_yesterday() -> None:
    started = {"actual_start": d("2026-03-02"), "percent_complete": Decimal(100)}
    x = rows(run([act("X", 10, **started)], as_of="2026-03-04"))["X"]
    assert x.early_finish == d("2026-03-03")


def test_given_percent_without_start_date_then_started_where_the_network_put_it() -> None:
    activities = [act("X", 4, percent_complete=Decimal(25))]
    x = rows(run(activities, as_of="2026-03-04"))["X"]
    assert rel(x)[:2] == (0, 4)  # not pushed to today; 3 days left from rel 2


def test_given_as_of_when_work_not_started_then_it_cannot_start_before_today() -> None:
    done = {"actual_start": d("2026-03-02"), "actual_finish": d("2026-03-04")}
    plan = run(textbook(A=done), as_of="2026-03-09")
    r = rows(plan)
    assert rel(r["B"])[:2] == (5, 8)
    assert rel(r["C"])[:2] == (5, 6)
    assert plan.finish == d("2026-03-19")
    assert plan.warnings == ["按当前计划无法按期完成，需压缩工期2个工作日"]
    assert rows(run(textbook(A=done)))["B"].early_start == d("2026-03-05")  # no as_of: plan


def test_given_as_of_on_a_saturday_then_today_is_the_next_working_day() -> None:
    plan = run([act("X", 1)], as_of="2026-03-07")
    assert rows(plan)["X"].early_start == d("2026-03-09")


def test_given_finished_activity_then_predecessors_do_not_move_it() -> None:
    finished = {"actual_start": d("2026-03-02"), "actual_finish": d("2026-03-02")}
    r = rows(run(textbook(B=finished)))
    assert rel(r["B"])[:2] == (0, 0)
    assert rel(r["D"])[:2] == (5, 9)


# --- progress (形象进度 vs 时间进度) ---------------------------------------------------------------


def test_given_plan_and_progress_when_measuring_then_weighted_actual_and_planned() -> None:
    activities = textbook(
        A={"actual_start": d("2026-03-02"), "actual_finish": d("2026-03-04")},
        B={"actual_start": d("2026-03-05"), "percent_complete": Decimal(50)},
    )
    plan = run(baseline(activities))
    # By the start of 03-06: A done (3/3), B 1/4, C 1/2, D and E nothing. Actual: A 100, B 50.
    planned = (Decimal(100) + Decimal(25) + Decimal(50)) / 5
    assert progress_percent(activities, plan.activities, d("2026-03-06"), CALENDAR) == (
        Decimal("30.00"),
        planned.quantize(Decimal("0.01")),
    )


def test_given_weights_when_measuring_then_heavier_activities_count_more() -> None:
    activities = [
        act("A", 2, weight=Decimal(3), percent_complete=Decimal(50)),
        act("B", 2, "A", weight=Decimal(1)),
    ]
    plan = run(baseline(activities))
    actual, planned = progress_percent(activities, plan.activities, d("2026-03-04"), CALENDAR)
    assert (actual, planned) == (Decimal("37.50"), Decimal("75.00"))


def test_given_a_third_elapsed_when_measuring_then_rounded_half_up_to_cents() -> None:
    activities = [act("A", 3)]
    plan = run(activities)
    assert progress_percent(activities, plan.activities, d("2026-03-03"), CALENDAR) == (
        Decimal("0.00"),
        Decimal("33.33"),
    )
    assert progress_percent(activities, plan.activities, d("2026-03-04"), CALENDAR)[1] == Decimal(
        "66.67"
    )


def test_given_milestones_when_measuring_then_all_or_nothing_once_the_day_has_passed() -> None:
    activities = [act("A", 2, weight=Decimal(0)), act("M", 0, "A", weight=Decimal(1))]
    plan = run(activities)
    assert progress_percent(activities, plan.activities, d("2026-03-03"), CALENDAR)[1] == 0
    assert progress_percent(activities, plan.activities, d("2026-03-04"), CALENDAR)[1] == 100
    reached = [activities[0], act("M", 0, "A", actual_finish=d("2026-03-03"))]
    assert progress_percent(reached, plan.activities, d("2026-03-04"), CALENDAR)[0] == 100


def test_given_zero_weights_when_measuring_then_activities_count_alike() -> None:
    activities = [
        act("A", 1, weight=Decimal(0), percent_complete=Decimal(100)),
        act("B", 1, weight=Decimal(0)),
    ]
    plan = run(baseline(activities))
    actual, _ = progress_percent(activities, plan.activities, d("2026-03-02"), CALENDAR)
    assert actual == Decimal("50.00")


def test_given_as_of_before_start_or_after_finish_then_zero_and_hundred_planned() -> None:
    plan = run(textbook())
    before = progress_percent(textbook(), plan.activities, d("2026-02-01"), CALENDAR)
    after = progress_percent(textbook(), plan.activities, d("2026-04-01"), CALENDAR)
    assert (before[1], after[1]) == (Decimal("0.00"), Decimal("100.00"))


def test_given_results_missing_an_activity_when_measuring_then_value_error() -> None:
    plan = run([act("A", 1)])
    with pytest.raises(ValueError):
        progress_percent([act("A", 1), act("B", 1)], plan.activities, MARCH_2, CALENDAR)


def test_given_progress_when_taking_the_baseline_then_only_progress_is_dropped() -> None:
    activity = act(
        "A",
        3,
        finish_by=d("2026-03-31"),
        weight=Decimal(2),
        actual_start=MARCH_2,
        actual_finish=MARCH_2,
        percent_complete=Decimal(100),
    )
    assert baseline([activity]) == [
        act("A", 3, finish_by=d("2026-03-31"), weight=Decimal(2)),
    ]


# --- scale --------------------------------------------------------------------------------------


def test_given_a_10000_activity_chain_when_scheduling_then_no_recursion_and_exact_finish() -> None:
    activities = [act("T0", 1)] + [act(f"T{i}", 1, f"T{i - 1}") for i in range(1, 10_000)]
    plan = schedule(activities, MARCH_2, date(2066, 12, 31), CALENDAR)
    assert plan.activities[-1].ef == S + 9_999
    assert plan.finish == CALENDAR.workday_at(S + 9_999)
    assert len(plan.critical_path) == 10_000


# --- properties ---------------------------------------------------------------------------------


@st.composite
def networks(draw: st.DrawFn, max_size: int = 20) -> list[ActivityInput]:
    """Random acyclic networks in shuffled input order; row i may only follow rows before it."""
    n = draw(st.integers(1, max_size))
    specs = []
    for i in range(n):
        duration = draw(st.integers(0, 8))
        predecessors = draw(st.lists(st.integers(0, i - 1), max_size=3, unique=True)) if i else []
        links = tuple(Dependency(f"T{p}", draw(st.integers(-3, 4))) for p in predecessors)
        specs.append(ActivityInput(f"T{i}", f"工序{i}", duration, links))
    return list(draw(st.permutations(specs)))


starts = st.dates(min_value=date(2025, 9, 1), max_value=date(2027, 3, 31))


def upper_bound(activities: list[ActivityInput]) -> int:
    """Working days enough for any order of the network."""
    return sum(a.duration + 1 + sum(max(0, p.lag) for p in a.predecessors) for a in activities)


def first_on_or_after(day: date) -> int:
    return CALENDAR.workday_index(day)


def last_on_or_before(day: date) -> int:
    return CALENDAR.workday_index(day) - (0 if CALENDAR.is_workday(day) else 1)


def reference(
    activities: list[ActivityInput], start: date, deadline: date
) -> dict[str, tuple[int, int, int, int]]:
    """Naive fixed point: relax every rule over every activity n times; no topological order."""
    s, due = first_on_or_after(start), last_on_or_before(deadline)
    es = {a.code: s for a in activities}
    ef = {a.code: s + a.duration - 1 for a in activities}
    for _ in activities:
        for a in activities:
            es[a.code] = max([s] + [ef[p.code] + 1 + p.lag for p in a.predecessors])
            ef[a.code] = es[a.code] + a.duration - 1
    lf = {a.code: due for a in activities}
    ls = {a.code: due - a.duration + 1 for a in activities}
    for _ in activities:
        for a in activities:
            bounds = [due] + ([last_on_or_before(a.finish_by)] if a.finish_by else [])
            for b in activities:
                bounds += [ls[b.code] - 1 - p.lag for p in b.predecessors if p.code == a.code]
            lf[a.code] = min(bounds)
            ls[a.code] = lf[a.code] - a.duration + 1
    return {a.code: (es[a.code], ef[a.code], ls[a.code], lf[a.code]) for a in activities}


def with_finish_by(
    activities: list[ActivityInput], offsets: list[int | None], start: date
) -> list[ActivityInput]:
    """Give the first rows a finish_by ``offsets[i]`` calendar days after the start (None: none)."""
    offsets = offsets + [None] * (len(activities) - len(offsets))
    return [
        a if k is None else replace(a, finish_by=start + timedelta(days=k))
        for a, k in zip(activities, offsets, strict=False)
    ]


def check_critical_path(plan: Schedule, activities: list[ActivityInput]) -> None:
    r = rows(plan)
    path = plan.critical_path
    assert path and all(r[code].critical for code in path)
    links = {(p.code, a.code): p.lag for a in activities for p in a.predecessors}
    for before, after in zip(path, path[1:], strict=False):
        lags = [lag for (p, s), lag in links.items() if (p, s) == (before, after)]
        assert lags and r[before].ef + 1 + max(lags) == r[after].es
    assert r[path[-1]].ef == max(x.ef for x in plan.activities if x.critical)


@PROPERTY_SETTINGS
@given(
    networks(),
    starts,
    st.integers(-30, 400),
    st.lists(st.none() | st.integers(-10, 120), max_size=20),
)
def test_property_passes_match_a_naive_fixed_point(
    activities: list[ActivityInput], start: date, deadline_days: int, finish_by: list[int | None]
) -> None:
    activities = with_finish_by(activities, finish_by, start)
    deadline = start + timedelta(days=deadline_days)
    plan = schedule(activities, start, deadline, CALENDAR)
    expected = reference(activities, start, deadline)
    assert {r.code: (r.es, r.ef, r.ls, r.lf) for r in plan.activities} == expected
    floats = [r.total_float for r in plan.activities]
    assert all(r.total_float == r.ls - r.es == r.lf - r.ef for r in plan.activities)
    assert plan.project_float == min(floats)
    assert [r.critical for r in plan.activities] == [f == min(floats) for f in floats]
    assert plan.compress_by == max(0, -min(floats))
    check_critical_path(plan, activities)
    assert starts_at_planned_start(plan, start)


def starts_at_planned_start(plan: Schedule, start: date) -> bool:
    """Without progress, the chain walks back until nothing but the planned start holds it."""
    return rows(plan)[plan.critical_path[0]].es == first_on_or_after(start)


@PROPERTY_SETTINGS
@given(networks(), starts)
def test_property_spec_rules_hold_on_every_activity_and_link(
    activities: list[ActivityInput], start: date
) -> None:
    plan = schedule(activities, start, start + timedelta(days=60), CALENDAR)
    r = rows(plan)
    s = first_on_or_after(start)
    for a in activities:
        x = r[a.code]
        assert x.ef == x.es + a.duration - 1
        assert x.ls == x.lf - a.duration + 1
        constraints = [r[p.code].ef + 1 + p.lag for p in a.predecessors]
        assert all(x.es >= c for c in constraints)
        assert x.es == max([s, *constraints])  # as early as the rules allow, no earlier
        assert all(r[p.code].lf <= x.ls - 1 - p.lag for p in a.predecessors)
        shown_start = x.ef if a.duration == 0 else x.es
        shown_late_start = x.lf if a.duration == 0 else x.ls
        assert x.early_start == CALENDAR.workday_at(shown_start)
        assert x.early_finish == CALENDAR.workday_at(x.ef)
        assert x.late_start == CALENDAR.workday_at(shown_late_start)
        assert x.late_finish == CALENDAR.workday_at(x.lf)
    assert plan.finish == CALENDAR.workday_at(max(x.ef for x in plan.activities))


@PROPERTY_SETTINGS
@given(networks(), starts, st.integers(0, 30))
def test_property_loose_deadline_gives_no_negative_float_and_ends_at_the_last_finish(
    activities: list[ActivityInput], start: date, slack: int
) -> None:
    s = first_on_or_after(start)
    deadline = CALENDAR.workday_at(s + upper_bound(activities) + slack)
    plan = schedule(activities, start, deadline, CALENDAR)
    last = max(x.ef for x in plan.activities)
    assert all(x.es <= x.ls and x.total_float >= 0 for x in plan.activities)
    assert plan.project_float == CALENDAR.workday_index(deadline) - last
    assert rows(plan)[plan.critical_path[-1]].ef == last
    assert starts_at_planned_start(plan, start)
    shown_dates = [x.early_finish for x in plan.activities] + [start, deadline]
    guessed = CALENDAR.incomplete_years(min(shown_dates), max(shown_dates))
    assert plan.complete == (not guessed)
    assert plan.warnings == [f"{year}年调休安排尚未录入，按周一至周五计算" for year in guessed]


@PROPERTY_SETTINGS
@given(networks(), starts, st.randoms(use_true_random=False))
def test_property_input_order_does_not_change_any_activity(
    activities: list[ActivityInput], start: date, random
) -> None:
    deadline = start + timedelta(days=45)
    shuffled = list(activities)
    random.shuffle(shuffled)
    first = schedule(activities, start, deadline, CALENDAR)
    second = schedule(shuffled, start, deadline, CALENDAR)
    assert rows(first) == rows(second)
    assert (first.project_float, first.finish, first.warnings) == (
        second.project_float,
        second.finish,
        second.warnings,
    )
    check_critical_path(second, shuffled)


@PROPERTY_SETTINGS
@given(networks(max_size=15), st.data())
def test_property_a_cycle_is_refused_and_the_named_one_is_real(
    activities: list[ActivityInput], data: st.DataObject
) -> None:
    by_code = {a.code: a for a in activities}
    followers = [a for a in activities if a.predecessors]
    assume(followers)
    # Walk back from some activity and make the walk's start depend on it: a cycle of any length.
    end = data.draw(st.sampled_from(followers))
    node = end
    for _ in range(data.draw(st.integers(1, 5))):
        if not by_code[node.code].predecessors:
            break
        node = by_code[data.draw(st.sampled_from(node.predecessors)).code]
    closing = replace(node, predecessors=(*node.predecessors, Dependency(end.code)))
    activities = [closing if a.code == node.code else a for a in activities]
    errors = validate(activities)
    assert list(errors) == ["activities"]
    links = {(p.code, a.code) for a in activities for p in a.predecessors}
    for message in errors["activities"].split("；"):
        prefix, named = message.split("：")
        assert prefix == "工序存在循环依赖"
        codes = named.split(" → ")
        assert codes[0] == codes[-1] and len(set(codes[:-1])) == len(codes) - 1 >= 2
        assert all((p, s) in links for p, s in zip(codes, codes[1:], strict=False))
    with pytest.raises(ScheduleError):
        schedule(activities, MARCH_2, date(2026, 12, 31), CALENDAR)


@st.composite
def progressed(draw: st.DrawFn) -> tuple[list[ActivityInput], date]:
    """A network where some activities have started or finished on or before as_of."""
    activities = draw(networks(max_size=15))
    as_of = draw(st.dates(min_value=date(2026, 3, 2), max_value=date(2026, 12, 31)))
    result = []
    for a in activities:
        status = draw(st.sampled_from(["none", "started", "finished", "percent"]))
        fields: dict = {}
        if status != "none":
            fields["percent_complete"] = Decimal(draw(st.integers(0, 100)))
        if status in ("started", "finished"):
            fields["actual_start"] = as_of - timedelta(days=draw(st.integers(0, 60)))
        if status == "finished":
            fields["actual_finish"] = draw(st.dates(fields["actual_start"], as_of))
        result.append(replace(a, **fields))
    return result, as_of


@PROPERTY_SETTINGS
@given(progressed(), st.integers(-30, 200))
def test_property_forecast_follows_the_progress_rules(
    case: tuple[list[ActivityInput], date], deadline_days: int
) -> None:
    activities, as_of = case
    start = date(2026, 1, 5)
    deadline = as_of + timedelta(days=deadline_days)
    plan = schedule(activities, start, deadline, CALENDAR, as_of=as_of)
    r = rows(plan)
    today, s, due = first_on_or_after(as_of), first_on_or_after(start), last_on_or_before(deadline)
    successors: dict[str, list[tuple[str, int]]] = {a.code: [] for a in activities}
    for a in activities:
        for p in a.predecessors:
            successors[p.code].append((a.code, p.lag))
    for a in activities:
        x = r[a.code]
        percent = a.percent_complete
        network = max([s, *(r[p.code].ef + 1 + p.lag for p in a.predecessors)])
        if a.actual_finish is not None or (a.duration == 0 and a.actual_start is not None):
            reached = a.actual_finish or a.actual_start
            assert x.ef == last_on_or_before(reached)
            if a.duration > 0 and a.actual_start is not None:
                assert x.es == first_on_or_after(a.actual_start)
            else:
                assert x.es == x.ef - a.duration + 1
        elif a.duration > 0 and (a.actual_start is not None or percent > 0):
            expected_start = (
                network if a.actual_start is None else first_on_or_after(a.actual_start)
            )
            remaining = math.ceil(a.duration * (100 - percent) / 100)
            assert (x.es, x.ef) == (expected_start, max(today - 1, x.es - 1) + remaining)
        else:
            assert (x.es, x.ef) == (max(network, today), max(network, today) + a.duration - 1)
        assert x.lf == min([due, *(r[c].ls - 1 - lag for c, lag in successors[a.code])])
        assert x.total_float == x.ls - x.es == x.lf - x.ef
    assert plan.project_float == min(x.total_float for x in plan.activities)
    assert all(r[code].critical for code in plan.critical_path)


@PROPERTY_SETTINGS
@given(progressed(), st.dates(date(2026, 1, 1), date(2027, 6, 30)), st.integers(1, 200))
def test_property_progress_percentages_stay_in_range_and_planned_never_falls(
    case: tuple[list[ActivityInput], date], as_of: date, later: int
) -> None:
    activities, _ = case
    plan = schedule(baseline(activities), date(2026, 1, 5), date(2026, 12, 31), CALENDAR)
    actual, planned = progress_percent(activities, plan.activities, as_of, CALENDAR)
    _, planned_later = progress_percent(
        activities, plan.activities, as_of + timedelta(days=later), CALENDAR
    )
    assert 0 <= actual <= 100 and 0 <= planned <= planned_later <= 100


def test_absurd_durations_and_lags_and_repeated_predecessors_are_refused():
    from duban.lib.scheduling import ActivityInput, Dependency, validate

    rows = [
        ActivityInput("A", "甲", 10),
        ActivityInput("B", "乙", 100_000_000, (Dependency("A", 99_999_999),)),
        ActivityInput("C", "丙", 2, (Dependency("A"), Dependency("A", 2))),
    ]
    errors = validate(rows)
    assert "工期不能超过" in errors["activities[1].duration"]
    assert "搭接时间不能超过" in errors["activities[1].predecessors"]
    assert "同一前置工序只能填写一次：A" in errors["activities[2].predecessors"]
