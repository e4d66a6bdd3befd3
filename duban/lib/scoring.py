"""Scoring rules for assessment indicators (考评指标计分): exact decimals and a reason in Chinese.

A county scheme scores each indicator by one of a handful of rules written into the assessment
notice ("每少1%扣1分，扣完为止", "扣满10分为止", "第1名得满分，非第一名按比例得分", ...). The bureau
wants two things from the system: the score each indicator earns now (and is projected to earn by the
year end), and a sentence that says exactly how it was reached, so that a lost point can be explained
to the assessor and to the leader responsible (把原因说清楚).

Hence the shape of this module:

* every rule is a small pure function over ``Decimal``; nothing is rounded until the very end, where the
  score is quantized to 0.01 with ROUND_HALF_UP (the way assessors round by hand);
* every result carries its explanation, built from the same numbers as the score;
* ``validate`` returns Chinese messages keyed by field name so the indicator form, the report form and
  the API can show them next to the offending field; ``score`` refuses bad input with the same messages
  instead of guessing.

It is deliberately free of Django: the assessment app turns rows into plain values, the scoreboard calls
``score`` in a loop for the projection, and the tests exercise every rule without a database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

__all__ = [
    "DEFAULT_GRADE_THRESHOLDS",
    "DIRECTIONS",
    "METHODS",
    "PARAMS",
    "PARAM_CHOICES",
    "Direction",
    "Method",
    "ParamSpec",
    "ProjectionKind",
    "ScoreResult",
    "ScoringError",
    "VetoEffect",
    "VetoScope",
    "grade",
    "projected_actual",
    "score",
    "validate",
    "validate_config",
    "validate_inputs",
]


class Method(StrEnum):
    COMPLETION_LINEAR = "completion_linear"
    BINARY = "binary"
    DEDUCT_PER_EVENT = "deduct_per_event"
    MILESTONE_DEDUCTION = "milestone_deduction"
    RANKING_PROPORTIONAL = "ranking_proportional"
    BONUS_CAPPED = "bonus_capped"
    VETO = "veto"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class VetoScope(StrEnum):
    SCHEME = "scheme"  # the whole assessment is graded 不合格
    CATEGORY = "category"  # the category (大项) the item belongs to scores 0


class ProjectionKind(StrEnum):
    CUMULATIVE = "cumulative"  # grows through the year: investment, floor area, households
    POINT = "point"  # a level measured at a moment: a rate, a ratio
    COUNT = "count"  # events so far: accidents, complaints; not extrapolated


METHODS: dict[str, str] = {
    Method.COMPLETION_LINEAR: "按完成比例加减分",
    Method.BINARY: "完成得分/未完成不得分",
    Method.DEDUCT_PER_EVENT: "按次扣分",
    Method.MILESTONE_DEDUCTION: "按时间节点扣分",
    Method.RANKING_PROPORTIONAL: "按排名比例得分",
    Method.BONUS_CAPPED: "加分（封顶）",
    Method.VETO: "一票否决",
}

DIRECTIONS: dict[str, str] = {Direction.HIGHER: "越高越好", Direction.LOWER: "越低越好"}


class ParamSpec(NamedTuple):
    """One parameter of a method, as the indicator form shows it.

    ``default`` is None for ``deduct_per_event.cap``, whose default is the indicator's own points.
    """

    name: str
    label: str
    required: bool
    default: object


PARAMS: dict[str, list[ParamSpec]] = {
    Method.COMPLETION_LINEAR: [
        ParamSpec("penalty_per_step", "每步扣分", True, None),
        ParamSpec("step", "步长（百分点）", False, Decimal(1)),
        ParamSpec("bonus_per_step", "每步加分", False, Decimal(0)),
        ParamSpec("bonus_cap", "加分上限", False, Decimal(0)),
        ParamSpec("floor", "保底分", False, Decimal(0)),
        ParamSpec("partial", "不足一步的处理", False, "prorate"),
        ParamSpec("basis", "比较口径", False, "rate"),
    ],
    Method.BINARY: [],
    Method.DEDUCT_PER_EVENT: [
        ParamSpec("per_event", "每次扣分", True, None),
        ParamSpec("cap", "扣分上限", False, None),
    ],
    Method.MILESTONE_DEDUCTION: [
        ParamSpec("per_miss", "每个逾期节点扣分", True, None),
        ParamSpec("gate_last", "最后节点未完成不得分", False, True),
    ],
    Method.RANKING_PROPORTIONAL: [],
    Method.BONUS_CAPPED: [ParamSpec("cap", "加分上限", True, None)],
    Method.VETO: [ParamSpec("scope", "否决范围", False, "scheme")],
}

PARAM_CHOICES: dict[str, dict[str, str]] = {
    "partial": {"prorate": "按比例折算", "whole": "只计整步"},
    # "每低1个百分点扣…" on a rate indicator means the plain difference (96% → 94.5% is 1.5 points),
    # not the completion rate (94.5 ÷ 96): the assessor's wording decides which.
    "basis": {"rate": "按完成率（实际值÷目标值）", "difference": "按与目标值之差"},
    "scope": {VetoScope.SCHEME: "考核等次为不合格", VetoScope.CATEGORY: "所在类别计0分"},
}

DEFAULT_GRADE_THRESHOLDS: Mapping[str, Decimal] = MappingProxyType(
    {"优秀": Decimal(95), "良好": Decimal(85), "合格": Decimal(60)}
)
FAIL_GRADE = "不合格"

# What each parameter must be. Every number parameter divides or multiplies points, so none may be
# negative; the step divides, so it must be positive.
_Bound = Literal["any", "nonneg", "positive"]
_NUMBER_PARAMS: dict[str, _Bound] = {
    "penalty_per_step": "nonneg",
    "step": "positive",
    "bonus_per_step": "nonneg",
    "bonus_cap": "nonneg",
    "floor": "nonneg",
    "per_event": "nonneg",
    "cap": "nonneg",
    "per_miss": "nonneg",
}
_BOOL_PARAMS = frozenset({"gate_last"})

_USES_TARGET = frozenset({Method.COMPLETION_LINEAR, Method.BINARY})
_USES_ACTUAL = frozenset({Method.COMPLETION_LINEAR, Method.BINARY, Method.RANKING_PROPORTIONAL})
_USES_DIRECTION = _USES_ACTUAL  # only a reported value can be better high or low
# A ratio of a negative value to a target means nothing; a binary threshold may well be negative.
_RATIO_OF_ACTUAL = frozenset({Method.COMPLETION_LINEAR, Method.RANKING_PROPORTIONAL})

# Far beyond any real indicator; stops a typo such as "1e40" from overflowing the quantization.
_LIMIT = Decimal(10) ** 15
_PRECISION = 34
_UNKNOWN_METHOD = "未知的计分方法"
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class VetoEffect:
    """A triggered 一票否决: the scheme's grade becomes 不合格, or its category scores 0."""

    scope: VetoScope


