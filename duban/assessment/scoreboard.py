"""The scoreboard: every indicator's score now, its projected year-end score, the points at risk and
the points still recoverable, evidence completeness, and the path up the ranking (争先进位).

Reads a fixed number of queries whatever the size of the scheme: everything is loaded in bulk and
computed in Python with `duban.lib.scoring`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from duban.assessment.choices import Method, ValueKind
from duban.assessment.models import (
    Indicator,
    Period,
    PublishedIndicatorScore,
    PublishedResult,
    Report,
    RequiredMaterial,
    Scheme,
)
from duban.lib import scoring

ZERO = Decimal("0")
# Deductions already incurred (events, missed milestones) and vetoes cannot be won back by work.
NOT_RECOVERABLE = {Method.DEDUCT_PER_EVENT, Method.MILESTONE_DEDUCTION, Method.VETO}


@dataclass
class Row:
    indicator: Indicator
    depth: int
    children: list[Row] = field(default_factory=list)
    report: Report | None = None
    score: Decimal | None = None
    explanation: str = ""
    projected: Decimal | None = None
    projection_note: str = ""
    at_risk: Decimal = ZERO
    recoverable: Decimal = ZERO
    materials_total: int = 0
    materials_present: int = 0
    missing_materials: list[str] = field(default_factory=list)
    lagging: bool = False
    lagging_reasons: list[str] = field(default_factory=list)
    published_score: Decimal | None = None
    published_rank: int | None = None
    veto_triggered: str = ""  # "scheme" or "category" when a veto fired
    points_mismatch: Decimal | None = None  # children's points minus own points, for categories
    error: str = ""

    @property
    def is_category(self) -> bool:
        return self.indicator.is_category

    @property
    def mismatch_size(self) -> Decimal:
        return abs(self.points_mismatch or ZERO)

    @property
    def missing(self) -> list[str]:
        """What stands between this indicator and its full points, in words for the leader."""
        items = []
        if self.report is None:
            items.append(_("no report for this period"))
        elif not self.report.counts:
            items.append(_("report not yet submitted"))
        if self.missing_materials:
            items.append(_("evidence missing: %(m)s") % {"m": "、".join(self.missing_materials)})
        return items


@dataclass
class RankStep:
    rank: int | None
    units: int
    total: Decimal | None
    next_unit: str = ""
    next_total: Decimal | None = None
    gap: Decimal | None = None
    plan: list[Row] = field(default_factory=list)
    plan_points: Decimal = ZERO
    source: str = ""  # "published" or "computed"
    period_name: str = ""  # the period whose published results the rank comes from


@dataclass
class Scoreboard:
    scheme: Scheme
    period: Period
    unit_id: int
    rows: list[Row]
    periods: list[Period]
    total_now: Decimal = ZERO
    total_projected: Decimal = ZERO
    max_points: Decimal = ZERO
    bonus_now: Decimal = ZERO
    vetoed: bool = False
    grade_now: str = ""
    grade_projected: str = ""
    at_risk: Decimal = ZERO
    recoverable: Decimal = ZERO
    materials_total: int = 0
    materials_present: int = 0
    unreported: list[Row] = field(default_factory=list)
    rank: RankStep | None = None
    history: list[dict] = field(default_factory=list)
    categories: list[dict] = field(default_factory=list)

    @property
    def leaves(self) -> list[Row]:
        return [r for r in self.rows if not r.is_category]

    @property
    def lagging(self) -> list[Row]:
        return [r for r in self.leaves if r.lagging]

    @property
    def scheme_mismatch(self) -> bool:
        """True when the top-level items do not add up to the scheme's total points."""
        return bool(self.rows) and self.max_points != self.scheme.total_points

    @property
    def evidence_percent(self) -> int:
        if not self.materials_total:
            return 100
        return round(self.materials_present * 100 / self.materials_total)

    @property
    def projection_basis(self) -> str:
        return _(
            "Cumulative values are projected by the share of the year elapsed (时间进度 %(p)s%%); "
            "rates and counts are taken as they stand."
        ) % {"p": f"{self.period.elapsed_fraction() * 100:.0f}"}


