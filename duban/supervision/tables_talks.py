"""The talk record list (and its Excel export: the same columns, the full reason)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban.core.tables import BaseTable
from duban.supervision.models import Talk

KIND_BADGE = {"reminder": "bg-blue-lt", "interview": "bg-orange-lt", "admonition": "bg-red-lt"}


class TalkTable(BaseTable):
    date = tables.DateColumn(format="Y-m-d", linkify=True, verbose_name=_("Date"))
    kind = tables.Column(verbose_name=_("Kind"))
    person = tables.Column(
        verbose_name=_("Person talked to"), linkify=lambda record: record.get_absolute_url()
    )
    talker = tables.Column(verbose_name=_("Talked by"))
    reason = tables.Column(verbose_name=_("Reason"), orderable=False)
    follow_up_on = tables.DateColumn(format="Y-m-d", verbose_name=_("Follow-up date"))
    follow_up = tables.Column(
        verbose_name=_("Follow-up"), empty_values=(), orderable=False, accessor="followed_up_on"
    )

    class Meta(BaseTable.Meta):
        model = Talk
        fields = ("date", "kind", "person", "talker", "reason", "follow_up_on", "follow_up")
        order_by = ("-date",)
        attrs = {**BaseTable.Meta.attrs, "data-testid": "talk-table"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_kind(self, record, value):
        return format_html(
            '<span class="badge {}">{}</span>', KIND_BADGE.get(record.kind, ""), value
        )

    def value_kind(self, record, value):
        return record.get_kind_display()

    def render_reason(self, value):
        return Truncator(value).chars(40)

    def render_follow_up(self, record):
        text, css = self._follow_up(record)
        return format_html('<span class="badge {}">{}</span>', css, text) if text else "—"

    def value_follow_up(self, record):
        text, _css = self._follow_up(record)
        if record.followed_up_on:
            return f"{text} {record.followed_up_on:%Y-%m-%d}：{record.follow_up_result}"
        return text

    def _follow_up(self, record) -> tuple[str, str]:
        if record.followed_up_on:
            return gettext("Followed up"), "bg-green-lt"
        if record.follow_up_on is None:
            return "", ""
        if record.follow_up_on <= self.today:
            return gettext("Follow-up due"), "bg-red-lt"
        return gettext("Follow-up planned"), "bg-secondary-lt"

    def value_person(self, record, value):
        return record.person.name

    def value_talker(self, record, value):
        return record.talker.name
