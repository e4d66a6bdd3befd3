"""公布结果: the totals and ranks the assessor announced for a period, and our per-indicator scores.

Entered by the supervision office from the assessor's notice. A blank entry means "not known": it is
not saved, and it leaves a result saved earlier as it was (results are never deleted).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from duban.assessment.models import (
    Indicator,
    Period,
    PublishedIndicatorScore,
    PublishedResult,
    Scheme,
)
from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.org.scoping import scope_for


@dataclass(frozen=True)
class ResultInput:
    """One unit's line of the notice; total None = unknown. `version` is the row the editor saw."""

    unit_id: int
    total: Decimal | None
    rank: int | None = None
    version: int | None = None


@dataclass(frozen=True)
class IndicatorScoreInput:
    """Our unit's published score and rank of one leaf indicator; score None = unknown."""

    indicator_id: int
    score: Decimal | None
    rank: int | None = None
    version: int | None = None


@dataclass
class SaveSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # saved earlier, left blank now, kept as it was
    scores_created: int = 0
    scores_updated: int = 0
    scores_kept: int = 0


def effective_ranks(
    rows: list[ResultInput], existing: dict[int, PublishedResult]
) -> dict[int, int]:
    """unit id → the rank it will hold after saving: the typed one, or the one kept from before."""
    ranks = {}
    for row in rows:
        if row.total is not None:
            if row.rank is not None:
                ranks[row.unit_id] = row.rank
        elif row.unit_id in existing and existing[row.unit_id].rank is not None:
            ranks[row.unit_id] = existing[row.unit_id].rank
    return ranks


def _check(rows, indicator_rows, existing, unit_ids, own_unit_id, leaf_ids) -> None:
    """The rules the page's formset also checks, so a caller other than the page cannot skip them."""
    count = len(unit_ids)
    for row in rows:
        if row.unit_id not in unit_ids:
            raise BusinessRuleError(_("The unit is not assessed by this scheme."))
        if row.total is None and row.rank is not None:
            raise BusinessRuleError(_("Enter the total with the rank."), field="total")
        if row.total is not None and row.total < 0:
            raise BusinessRuleError(_("The total cannot be negative."), field="total")
        if row.rank is not None and not 1 <= row.rank <= count:
            raise BusinessRuleError(
                _("A rank is between 1 and %(n)d, the number of units.") % {"n": count},
                field="rank",
            )
    ranks = Counter(effective_ranks(rows, existing).values())
    twice = sorted(rank for rank, times in ranks.items() if times > 1)
    if twice:
        raise BusinessRuleError(
            _("Rank %(r)d is given to more than one unit.") % {"r": twice[0]}, field="rank"
        )
    for row in indicator_rows:
        if row.indicator_id not in leaf_ids:
            raise BusinessRuleError(_("The indicator is not a scored indicator of this scheme."))
        if row.score is None and row.rank is not None:
            raise BusinessRuleError(_("Enter the score with the rank."), field="score")
        if row.rank is not None and not 1 <= row.rank <= count:
            raise BusinessRuleError(
                _("A rank is between 1 and %(n)d, the number of units.") % {"n": count},
                field="rank",
            )
    if any(r.score is not None for r in indicator_rows):
        own_typed = any(r.unit_id == own_unit_id and r.total is not None for r in rows)
        if own_unit_id not in unit_ids or not (own_typed or own_unit_id in existing):
            raise BusinessRuleError(_("Enter our total before the scores of the indicators."))


def _changed(obj, **values) -> bool:
    return any(getattr(obj, name) != value for name, value in values.items())


@transaction.atomic
def save_results(
    scheme: Scheme,
    period: Period,
    rows: list[ResultInput],
    indicator_rows: list[IndicatorScoreInput],
    user,
) -> SaveSummary:
    """Create or update the period's results; blank lines keep what was saved before.

    Every row written must still have the version the editor saw (StaleEditError otherwise); rows
    whose values did not change are not saved again, so the change log shows only real edits.
    """
    if period.scheme_id != scheme.pk:
        raise BusinessRuleError(_("The period belongs to another scheme."))
    own_unit_id = scope_for(user).own_unit_id
    unit_ids = set(scheme.units.values_list("id", flat=True))
    existing = {
        r.unit_id: r for r in PublishedResult.objects.select_for_update().filter(period=period)
    }
    leaf_ids = set(
        Indicator.objects.filter(scheme=scheme, archived_at__isnull=True)
        .exclude(method="")
        .values_list("id", flat=True)
    )
    _check(rows, indicator_rows, existing, unit_ids, own_unit_id, leaf_ids)

    summary = SaveSummary()
    for row in rows:
        current = existing.get(row.unit_id)
        if row.total is None:
            summary.kept += current is not None
            continue
        if current is None:
            if row.version is not None:
                raise StaleEditError(row)  # deleted rows do not exist; a version means it changed
            existing[row.unit_id] = PublishedResult.objects.create(
                scheme=scheme, period=period, unit_id=row.unit_id, total=row.total, rank=row.rank
            )
            summary.created += 1
            continue
        if row.version != current.version:
            raise StaleEditError(current)
        if _changed(current, total=row.total, rank=row.rank):
            current.total, current.rank = row.total, row.rank
            current.save()
            summary.updated += 1
        else:
            summary.unchanged += 1

    if not indicator_rows:
        return summary
    own = existing.get(own_unit_id)
    scores = {s.indicator_id: s for s in own.indicator_scores.select_for_update()} if own else {}
    for row in indicator_rows:
        current = scores.get(row.indicator_id)
        if row.score is None:
            summary.scores_kept += current is not None
            continue
        if current is None:
            if row.version is not None:
                raise StaleEditError(row)
            PublishedIndicatorScore.objects.create(
                result=own, indicator_id=row.indicator_id, score=row.score, rank=row.rank
            )
            summary.scores_created += 1
        elif row.version != current.version:
            raise StaleEditError(current)
        elif _changed(current, score=row.score, rank=row.rank):
            current.score, current.rank = row.score, row.rank
            current.save()
            summary.scores_updated += 1
    return summary