@dataclass(frozen=True)
class ScoreResult:
    score: Decimal  # quantized to 0.01, so str() is always "7.50", never "7.5"
    explanation: str
    veto: VetoEffect | None = None

    def as_dict(self) -> dict[str, str | None]:
        """JSON-safe form for the API and for storing the result next to the report."""
        return {
            "score": str(self.score),
            "explanation": self.explanation,
            "veto": str(self.veto.scope) if self.veto else None,
        }


class ScoringError(ValueError):
    """Input ``score`` refuses; ``errors`` maps field names to Chinese messages, as ``validate``."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


# --- public entry points ------------------------------------------------------------------------


def validate(
    method: str,
    points: object,
    params: Mapping[str, object] | None,
    target: object = None,
    direction: object = Direction.HIGHER,
    extras: Mapping[str, object] | None = None,
    actual: object = None,
) -> dict[str, str]:
    """Every problem with one scoring call, as Chinese messages keyed by field.

    Keys: "method", "points", "target", "direction", "actual", "params" and "params.<name>" for the
    indicator's parameters, and the extra inputs under their own names ("events", "as_of",
    "milestones", "milestones[0].due", "peers[2]", "items", "triggered"; "extras" when the bag is
    not a mapping), so a report form can put each message next to its field. Empty when ``score``
    with the same arguments will succeed.
    """
    return _parse(method, points, params, target, direction, extras, actual)[1]


def validate_config(
    method: str,
    points: object,
    params: Mapping[str, object] | None,
    target: object = None,
    direction: object = Direction.HIGHER,
) -> dict[str, str]:
    """Problems with the indicator's definition alone, for the form that sets it up.

    An indicator is defined long before anybody reports an actual value, so this leaves out the
    checks on ``actual`` and ``extras`` that ``validate`` makes.
    """
    m = _method(method)
    if m is None:
        return {"method": _UNKNOWN_METHOD}
    errors: dict[str, str] = {}
    _read_definition(m, points, params, target, direction, errors)
    return errors


def validate_inputs(
    method: str, extras: Mapping[str, object] | None = None, actual: object = None
) -> dict[str, str]:
    """Problems with the reported values alone, for the periodic report form."""
    m = _method(method)
    if m is None:
        return {"method": _UNKNOWN_METHOD}
    errors: dict[str, str] = {}
    _read_actual(m, actual, errors)
    _read_extras(m, extras, errors)
    return errors


def score(
    method: str,
    points: object,
    params: Mapping[str, object] | None,
    target: object = None,
    direction: object = Direction.HIGHER,
    extras: Mapping[str, object] | None = None,
    actual: object = None,
) -> ScoreResult:
    """Score one indicator; raise ScoringError with validate()'s messages on bad input.

    Numbers may be Decimal, int, float or numeric strings; all are read through ``str`` so 0.1 stays
    0.1. ``extras`` carries what a method needs beyond the actual value: ``events``, ``milestones``
    and ``as_of``, ``peers``, ``items`` or ``triggered``; keys a method does not use are ignored so
    a caller may pass one bag to every indicator.
    """
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        inputs, errors = _parse(method, points, params, target, direction, extras, actual)
        if errors or inputs is None:
            raise ScoringError(errors)
        return _RULES[inputs.method](inputs)


def grade(
    total: object,
    max_total: object,
    thresholds: Mapping[str, object] = DEFAULT_GRADE_THRESHOLDS,
    vetoed: bool = False,
    *,
    fail_label: str = FAIL_GRADE,
) -> str:
    """The grade (等次) for a total: the best label whose threshold (percent of max) it reaches.

    Compared as total × 100 ≥ threshold × max_total so no division rounds a borderline total. A
    scheme-level veto forces the failing grade regardless of points. ``fail_label`` exists for
    schemes that say 不达标 instead of 不合格.
    """
    if vetoed:
        return fail_label
    total_d, max_d = _require_number(total, "total"), _require_number(max_total, "max_total")
    if max_d <= 0:
        raise ValueError("max_total must be greater than 0")
    ordered = sorted(
        ((_require_number(value, label), label) for label, value in thresholds.items()),
        reverse=True,
    )
    for threshold, label in ordered:
        if total_d * _HUNDRED >= threshold * max_d:
            return label
    return fail_label


def projected_actual(kind: str, actual: object, elapsed_fraction: object) -> Decimal:
    """The value to score for a year-end projection (按时间进度预测).

    A cumulative indicator (investment completed, households renovated) is assumed to keep its pace:
    the actual so far divided by the elapsed share of the period (时间进度), which must be in (0, 1].
    A point-in-time level (a rate) and a count of events (accidents) are scored as they stand: a rate
    does not grow with time, and extrapolating accidents would deduct for events that never happened.
    """
    if kind not in {k.value for k in ProjectionKind}:
        raise ValueError(f"unknown projection kind: {kind!r}")
    value = _require_number(actual, "actual")
    if kind != ProjectionKind.CUMULATIVE:
        return value
    fraction = _require_number(elapsed_fraction, "elapsed_fraction")
    if not 0 < fraction <= 1:
        raise ValueError("elapsed_fraction must be in (0, 1]")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return value / fraction


# --- reading input ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Inputs:
    """Validated, typed inputs; built only when there were no errors."""

    method: Method
    points: Decimal
    params: dict[str, Any]
    target: Decimal | None
    direction: Direction | None
    actual: Decimal | None
    extras: dict[str, Any]


def _parse(
    method: str,
    points: object,
    params: Mapping[str, object] | None,
    target: object,
    direction: object,
    extras: Mapping[str, object] | None,
    actual: object,
) -> tuple[_Inputs | None, dict[str, str]]:
    """Read everything once, collecting every error rather than stopping at the first."""
    m = _method(method)
    if m is None:
        return None, {"method": _UNKNOWN_METHOD}
    errors: dict[str, str] = {}
    definition = _read_definition(m, points, params, target, direction, errors)
    actual_d = _read_actual(m, actual, errors)
    extras_d = _read_extras(m, extras, errors)
    if errors:
        return None, errors
    points_d, params_d, target_d, direction_d = definition
    assert points_d is not None  # no errors means every required value was read
    inputs = _Inputs(m, points_d, params_d, target_d, direction_d, actual_d, extras_d)
    return inputs, errors


def _read_definition(
    method: Method,
    points: object,
    params: Mapping[str, object] | None,
    target: object,
    direction: object,
    errors: dict[str, str],
) -> tuple[Decimal | None, dict[str, Any], Decimal | None, Direction | None]:
    # A veto item carries no points of its own, so 0 is a normal value there.
    points_bound: _Bound = "nonneg" if method is Method.VETO else "positive"
    points_d = _read_number(points, "points", "基本分", points_bound, errors)
    params_d = _read_params(method, params, errors)
    target_d = None
    if method in _USES_TARGET:
        target_d = _read_number(target, "target", "目标值", "positive", errors)
    direction_d = None
    if method in _USES_DIRECTION:
        if isinstance(direction, str) and direction in DIRECTIONS:
            direction_d = Direction(direction)
        else:
            errors["direction"] = "计分方向只能是“越高越好”或“越低越好”"
    floor = params_d.get("floor")
    if points_d is not None and isinstance(floor, Decimal) and floor > points_d:
        errors.setdefault("params.floor", "保底分不能高于基本分")
    return points_d, params_d, target_d, direction_d


def _read_params(
    method: Method, params: Mapping[str, object] | None, errors: dict[str, str]
) -> dict[str, Any]:
    """Params with defaults filled in; None counts as absent, as an empty optional form field."""
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        errors["params"] = "参数格式不正确"
        params = {}
    specs = {spec.name: spec for spec in PARAMS[method]}
    for name in params:
        if name not in specs:
            errors[f"params.{name}"] = f"未知参数：{name}"
    values: dict[str, Any] = {}
    for spec in specs.values():
        key, raw = f"params.{spec.name}", params.get(spec.name)
        if raw is None:
            if spec.required:
                errors[key] = f"缺少参数：{spec.label}"
            values[spec.name] = spec.default
        else:
            values[spec.name] = _read_param(spec, key, raw, errors)
    return values


def _read_param(spec: ParamSpec, key: str, raw: object, errors: dict[str, str]) -> Any:
    if spec.name in _NUMBER_PARAMS:
        return _read_number(raw, key, spec.label, _NUMBER_PARAMS[spec.name], errors)
    if spec.name in _BOOL_PARAMS:
        if not isinstance(raw, bool):
            errors[key] = f"{spec.label}必须为是或否"
        return raw
    choices = PARAM_CHOICES[spec.name]
    if not isinstance(raw, str) or raw not in choices:
        labels = "或".join(f"“{label}”" for label in choices.values())
        errors[key] = f"{spec.label}只能是{labels}"
    return raw


def _read_actual(method: Method, actual: object, errors: dict[str, str]) -> Decimal | None:
    if method not in _USES_ACTUAL:
        return None
    bound: _Bound = "nonneg" if method in _RATIO_OF_ACTUAL else "any"
    return _read_number(actual, "actual", "实际完成值", bound, errors)


def _read_extras(
    method: Method, extras: Mapping[str, object] | None, errors: dict[str, str]
) -> dict[str, Any]:
    if extras is None:
        extras = {}
    if not isinstance(extras, Mapping):
        errors["extras"] = "附加输入格式不正确"
        extras = {}
    reader = _EXTRA_READERS.get(method)
    return reader(extras, errors) if reader else {}


def _read_events(extras: Mapping[str, object], errors: dict[str, str]) -> dict[str, Any]:
    key, raw = "events", extras.get("events")
    if raw is None:
        errors[key] = "缺少扣分事项次数"
        return {}
    number = None if isinstance(raw, bool) else _to_decimal(raw)
    if number is None or number != number.to_integral_value():
        errors[key] = "扣分事项次数必须是整数"
    elif number < 0:
        errors[key] = "扣分事项次数不能为负数"
    elif number >= _LIMIT:
        errors[key] = "扣分事项次数超出允许范围"
    else:
        return {"events": int(number)}
    return {}


def _read_milestones(extras: Mapping[str, object], errors: dict[str, str]) -> dict[str, Any]:
    as_of = extras.get("as_of")
    if as_of is None:
        errors["as_of"] = "缺少计分截止日期"
    elif not _is_date(as_of):
        errors["as_of"] = "计分截止日期必须是日期"
    raw = extras.get("milestones")
    if not raw:
        errors["milestones"] = "缺少时间节点"
        return {}
    if not _is_list(raw):
        errors["milestones"] = "时间节点必须是列表"
        return {}
    milestones = [_read_milestone(i, item, errors) for i, item in enumerate(raw)]
    return {"milestones": milestones, "as_of": as_of}


def _read_milestone(index: int, item: object, errors: dict[str, str]) -> tuple[Any, Any] | None:
    key = f"milestones[{index}]"
    if not isinstance(item, Mapping):
        errors[key] = "时间节点格式不正确"
        return None
    due, done = item.get("due"), item.get("done")
    if due is None:
        errors[f"{key}.due"] = "缺少计划完成日期"
    elif not _is_date(due):
        errors[f"{key}.due"] = "计划完成日期必须是日期"
    if done is not None and not _is_date(done):
        errors[f"{key}.done"] = "实际完成日期必须是日期"
    return due, done  # only read when no error was recorded


def _read_peers(extras: Mapping[str, object], errors: dict[str, str]) -> dict[str, Any]:
    return {"peers": _read_number_list(extras, "peers", "参评单位数值", errors)}


def _read_items(extras: Mapping[str, object], errors: dict[str, str]) -> dict[str, Any]:
    return {"items": _read_number_list(extras, "items", "加分事项分值", errors)}


def _read_number_list(
    extras: Mapping[str, object], name: str, label: str, errors: dict[str, str]
) -> list[Decimal | None]:
    """A list of non-negative numbers; an empty list is a valid answer (nobody else, no item)."""
    raw = extras.get(name)
    if raw is None:
        errors[name] = f"缺少{label}"
        return []
    if not _is_list(raw):
        errors[name] = f"{label}必须是列表"
        return []
    return [_read_number(v, f"{name}[{i}]", label, "nonneg", errors) for i, v in enumerate(raw)]


def _read_triggered(extras: Mapping[str, object], errors: dict[str, str]) -> dict[str, Any]:
    raw = extras.get("triggered")
    if raw is None:
        errors["triggered"] = "缺少是否触发一票否决"
    elif not isinstance(raw, bool):
        errors["triggered"] = "是否触发一票否决必须为是或否"
    return {"triggered": raw}


_EXTRA_READERS: dict[Method, Callable[[Mapping[str, object], dict[str, str]], dict[str, Any]]] = {
    Method.DEDUCT_PER_EVENT: _read_events,
    Method.MILESTONE_DEDUCTION: _read_milestones,
    Method.RANKING_PROPORTIONAL: _read_peers,
    Method.BONUS_CAPPED: _read_items,
    Method.VETO: _read_triggered,
}


def _method(method: object) -> Method | None:
    return Method(method) if isinstance(method, str) and method in METHODS else None


def _read_number(
    raw: object, key: str, label: str, bound: _Bound, errors: dict[str, str]
) -> Decimal | None:
    if raw is None:
        errors[key] = f"缺少{label}"
        return None
    number = _to_decimal(raw)
    if number is None:
        errors[key] = f"{label}必须是数字"
    elif abs(number) >= _LIMIT:
        errors[key] = f"{label}超出允许范围"
    elif bound == "positive" and number <= 0:
        errors[key] = f"{label}必须大于0"
    elif bound == "nonneg" and number < 0:
        errors[key] = f"{label}不能为负数"
    else:
        return number
    return None


def _to_decimal(raw: object) -> Decimal | None:
    """A finite Decimal, or None. Floats go through str() so 0.1 is 0.1; bools are not numbers."""
    if isinstance(raw, bool) or not isinstance(raw, (Decimal, int, float, str)):
        return None
    try:
        number = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _require_number(raw: object, name: str) -> Decimal:
    number = _to_decimal(raw)
    if number is None:
        raise ValueError(f"{name} must be a number, got {raw!r}")
    return number


def _is_date(value: object) -> bool:
    # A datetime is a date subclass but cannot be compared with one; refuse it here, not mid-rule.
    return isinstance(value, date) and not isinstance(value, datetime)


def _is_list(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


# --- the rules ----------------------------------------------------------------------------------


def _completion_linear(x: _Inputs) -> ScoreResult:
    """基本分 ± per-step adjustment on the completion rate (完成率), with a bonus cap and a floor."""
    assert x.actual is not None and x.target is not None
    p, params = x.points, x.params
    if params.get("basis") == "difference":
        return _completion_difference(x)
    if x.direction is Direction.LOWER:
        prefix = f"实际值{_num(x.actual)}，目标不高于{_num(x.target)}，"
        if x.actual == 0:
            # Nothing at all where less is better: no finite rate, but plainly beyond the target.
            bonus = params["bonus_cap"] if params["bonus_per_step"] > 0 else Decimal(0)
            reason = f"加{_num(bonus)}分（加分上限），" if bonus > 0 else ""
            return _result(p + bonus, f"{prefix}视为超额完成，{reason}")
        rate = x.target * _HUNDRED / x.actual
        prefix += f"按目标值÷实际值折算完成率{_pct(rate)}%，"
    else:
        rate = x.actual * _HUNDRED / x.target
        prefix = f"完成率{_pct(rate)}%，"
    if rate >= _HUNDRED:
        return _result(p + _bonus(rate - _HUNDRED, params), prefix + _bonus_text(rate, params))
    return _penalised(p, _HUNDRED - rate, params, prefix)


def _completion_difference(x: _Inputs) -> ScoreResult:
    """The same rule on the difference from the target, in the indicator's own unit (e.g. 百分点)."""
    assert x.actual is not None and x.target is not None
    p, params = x.points, x.params
    better = x.actual - x.target if x.direction is Direction.HIGHER else x.target - x.actual
    prefix = f"实际值{_num(x.actual)}，目标值{_num(x.target)}，"
    step, whole = params["step"], params["partial"] == "whole"
    if better >= 0:
        if better == 0 or params["bonus_per_step"] == 0 or params["bonus_cap"] == 0:
            return _result(
                p, prefix + ("达到目标，" if better == 0 else f"优于目标{_num(better)}，")
            )
        raw = _steps(better, step, params["partial"]) * params["bonus_per_step"]
        bonus = min(params["bonus_cap"], raw)
        text = (
            f"{prefix}优于目标{_num(better)}，每多{_num(step)}加{_num(params['bonus_per_step'])}分"
        )
        text += f"（不足{_num(step)}不加），" if whole else "，"
        text += (
            f"应加{_num(raw)}分，加分上限{_num(bonus)}分，"
            if raw > bonus
            else f"加{_num(bonus)}分，"
        )
        return _result(p + bonus, text)
    gap = -better
    deduction = _steps(gap, step, params["partial"]) * params["penalty_per_step"]
    text = f"{prefix}差{_num(gap)}，每差{_num(step)}扣{_num(params['penalty_per_step'])}分"
    text += f"（不足{_num(step)}不扣），" if whole else "，"
    if p - deduction < params["floor"]:
        text += f"应扣{_num(deduction)}分，扣至保底分{_num(params['floor'])}分为止，"
        return _result(params["floor"], text)
    return _result(p - deduction, text + f"扣{_num(deduction)}分，")


