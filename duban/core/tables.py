import django_tables2 as tables
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class YesNoColumn(tables.BooleanColumn):
    """A tick on the page and 是/否 in the Excel export (not True/False)."""

    def value(self, record, value, bound_column):
        value = self._get_bool_value(record, value, bound_column)
        return gettext("Yes") if value else gettext("No")


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped"}
        template_name = "core/partials/table.html"
        empty_text = _("Nothing here yet.")
