import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.accounts.models import Lockout, User
from duban.accounts.roles import Role
from duban.core.filtersets import ScopedFilterSet


class UserFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(name__icontains=value))


class LockoutFilterSet(ScopedFilterSet):
    username = django_filters.CharFilter(label=_("User name"), lookup_expr="icontains")

    class Meta:
        model = Lockout
        fields = ["username"]
