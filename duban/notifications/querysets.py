from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q

from duban.core.querysets import ScopedQuerySet
from duban.org.scoping import scope_for


class NotificationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """An inbox is private: everyone, administrators included, sees only their own."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_list(self):
        """Unread first, then newest; no joins (the inbox shows only the row's own fields)."""
        return self.annotate(
            is_unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
        ).order_by("-is_unread", "-created_at", "-id")


class ChannelQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.all_units:
            return self
        return self.filter(unit_id__in=scope.unit_ids)

    def editable_by(self, user):
        return self.visible_to(user).filter(archived_at__isnull=True)

    def usable(self):
        return self.filter(enabled=True, archived_at__isnull=True)

    def for_list(self):
        return self.select_related("unit", "section")


class DeliveryQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The send log is a system-administration page; anyone else sees only their own sends."""
        scope = scope_for(user)
        if scope.all_units:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def for_list(self):
        return self.select_related("robot", "recipient", "notification").order_by(
            "-created_at", "-id"
        )