def _bonus(gap: Decimal, params: Mapping[str, Any]) -> Decimal:
    raw = _steps(gap, params["step"], params["partial"]) * params["bonus_per_step"]
    return min(params["bonus_cap"], raw)


def _bonus_text(rate: Decimal, params: Mapping[str, Any]) -> str:
    gap = rate - _HUNDRED
    if gap == 0:
        return "达到目标，"
    text = f"超过目标{_pct(gap)}个百分点，"
    if params["bonus_per_step"] == 0 or params["bonus_cap"] == 0:
        return text
    step, whole = params["step"], params["partial"] == "whole"
    text += f"每多{_num(step)}个百分点加{_num(params['bonus_per_step'])}分"
    text += f"（不足{_num(step)}个百分点不加），" if whole else "，"
    raw = _steps(gap, step, params["partial"]) * params["bonus_per_step"]
    if raw > params["bonus_cap"]:
        return text + f"应加{_num(raw)}分，加分上限{_num(params['bonus_cap'])}分，"
    return text + f"加{_num(raw)}分，"


def _penalised(p: Decimal, gap: Decimal, params: Mapping[str, Any], prefix: str) -> ScoreResult:
    step, whole = params["step"], params["partial"] == "whole"
    deduction = _steps(gap, step, params["partial"]) * params["penalty_per_step"]
    text = f"{prefix}低于目标{_pct(gap)}个百分点，"
    text += f"每少{_num(step)}个百分点扣{_num(params['penalty_per_step'])}分"
    text += f"（不足{_num(step)}个百分点不扣），" if whole else "，"
    floor = params["floor"]
    if p - deduction < floor:
        text += f"应扣{_num(deduction)}分，扣至保底分{_num(floor)}分为止，"
        return _result(floor, text)
    return _result(p - deduction, text + f"扣{_num(deduction)}分，")


