from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from duban.core.querysets import ScopedQuerySet
from duban.org.scoping import scope_for


class UnitQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.all_units:
            return self
        return self.filter(id__in=scope.context_unit_ids)

    def for_list(self):
        return (
            self.select_related("parent")
            .annotate(
                section_count=Count(
                    "sections", filter=Q(sections__archived_at__isnull=True), distinct=True
                ),
                person_count=Count("people", filter=Q(people__is_active=True), distinct=True),
            )
            .order_by("path")
        )


class SectionQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.all_units:
            return self
        return self.filter(unit_id__in=scope.unit_ids)

    def for_list(self):
        from duban.org.models import LeaderAssignment

        current = LeaderAssignment.objects.current().select_related("leader")
        return (
            self.select_related("unit")
            .prefetch_related(
                Prefetch("leader_assignments", queryset=current, to_attr="current_assignments")
            )
            .annotate(person_count=Count("people", filter=Q(people__is_active=True), distinct=True))
            .order_by("unit__path", "sort_order", "id")
        )


class PersonQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.all_units:
            return self
        return self.filter(unit_id__in=scope.unit_ids)

    def for_list(self):
        return self.select_related("unit", "section", "user")


class LeaderAssignmentQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.all_units:
            return self
        return self.filter(section__unit_id__in=scope.unit_ids)

    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)

    def for_list(self):
        return self.select_related("section", "section__unit", "leader")
