import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.filtersets import ScopedFilterSet
from duban.org.choices import UnitKind
from duban.org.models import LeaderAssignment, Person, Section, Unit


class UnitFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=UnitKind.choices)

    class Meta:
        model = Unit
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class SectionFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains")
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.all())
    archived = django_filters.BooleanFilter(
        label=_("Archived"), field_name="archived_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Section
        fields = ["q", "unit", "archived"]


class PersonFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.all())
    section = django_filters.ModelChoiceFilter(
        label=_("Section"), queryset=Section.objects.filter(archived_at__isnull=True)
    )
    is_active = django_filters.BooleanFilter(label=_("In post"))
    has_account = django_filters.BooleanFilter(
        label=_("Has a login account"), field_name="user", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Person
        fields = ["q", "unit", "section", "is_active", "has_account"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(phone__icontains=value) | Q(position__icontains=value)
        )


class LeaderAssignmentFilterSet(ScopedFilterSet):
    section = django_filters.ModelChoiceFilter(
        label=_("Section"), queryset=Section.objects.filter(archived_at__isnull=True)
    )
    leader = django_filters.ModelChoiceFilter(
        label=_("Leader in charge"),
        queryset=Person.objects.filter(led_assignments__isnull=False).distinct(),
    )
    current = django_filters.BooleanFilter(
        label=_("Current only"), field_name="end_date", lookup_expr="isnull"
    )

    class Meta:
        model = LeaderAssignment
        fields = ["section", "leader", "current"]