def _steps(gap: Decimal, step: Decimal, partial: str) -> Decimal:
    """How many steps a gap covers: fractional with ``prorate``, whole steps only with ``whole``."""
    steps = gap / step
    return steps.to_integral_value(rounding=ROUND_FLOOR) if partial == "whole" else steps


def _binary(x: _Inputs) -> ScoreResult:
    """完成得基本分，未完成的不得分."""
    assert x.actual is not None and x.target is not None
    if x.direction is Direction.LOWER:
        achieved = x.actual <= x.target
        text = f"实际值{_num(x.actual)}，目标不高于{_num(x.target)}，"
    else:
        achieved = x.actual >= x.target
        text = f"实际值{_num(x.actual)}，目标值{_num(x.target)}，"
    if achieved:
        return _result(x.points, text + "已完成，")
    return _result(Decimal(0), text + "未完成，")


def _deduct_per_event(x: _Inputs) -> ScoreResult:
    """每发生1起扣N分，扣满M分为止 (M defaults to the indicator's points)."""
    events, per_event = x.extras["events"], x.params["per_event"]
    cap = x.params["cap"] if x.params["cap"] is not None else x.points
    if events == 0:
        return _result(x.points, "未发生扣分事项，")
    raw = per_event * events
    text = f"发生扣分事项{events}次，每次扣{_num(per_event)}分，"
    deduction = min(cap, raw)
    if raw > cap:
        text += f"应扣{_num(raw)}分，最多扣{_num(cap)}分，"
    else:
        text += f"扣{_num(deduction)}分，"
    if deduction > x.points:
        text += "扣至0分为止，"
    return _result(max(Decimal(0), x.points - deduction), text)