def scoring_extras(raw, as_of: dt.date | None) -> dict:
    """A report's stored inputs as the engine takes them (ISO dates → dates). Never raises: a value
    that cannot be read is passed on as is, and the engine's validation names it."""
    extras = dict(raw) if isinstance(raw, dict) else {}
    milestones = extras.get("milestones")
    if isinstance(milestones, list):
        converted = []
        for item in milestones:
            if not isinstance(item, dict):
                converted.append(item)
                continue
            converted.append({"due": _date(item.get("due")), "done": _date(item.get("done"))})
        extras["milestones"] = converted
    if as_of is not None:
        extras["as_of"] = as_of
    return extras


def _date(value):
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _extras(report: Report | None, as_of: dt.date) -> dict:
    return scoring_extras(report.extras if report else {}, as_of)


def _score(indicator: Indicator, report: Report | None, actual, as_of: dt.date):
    return scoring.score(
        indicator.method,
        indicator.points,
        indicator.params or {},
        indicator.target,
        indicator.direction,
        _extras(report, as_of),
        actual,
    )


def _needs_actual(indicator: Indicator) -> bool:
    return indicator.method in (
        Method.COMPLETION_LINEAR,
        Method.BINARY,
        Method.RANKING_PROPORTIONAL,
    )


def build(scheme: Scheme, period: Period, unit_id: int) -> Scoreboard:
    periods = list(scheme.periods.order_by("end"))
    indicators = list(
        Indicator.objects.filter(scheme=scheme, archived_at__isnull=True)
        .select_related("responsible_leader", "lead_section", "responsible_person")
        .order_by("sort_order", "code")
    )
    materials = defaultdict(list)
    for material in RequiredMaterial.objects.filter(indicator__scheme=scheme).annotate(
        # Materials are the scheme's; the documents that serve them are each unit's own.
        present=Count(
            "documents", filter=Q(documents__archived_at__isnull=True, documents__unit_id=unit_id)
        )
    ):
        materials[material.indicator_id].append(material)
    reports = defaultdict(dict)  # period id → indicator id → report
    for report in Report.objects.filter(indicator__scheme=scheme, unit_id=unit_id).select_related(
        "submitted_by"
    ):
        reports[report.period_id][report.indicator_id] = report
    results = list(PublishedResult.objects.filter(scheme=scheme).select_related("unit", "period"))
    published_scores = {
        s.indicator_id: s
        for s in PublishedIndicatorScore.objects.filter(
            result__period=period, result__unit_id=unit_id
        )
    }
    unit_count = scheme.units.count() or 1

    board = Scoreboard(scheme=scheme, period=period, unit_id=unit_id, rows=[], periods=periods)
    board.rows = _tree(indicators)
    as_of = period.end
    fraction = period.elapsed_fraction()
    for row in board.rows:
        if row.is_category:
            continue
        _score_leaf(row, reports[period.id].get(row.indicator.id), as_of, fraction)
        _evidence(row, materials.get(row.indicator.id, []))
        _lagging(row, scheme, published_scores.get(row.indicator.id), unit_count)
    _roll_up(board)
    _rank(board, results, period, unit_count)
    board.history = _history(scheme, periods, indicators, reports, results, unit_id)
    return board


def _tree(indicators: list[Indicator]) -> list[Row]:
    by_parent = defaultdict(list)
    for indicator in indicators:
        by_parent[indicator.parent_id].append(indicator)
    ordered: list[Row] = []

    def add(parent_id, depth, parent_row):
        for indicator in by_parent.get(parent_id, []):
            row = Row(indicator=indicator, depth=depth)
            ordered.append(row)
            if parent_row is not None:
                parent_row.children.append(row)
            add(indicator.id, depth + 1, row)

    add(None, 0, None)
    return ordered


