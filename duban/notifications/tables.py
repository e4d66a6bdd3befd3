import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from duban.core.tables import BaseTable, YesNoColumn
from duban.notifications.kinds import kind_label
from duban.notifications.models import Channel, Delivery

STATUS_BADGE = {
    "queued": "bg-secondary-lt",
    "sending": "bg-blue-lt",
    "sent": "bg-green-lt",
    "failed": "bg-red-lt",
    "deferred": "bg-yellow-lt",
}


class ChannelTable(BaseTable):
    name = tables.Column(
        linkify=lambda record: reverse("notifications:channel_edit", args=[record.pk])
    )
    enabled = YesNoColumn()
    archived_at = tables.DateTimeColumn(format="Y-m-d", verbose_name=_("archived at"))

    class Meta(BaseTable.Meta):
        model = Channel
        # The credentials are never listed (nor exported).
        fields = ("name", "kind", "unit", "section", "base_url", "enabled", "archived_at")


class DeliveryTable(BaseTable):
    created_at = tables.DateTimeColumn(format="Y-m-d H:i")
    sent_at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    next_attempt_at = tables.DateTimeColumn(format="Y-m-d H:i")
    # The kind of message, not its text: the transport log is system work (三员分立), the content
    # is business data the administrator does not read.
    notification = tables.Column(verbose_name=_("Kind of message"), empty_values=())

    class Meta(BaseTable.Meta):
        model = Delivery
        fields = (
            "created_at",
            "channel",
            "robot",
            "recipient",
            "notification",
            "status",
            "attempts",
            "errcode",
            "last_error",
            "next_attempt_at",
            "sent_at",
        )

    def render_notification(self, record):
        if record.notification_id is None:
            return _("Daily digest") if record.digest_id else _("Test message")
        return kind_label(record.notification.kind)

    def value_notification(self, record):
        return str(self.render_notification(record))

    def render_status(self, record, value):
        return format_html(
            '<span class="badge {}">{}</span>', STATUS_BADGE.get(record.status, ""), value
        )

    def value_status(self, record, value):
        return record.get_status_display()
