import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from duban.audit.models import ObjectChange
from duban.core.tables import BaseTable


class ObjectChangeTable(BaseTable):
    time = tables.DateTimeColumn(
        format="Y-m-d H:i:s", linkify=("audit:change_detail", {"pk": tables.A("pk")})
    )
    content_type = tables.Column(verbose_name=_("Object type"))
    summary = tables.TemplateColumn(
        template_name="audit/partials/change_summary.html",
        verbose_name=_("Changes"),
        orderable=False,
    )

    class Meta(BaseTable.Meta):
        model = ObjectChange
        fields = (
            "time",
            "user_name",
            "action",
            "content_type",
            "object_id",
            "object_repr",
            "ip",
            "source",
            "summary",
        )

    def value_summary(self, record):
        # Excel gets the changed fields as plain text.
        return "; ".join(
            f"{name}: {before} → {after}" for name, before, after in record.changed_fields()
        )
