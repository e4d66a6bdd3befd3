"""Which projects a user sees and changes.

Everyone in the unit reads the key projects (the battle map hangs on every wall); the project's lead
section, its staff and its responsible leader change it; the director and the supervision office see all.
"""

from __future__ import annotations

from django.db.models import Q

from duban.core.querysets import ScopedQuerySet
from duban.org.scoping import scope_for


class ProjectQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.all_units:
            return self
        return self.filter(unit__in=scope.unit_ids)

    def editable_by(self, user):
        scope = scope_for(user)
        rule = scope.business_filter(section_field="lead_section", unit_field="unit")
        if scope.person_id and not scope.unit_wide:
            rule |= Q(responsible_leader=scope.person_id) | Q(staff=scope.person_id)
        ids = self.visible_to(user).filter(rule).values("id")
        return self.filter(id__in=ids)

    def for_list(self):
        return self.select_related("responsible_leader", "lead_section", "unit").order_by("code")


class ProjectChildQuerySet(ScopedQuerySet):
    """Rows that belong to a project follow the project's visibility and editability."""

    project_field = "project"

    def visible_to(self, user):
        from duban.projects.models import Project

        return self.filter(**{f"{self.project_field}__in": Project.objects.visible_to(user)})

    def editable_by(self, user):
        from duban.projects.models import Project

        return self.filter(**{f"{self.project_field}__in": Project.objects.editable_by(user)})


class FindingQuerySet(ProjectChildQuerySet):
    project_field = "inspection__project"


class BaselineActivityQuerySet(ProjectChildQuerySet):
    project_field = "baseline__project"