def _score_leaf(row: Row, report: Report | None, as_of: dt.date, fraction: Decimal) -> None:
    indicator = row.indicator
    row.report = report
    counting = report if report is not None and report.counts else None
    if counting is None or (_needs_actual(indicator) and counting.actual is None):
        # Not reported: every point is at risk until it is, and all of it can still be won.
        if not indicator.is_veto and indicator.method != Method.BONUS_CAPPED:
            row.at_risk = row.recoverable = _ceiling(indicator)
        return
    try:
        now = _score(indicator, counting, counting.actual, as_of)
    except scoring.ScoringError as error:
        row.error = "；".join(error.errors.values())
        return
    row.score, row.explanation = now.score, now.explanation
    if now.veto:
        row.veto_triggered = str(now.veto.scope)
    if (
        indicator.value_kind == ValueKind.CUMULATIVE
        and counting.actual is not None
        and fraction < 1
    ):
        projected_actual = scoring.projected_actual("cumulative", counting.actual, fraction)
        row.projected = _score(indicator, counting, projected_actual, as_of).score
        row.projection_note = _("at the current pace the year ends at %(v)s%(u)s") % {
            "v": f"{projected_actual:.2f}".rstrip("0").rstrip("."),
            "u": indicator.unit_of_measure,
        }
    else:
        row.projected = now.score
    shortfall = max(ZERO, _ceiling(indicator) - row.projected)
    # A bonus not yet earned is an opportunity, not a risk; a veto has no points to lose.
    row.at_risk = (
        ZERO if indicator.is_veto or indicator.method == Method.BONUS_CAPPED else shortfall
    )
    row.recoverable = ZERO if indicator.method in NOT_RECOVERABLE else shortfall


def _ceiling(indicator: Indicator) -> Decimal:
    if indicator.method == Method.BONUS_CAPPED:
        return Decimal(str((indicator.params or {}).get("cap", indicator.points)))
    return indicator.points


def _evidence(row: Row, materials: list[RequiredMaterial]) -> None:
    row.materials_total = len(materials)
    row.materials_present = sum(1 for m in materials if m.present)
    row.missing_materials = [m.name for m in materials if not m.present]


def _lagging(
    row: Row, scheme: Scheme, published: PublishedIndicatorScore | None, unit_count: int
) -> None:
    indicator = row.indicator
    if published is not None:
        row.published_score, row.published_rank = published.score, published.rank
    if indicator.is_bonus or indicator.is_veto:
        return
    if (
        row.projected is not None
        and row.projected * 100 < indicator.points * scheme.lagging_percent
    ):
        row.lagging = True
        row.lagging_reasons.append(
            _("projected below %(p)s%% of its points") % {"p": f"{scheme.lagging_percent:.0f}"}
        )
    if row.published_rank and unit_count > 1:
        if row.published_rank > unit_count * (1 - scheme.lagging_rank_fraction):
            row.lagging = True
            row.lagging_reasons.append(
                _("ranked %(r)d of %(n)d by the assessor")
                % {"r": row.published_rank, "n": unit_count}
            )