def _milestone_deduction(x: _Inputs) -> ScoreResult:
    """每个时间节点未按期完成扣N分; missing the final node (the annual goal) scores 0 if gated."""
    milestones: list[tuple[date, date | None]] = x.extras["milestones"]
    as_of: date = x.extras["as_of"]
    due_now = [(due, done) for due, done in milestones if due <= as_of]
    missed = sorted(due for due, done in due_now if done is None or done > due)
    text = f"共{len(milestones)}个时间节点，截至{_day(as_of)}"
    if not due_now:
        return _result(x.points, text + "均未到期，")
    text += f"已到期{len(due_now)}个，"
    if not missed:
        return _result(x.points, text + "均按期完成，")
    text += f"逾期未完成{len(missed)}个（{'、'.join(_day(d) for d in missed)}），"
    last_due = max(due for due, _ in milestones)
    if x.params["gate_last"] and last_due in missed:
        return _result(Decimal(0), text + "最后一个时间节点未按期完成，此项不得分，")
    per_miss = x.params["per_miss"]
    deduction = per_miss * len(missed)
    text += f"每个扣{_num(per_miss)}分，"
    if deduction > x.points:
        return _result(Decimal(0), text + f"应扣{_num(deduction)}分，扣至0分为止，")
    return _result(x.points - deduction, text + f"扣{_num(deduction)}分，")


