"""“Used by”: what links to a document, found generically so new modules need no change here.

Other modules link to `evidence.Document` with their own many-to-many fields (an indicator's required
materials, a report's evidence, a supervision task's proof). Each such relation is listed if the user
may read that model, with only the rows they may see (`objects.visible_to(user)` when it exists).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

# Enough to show what uses a document without letting one page grow without bound.
LIMIT_PER_RELATION = 50


@dataclass(frozen=True)
class UsageItem:
    text: str
    url: str


@dataclass
class UsageGroup:
    label: str
    items: list[UsageItem] = field(default_factory=list)
    more: bool = False  # more rows than LIMIT_PER_RELATION


def linking_relations(model: type[models.Model]) -> list:
    """The many-to-many fields of other models that point at `model` (seen from its side)."""
    return [r for r in model._meta.related_objects if r.many_to_many]


def used_by(obj: models.Model, user, relations=None) -> list[UsageGroup]:
    """Rows of other models whose many-to-many fields point at `obj`, as far as `user` may see."""
    groups = []
    for relation in linking_relations(type(obj)) if relations is None else relations:
        model = relation.related_model
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        manager = getattr(model, "objects", model._default_manager)
        rows = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()
        if hasattr(rows, "for_list"):
            rows = rows.for_list()
        rows = list(rows.filter(**{relation.field.name: obj})[: LIMIT_PER_RELATION + 1])
        if not rows:
            continue
        seen, items = set(), []
        for row in rows[:LIMIT_PER_RELATION]:
            if row.pk in seen:
                continue
            seen.add(row.pk)
            url = row.get_absolute_url() if hasattr(row, "get_absolute_url") else ""
            items.append(UsageItem(str(row), url))
        groups.append(
            UsageGroup(str(opts.verbose_name_plural), items, more=len(rows) > LIMIT_PER_RELATION)
        )
    return groups
