"""Tests for the indicator scoring rules.

Expected scores and sentences are worked out by hand from the rules as the assessment notices word
them, never read back from the module, so a change in arithmetic or wording fails here first.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.lib.scoring import (
    DEFAULT_GRADE_THRESHOLDS,
    DIRECTIONS,
    METHODS,
    PARAM_CHOICES,
    PARAMS,
    Method,
    ScoreResult,
    ScoringError,
    VetoEffect,
    VetoScope,
    grade,
    projected_actual,
    score,
    validate,
    validate_config,
    validate_inputs,
)

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

LINEAR = {"penalty_per_step": 1}
AS_OF = date(2026, 7, 1)


def D(text: str) -> Decimal:
    return Decimal(text)


def linear(actual: object, target: object = 100, points: object = 10, **params: object):
    return score("completion_linear", points, {**LINEAR, **params}, target, "higher", actual=actual)


def linear_lower(actual: object, target: object = 2, points: object = 10, **params: object):
    return score("completion_linear", points, {**LINEAR, **params}, target, "lower", actual=actual)


def events(count: object, points: object = 10, **params: object) -> ScoreResult:
    return score("deduct_per_event", points, {"per_event": 2, **params}, extras={"events": count})


def milestones(*pairs: tuple[date, date | None], as_of: date = AS_OF, **params: object):
    items = [{"due": due, "done": done} for due, done in pairs]
    return score(
        "milestone_deduction",
        10,
        {"per_miss": D("1.5"), **params},
        extras={"milestones": items, "as_of": as_of},
    )


def ranking(actual: object, peers: list[object], direction: str = "higher", points: object = 10):
    return score(
        "ranking_proportional", points, {}, None, direction, {"peers": peers}, actual=actual
    )


def bonus(items: list[object], cap: object = 2) -> ScoreResult:
    return score("bonus_capped", cap, {"cap": cap}, extras={"items": items})


def veto(triggered: object, points: object = 0, **params: object) -> ScoreResult:
    return score("veto", points, params, extras={"triggered": triggered})


def errors_of(**kwargs: object) -> dict[str, str]:
    call = {"params": {}, "target": None, "direction": "higher", "extras": None, "actual": None}
    return validate(**{**call, **kwargs})


# --- completion_linear --------------------------------------------------------------------------


def test_given_the_documented_example_when_scoring_then_exact_score_and_sentence() -> None:
    result = linear("97.5")

    assert result == ScoreResult(
        D("7.50"), "完成率97.5%，低于目标2.5个百分点，每少1个百分点扣1分，扣2.5分，得7.5分", None
    )
    assert str(result.score) == "7.50"
    assert result.as_dict() == {"score": "7.50", "explanation": result.explanation, "veto": None}


def test_given_actual_equal_to_target_when_scoring_then_full_points() -> None:
    result = linear(100)

    assert result.score == D("10.00")
    assert result.explanation == "完成率100%，达到目标，得10分"


def test_given_overachievement_without_bonus_rule_when_scoring_then_only_full_points() -> None:
    result = linear(130)

    assert result.score == D("10.00")
    assert result.explanation == "完成率130%，超过目标30个百分点，得10分"


def test_given_bonus_per_step_but_no_cap_when_scoring_then_no_bonus_because_cap_defaults_0() -> (
    None
):
    assert linear(130, bonus_per_step=1).score == D("10.00")


def test_given_prorated_bonus_under_cap_when_scoring_then_fractional_bonus() -> None:
    result = linear("101.5", bonus_per_step=1, bonus_cap=2)

    assert result.score == D("11.50")
    assert result.explanation == (
        "完成率101.5%，超过目标1.5个百分点，每多1个百分点加1分，加1.5分，得11.5分"
    )


def test_given_bonus_above_cap_when_scoring_then_capped() -> None:
    # 衢州: "每增加1%加1分，最高加2分"
    result = linear(105, bonus_per_step=1, bonus_cap=2)

    assert result.score == D("12.00")
    assert result.explanation == (
        "完成率105%，超过目标5个百分点，每多1个百分点加1分，应加5分，加分上限2分，得12分"
    )


def test_given_whole_steps_when_overachieving_by_a_fraction_then_only_whole_steps_count() -> None:
    result = linear("101.9", bonus_per_step=1, bonus_cap=2, partial="whole")

    assert result.score == D("11.00")
    assert result.explanation == (
        "完成率101.9%，超过目标1.9个百分点，每多1个百分点加1分（不足1个百分点不加），加1分，得11分"
    )


def test_given_whole_steps_when_short_by_a_fraction_then_only_whole_steps_deducted() -> None:
    result = linear("97.5", partial="whole")

    assert result.score == D("8.00")
    assert result.explanation == (
        "完成率97.5%，低于目标2.5个百分点，每少1个百分点扣1分（不足1个百分点不扣），扣2分，得8分"
    )


def test_given_prorate_and_whole_when_short_by_under_one_step_then_they_differ() -> None:
    assert linear("99.5").score == D("9.50")
    assert linear("99.5", partial="whole").score == D("10.00")


def test_given_ten_point_steps_when_short_by_25_points_then_prorated_2_5_steps() -> None:
    # "每少完成目标值10%扣1分"
    result = linear(75, step=10)

    assert result.score == D("7.50")
    assert result.explanation == (
        "完成率75%，低于目标25个百分点，每少10个百分点扣1分，扣2.5分，得7.5分"
    )


def test_given_ten_point_steps_and_whole_when_short_by_25_points_then_two_steps() -> None:
    assert linear(75, step=10, partial="whole").score == D("8.00")


def test_given_large_shortfall_when_scoring_then_deducted_to_zero_and_not_below() -> None:
    # "扣分至基本分值扣完为止"
    result = linear(40)

    assert result.score == D("0.00")
    assert result.explanation == (
        "完成率40%，低于目标60个百分点，每少1个百分点扣1分，应扣60分，扣至保底分0分为止，得0分"
    )


def test_given_a_floor_when_shortfall_exceeds_it_then_floor_is_the_score() -> None:
    assert linear(50, floor=4).score == D("4.00")


def test_given_a_floor_when_shortfall_stays_above_it_then_floor_does_not_apply() -> None:
    assert linear(95, floor=4).score == D("5.00")


def test_given_deduction_landing_exactly_on_floor_when_scoring_then_plain_deduction_sentence() -> (
    None
):
    result = linear(94, floor=4)

    assert result.score == D("4.00")
    assert result.explanation.endswith("扣6分，得4分")


def test_given_half_cent_score_when_scoring_then_rounded_half_up_at_the_end() -> None:
    # 10 - (100 - 97.125) = 7.125 -> 7.13; nothing was rounded on the way.
    result = linear("97.125")

    assert result.score == D("7.13")
    assert result.explanation == (
        "完成率97.13%，低于目标2.88个百分点，每少1个百分点扣1分，扣2.875分，得7.13分"
    )


def test_given_a_repeating_ratio_when_scoring_then_decimal_division_and_two_places() -> None:
    # 2/3 = 66.666...%, short by 33.333... points, 10 - 33.33 * 0.1 = 6.666... -> 6.67
    result = linear(2, target=3, penalty_per_step=D("0.1"))

    assert result.score == D("6.67")
    assert result.explanation.startswith("完成率66.67%，低于目标33.33个百分点")


def test_given_zero_actual_when_higher_is_better_then_full_shortfall() -> None:
    assert linear(0, penalty_per_step=D("0.2")).score == D("0.00")


def test_given_lower_is_better_and_actual_above_target_when_scoring_then_rate_is_t_over_a() -> None:
    # accident rate 2.5 against a ceiling of 2: rate = 2 / 2.5 = 80 %
    result = linear_lower("2.5", penalty_per_step=D("0.25"))

    assert result.score == D("5.00")
    assert result.explanation == (
        "实际值2.5，目标不高于2，按目标值÷实际值折算完成率80%，低于目标20个百分点，"
        "每少1个百分点扣0.25分，扣5分，得5分"
    )


def test_given_lower_is_better_and_actual_below_target_when_scoring_then_bonus() -> None:
    # 2 / 1.6 = 125 %
    result = linear_lower("1.6", bonus_per_step=D("0.1"), bonus_cap=3)

    assert result.score == D("12.50")


def test_given_lower_is_better_and_actual_equal_to_target_when_scoring_then_full_points() -> None:
    assert linear_lower(2).score == D("10.00")


def test_given_lower_is_better_and_zero_actual_when_bonus_rule_then_full_bonus_cap() -> None:
    result = linear_lower(0, bonus_per_step=D("0.5"), bonus_cap=2)

    assert result.score == D("12.00")
    assert result.explanation == "实际值0，目标不高于2，视为超额完成，加2分（加分上限），得12分"


def test_given_lower_is_better_and_zero_actual_without_bonus_rule_then_full_points() -> None:
    result = linear_lower(0)

    assert result.score == D("10.00")
    assert result.explanation == "实际值0，目标不高于2，视为超额完成，得10分"


def test_given_lower_is_better_and_zero_actual_with_cap_but_no_per_step_then_no_bonus() -> None:
    assert linear_lower(0, bonus_cap=2).score == D("10.00")


def test_given_numbers_as_int_str_float_decimal_when_scoring_then_same_result() -> None:
    results = {
        linear(97.5, target=100.0, points=10.0, penalty_per_step=1.0),
        linear("97.5", target="100", points="10", penalty_per_step="1"),
        linear(D("97.5"), target=D("100"), points=D("10"), penalty_per_step=D("1")),
        linear(D("97.50"), target=100, points=10, penalty_per_step=1),
    }

    assert len(results) == 1


def test_given_float_point_one_when_scoring_then_read_through_str_not_binary() -> None:
    # 0.1 as a binary float is 0.1000000000000000055...; through str() it is exactly 0.1.
    result = linear(D("99.5"), penalty_per_step=0.1, points=0.1)

    assert result.score == D("0.05")


def test_given_params_with_none_when_scoring_then_none_means_default() -> None:
    assert linear("97.5", step=None, floor=None, partial=None).score == D("7.50")


# --- binary -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "direction", "expected", "sentence"),
    [
        (100, "higher", "10.00", "实际值100，目标值100，已完成，得10分"),
        (120, "higher", "10.00", "实际值120，目标值100，已完成，得10分"),
        ("99.99", "higher", "0.00", "实际值99.99，目标值100，未完成，得0分"),
        (100, "lower", "10.00", "实际值100，目标不高于100，已完成，得10分"),
        (80, "lower", "10.00", "实际值80，目标不高于100，已完成，得10分"),
        ("100.01", "lower", "0.00", "实际值100.01，目标不高于100，未完成，得0分"),
    ],
)
def test_given_binary_indicator_when_scoring_then_all_or_nothing(
    actual: object, direction: str, expected: str, sentence: str
) -> None:
    result = score("binary", 10, {}, 100, direction, actual=actual)

    assert result == ScoreResult(D(expected), sentence, None)


def test_given_binary_with_negative_actual_when_lower_is_better_then_achieved() -> None:
    # e.g. a change in arrears: negative is allowed because no ratio is taken
    assert score("binary", 5, {}, 1, "lower", actual=-3).score == D("5.00")


# --- deduct_per_event ---------------------------------------------------------------------------


def test_given_no_events_when_scoring_then_full_points() -> None:
    assert events(0) == ScoreResult(D("10.00"), "未发生扣分事项，得10分", None)


def test_given_three_events_when_scoring_then_three_deductions() -> None:
    result = events(3)

    assert result == ScoreResult(D("4.00"), "发生扣分事项3次，每次扣2分，扣6分，得4分", None)


def test_given_more_events_than_points_when_cap_defaults_to_points_then_zero() -> None:
    # 重庆: "发生1起违法违规…扣2分，扣满10分为止"
    result = events(7)

    assert result.score == D("0.00")
    assert result.explanation == "发生扣分事项7次，每次扣2分，应扣14分，最多扣10分，得0分"


def test_given_cap_below_points_when_many_events_then_deduction_stops_at_cap() -> None:
    result = events(5, cap=3)

    assert result.score == D("7.00")
    assert result.explanation == "发生扣分事项5次，每次扣2分，应扣10分，最多扣3分，得7分"


def test_given_cap_above_points_when_many_events_then_never_below_zero() -> None:
    result = events(7, cap=15)

    assert result.score == D("0.00")
    assert result.explanation == "发生扣分事项7次，每次扣2分，扣14分，扣至0分为止，得0分"


def test_given_fractional_deduction_when_scoring_then_exact() -> None:
    assert events(3, per_event=D("0.3")).score == D("9.10")


@pytest.mark.parametrize("count", [3, "3", D("3"), "3.0", 3.0])
def test_given_integral_event_counts_in_any_form_when_scoring_then_accepted(count: object) -> None:
    assert events(count).score == D("4.00")


# --- milestone_deduction ------------------------------------------------------------------------

Q1, Q2, Q3, Q4 = date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)


def test_given_no_milestone_due_yet_when_scoring_then_full_points() -> None:
    result = milestones((Q1, None), (Q2, None), as_of=date(2026, 3, 1))

    assert result.score == D("10.00")
    assert result.explanation == "共2个时间节点，截至2026年3月1日均未到期，得10分"


def test_given_due_milestones_done_on_time_when_scoring_then_full_points() -> None:
    result = milestones((Q1, date(2026, 3, 20)), (Q2, Q2), (Q4, None))

    assert result.score == D("10.00")
    assert result.explanation == "共3个时间节点，截至2026年7月1日已到期2个，均按期完成，得10分"


def test_given_one_missed_milestone_when_scoring_then_one_deduction_named_by_date() -> None:
    result = milestones((Q1, None), (Q2, date(2026, 6, 1)), (Q4, None))

    assert result.score == D("8.50")
    assert result.explanation == (
        "共3个时间节点，截至2026年7月1日已到期2个，逾期未完成1个（2026年3月31日），"
        "每个扣1.5分，扣1.5分，得8.5分"
    )


def test_given_milestone_done_late_when_scoring_then_it_counts_as_missed() -> None:
    result = milestones((Q1, date(2026, 4, 1)), (Q4, None))

    assert result.score == D("8.50")


def test_given_milestone_due_on_as_of_and_not_done_when_scoring_then_missed() -> None:
    assert milestones((Q2, None), (Q4, None), as_of=Q2).score == D("8.50")


def test_given_milestone_due_after_as_of_when_scoring_then_not_yet_judged() -> None:
    assert milestones((Q3, None), (Q4, None), as_of=Q2).score == D("10.00")


def test_given_two_misses_when_scoring_then_dates_listed_in_order() -> None:
    result = milestones((Q2, None), (Q1, None), (Q4, None))

    assert result.score == D("7.00")
    assert "逾期未完成2个（2026年3月31日、2026年6月30日），每个扣1.5分，扣3分" in result.explanation


def test_given_last_milestone_missed_when_gated_then_zero() -> None:
    # 安居工程: "未完成年度责任目标的不得分"
    result = milestones((Q1, Q1), (Q4, None), as_of=date(2027, 1, 15))

    assert result.score == D("0.00")
    assert result.explanation == (
        "共2个时间节点，截至2027年1月15日已到期2个，逾期未完成1个（2026年12月31日），"
        "最后一个时间节点未按期完成，此项不得分，得0分"
    )


def test_given_last_milestone_missed_when_not_gated_then_ordinary_deduction() -> None:
    result = milestones((Q1, Q1), (Q4, None), as_of=date(2027, 1, 15), gate_last=False)

    assert result.score == D("8.50")


def test_given_two_last_milestones_on_same_day_when_either_is_missed_then_gated() -> None:
    result = milestones((Q1, Q1), (Q4, Q4), (Q4, None), as_of=Q4)

    assert result.score == D("0.00")


def test_given_milestones_listed_out_of_order_when_last_is_missed_then_gated_by_date() -> None:
    assert milestones((Q4, None), (Q1, Q1), as_of=Q4).score == D("0.00")


def test_given_more_misses_than_points_when_scoring_then_zero_not_negative() -> None:
    result = score(
        "milestone_deduction",
        10,
        {"per_miss": 3, "gate_last": False},
        extras={"milestones": [{"due": date(2026, m, 1)} for m in range(1, 6)], "as_of": AS_OF},
    )

    assert result.score == D("0.00")
    assert result.explanation.endswith("每个扣3分，应扣15分，扣至0分为止，得0分")


def test_given_milestone_without_done_key_when_scoring_then_treated_as_not_done() -> None:
    result = score(
        "milestone_deduction",
        10,
        {"per_miss": 1},
        extras={"milestones": [{"due": Q1}, {"due": Q4}], "as_of": AS_OF},
    )

    assert result.score == D("9.00")


# --- ranking_proportional -----------------------------------------------------------------------


def test_given_higher_is_better_when_not_first_then_proportional_to_the_best() -> None:
    result = ranking(80, [100, 60])

    assert result == ScoreResult(
        D("8.00"), "实际值80，参评单位最高值100，按比例得分10×80÷100，得8分", None
    )


def test_given_higher_is_better_when_first_then_full_points() -> None:
    result = ranking(120, [100, 60])

    assert result == ScoreResult(D("10.00"), "实际值120，为参评单位最高值，得10分", None)


def test_given_tied_for_first_when_scoring_then_full_points() -> None:
    assert ranking(100, [100, 60]).score == D("10.00")


def test_given_higher_is_better_and_everyone_zero_when_scoring_then_all_share_first() -> None:
    assert ranking(0, [0, 0]).score == D("10.00")


def test_given_higher_is_better_and_zero_actual_when_others_positive_then_zero() -> None:
    assert ranking(0, [5]).score == D("0.00")


def test_given_lower_is_better_when_not_first_then_best_over_actual() -> None:
    result = ranking(5, [4, 6], "lower")

    assert result == ScoreResult(
        D("8.00"), "实际值5，参评单位最低值4，按比例得分10×4÷5，得8分", None
    )


def test_given_lower_is_better_and_zero_actual_when_scoring_then_full_points() -> None:
    assert ranking(0, [3, 0], "lower").score == D("10.00")


def test_given_lower_is_better_and_a_peer_at_zero_when_actual_positive_then_zero() -> None:
    result = ranking(2, [0, 3], "lower")

    assert result.score == D("0.00")
    assert result.explanation == "实际值2，参评单位最低值0，按比例得分10×0÷2，得0分"


def test_given_no_peers_when_scoring_then_unit_is_first() -> None:
    assert ranking(7, []).score == D("10.00")
    assert ranking(7, [], "lower").score == D("10.00")


def test_given_repeating_ratio_when_ranking_then_rounded_half_up_at_the_end() -> None:
    assert ranking(2, [3]).score == D("6.67")
    assert ranking(3, [2], "lower").score == D("6.67")


# --- bonus_capped -------------------------------------------------------------------------------


def test_given_no_items_when_scoring_bonus_then_zero() -> None:
    assert bonus([]) == ScoreResult(D("0.00"), "无认定加分事项，得0分", None)


def test_given_items_under_cap_when_scoring_bonus_then_their_sum() -> None:
    result = bonus([D("0.3"), D("0.2")])

    assert result == ScoreResult(D("0.50"), "认定加分事项2项，合计0.5分，得0.5分", None)


def test_given_items_over_cap_when_scoring_bonus_then_capped() -> None:
    # 遵义: "最高不超过2分"
    result = bonus([1, 3])

    assert result == ScoreResult(D("2.00"), "认定加分事项2项，合计4分，加分上限2分，得2分", None)


def test_given_items_summing_to_cap_when_scoring_bonus_then_exactly_cap() -> None:
    assert bonus([1, 1]).score == D("2.00")


def test_given_bonus_cap_unrelated_to_points_when_scoring_then_only_cap_limits() -> None:
    result = score("bonus_capped", 1, {"cap": 5}, extras={"items": [3]})

    assert result.score == D("3.00")


# --- veto ---------------------------------------------------------------------------------------


def test_given_veto_triggered_with_default_scope_when_scoring_then_scheme_veto() -> None:
    result = veto(True)

    assert result == ScoreResult(
        D("0.00"), "触发一票否决，考核等次为不合格", VetoEffect(VetoScope.SCHEME)
    )
    assert result.as_dict()["veto"] == "scheme"


def test_given_category_veto_triggered_when_scoring_then_category_veto() -> None:
    result = veto(True, scope="category")

    assert result == ScoreResult(
        D("0.00"), "触发一票否决，所在类别计0分", VetoEffect(VetoScope.CATEGORY)
    )
    assert result.veto is not None and result.veto.scope == "category"


@pytest.mark.parametrize("scope", ["scheme", "category"])
def test_given_veto_not_triggered_when_scoring_then_no_effect(scope: str) -> None:
    assert veto(False, scope=scope) == ScoreResult(D("0.00"), "未触发一票否决", None)


def test_given_veto_item_with_points_when_triggered_or_not_then_score_is_still_zero() -> None:
    assert veto(True, points=5).score == D("0.00")
    assert veto(False, points=5).score == D("0.00")


def test_given_other_methods_when_scoring_then_never_a_veto() -> None:
    assert linear(0).veto is None
    assert events(100).veto is None


# --- validation ---------------------------------------------------------------------------------


def test_given_valid_inputs_when_validating_then_no_errors() -> None:
    assert (
        errors_of(method="completion_linear", points=10, params=LINEAR, target=100, actual=1) == {}
    )


@pytest.mark.parametrize("method", ["linear", "", None, 3, ["binary"]])
def test_given_unknown_method_when_validating_then_only_method_error(method: object) -> None:
    assert errors_of(method=method, points=-1) == {"method": "未知的计分方法"}


def test_given_unknown_method_when_scoring_then_scoring_error_with_messages() -> None:
    with pytest.raises(ScoringError) as caught:
        score("linear", 10, {})

    assert caught.value.errors == {"method": "未知的计分方法"}
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (0, "目标值必须大于0"),
        (-5, "目标值必须大于0"),
        (None, "缺少目标值"),
        ("abc", "目标值必须是数字"),
        ("NaN", "目标值必须是数字"),
        ("Infinity", "目标值必须是数字"),
        (True, "目标值必须是数字"),
        ("1e20", "目标值超出允许范围"),
    ],
)
def test_given_bad_target_when_validating_then_target_message(target: object, message: str) -> None:
    errors = errors_of(method="binary", points=10, target=target, actual=1)

    assert errors == {"target": message}


def test_given_bad_target_when_scoring_then_raises_with_same_messages() -> None:
    with pytest.raises(ScoringError) as caught:
        score("completion_linear", 10, LINEAR, 0, "higher", actual=5)

    assert caught.value.errors == {"target": "目标值必须大于0"}


def test_given_method_without_target_when_target_is_bad_then_it_is_ignored() -> None:
    errors = errors_of(
        method="deduct_per_event",
        points=10,
        params={"per_event": 1},
        target=-1,
        extras={"events": 0},
    )

    assert errors == {}


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (0, "基本分必须大于0"),
        (-1, "基本分必须大于0"),
        (None, "缺少基本分"),
        ("x", "基本分必须是数字"),
    ],
)
def test_given_bad_points_when_validating_then_points_message(points: object, message: str) -> None:
    assert errors_of(method="binary", points=points, target=1, actual=1) == {"points": message}


def test_given_veto_with_zero_points_when_validating_then_accepted_but_negative_refused() -> None:
    extras = {"triggered": False}

    assert errors_of(method="veto", points=0, extras=extras) == {}
    assert errors_of(method="veto", points=-1, extras=extras) == {"points": "基本分不能为负数"}


def test_given_missing_required_param_when_validating_then_named_in_chinese() -> None:
    errors = errors_of(method="completion_linear", points=10, params={}, target=100, actual=90)

    assert errors == {"params.penalty_per_step": "缺少参数：每步扣分"}


@pytest.mark.parametrize(
    ("method", "params", "extras", "key", "message"),
    [
        ("deduct_per_event", {}, {"events": 1}, "params.per_event", "缺少参数：每次扣分"),
        ("milestone_deduction", {}, None, "params.per_miss", "缺少参数：每个逾期节点扣分"),
        ("bonus_capped", {}, {"items": []}, "params.cap", "缺少参数：加分上限"),
    ],
)
def test_given_other_missing_required_params_when_validating_then_named(
    method: str, params: dict, extras: dict | None, key: str, message: str
) -> None:
    assert errors_of(method=method, points=10, params=params, extras=extras)[key] == message


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        ("penalty_per_step", -1, "每步扣分不能为负数"),
        ("penalty_per_step", "一分", "每步扣分必须是数字"),
        ("step", 0, "步长（百分点）必须大于0"),
        ("step", -10, "步长（百分点）必须大于0"),
        ("bonus_per_step", "-0.5", "每步加分不能为负数"),
        ("bonus_cap", -2, "加分上限不能为负数"),
        ("floor", -1, "保底分不能为负数"),
        ("floor", 11, "保底分不能高于基本分"),
        ("partial", "round", "不足一步的处理只能是“按比例折算”或“只计整步”"),
        ("partial", ["whole"], "不足一步的处理只能是“按比例折算”或“只计整步”"),
    ],
)
def test_given_bad_linear_param_when_validating_then_message_on_that_param(
    param: str, value: object, message: str
) -> None:
    errors = errors_of(
        method="completion_linear", points=10, params={**LINEAR, param: value}, target=100, actual=1
    )

    assert errors == {f"params.{param}": message}


@pytest.mark.parametrize(
    ("method", "params", "key", "message"),
    [
        ("deduct_per_event", {"per_event": -1}, "params.per_event", "每次扣分不能为负数"),
        ("deduct_per_event", {"per_event": 1, "cap": -1}, "params.cap", "扣分上限不能为负数"),
        ("milestone_deduction", {"per_miss": "x"}, "params.per_miss", "每个逾期节点扣分必须是数字"),
        (
            "milestone_deduction",
            {"per_miss": 1, "gate_last": "yes"},
            "params.gate_last",
            "最后节点未完成不得分必须为是或否",
        ),
        ("bonus_capped", {"cap": -2}, "params.cap", "加分上限不能为负数"),
        (
            "veto",
            {"scope": "section"},
            "params.scope",
            "否决范围只能是“考核等次为不合格”或“所在类别计0分”",
        ),
    ],
)
def test_given_bad_param_of_other_methods_when_validating_then_message(
    method: str, params: dict, key: str, message: str
) -> None:
    assert validate_config(method, 10, params)[key] == message


def test_given_unknown_params_when_validating_then_each_reported() -> None:
    errors = validate_config("binary", 10, {"penalty_per_step": 1, "bonus": 2}, 100)

    assert errors == {
        "params.penalty_per_step": "未知参数：penalty_per_step",
        "params.bonus": "未知参数：bonus",
    }


def test_given_params_not_a_mapping_when_validating_then_params_error() -> None:
    assert validate_config("binary", 10, [1, 2], 100) == {"params": "参数格式不正确"}


@pytest.mark.parametrize("direction", ["up", "", None, "HIGHER", ["higher"]])
def test_given_bad_direction_when_validating_then_direction_message(direction: object) -> None:
    errors = errors_of(method="binary", points=10, target=1, direction=direction, actual=1)

    assert errors == {"direction": "计分方向只能是“越高越好”或“越低越好”"}


def test_given_method_without_direction_when_direction_is_bad_then_it_is_ignored() -> None:
    assert validate_config("veto", 0, {}, direction="sideways") == {}


@pytest.mark.parametrize("method", ["completion_linear", "binary", "ranking_proportional"])
def test_given_missing_actual_when_the_method_needs_it_then_actual_message(method: str) -> None:
    assert validate_inputs(method, {"peers": []}, None) == {"actual": "缺少实际完成值"}


@pytest.mark.parametrize("method", ["completion_linear", "ranking_proportional"])
def test_given_negative_actual_when_a_ratio_is_taken_then_refused(method: str) -> None:
    assert validate_inputs(method, {"peers": []}, -1) == {"actual": "实际完成值不能为负数"}


def test_given_non_numeric_actual_when_validating_then_actual_message() -> None:
    assert validate_inputs("binary", None, "九十") == {"actual": "实际完成值必须是数字"}


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (None, "缺少扣分事项次数"),
        (-1, "扣分事项次数不能为负数"),
        ("-2", "扣分事项次数不能为负数"),
        (1.5, "扣分事项次数必须是整数"),
        ("两次", "扣分事项次数必须是整数"),
        (True, "扣分事项次数必须是整数"),
        ([1], "扣分事项次数必须是整数"),
    ],
)
def test_given_bad_event_count_when_validating_then_events_message(
    count: object, message: str
) -> None:
    assert validate_inputs("deduct_per_event", {"events": count}) == {"events": message}


@pytest.mark.parametrize(
    ("milestone_list", "key", "message"),
    [
        (None, "milestones", "缺少时间节点"),
        ([], "milestones", "缺少时间节点"),
        ("2026-03-31", "milestones", "时间节点必须是列表"),
        (["2026-03-31"], "milestones[0]", "时间节点格式不正确"),
        ([{"done": Q1}], "milestones[0].due", "缺少计划完成日期"),
        ([{"due": "2026-03-31"}], "milestones[0].due", "计划完成日期必须是日期"),
        (
            [{"due": datetime(2026, 3, 31, 17, 0)}],
            "milestones[0].due",
            "计划完成日期必须是日期",
        ),
        (
            [{"due": Q1}, {"due": Q2, "done": "yes"}],
            "milestones[1].done",
            "实际完成日期必须是日期",
        ),
    ],
)
def test_given_malformed_milestones_when_validating_then_message_on_the_field(
    milestone_list: object, key: str, message: str
) -> None:
    errors = validate_inputs("milestone_deduction", {"milestones": milestone_list, "as_of": AS_OF})

    assert errors == {key: message}


@pytest.mark.parametrize(
    ("as_of", "message"), [(None, "缺少计分截止日期"), ("2026-07-01", "计分截止日期必须是日期")]
)
def test_given_bad_as_of_when_validating_then_as_of_message(as_of: object, message: str) -> None:
    errors = validate_inputs("milestone_deduction", {"milestones": [{"due": Q1}], "as_of": as_of})

    assert errors == {"as_of": message}


@pytest.mark.parametrize(
    ("peers", "key", "message"),
    [
        (None, "peers", "缺少参评单位数值"),
        ("1,2", "peers", "参评单位数值必须是列表"),
        ([1, -2], "peers[1]", "参评单位数值不能为负数"),
        ([1, "x"], "peers[1]", "参评单位数值必须是数字"),
    ],
)
def test_given_bad_peers_when_validating_then_message(
    peers: object, key: str, message: str
) -> None:
    assert validate_inputs("ranking_proportional", {"peers": peers}, 1) == {key: message}


@pytest.mark.parametrize(
    ("items", "key", "message"),
    [
        (None, "items", "缺少加分事项分值"),
        (3, "items", "加分事项分值必须是列表"),
        ([1, -0.5], "items[1]", "加分事项分值不能为负数"),
    ],
)
def test_given_bad_bonus_items_when_validating_then_message(
    items: object, key: str, message: str
) -> None:
    assert validate_inputs("bonus_capped", {"items": items}) == {key: message}


@pytest.mark.parametrize(
    ("triggered", "message"),
    [
        (None, "缺少是否触发一票否决"),
        ("yes", "是否触发一票否决必须为是或否"),
        (1, "是否触发一票否决必须为是或否"),
    ],
)
def test_given_bad_veto_trigger_when_validating_then_message(
    triggered: object, message: str
) -> None:
    assert validate_inputs("veto", {"triggered": triggered}) == {"triggered": message}


def test_given_extras_not_a_mapping_when_validating_then_extras_error_and_missing_fields() -> None:
    errors = validate_inputs("veto", ["triggered"])

    assert errors == {"extras": "附加输入格式不正确", "triggered": "缺少是否触发一票否决"}


def test_given_unused_extras_when_scoring_then_ignored() -> None:
    result = score(
        "completion_linear", 10, LINEAR, 100, extras={"events": -1, "peers": "x"}, actual="97.5"
    )

    assert result.score == D("7.50")


def test_given_several_problems_when_validating_then_all_reported_at_once() -> None:
    errors = errors_of(
        method="completion_linear",
        points=-1,
        params={"step": 0, "x": 1},
        target=0,
        direction="up",
        actual=None,
    )

    assert errors == {
        "points": "基本分必须大于0",
        "params.x": "未知参数：x",
        "params.penalty_per_step": "缺少参数：每步扣分",
        "params.step": "步长（百分点）必须大于0",
        "target": "目标值必须大于0",
        "direction": "计分方向只能是“越高越好”或“越低越好”",
        "actual": "缺少实际完成值",
    }


def test_given_config_valid_when_no_actual_yet_then_validate_config_passes() -> None:
    assert validate_config("completion_linear", 10, LINEAR, 100, "lower") == {}


def test_given_unknown_method_when_validating_config_or_inputs_then_method_error() -> None:
    assert validate_config("nope", 10, {}) == {"method": "未知的计分方法"}
    assert validate_inputs("nope") == {"method": "未知的计分方法"}


def test_given_scoring_error_when_printed_then_messages_are_in_the_text() -> None:
    error = ScoringError({"target": "目标值必须大于0"})

    assert "target: 目标值必须大于0" in str(error)


# --- catalogue for the UI -----------------------------------------------------------------------


def test_given_the_catalogue_when_listing_methods_then_every_method_has_label_and_params() -> None:
    assert METHODS == {
        "completion_linear": "按完成比例加减分",
        "binary": "完成得分/未完成不得分",
        "deduct_per_event": "按次扣分",
        "milestone_deduction": "按时间节点扣分",
        "ranking_proportional": "按排名比例得分",
        "bonus_capped": "加分（封顶）",
        "veto": "一票否决",
    }
    assert set(PARAMS) == set(METHODS) == {m.value for m in Method}


def test_given_params_catalogue_when_unpacking_then_name_label_required_default() -> None:
    rows = {
        (method, name): (label, required, default)
        for method, specs in PARAMS.items()
        for name, label, required, default in specs
    }

    assert rows[("completion_linear", "penalty_per_step")] == ("每步扣分", True, None)
    assert rows[("completion_linear", "step")] == ("步长（百分点）", False, D("1"))
    assert rows[("completion_linear", "partial")] == ("不足一步的处理", False, "prorate")
    assert rows[("deduct_per_event", "cap")] == ("扣分上限", False, None)
    assert rows[("milestone_deduction", "gate_last")] == ("最后节点未完成不得分", False, True)
    assert rows[("veto", "scope")] == ("否决范围", False, "scheme")
    assert PARAMS["binary"] == [] and PARAMS["ranking_proportional"] == []


def test_given_catalogue_defaults_when_validated_then_they_are_valid_values() -> None:
    for method, specs in PARAMS.items():
        required = {spec.name: 1 for spec in specs if spec.required}
        defaults = {spec.name: spec.default for spec in specs if spec.default is not None}

        assert validate_config(method, 10, {**required, **defaults}, 100) == {}


def test_given_choices_catalogue_when_read_then_labels_for_each_choice() -> None:
    assert set(PARAM_CHOICES["partial"]) == {"prorate", "whole"}
    assert set(PARAM_CHOICES["scope"]) == {"scheme", "category"}
    assert DIRECTIONS == {"higher": "越高越好", "lower": "越低越好"}


# --- grade --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("100", "优秀"),
        ("95", "优秀"),
        ("94.99", "良好"),
        ("85", "良好"),
        ("84.99", "合格"),
        ("60", "合格"),
        ("59.99", "不合格"),
        ("0", "不合格"),
        ("102", "优秀"),  # bonus points may push a total past the maximum
    ],
)
def test_given_a_total_out_of_100_when_grading_then_default_thresholds(
    total: str, expected: str
) -> None:
    assert grade(D(total), D("100")) == expected


def test_given_a_maximum_other_than_100_when_grading_then_thresholds_are_percentages() -> None:
    assert grade(D("114"), D("120")) == "优秀"  # exactly 95 %
    assert grade(D("113.99"), D("120")) == "良好"


def test_given_a_veto_when_grading_then_fail_whatever_the_total() -> None:
    assert grade(D("100"), D("100"), vetoed=True) == "不合格"


def test_given_custom_thresholds_and_fail_label_when_grading_then_they_are_used() -> None:
    # 遵义 safety variant: 优秀 ≥ 95, 良好 90-94, 达标 80-89, 不达标 < 80
    zunyi = {"达标": 80, "优秀": 95, "良好": 90}

    assert grade(90, 100, zunyi, fail_label="不达标") == "良好"
    assert grade(80, 100, zunyi, fail_label="不达标") == "达标"
    assert grade("79.5", 100, zunyi, fail_label="不达标") == "不达标"


def test_given_default_thresholds_when_read_then_95_85_60_and_immutable() -> None:
    assert dict(DEFAULT_GRADE_THRESHOLDS) == {"优秀": 95, "良好": 85, "合格": 60}
    with pytest.raises(TypeError):
        DEFAULT_GRADE_THRESHOLDS["优秀"] = D("90")


def test_given_zero_maximum_when_grading_then_value_error() -> None:
    with pytest.raises(ValueError):
        grade(D("0"), D("0"))


# --- projected_actual ---------------------------------------------------------------------------


def test_given_cumulative_indicator_at_half_year_when_projecting_then_pace_doubled() -> None:
    assert projected_actual("cumulative", D("4.5"), D("0.5")) == D("9")


def test_given_cumulative_indicator_at_year_end_when_projecting_then_unchanged() -> None:
    assert projected_actual("cumulative", "4.5", 1) == D("4.5")


@pytest.mark.parametrize("kind", ["point", "count"])
def test_given_point_or_count_indicator_when_projecting_then_unchanged(kind: str) -> None:
    assert projected_actual(kind, D("3"), D("0.25")) == D("3")


def test_given_point_indicator_at_start_of_year_when_projecting_then_fraction_not_needed() -> None:
    assert projected_actual("point", D("98.5"), 0) == D("98.5")


@pytest.mark.parametrize("fraction", [0, "-0.1", "1.01", "x"])
def test_given_bad_elapsed_fraction_when_projecting_cumulative_then_value_error(
    fraction: object,
) -> None:
    with pytest.raises(ValueError):
        projected_actual("cumulative", D("1"), fraction)


def test_given_unknown_kind_when_projecting_then_value_error() -> None:
    with pytest.raises(ValueError):
        projected_actual("linear", D("1"), D("0.5"))


def test_given_a_projection_when_scoring_then_it_feeds_completion_linear() -> None:
    # 4.5 of 10 done at mid-year projects to 9 of 10: 90 %, 1 point per missing 10 points -> 9
    projected = projected_actual("cumulative", D("4.5"), D("0.5"))

    assert linear(projected, target=10, step=10).score == D("9.00")


# --- properties ---------------------------------------------------------------------------------

points_st = st.decimals(min_value="0.5", max_value=100, places=2)
amounts_st = st.decimals(min_value=0, max_value=5, places=2)
values_st = st.decimals(min_value=0, max_value=100000, places=3)
targets_st = st.decimals(min_value="0.01", max_value=10000, places=2)
directions_st = st.sampled_from(["higher", "lower"])


@st.composite
def linear_params(draw: st.DrawFn, points: Decimal) -> dict[str, object]:
    return {
        "penalty_per_step": draw(amounts_st),
        "step": draw(st.decimals(min_value="0.1", max_value=20, places=1)),
        "bonus_per_step": draw(amounts_st),
        "bonus_cap": draw(amounts_st),
        "floor": min(points, draw(st.decimals(min_value=0, max_value=50, places=2))),
        "partial": draw(st.sampled_from(["prorate", "whole"])),
    }


@st.composite
def linear_setups(draw: st.DrawFn) -> tuple[Decimal, dict[str, object], Decimal]:
    points = draw(points_st)
    return points, draw(linear_params(points)), draw(targets_st)


def final_number(explanation: str) -> Decimal:
    match = re.search(r"得(-?[0-9.]+)分$", explanation)
    assert match, explanation
    return D(match.group(1))


def check_shape(result: ScoreResult) -> None:
    """Every result has two decimals and a sentence ending in the very score it reports."""
    assert result.score.as_tuple().exponent == -2
    assert final_number(result.explanation) == result.score


@PROPERTY_SETTINGS
@given(setup=linear_setups(), direction=directions_st, a=values_st, b=values_st)
def test_property_completion_linear_is_monotone_in_actual(
    setup: tuple[Decimal, dict[str, object], Decimal], direction: str, a: Decimal, b: Decimal
) -> None:
    points, params, target = setup
    low, high = sorted((a, b))

    s_low = score("completion_linear", points, params, target, direction, actual=low).score
    s_high = score("completion_linear", points, params, target, direction, actual=high).score

    assert s_low <= s_high if direction == "higher" else s_low >= s_high


@PROPERTY_SETTINGS
@given(setup=linear_setups(), direction=directions_st, actual=values_st)
def test_property_completion_linear_stays_between_floor_and_points_plus_bonus_cap(
    setup: tuple[Decimal, dict[str, object], Decimal], direction: str, actual: Decimal
) -> None:
    points, params, target = setup

    result = score("completion_linear", points, params, target, direction, actual=actual)

    assert 0 <= params["floor"] <= result.score <= points + params["bonus_cap"]
    check_shape(result)


@PROPERTY_SETTINGS
@given(setup=linear_setups(), direction=directions_st, actual=values_st)
def test_property_completion_linear_reaching_target_is_what_earns_the_full_points(
    setup: tuple[Decimal, dict[str, object], Decimal], direction: str, actual: Decimal
) -> None:
    points, params, target = setup
    reached = actual >= target if direction == "higher" else actual <= target

    result = score("completion_linear", points, params, target, direction, actual=actual)

    if reached:
        assert result.score >= points.quantize(D("0.01"))
    else:
        assert result.score <= points.quantize(D("0.01"))


@PROPERTY_SETTINGS
@given(points=points_st, target=targets_st, direction=directions_st, a=values_st, b=values_st)
def test_property_binary_is_monotone_and_all_or_nothing(
    points: Decimal, target: Decimal, direction: str, a: Decimal, b: Decimal
) -> None:
    low, high = sorted((a, b))

    s_low = score("binary", points, {}, target, direction, actual=low).score
    s_high = score("binary", points, {}, target, direction, actual=high).score

    assert {s_low, s_high} <= {D("0.00"), points.quantize(D("0.01"))}
    assert s_low <= s_high if direction == "higher" else s_low >= s_high


@PROPERTY_SETTINGS
@given(
    points=points_st,
    direction=directions_st,
    peers=st.lists(values_st, max_size=6),
    a=values_st,
    b=values_st,
)
def test_property_ranking_is_monotone_and_bounded(
    points: Decimal, direction: str, peers: list[Decimal], a: Decimal, b: Decimal
) -> None:
    low, high = sorted((a, b))

    r_low = ranking(low, list(peers), direction, points)
    r_high = ranking(high, list(peers), direction, points)

    assert r_low.score <= r_high.score if direction == "higher" else r_low.score >= r_high.score
    for result in (r_low, r_high):
        assert 0 <= result.score <= points.quantize(D("0.01"))
        check_shape(result)


@PROPERTY_SETTINGS
@given(
    points=points_st,
    per_event=amounts_st,
    cap=st.one_of(st.none(), amounts_st, st.decimals(min_value=0, max_value=200, places=2)),
    a=st.integers(min_value=0, max_value=200),
    b=st.integers(min_value=0, max_value=200),
)
def test_property_deduct_per_event_is_non_increasing_in_events_and_never_negative(
    points: Decimal, per_event: Decimal, cap: Decimal | None, a: int, b: int
) -> None:
    fewer, more = sorted((a, b))
    params = {"per_event": per_event, "cap": cap}

    s_fewer = score("deduct_per_event", points, params, extras={"events": fewer})
    s_more = score("deduct_per_event", points, params, extras={"events": more})

    assert 0 <= s_more.score <= s_fewer.score <= points
    limit = points if cap is None else cap
    assert s_more.score >= (points - limit).quantize(D("0.01")) or s_more.score == 0
    check_shape(s_more)


@PROPERTY_SETTINGS
@given(
    points=points_st,
    per_miss=amounts_st,
    gate_last=st.booleans(),
    dues=st.lists(st.dates(date(2026, 1, 1), date(2026, 12, 31)), min_size=1, max_size=8),
    lateness=st.lists(st.one_of(st.none(), st.integers(-30, 30)), min_size=8, max_size=8),
    as_of=st.dates(date(2026, 1, 1), date(2027, 1, 31)),
)
def test_property_milestone_deduction_is_bounded_and_gated(
    points: Decimal,
    per_miss: Decimal,
    gate_last: bool,
    dues: list[date],
    lateness: list[int | None],
    as_of: date,
) -> None:
    items = [
        {"due": due, "done": None if late is None else due + timedelta(days=late)}
        for due, late in zip(dues, lateness, strict=False)
    ]
    last = max(dues)
    last_missed = last <= as_of and any(
        i["due"] == last and (i["done"] is None or i["done"] > last) for i in items
    )

    result = score(
        "milestone_deduction",
        points,
        {"per_miss": per_miss, "gate_last": gate_last},
        extras={"milestones": items, "as_of": as_of},
    )

    assert 0 <= result.score <= points.quantize(D("0.01"))
    if gate_last and last_missed:
        assert result.score == 0
    check_shape(result)


@PROPERTY_SETTINGS
@given(cap=amounts_st, items=st.lists(amounts_st, max_size=10))
def test_property_bonus_is_the_sum_up_to_the_cap(cap: Decimal, items: list[Decimal]) -> None:
    result = score("bonus_capped", 1, {"cap": cap}, extras={"items": items})

    assert result.score == min(cap, sum(items, D(0))).quantize(D("0.01"))
    check_shape(result)


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=200),
    st.decimals(allow_nan=True, allow_infinity=True, places=2),
    st.floats(allow_nan=True),
    st.sampled_from(["", "x", "10", "-1", "1e3", "NaN", "97.5", "whole", "lower", "scheme"]),
    st.just([]),
    st.just(AS_OF),
)

VALID_PARAM_VALUES = {
    "penalty_per_step": amounts_st,
    "step": st.decimals(min_value="0.1", max_value=20, places=1),
    "bonus_per_step": amounts_st,
    "bonus_cap": amounts_st,
    "floor": st.decimals(min_value=0, max_value="0.5", places=2),
    "partial": st.sampled_from(["prorate", "whole"]),
    "basis": st.sampled_from(["rate", "difference"]),
    "per_event": amounts_st,
    "cap": amounts_st,
    "per_miss": amounts_st,
    "gate_last": st.booleans(),
    "scope": st.sampled_from(["scheme", "category"]),
}

VALID_EXTRAS = st.fixed_dictionaries(
    {
        "events": st.integers(min_value=0, max_value=50),
        "peers": st.lists(values_st, max_size=3),
        "items": st.lists(amounts_st, max_size=3),
        "triggered": st.booleans(),
        "as_of": st.just(AS_OF),
        "milestones": st.lists(
            st.fixed_dictionaries({"due": st.sampled_from([Q1, Q2, Q3, Q4])}),
            min_size=1,
            max_size=3,
        ),
    }
)


@st.composite
def scoring_calls(draw: st.DrawFn) -> dict[str, object]:
    """Mostly valid calls with, now and then, one field replaced by junk, so both paths run."""

    def mostly(valid: st.SearchStrategy[object]) -> object:
        return draw(junk) if draw(st.integers(0, 9)) == 0 else draw(valid)

    method = draw(st.sampled_from([*METHODS, "nope"]))
    names = [spec.name for spec in PARAMS.get(method, [])]
    params = {name: mostly(VALID_PARAM_VALUES[name]) for name in names}
    if draw(st.integers(0, 9)) == 0:
        params[draw(st.sampled_from(["unknown", *VALID_PARAM_VALUES]))] = draw(junk)
    extras = draw(VALID_EXTRAS)
    for key in list(extras):
        extras[key] = mostly(st.just(extras[key]))
    return {
        "method": method,
        "points": mostly(points_st),
        "params": params,
        "target": mostly(targets_st),
        "direction": mostly(directions_st),
        "extras": extras,
        "actual": mostly(values_st),
    }


@PROPERTY_SETTINGS
@given(call=scoring_calls())
def test_property_score_raises_scoring_error_exactly_when_validate_reports_errors(
    call: dict[str, object],
) -> None:
    errors = validate(**call)

    if errors:
        with pytest.raises(ScoringError) as caught:
            score(**call)
        assert caught.value.errors == errors
        assert all(isinstance(message, str) and message for message in errors.values())
    else:
        result = score(**call)
        if call["method"] == "veto":
            assert result.score == 0
        else:
            check_shape(result)


# --- the difference basis ("每低1个百分点扣…" on a rate indicator) --------------------------------


def test_difference_basis_counts_percentage_points_not_the_completion_rate():
    result = score(
        "completion_linear",
        4,
        {"penalty_per_step": 1, "basis": "difference"},
        96,
        "higher",
        None,
        "94.5",
    )
    assert result.score == Decimal("2.50")
    assert result.explanation == "实际值94.5，目标值96，差1.5，每差1扣1分，扣1.5分，得2.5分"


def test_difference_basis_when_lower_is_better_and_with_a_bonus():
    worse = score(
        "completion_linear",
        5,
        {"penalty_per_step": "0.5", "basis": "difference"},
        40,
        "lower",
        None,
        43,
    )
    assert worse.score == Decimal("3.50")
    better = score(
        "completion_linear",
        5,
        {"penalty_per_step": 1, "bonus_per_step": "0.2", "bonus_cap": 1, "basis": "difference"},
        9,
        "higher",
        None,
        "11.5",
    )
    assert better.score == Decimal("5.50")


def test_difference_basis_respects_the_floor_and_whole_steps():
    floored = score(
        "completion_linear",
        3,
        {"penalty_per_step": 1, "floor": 1, "basis": "difference"},
        100,
        "higher",
        None,
        90,
    )
    assert floored.score == Decimal("1.00")
    whole = score(
        "completion_linear",
        3,
        {"penalty_per_step": 1, "partial": "whole", "basis": "difference"},
        100,
        "higher",
        None,
        "98.5",
    )
    assert whole.score == Decimal("2.00")


def test_an_unknown_basis_is_refused():
    errors = validate(
        "completion_linear", 3, {"penalty_per_step": 1, "basis": "ratio"}, 100, "higher", None, 1
    )
    assert "params.basis" in errors