def _ranking_proportional(x: _Inputs) -> ScoreResult:
    """第1名得满分，非第一名按比例得分.

    Higher is better: P × A ÷ best, best the highest value. Lower is better: P × best ÷ A, best the
    lowest. Whoever equals the best scores P, which settles the cases a ratio cannot: all values 0
    where higher is better (all share first place) and A = 0 where lower is better (A is the best).
    A unit with no peers is first by definition. With lower-is-better, best = 0 and A > 0 scores 0.
    """
    assert x.actual is not None
    actual, peers = x.actual, x.extras["peers"]
    lower = x.direction is Direction.LOWER
    best = min([*peers, actual]) if lower else max([*peers, actual])
    word = "最低" if lower else "最高"
    text = f"实际值{_num(actual)}，"
    if actual == best:
        return _result(x.points, text + f"为参评单位{word}值，")
    text += f"参评单位{word}值{_num(best)}，"
    if lower:
        return _result(
            x.points * best / actual,
            text + f"按比例得分{_num(x.points)}×{_num(best)}÷{_num(actual)}，",
        )
    return _result(
        x.points * actual / best,
        text + f"按比例得分{_num(x.points)}×{_num(actual)}÷{_num(best)}，",
    )


def _bonus_capped(x: _Inputs) -> ScoreResult:
    """Recognised items add up to a cap (最高不超过N分); the caller adds the result to the total."""
    items: list[Decimal] = x.extras["items"]
    cap = x.params["cap"]
    if not items:
        return _result(Decimal(0), "无认定加分事项，")
    total = sum(items, Decimal(0))
    text = f"认定加分事项{len(items)}项，合计{_num(total)}分，"
    if total > cap:
        return _result(cap, text + f"加分上限{_num(cap)}分，")
    return _result(total, text)


