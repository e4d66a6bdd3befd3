"""Project scheduler (倒排工期): the critical path method on the Chinese working-day calendar.

A key project is handed a mandated completion date, and the bureau plans backwards from it: which
activities have slack, which are critical, and by how many working days the plan must be compressed
when the date cannot be met. This module answers that for a list of activities linked by
finish-to-start dependencies, counting only working days (holidays and 调休 make-up days included).

Working days are numbered consecutively by ``Calendar.workday_index``; every computation here is
integer arithmetic on those numbers, and dates are produced once at the end. The rules, which are the
product's public contract:

* an activity of duration d starting on working day s occupies s … s+d−1 and finishes on f = s+d−1;
  a milestone (d = 0) therefore finishes on f = s−1, the day its last predecessor finishes when the
  lag is 0, and its dates are shown as the date of that finish day;
* a successor with lag L may start on s ≥ f(predecessor) + 1 + L (L may be negative: overlap);
* forward pass: no activity starts before the first working day on or after the planned start;
* backward pass: late finish = the smallest of the last working day on or before the deadline, the
  activity's own ``finish_by`` likewise, and each successor's late start − 1 − L; late start =
  late finish − d + 1;
* total float = late start − early start; the project float is the smallest; the critical
  activities are those whose float equals it; a negative float means "compress by N working days".

Progress (actual dates, % complete) turns the plan into a forecast; see ``schedule``.

It is deliberately free of Django: the projects app turns rows into ``ActivityInput`` values, and the
battle map, the cockpit and the reports all read the same ``Schedule``. Everything is linear in the
number of activities and dependencies (Kahn's algorithm, adjacency lists), so a 10,000-activity plan
schedules in a fraction of a second.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

from duban.lib.workdays import Calendar

__all__ = [
    "ActivityInput",
    "ActivityResult",
    "Dependency",
    "Schedule",
    "ScheduleError",
    "baseline",
    "progress_percent",
    "schedule",
    "validate",
]

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")

# Key for problems that belong to the plan as a whole rather than to one row (cycles, empty plan).
_PLAN_KEY = "activities"


@dataclass(frozen=True)
class Dependency:
    """Finish-to-start link to the predecessor ``code``; ``lag`` working days in between (may be < 0)."""

    code: str
    lag: int = 0


@dataclass(frozen=True)
class ActivityInput:
    """One activity (工序) as the projects app stores it.

    ``duration`` is in working days; 0 makes a milestone (节点). ``weight`` counts in the weighted
    progress (形象进度). Actual dates and ``percent_complete`` are progress reports; leave them empty
    for a pure plan.
    """

    code: str
    name: str
    duration: int
    predecessors: tuple[Dependency, ...] = ()
    finish_by: date | None = None
    weight: Decimal = Decimal(1)
    actual_start: date | None = None
    actual_finish: date | None = None
    percent_complete: Decimal = Decimal(0)


@dataclass(frozen=True)
class ActivityResult:
    """Computed dates of one activity.

    ``es``/``ef``/``ls``/``lf`` are working-day indices (``Calendar.workday_index``) for callers that
    draw; the dates are ``Calendar.workday_at`` of them, except that an activity occupying no working
    day (a milestone) shows both its start and finish as the date of its finish day.
    """

    code: str
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float: int
    critical: bool
    es: int
    ef: int
    ls: int
    lf: int


@dataclass(frozen=True)
class Schedule:
    """The scheduled plan; ``activities`` are in input order."""

    planned_start: date
    deadline: date
    finish: date  # date of the latest early finish: the forecast completion
    project_float: int
    critical_path: list[str]
    activities: list[ActivityResult]
    complete: bool  # False when some day in the plan's span is a Monday-to-Friday guess
    warnings: list[str]

    @property
    def compress_by(self) -> int:
        """Working days the plan must be compressed to meet every date (0 when it fits)."""
        return max(0, -self.project_float)


class ScheduleError(ValueError):
    """Input ``schedule`` refuses; ``errors`` maps field keys to Chinese messages, as ``validate``."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


