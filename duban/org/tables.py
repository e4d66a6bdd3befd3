import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from duban.core.tables import BaseTable, YesNoColumn
from duban.org.models import LeaderAssignment, Person, Section, Unit


class UnitTable(BaseTable):
    name = tables.Column(attrs={"td": {"class": "text-nowrap"}})
    parent = tables.Column(linkify=True)
    section_count = tables.Column(verbose_name=_("Sections"))
    person_count = tables.Column(verbose_name=_("People"))

    class Meta(BaseTable.Meta):
        model = Unit
        fields = ("name", "short_name", "code", "kind", "parent", "section_count", "person_count")

    def render_name(self, record, value):
        # The tree shows as indentation (in the page; the Excel export keeps plain names).
        return format_html(
            '<span style="padding-left: {}rem">{}<a href="{}">{}</a></span>',
            record.depth * 1.5,
            "└ " if record.depth else "",
            record.get_absolute_url(),
            value,
        )

    def value_name(self, record, value):
        return value


class SectionTable(BaseTable):
    name = tables.Column(linkify=True)
    leader = tables.Column(
        verbose_name=_("Leader in charge"), accessor="current_leader", orderable=False, default="—"
    )
    person_count = tables.Column(verbose_name=_("People"))
    archived_at = tables.DateTimeColumn(verbose_name=_("Archived"), format="Y-m-d", default="")

    class Meta(BaseTable.Meta):
        model = Section
        fields = ("name", "unit", "leader", "phone", "person_count", "archived_at")


class PersonTable(BaseTable):
    name = tables.Column(linkify=True)
    is_active = YesNoColumn()
    user = tables.Column(verbose_name=_("Login account"), accessor="user__username", default="—")

    class Meta(BaseTable.Meta):
        model = Person
        fields = ("name", "unit", "section", "position", "phone", "is_active", "user")


class LeaderAssignmentTable(BaseTable):
    section = tables.Column(linkify=True)
    leader = tables.Column(linkify=True)
    end_date = tables.DateColumn(default=_("to date"))

    class Meta(BaseTable.Meta):
        model = LeaderAssignment
        fields = ("section", "leader", "start_date", "end_date", "note")
