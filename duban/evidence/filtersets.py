import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.filtersets import ScopedFilterSet
from duban.evidence.choices import FileKind
from duban.evidence.models import Document
from duban.org.models import Section


class DocumentFilterSet(ScopedFilterSet):
    """Shared by the library page, its Excel export and the API."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    section = django_filters.ModelChoiceFilter(
        label=_("Section"), queryset=Section.objects.filter(archived_at__isnull=True)
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), field_name="current_version__blob__kind", choices=FileKind.choices
    )
    archived = django_filters.BooleanFilter(
        label=_("Archived"), field_name="archived_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Document
        fields = ["q", "section", "kind", "archived"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(current_version__original_name__icontains=value)
        )


def active_unless_asked(queryset, params):
    """The library lists active documents; archived ones show when the filter asks for them."""
    return queryset if "archived" in params else queryset.active()