# --- public entry points ------------------------------------------------------------------------


def validate(activities: Sequence[ActivityInput], as_of: date | None = None) -> dict[str, str]:
    """Every problem ``schedule`` would refuse, as Chinese messages keyed by field.

    Keys are ``activities[i].<field>`` (i is the row's position, so an import or a formset can put
    the message on its row) and ``activities`` for problems of the whole plan: no activity at all, or
    dependency cycles. ``as_of`` adds the check that no actual date lies after it. Empty when
    ``schedule`` with the same activities will succeed.
    """
    errors: dict[str, str] = {}
    if not activities:
        errors[_PLAN_KEY] = "尚未录入工序，无法排定工期"
        return errors
    first_row: dict[str, int] = {}
    for i, activity in enumerate(activities):
        code = activity.code
        if not isinstance(code, str) or not code.strip():
            errors[_key(i, "code")] = "工序编码不能为空"
        elif code in first_row:
            errors[_key(i, "code")] = f"工序编码重复：{code}"
        else:
            first_row[code] = i
    for i, activity in enumerate(activities):
        _check_row(i, activity, first_row, as_of, errors)
    # With a code missing or given twice, a predecessor link is ambiguous: fix the codes first.
    if not any(key.endswith(".code") for key in errors):
        cycles = _cycles(activities, first_row)
        if cycles:
            errors[_PLAN_KEY] = "；".join(cycles)
    return errors


def schedule(
    activities: Sequence[ActivityInput],
    planned_start: date,
    deadline: date,
    calendar: Calendar,
    as_of: date | None = None,
) -> Schedule:
    """Forward and backward pass; raise ScheduleError with ``validate``'s messages on bad input.

    Progress turns the plan into a forecast:

    * an activity with ``actual_finish`` (or a milestone with either actual date: it was reached
      that day) finishes on the last working day on or before it, and starts on ``actual_start``
      (the first working day on or after it), or d − 1 working days before its finish when no start
      was entered; the duration is then what it took, and predecessors no longer constrain it;
    * an activity that has started (``actual_start``, or ``percent_complete`` > 0) but not finished
      starts on ``actual_start`` (without one, where the network puts it) and, without ``as_of``,
      finishes d − 1 working days later; with ``as_of`` the rest of the work is forecast from today:
      remaining = ceil(d × (1 − percent/100)) working days, finish = max(today − 1, start − 1) +
      remaining, where today is the first working day on or after ``as_of``;
    * with ``as_of``, an activity that has not started cannot start before today, so overdue work
      pushes its successors and the forecast finish.

    ``as_of`` is read as the start of that day: work on it is not yet done.
    """
    errors = validate(activities, as_of)
    if errors:
        raise ScheduleError(errors)
    days = _Days(calendar)
    start = days.first_on_or_after(planned_start)
    due = days.last_on_or_before(deadline)
    today = None if as_of is None else days.first_on_or_after(as_of)
    network = _network(activities)
    es, ef = _forward(activities, network, start, today, days)
    finish_by = [
        None if a.finish_by is None else days.last_on_or_before(a.finish_by) for a in activities
    ]
    ls, lf = _backward(network, es, ef, due, finish_by)
    floats = [late - early for late, early in zip(ls, es, strict=True)]
    project_float = min(floats)
    critical = [f == project_float for f in floats]
    results = [
        _result(a.code, es[i], ef[i], ls[i], lf[i], floats[i], critical[i], days)
        for i, a in enumerate(activities)
    ]
    # Every day the plan shows, before the planned start too (work started early, negative float).
    low = days.date_at(min(start, min(es), min(ef), min(ls), min(lf)))
    high = days.date_at(max(start, max(ef), max(lf)))
    guessed = calendar.incomplete_years(
        min(low, planned_start, deadline), max(high, planned_start, deadline)
    )
    return Schedule(
        planned_start=planned_start,
        deadline=deadline,
        finish=days.date_at(max(ef)),
        project_float=project_float,
        critical_path=[activities[i].code for i in _critical_path(network, es, ef, critical)],
        activities=results,
        complete=not guessed,
        warnings=_warnings(guessed, project_float),
    )


