"""Similar problems and lessons: the Django glue to `lib.similarity` ("decide a problem once").

Each process keeps one `SimilarityIndex` per unit and per kind (problems, lessons), built on first use
from the unit's rows. Several app servers each hold their own copy, kept fresh cheaply: before every
search one query fetches the rows of the searched units changed since the last one seen (the index on
`updated_at`), and re-indexes them; an archived row is removed. The window looks a little further
back than the newest change seen (`LATE_COMMIT_MARGIN`), so a row saved in a transaction that
committed late is still picked up; rows already indexed at that `updated_at` are skipped.

Scoping: the indexes hold ids only; every result is fetched again through `visible_to(user)`, so a
search never shows a row the user may not see. A problem raised again as "the same as" an earlier
one is shown as its original (where the decision is), not as a second copy of the same decision.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, When

from duban.lib.similarity import SimilarityIndex
from duban.org.scoping import scope_for

# Read this far behind the newest change already seen: a transaction that saved a row (setting its
# updated_at) and committed up to this much later is still noticed.
LATE_COMMIT_MARGIN = dt.timedelta(minutes=2)
BUILD_CHUNK = 2000
# Below this a match shares little more than common words. With the thesaurus of lib.similarity,
# the original of every hand-written paraphrase (tests/paraphrases.py) scores at least 0.12.
MIN_SCORE = 0.08


@dataclass
class _UnitIndex:
    index: SimilarityIndex = field(default_factory=SimilarityIndex)
    seen: dict[int, dt.datetime] = field(default_factory=dict)  # doc id -> updated_at indexed
    root: dict[int, int] = field(default_factory=dict)  # repeat id -> the original's id
    newest: dt.datetime | None = None


class LiveIndex:
    """Per-unit indexes over one model's rows, refreshed from the table before each search.

    `fields`: the columns whose text is indexed; `root_field`: a self foreign key whose target stands
    for the row in results (Problem.same_as), or None.
    """

    def __init__(self, model_label: str, fields: tuple[str, ...], root_field: str | None = None):
        self.model_label = model_label
        self.fields = fields
        self.root_field = root_field
        self._units: dict[int, _UnitIndex] = {}
        self._lock = threading.Lock()

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_label)

    def clear(self) -> None:
        """Forget every index (tests; a restored database)."""
        with self._lock:
            self._units.clear()

    def _columns(self) -> tuple[str, ...]:
        extra = (self.root_field,) if self.root_field else ()
        return ("id", "unit_id", "updated_at", "archived_at", *extra, *self.fields)

    def _apply(self, state: _UnitIndex, row: tuple) -> None:
        doc_id, _unit, updated_at, archived_at, *rest = row
        root = rest.pop(0) if self.root_field else None
        if state.seen.get(doc_id) == updated_at:
            return
        state.seen[doc_id] = updated_at
        if state.newest is None or updated_at > state.newest:
            state.newest = updated_at
        if archived_at is not None:
            state.index.remove(doc_id)
            state.root.pop(doc_id, None)
            return
        state.index.add(doc_id, " ".join(str(part or "") for part in rest))
        if root:
            state.root[doc_id] = root
        else:
            state.root.pop(doc_id, None)

    def _build(self, unit_ids: Iterable[int]) -> None:
        rows = (
            self.model._base_manager.filter(unit_id__in=list(unit_ids), archived_at__isnull=True)
            .order_by()
            .values_list(*self._columns())
            .iterator(chunk_size=BUILD_CHUNK)
        )
        for unit_id in unit_ids:
            self._units[unit_id] = _UnitIndex()
        for row in rows:
            self._apply(self._units[row[1]], row)

    def _refresh(self, unit_ids: list[int]) -> None:
        """One query: the rows of these units changed since each unit's newest change seen."""
        rule = Q()
        for unit_id in unit_ids:
            newest = self._units[unit_id].newest
            rule |= (
                Q(unit_id=unit_id, updated_at__gte=newest - LATE_COMMIT_MARGIN)
                if newest
                else Q(unit_id=unit_id)
            )
        rows = self.model._base_manager.filter(rule).order_by().values_list(*self._columns())
        for row in rows:
            self._apply(self._units[row[1]], row)

    def search(
        self,
        unit_ids: Iterable[int],
        text: str,
        limit: int,
        exclude: Iterable[int] = (),
        min_score: float = MIN_SCORE,
    ) -> list[tuple[int, float]]:
        """(id, score) best first across the units, repeats folded into their original."""
        unit_ids = sorted(set(unit_ids))
        if not unit_ids or not text or not text.strip():
            return []
        excluded = set(exclude)
        with self._lock:
            missing = [u for u in unit_ids if u not in self._units]
            if missing:
                self._build(missing)
            present = [u for u in unit_ids if u not in missing]
            if present:
                self._refresh(present)
            best: dict[int, float] = {}
            # Ask each index for more than `limit`: repeats fold and excluded rows drop out.
            wanted = limit * 3 + len(excluded) + 5
            for unit_id in unit_ids:
                state = self._units[unit_id]
                for doc_id, score in state.index.search(text, wanted, min_score):
                    target = state.root.get(doc_id, doc_id)
                    if target in excluded or doc_id in excluded:
                        continue
                    if score > best.get(target, 0.0):
                        best[target] = score
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return ranked