def _roll_up(board: Scoreboard) -> None:
    """Categories add up their children; a category veto zeroes it; bonuses sit on top of the total."""
    for row in reversed(board.rows):  # children before parents
        if not row.is_category:
            continue
        kids = row.children
        scored = [k for k in kids if k.score is not None]
        row.score = sum((k.score for k in scored), ZERO) if scored else None
        row.projected = (
            sum((k.projected for k in kids if k.projected is not None), ZERO) if scored else None
        )
        row.at_risk = sum((k.at_risk for k in kids), ZERO)
        row.recoverable = sum((k.recoverable for k in kids), ZERO)
        row.materials_total = sum(k.materials_total for k in kids)
        row.materials_present = sum(k.materials_present for k in kids)
        child_points = sum((k.indicator.points for k in kids if not k.indicator.is_bonus), ZERO)
        if kids and child_points != row.indicator.points:
            row.points_mismatch = child_points - row.indicator.points
        if any(k.veto_triggered == "category" for k in kids):
            row.veto_triggered = "category"
            row.score = ZERO if row.score is not None else None
            row.projected = ZERO if row.projected is not None else None
    top = [r for r in board.rows if r.depth == 0]
    board.max_points = sum((r.indicator.points for r in top if not r.indicator.is_bonus), ZERO)
    board.total_now = sum((r.score for r in top if r.score is not None), ZERO)
    board.total_projected = sum((r.projected for r in top if r.projected is not None), ZERO)
    board.bonus_now = sum(
        (
            r.score
            for r in board.leaves
            if r.indicator.method == Method.BONUS_CAPPED and r.score is not None
        ),
        ZERO,
    )
    board.vetoed = any(r.veto_triggered == "scheme" for r in board.leaves)
    board.at_risk = sum((r.at_risk for r in board.leaves), ZERO)
    board.recoverable = sum((r.recoverable for r in board.leaves), ZERO)
    board.materials_total = sum(r.materials_total for r in board.leaves)
    board.materials_present = sum(r.materials_present for r in board.leaves)
    board.unreported = [r for r in board.leaves if r.report is None or not r.report.counts]
    total_points = board.scheme.total_points or board.max_points or Decimal(1)
    thresholds = board.scheme.thresholds()
    board.grade_now = scoring.grade(board.total_now, total_points, thresholds, board.vetoed)
    board.grade_projected = scoring.grade(
        board.total_projected, total_points, thresholds, board.vetoed
    )
    board.categories = [
        {
            "name": r.indicator.name,
            "points": r.indicator.points,
            "score": r.score,
            "projected": r.projected,
        }
        for r in top
    ]


def _rank(
    board: Scoreboard, results: list[PublishedResult], period: Period, unit_count: int
) -> None:
    """Our rank in the latest published results up to this period, and the shortest way up one place."""
    published_periods = sorted(
        {r.period for r in results if r.period.end <= period.end}, key=lambda p: p.end
    )
    step = RankStep(rank=None, units=unit_count, total=None)
    if published_periods:
        latest = published_periods[-1]
        table = sorted(
            (r for r in results if r.period_id == latest.id),
            key=lambda r: (r.rank or 10**6, -r.total),
        )
        own = next((r for r in table if r.unit_id == board.unit_id), None)
        step.source = "published"
        step.period_name = latest.name
        if own is not None:
            step.rank, step.total = own.rank, own.total
            above = [r for r in table if r.total > own.total]
            if above:
                target = min(above, key=lambda r: r.total)
                step.next_unit, step.next_total = str(target.unit), target.total
                step.gap = target.total - own.total
    if step.gap is not None:
        candidates = sorted(
            (r for r in board.leaves if r.recoverable > 0),
            key=lambda r: r.recoverable,
            reverse=True,
        )
        for row in candidates:
            if step.plan_points > step.gap:
                break
            step.plan.append(row)
            step.plan_points += row.recoverable
    board.rank = step


def _history(scheme, periods, indicators, reports, results, unit_id) -> list[dict]:
    """Per period: the computed total from our reports and the assessor's published total and rank."""
    leaves = [i for i in indicators if not i.is_category]
    history = []
    for period in periods:
        computed = ZERO
        any_score = False
        for indicator in leaves:
            report = reports[period.id].get(indicator.id)
            if (
                report is None
                or not report.counts
                or (_needs_actual(indicator) and report.actual is None)
            ):
                continue
            try:
                computed += _score(indicator, report, report.actual, period.end).score
                any_score = True
            except scoring.ScoringError:
                continue
        own = next((r for r in results if r.period_id == period.id and r.unit_id == unit_id), None)
        history.append(
            {
                "period": period,
                "computed": computed if any_score else None,
                "published": own.total if own else None,
                "rank": own.rank if own else None,
            }
        )
    return history
