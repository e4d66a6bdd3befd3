import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.audit.choices import ChangeAction
from duban.audit.models import ObjectChange
from duban.core.filtersets import ScopedFilterSet


class ObjectChangeFilterSet(ScopedFilterSet):
    user = django_filters.CharFilter(
        label=_("User"), field_name="user_name", lookup_expr="icontains"
    )
    action = django_filters.ChoiceFilter(label=_("Action"), choices=ChangeAction.choices)
    content_type = django_filters.ModelChoiceFilter(
        label=_("Object type"),
        queryset=ContentType.objects.filter(
            app_label__in=["accounts", "org", "workcalendar", "core"]
        ),
    )
    object = django_filters.CharFilter(label=_("Object (id or name)"), method="filter_object")
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="time",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Until"),
        field_name="time",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    request_id = django_filters.CharFilter(label=_("Request id"))
    ip = django_filters.CharFilter(label=_("IP address"))

    class Meta:
        model = ObjectChange
        fields = ["user", "action", "content_type", "object", "since", "until", "request_id", "ip"]

    def filter_object(self, queryset, name, value):
        return queryset.filter(Q(object_id=value) | Q(object_repr__icontains=value))
