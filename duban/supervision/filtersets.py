"""One FilterSet for the task list, the API, the Excel export and the bulletin."""

from __future__ import annotations

import datetime as dt
import re

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.filtersets import ScopedFilterSet
from duban.org.models import Person, Section
from duban.supervision.choices import (
    ACTIVE_STATUSES,
    Colour,
    Level,
    ProblemStatus,
    Quadrant,
    Source,
    TaskStatus,
)
from duban.supervision.models import Policy, Problem, Task
from duban.workcalendar.services import current_calendar

PRINTED_NUMBER = re.compile(r"(?P<year>20[0-9]{2})\s*[〕\])\-]\s*(?P<seq>[0-9]{1,6})")


def colour_filter(queryset, colour: str, today=None, warn_before: int | None = None):
    """Colours as date comparisons, so the database filters 10,000 tasks without computing each."""
    today = today or timezone.localdate()
    if warn_before is None:
        warn_before = Policy._meta.get_field("warn_before").default
    # Yellow ⟺ working days in (today, deadline] <= warn_before ⟺ deadline before the
    # (warn_before + 1)-th working day after today (Task.in_warning_window, as a date bound).
    last_yellow = current_calendar().add_workdays(today, warn_before + 1) - dt.timedelta(days=1)
    active = queryset.filter(status__in=ACTIVE_STATUSES)
    if colour == Colour.RED:
        return active.filter(deadline__lt=today)
    if colour == Colour.YELLOW:
        if not warn_before:
            return active.none()
        return active.filter(deadline__gte=today, deadline__lte=last_yellow)
    return active.filter(deadline__gt=last_yellow if warn_before else today)


class TaskFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=TaskStatus.choices)
    section = django_filters.ModelChoiceFilter(
        label=_("Lead section"),
        field_name="lead_section",
        queryset=Section.objects.filter(archived_at__isnull=True).order_by("sort_order", "id"),
        empty_label=_("All"),
    )
    leader = django_filters.ModelChoiceFilter(
        label=_("Responsible leader"),
        field_name="responsible_leader",
        queryset=Person.objects.filter(tasks_led__isnull=False).distinct().order_by("name"),
        empty_label=_("All"),
    )
    owner = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("task", "Owner"),
        field_name="owner",
        queryset=Person.objects.filter(tasks_owned__isnull=False).distinct().order_by("name"),
        empty_label=_("All"),
    )
    quadrant = django_filters.ChoiceFilter(
        label=_("Quadrant"), choices=Quadrant.choices, method="by_quadrant", empty_label=_("All")
    )
    colour = django_filters.ChoiceFilter(
        label=_("Colour"), choices=Colour.choices, method="by_colour", empty_label=_("All")
    )
    escalation_level = django_filters.ChoiceFilter(
        label=_("Escalation"),
        choices=[c for c in Level.choices if c[0] > 0],
        empty_label=_("All"),
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=Source.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Task
        fields = [
            "q",
            "status",
            "section",
            "leader",
            "owner",
            "quadrant",
            "colour",
            "escalation_level",
            "source",
            "year",
        ]

    def search(self, queryset, name, value):
        """Words of the title or content; a number as printed (督办〔2026〕15号, 〔2026〕15, 2026-15)
        or just its sequence (15)."""
        printed = PRINTED_NUMBER.search(value)
        if printed:
            return queryset.filter(year=int(printed["year"]), seq=int(printed["seq"]))
        rule = Q(title__icontains=value) | Q(content__icontains=value)
        digits = "".join(ch for ch in value if ch in "0123456789")
        if digits and len(digits) <= 6:
            rule |= Q(seq=int(digits))
        return queryset.filter(rule)

    def by_quadrant(self, queryset, name, value):
        important = int(value) in (Quadrant.IMPORTANT_URGENT, Quadrant.IMPORTANT)
        urgent = int(value) in (Quadrant.IMPORTANT_URGENT, Quadrant.URGENT)
        return queryset.filter(important=important, urgent=urgent)

    def by_colour(self, queryset, name, value):
        return colour_filter(queryset, value)


class ProblemFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProblemStatus.choices, empty_label=_("All")
    )
    section = django_filters.ModelChoiceFilter(
        label=_("Section"),
        field_name="section",
        queryset=Section.objects.filter(archived_at__isnull=True).order_by("sort_order", "id"),
        empty_label=_("All"),
    )
    repeated = django_filters.BooleanFilter(
        label=_("Raised again"), field_name="same_as", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Problem
        fields = ["q", "status", "section", "repeated"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(decision__icontains=value)
        )