def progress_percent(
    activities: Sequence[ActivityInput],
    results: Sequence[ActivityResult],
    as_of: date,
    calendar: Calendar,
) -> tuple[Decimal, Decimal]:
    """(形象进度, 时间进度): weighted actual % complete and weighted planned % by ``as_of``.

    Actual: a finished activity (``actual_finish``, or a milestone with an actual date) counts 100,
    any other its ``percent_complete``. Planned: the share of each activity's working days, by its
    early dates in ``results``, that lie before ``as_of`` (read as the start of that day, as in
    ``schedule``); a milestone counts 100 once its finish day is past. Pass the results of the
    approved plan, e.g. ``schedule(baseline(activities), ...)``: a forecast's early dates move with
    the progress and would hide the delay. Weights are the activities' ``weight``; when they sum to
    0 every activity counts alike. Both values are rounded to 0.01.
    """
    by_code = {result.code: result for result in results}
    missing = [a.code for a in activities if a.code not in by_code]
    if missing:
        raise ValueError(f"no result for activities {missing}")
    if not activities:
        return Decimal(0), Decimal(0)
    today = _Days(calendar).first_on_or_after(as_of)
    weights = [_number(a.weight) for a in activities]
    if sum(weights) == 0:
        weights = [Decimal(1)] * len(activities)
    total = sum(weights)
    actual = sum(w * _actual_percent(a) for w, a in zip(weights, activities, strict=True))
    planned = sum(
        w * _planned_percent(by_code[a.code], today)
        for w, a in zip(weights, activities, strict=True)
    )
    return _round(actual / total), _round(planned / total)


def baseline(activities: Sequence[ActivityInput]) -> list[ActivityInput]:
    """The activities without their progress: the plan that ``progress_percent`` compares with."""
    return [
        replace(a, actual_start=None, actual_finish=None, percent_complete=Decimal(0))
        for a in activities
    ]


# --- validation ---------------------------------------------------------------------------------


# No real activity lasts or waits 40 years; beyond this a typo would push dates off the calendar.
MAX_DAYS = 10_000


def _key(row: int, field: str) -> str:
    return f"{_PLAN_KEY}[{row}].{field}"


def _check_row(
    i: int,
    activity: ActivityInput,
    first_row: dict[str, int],
    as_of: date | None,
    errors: dict[str, str],
) -> None:
    duration = activity.duration
    if not _is_int(duration):
        errors[_key(i, "duration")] = "工期必须是整数（工作日）"
    elif duration < 0:
        errors[_key(i, "duration")] = "工期不能为负数"
    elif duration > MAX_DAYS:
        errors[_key(i, "duration")] = f"工期不能超过{MAX_DAYS}个工作日"
    if not isinstance(activity.code, str):
        errors[_key(i, "code")] = "工序编码必须是文本"
    predecessor_problems = _predecessor_problems(activity, first_row)
    if predecessor_problems:
        errors[_key(i, "predecessors")] = "；".join(predecessor_problems)
    weight = _to_decimal(activity.weight)
    if weight is None:
        errors[_key(i, "weight")] = "权重必须是数字"
    elif weight < 0:
        errors[_key(i, "weight")] = "权重不能为负数"
    percent = _to_decimal(activity.percent_complete)
    if percent is None or not 0 <= percent <= _HUNDRED:
        errors[_key(i, "percent_complete")] = "完成百分比应在0到100之间"
    _check_dates(i, activity, as_of, errors)