def _veto(x: _Inputs) -> ScoreResult:
    """一票否决 carries no points; when triggered it hands the caller a VetoEffect to apply."""
    if not x.extras["triggered"]:
        return ScoreResult(Decimal("0.00"), "未触发一票否决", None)
    scope = VetoScope(x.params["scope"])
    if scope is VetoScope.CATEGORY:
        explanation = "触发一票否决，所在类别计0分"
    else:
        explanation = "触发一票否决，考核等次为不合格"
    return ScoreResult(Decimal("0.00"), explanation, VetoEffect(scope))


_RULES: dict[Method, Callable[[_Inputs], ScoreResult]] = {
    Method.COMPLETION_LINEAR: _completion_linear,
    Method.BINARY: _binary,
    Method.DEDUCT_PER_EVENT: _deduct_per_event,
    Method.MILESTONE_DEDUCTION: _milestone_deduction,
    Method.RANKING_PROPORTIONAL: _ranking_proportional,
    Method.BONUS_CAPPED: _bonus_capped,
    Method.VETO: _veto,
}


# --- output -------------------------------------------------------------------------------------


def _result(value: Decimal, text: str) -> ScoreResult:
    """The one place a score is rounded; the sentence ends with the rounded score it reports."""
    final = _quantize(value)
    return ScoreResult(final, f"{text}得{_num(final)}分")


def _quantize(value: Decimal) -> Decimal:
    final = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    return final.copy_abs() if final == 0 else final  # never "-0.00"


def _num(value: Decimal, places: int = 4) -> str:
    """A number as people write it: no trailing zeros, no exponent (97.5, 2.5, 10, 0.25)."""
    with localcontext() as ctx:
        # A huge rate (a tiny actual where lower is better) needs more digits than the default.
        ctx.prec = max(_PRECISION, value.adjusted() + places + 2)
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0 and value != 0:
        rounded = value.normalize()  # "0" would hide a tiny but real value
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _pct(value: Decimal) -> str:
    """Percentages and percentage points to two decimals at most, as in the bureau's reports."""
    return _num(value, places=2)


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
