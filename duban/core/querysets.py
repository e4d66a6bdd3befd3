"""The scoping contract: every scoped model's queryset says which rows a user may see."""

from __future__ import annotations

from django.db import models


class ScopedQuerySet(models.QuerySet):
    """Base for scoped models. Subclasses must define `visible_to`; base views and viewsets call it."""

    def visible_to(self, user) -> ScopedQuerySet:
        raise NotImplementedError(f"{self.model.__name__} must define visible_to(user)")

    def editable_by(self, user) -> ScopedQuerySet:
        """Rows the user may change; defaults to what they see (the permission decides the rest)."""
        return self.visible_to(user)

    def for_list(self) -> ScopedQuerySet:
        return self

    def for_detail(self) -> ScopedQuerySet:
        return self.for_list()

    def active(self) -> ScopedQuerySet:
        if any(f.name == "archived_at" for f in self.model._meta.fields):
            return self.filter(archived_at__isnull=True)
        return self
