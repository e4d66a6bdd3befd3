"""Base API viewsets: the same `visible_to` as the pages, and no hard delete."""

from __future__ import annotations

from rest_framework import mixins, viewsets


class ScopedViewSetMixin:
    queryset = None

    def get_queryset(self):
        queryset = self.queryset.visible_to(self.request.user)
        if self.action == "list":
            return queryset.for_list()
        if self.action in ("update", "partial_update"):
            return self.queryset.editable_by(self.request.user).for_detail()
        return queryset.for_detail()


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Create, read, update; deletion is not offered (rows are archived through their own action)."""
