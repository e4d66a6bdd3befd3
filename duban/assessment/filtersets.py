import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.assessment.choices import ExplanationStatus, Method, ReportStatus
from duban.assessment.models import (
    DeductionExplanation,
    Indicator,
    Period,
    Report,
    ResponsibilityLetter,
    Scheme,
)
from duban.core.filtersets import ScopedFilterSet
from duban.org.models import Person, Section


class SchemeFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains")
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Scheme
        fields = ["q", "year", "status"]


class IndicatorFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    scheme = django_filters.ModelChoiceFilter(label=_("Scheme"), queryset=Scheme.objects.all())
    lead_section = django_filters.ModelChoiceFilter(
        label=_("Lead section"), queryset=Section.objects.all()
    )
    responsible_leader = django_filters.ModelChoiceFilter(
        label=_("Responsible leader"),
        queryset=Person.objects.filter(indicators_led__isnull=False).distinct(),
    )
    method = django_filters.ChoiceFilter(label=_("Scoring method"), choices=Method.choices)

    class Meta:
        model = Indicator
        fields = ["q", "scheme", "lead_section", "responsible_leader", "method"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class ReportFilterSet(ScopedFilterSet):
    indicator = django_filters.ModelChoiceFilter(
        label=_("Indicator"), queryset=Indicator.objects.all()
    )
    period = django_filters.ModelChoiceFilter(label=_("Period"), queryset=Period.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)
    section = django_filters.ModelChoiceFilter(
        label=_("Lead section"),
        field_name="indicator__lead_section",
        queryset=Section.objects.all(),
    )

    class Meta:
        model = Report
        fields = ["indicator", "period", "status", "section"]


class ExplanationFilterSet(ScopedFilterSet):
    period = django_filters.ModelChoiceFilter(label=_("Period"), queryset=Period.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ExplanationStatus.choices)

    class Meta:
        model = DeductionExplanation
        fields = ["period", "status"]


class LetterFilterSet(ScopedFilterSet):
    scheme = django_filters.ModelChoiceFilter(label=_("Scheme"), queryset=Scheme.objects.all())

    class Meta:
        model = ResponsibilityLetter
        fields = ["scheme", "status"]
