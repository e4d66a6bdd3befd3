"""One FilterSet for the project pages, the API, the 推进表 export and the battle map."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.filtersets import ScopedFilterSet
from duban.org.models import Person, Section
from duban.projects.choices import ProjectLevel, ProjectType, Stage
from duban.projects.models import Project


class ProjectFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    leader = django_filters.ModelChoiceFilter(
        label=_("Responsible leader"),
        field_name="responsible_leader",
        queryset=Person.objects.filter(projects_led__isnull=False).distinct().order_by("name"),
        empty_label=_("All"),
    )
    section = django_filters.ModelChoiceFilter(
        label=_("Lead section"),
        field_name="lead_section",
        queryset=Section.objects.filter(archived_at__isnull=True).order_by("sort_order", "id"),
        empty_label=_("All"),
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=ProjectType.choices, empty_label=_("All")
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Stage.choices, empty_label=_("All")
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=ProjectLevel.choices, empty_label=_("All")
    )

    class Meta:
        model = Project
        fields = ["q", "leader", "section", "type", "stage", "level"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))