def _predecessor_problems(activity: ActivityInput, first_row: dict[str, int]) -> list[str]:
    """One sentence per kind of problem, naming the predecessor codes concerned."""
    unknown: list[str] = []
    bad_lag: list[str] = []
    twice: list[str] = []
    problems: list[str] = []
    seen: set = set()
    for dependency in activity.predecessors:
        if dependency.code == activity.code:
            problems.append("工序不能以自身为前置工序")
        elif dependency.code not in first_row:
            unknown.append(str(dependency.code))
        if dependency.code in seen:
            twice.append(str(dependency.code))
        seen.add(dependency.code)
        if not _is_int(dependency.lag):
            bad_lag.append(str(dependency.code))
        elif abs(dependency.lag) > MAX_DAYS:
            problems.append(f"搭接时间不能超过{MAX_DAYS}个工作日：{dependency.code}")
    if twice:
        problems.append("同一前置工序只能填写一次：" + "、".join(twice))
    if unknown:
        problems.append("前置工序编码不存在：" + "、".join(unknown))
    if bad_lag:
        problems.append("搭接时间必须是整数（工作日）：" + "、".join(bad_lag))
    return list(dict.fromkeys(problems))


def _check_dates(
    i: int, activity: ActivityInput, as_of: date | None, errors: dict[str, str]
) -> None:
    labels = {
        "finish_by": "要求完成日期",
        "actual_start": "实际开始日期",
        "actual_finish": "实际完成日期",
    }
    for field, label in labels.items():
        value = getattr(activity, field)
        if value is not None and not _is_date(value):
            errors[_key(i, field)] = f"{label}必须是日期"
    start, finish = activity.actual_start, activity.actual_finish
    if _is_date(start) and _is_date(finish) and finish < start:
        errors[_key(i, "actual_finish")] = "实际完成日期不能早于实际开始日期"
    if as_of is None:
        return
    for field in ("actual_start", "actual_finish"):
        value = getattr(activity, field)
        if _is_date(value) and value > as_of:
            errors.setdefault(_key(i, field), f"{labels[field]}不能晚于进度统计日期")


def _cycles(activities: Sequence[ActivityInput], first_row: dict[str, int]) -> list[str]:
    """One message per distinct dependency cycle, e.g. "工序存在循环依赖：A → B → C → A".

    Kahn's algorithm removes every activity not held up by a cycle; each one left has a predecessor
    that is also left, so walking predecessors from it must come back to an activity already on the
    walk. Walks stop at activities an earlier walk visited, so the whole search is linear and each
    cycle is named once.
    """
    predecessors = [
        [
            first_row[d.code]
            for d in a.predecessors
            if d.code in first_row and first_row[d.code] != i
        ]
        for i, a in enumerate(activities)
    ]
    order = _topological_order(predecessors, _successors(predecessors))
    if len(order) == len(activities):
        return []
    left = set(range(len(activities))) - set(order)
    visited: set[int] = set()
    messages: list[str] = []
    for first in sorted(left):
        walk: list[int] = []
        position: dict[int, int] = {}
        node = first
        while node not in visited:
            visited.add(node)
            position[node] = len(walk)
            walk.append(node)
            node = next(p for p in predecessors[node] if p in left)
        if node in position:
            messages.append(_cycle_message(activities, walk[position[node] :]))
    return messages


def _cycle_message(activities: Sequence[ActivityInput], backwards: list[int]) -> str:
    """Name a cycle found by walking predecessors, in precedence order from its first-listed row."""
    cycle = backwards[::-1]
    first = cycle.index(min(cycle))
    cycle = cycle[first:] + cycle[:first]
    codes = [activities[i].code for i in cycle]
    return "工序存在循环依赖：" + " → ".join([*codes, codes[0]])


# --- network ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Network:
    """Adjacency lists by row index, with lags; ``order`` is a topological order of the rows."""

    predecessors: list[list[tuple[int, int]]]
    successors: list[list[tuple[int, int]]]
    order: list[int]


