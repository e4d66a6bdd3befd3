import django_tables2 as tables
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from duban.core.tables import BaseTable
from duban.evidence.models import Document


class DocumentTable(BaseTable):
    title = tables.Column(linkify=True)
    kind = tables.Column(
        verbose_name=_("Kind"),
        accessor="current_version__blob__get_kind_display",
        order_by="current_version__blob__kind",
        default="—",
    )
    section = tables.Column(default="—")
    number = tables.Column(
        verbose_name=_("Version"), accessor="current_version__number", default="—"
    )
    size = tables.Column(
        verbose_name=_("Size"),
        accessor="current_version__blob__size",
        attrs={"td": {"class": "text-nowrap"}},
        default="—",
    )
    uploaded_by = tables.Column(
        verbose_name=_("Uploaded by"), accessor="current_version__uploaded_by__name", default="—"
    )
    uploaded_at = tables.DateTimeColumn(
        verbose_name=_("Uploaded at"), accessor="current_version__uploaded_at", format="Y-m-d H:i"
    )
    archived_at = tables.DateTimeColumn(verbose_name=_("Archived"), format="Y-m-d", default="")

    class Meta(BaseTable.Meta):
        model = Document
        fields = (
            "title",
            "kind",
            "section",
            "number",
            "size",
            "uploaded_by",
            "uploaded_at",
            "archived_at",
        )

    def render_size(self, value):
        return filesizeformat(value)
