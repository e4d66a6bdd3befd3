"""Base FilterSet shared by pages, API and exports."""

from __future__ import annotations

import django_filters
from django.forms import NullBooleanSelect
from django.utils.translation import gettext_lazy as _

from duban.core.forms import style_fields


class ScopedFilterSet(django_filters.FilterSet):
    """Scopes the choices of every model-choice filter like the rows: nobody learns of what they may not see."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for flt in self.filters.values():
            queryset = getattr(flt, "queryset", None)
            if queryset is None or not hasattr(queryset, "visible_to"):
                continue
            flt.queryset = queryset.visible_to(user) if user is not None else queryset.none()

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_duban_styled", False):
            style_fields(form.fields.values())
            for field in form.fields.values():
                if isinstance(field.widget, NullBooleanSelect):
                    # In a filter an empty yes/no choice means "all", not "unknown".
                    field.widget.choices = [
                        ("unknown", _("All")),
                        ("true", _("Yes")),
                        ("false", _("No")),
                    ]
            form._duban_styled = True
        return form