def _network(activities: Sequence[ActivityInput]) -> _Network:
    row = {a.code: i for i, a in enumerate(activities)}
    predecessors = [[(row[d.code], d.lag) for d in a.predecessors] for a in activities]
    successors: list[list[tuple[int, int]]] = [[] for _ in activities]
    for i, links in enumerate(predecessors):
        for p, lag in links:
            successors[p].append((i, lag))
    order = _topological_order(
        [[p for p, _ in links] for links in predecessors],
        [[s for s, _ in links] for links in successors],
    )
    return _Network(predecessors, successors, order)


def _successors(predecessors: list[list[int]]) -> list[list[int]]:
    successors: list[list[int]] = [[] for _ in predecessors]
    for i, links in enumerate(predecessors):
        for p in links:
            successors[p].append(i)
    return successors


def _topological_order(predecessors: list[list[int]], successors: list[list[int]]) -> list[int]:
    """Kahn's algorithm, first-in first-out from the input order so the result is deterministic.

    Rows on or behind a cycle are left out; ``_cycles`` relies on that.
    """
    waiting = [len(links) for links in predecessors]
    ready = deque(i for i, count in enumerate(waiting) if count == 0)
    order: list[int] = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for s in successors[node]:
            waiting[s] -= 1
            if waiting[s] == 0:
                ready.append(s)
    return order


# --- the two passes -----------------------------------------------------------------------------


def _forward(
    activities: Sequence[ActivityInput],
    network: _Network,
    start: int,
    today: int | None,
    days: _Days,
) -> tuple[list[int], list[int]]:
    es = [0] * len(activities)
    ef = [0] * len(activities)
    for i in network.order:
        earliest = start
        for p, lag in network.predecessors[i]:
            earliest = max(earliest, ef[p] + 1 + lag)
        es[i], ef[i] = _early(activities[i], earliest, today, days)
    return es, ef


def _early(
    activity: ActivityInput, earliest: int, today: int | None, days: _Days
) -> tuple[int, int]:
    """(early start, early finish) of one activity; ``earliest`` is what the network allows."""
    d = activity.duration
    started, finished = activity.actual_start, activity.actual_finish
    reached = finished if finished is not None else (started if d == 0 else None)
    if reached is not None:
        ef = days.last_on_or_before(reached)
        if started is not None and d > 0:
            return days.first_on_or_after(started), ef
        return ef - d + 1, ef
    percent = _number(activity.percent_complete)
    if d > 0 and (started is not None or percent > 0):
        es = earliest if started is None else days.first_on_or_after(started)
        if today is None:
            return es, es + d - 1
        return es, max(today - 1, es - 1) + _remaining(d, percent)
    es = earliest if today is None else max(earliest, today)
    return es, es + d - 1


def _remaining(duration: int, percent: Decimal) -> int:
    """Working days of work left: ceil(d × (1 − percent/100)), never rounded down to done."""
    left = Decimal(duration) * (_HUNDRED - percent) / _HUNDRED
    return int(left.to_integral_value(rounding=ROUND_CEILING))


def _backward(
    network: _Network,
    es: list[int],
    ef: list[int],
    due: int,
    finish_by: list[int | None],
) -> tuple[list[int], list[int]]:
    """Late dates; the duration used is the one the forward pass gave (actual or forecast)."""
    ls = [0] * len(es)
    lf = [0] * len(es)
    for i in reversed(network.order):
        latest = due
        own = finish_by[i]
        if own is not None:
            latest = min(latest, own)
        for s, lag in network.successors[i]:
            latest = min(latest, ls[s] - 1 - lag)
        lf[i] = latest
        ls[i] = latest - (ef[i] - es[i])
    return ls, lf


