import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class YesNoColumn(tables.BooleanColumn):
    """A tick on the page and 是/否 in the Excel export (not True/False)."""

    def value(self, record, value, bound_column):
        value = self._get_bool_value(record, value, bound_column)
        return gettext("Yes") if value else gettext("No")


class ShortTextColumn(tables.Column):
    """Free text that may be long (a 200-character title): cut on the page, whole in the tooltip
    and in the Excel export, so one long entry cannot push the other columns off the screen."""

    def __init__(self, *args, length: int = 40, **kwargs):
        self.length = length
        super().__init__(*args, **kwargs)

    def render(self, value):
        text = str(value)
        if len(text) <= self.length:
            return text
        return format_html('<span title="{}">{}…</span>', text, text[: self.length])

    def value(self, value):
        return value


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped"}
        template_name = "core/partials/table.html"
        empty_text = _("Nothing here yet.")