PROBLEMS = LiveIndex("supervision.Problem", ("title", "description"), root_field="same_as_id")
LESSONS = LiveIndex("supervision.Lesson", ("title", "body", "tags"))


def _unit_ids(user) -> list[int]:
    scope = scope_for(user)
    if scope.all_units:
        from duban.org.models import Unit

        return list(Unit.objects.values_list("id", flat=True))
    return sorted(scope.unit_ids) if scope.person_id else []


def _ranked_rows(queryset, ranked: list[tuple[int, float]], limit: int) -> list:
    """The visible rows of `ranked`, best first, each with `.score` set; at most `limit`."""
    if not ranked:
        return []
    scores = dict(ranked[: limit * 3])
    rows = {row.pk: row for row in queryset.filter(pk__in=list(scores))}
    result = []
    for pk, score in ranked:
        row = rows.get(pk)
        if row is None:
            continue
        row.score = score
        result.append(row)
        if len(result) == limit:
            break
    return result


def similar_problems(user, text: str, limit: int = 5, exclude_id: int | None = None) -> list:
    """The problems most like `text` that the user may see, best first, each with `.score` (0–1).

    A problem raised again "the same as" an earlier one is represented by the earlier one.
    """
    from duban.supervision.models import Problem

    ranked = PROBLEMS.search(
        _unit_ids(user), text, limit, exclude=[exclude_id] if exclude_id else ()
    )
    queryset = (
        Problem.objects.visible_to(user)
        .filter(archived_at__isnull=True)
        .select_related("section", "decided_by")
    )
    return _ranked_rows(queryset, ranked, limit)


def similar_lessons(user, text: str, limit: int = 5, exclude_id: int | None = None) -> list:
    """The lessons most like `text` that the user may see, best first, each with `.score` (0–1)."""
    from duban.supervision.models import Lesson

    ranked = LESSONS.search(
        _unit_ids(user), text, limit, exclude=[exclude_id] if exclude_id else ()
    )
    queryset = Lesson.objects.visible_to(user).filter(archived_at__isnull=True)
    return _ranked_rows(queryset, ranked, limit)


def lesson_ids_by_similarity(user, text: str, limit: int = 200) -> list[tuple[int, float]]:
    """For the lesson library's search box: (id, score) best first, not yet scoped (the list is)."""
    return LESSONS.search(_unit_ids(user), text, limit)[:limit]


def order_by_rank(queryset, ids: list[int]):
    """Order a queryset in the order of `ids` (a similarity ranking)."""
    if not ids:
        return queryset.none()
    ranking = Case(
        *(When(pk=pk, then=position) for position, pk in enumerate(ids)),
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=ids).order_by(ranking)