def _critical_path(
    network: _Network, es: list[int], ef: list[int], critical: list[bool]
) -> list[int]:
    """A chain of critical activities, each driving the next, ending at the latest critical finish.

    The end is the critical activity with the latest early finish, the later in topological order on
    a tie (so a completion milestone wins over the activity it follows). Walking back, the next link
    is the first listed critical predecessor whose finish + 1 + lag is the activity's early start;
    the chain stops where no predecessor drives the start (the planned start, an actual date, today).
    """
    position = {node: k for k, node in enumerate(network.order)}
    end = max((i for i in network.order if critical[i]), key=lambda i: (ef[i], position[i]))
    chain = [end]
    node: int | None = end
    while node is not None:
        current = node
        node = next(
            (
                p
                for p, lag in network.predecessors[current]
                if critical[p] and ef[p] + 1 + lag == es[current]
            ),
            None,
        )
        if node is not None:
            chain.append(node)
    return chain[::-1]


def _result(
    code: str, es: int, ef: int, ls: int, lf: int, total_float: int, critical: bool, days: _Days
) -> ActivityResult:
    # An activity occupying no working day (a milestone) shows its finish day as both dates.
    empty = ef < es
    return ActivityResult(
        code=code,
        early_start=days.date_at(ef if empty else es),
        early_finish=days.date_at(ef),
        late_start=days.date_at(lf if empty else ls),
        late_finish=days.date_at(lf),
        total_float=total_float,
        critical=critical,
        es=es,
        ef=ef,
        ls=ls,
        lf=lf,
    )


# --- warnings -----------------------------------------------------------------------------------


def _warnings(guessed_years: list[int], project_float: int) -> list[str]:
    warnings = [f"{year}年调休安排尚未录入，按周一至周五计算" for year in guessed_years]
    if project_float < 0:
        warnings.append(f"按当前计划无法按期完成，需压缩工期{-project_float}个工作日")
    return warnings


# --- progress -----------------------------------------------------------------------------------


def _actual_percent(activity: ActivityInput) -> Decimal:
    reached = activity.actual_finish is not None or (
        activity.duration == 0 and activity.actual_start is not None
    )
    if reached:
        return _HUNDRED
    return min(_HUNDRED, max(Decimal(0), _number(activity.percent_complete)))


def _planned_percent(result: ActivityResult, today: int) -> Decimal:
    length = result.ef - result.es + 1
    if length <= 0:
        return _HUNDRED if result.ef < today else Decimal(0)
    elapsed = min(length, max(0, today - result.es))
    return _HUNDRED * elapsed / length


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


# --- small helpers ------------------------------------------------------------------------------


class _Days:
    """Date ↔ working-day index conversions for one run, each date or index converted once."""

    def __init__(self, calendar: Calendar) -> None:
        self._calendar = calendar
        self._dates: dict[int, date] = {}
        self._last: dict[date, int] = {}

    def first_on_or_after(self, d: date) -> int:
        # workday_index() of a day off is already the index of the next working day.
        return self._calendar.workday_index(d)

    def last_on_or_before(self, d: date) -> int:
        cached = self._last.get(d)
        if cached is None:
            cached = self._calendar.workday_index(d) - (0 if self._calendar.is_workday(d) else 1)
            self._last[d] = cached
        return cached

    def date_at(self, index: int) -> date:
        cached = self._dates.get(index)
        if cached is None:
            cached = self._calendar.workday_at(index)
            self._dates[index] = cached
        return cached


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value: object) -> bool:
    # A datetime is a date subclass but cannot be compared with one; refuse it here, not mid-pass.
    return isinstance(value, date) and not isinstance(value, datetime)


def _to_decimal(raw: object) -> Decimal | None:
    """A finite Decimal, or None. Floats go through str() so 0.1 is 0.1; bools are not numbers."""
    if isinstance(raw, bool) or not isinstance(raw, (Decimal, int, float)):
        return None
    try:
        number = raw if isinstance(raw, Decimal) else Decimal(str(raw))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _number(raw: object) -> Decimal:
    """A value ``validate`` accepted as a number."""
    number = _to_decimal(raw)
    if number is None:
        raise ValueError(f"expected a number, got {raw!r}")
    return number
