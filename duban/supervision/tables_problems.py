import django_tables2 as tables
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.tables import BaseTable, ShortTextColumn
from duban.supervision.choices import Level
from duban.supervision.models import Lesson, Problem

STATUS_BADGE = {"pending": "bg-yellow-lt", "decided": "bg-blue-lt", "implemented": "bg-green-lt"}
LEVEL_BADGE = {1: "bg-orange-lt", 2: "bg-red-lt"}


def task_link(task) -> str:
    return format_html('<a href="{}">{}</a>', task.get_absolute_url(), task.number)


class ProblemTable(BaseTable):
    """The problem registry (问题台账). Every column comes from `Problem.objects.for_list()`."""

    title = ShortTextColumn(linkify=True, verbose_name=_("Problem"))
    section = tables.Column(verbose_name=_("Section to solve it"))
    raised_by = tables.Column(verbose_name=_("Raised by"))
    raised_on = tables.DateColumn(format="Y-m-d", verbose_name=_("Raised on"))
    status = tables.Column(verbose_name=_("Status"))
    escalation_level = tables.Column(verbose_name=_("Escalation"))
    same_as = tables.Column(verbose_name=_("Same as"))
    decision = tables.Column(verbose_name=pgettext_lazy("problem", "Decision"), orderable=False)

    class Meta(BaseTable.Meta):
        model = Problem
        fields = (
            "title",
            "section",
            "raised_by",
            "raised_on",
            "status",
            "escalation_level",
            "same_as",
            "decision",
        )
        attrs = {**BaseTable.Meta.attrs, "data-testid": "problem-table"}

    def render_status(self, record, value):
        return format_html(
            '<span class="badge {}">{}</span>', STATUS_BADGE.get(record.status, ""), value
        )

    def render_escalation_level(self, record, value):
        if not value:
            return "—"
        return format_html(
            '<span class="badge {}">{}</span>', LEVEL_BADGE.get(value, ""), Level(value).label
        )

    def value_escalation_level(self, record, value):
        return value or 0

    def render_same_as(self, record, value):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("supervision:problem_detail", args=[record.same_as_id]),
            truncatechars(value.title, 30),
        )

    def value_same_as(self, record, value):
        return value.title if value else ""

    def render_decision(self, record, value):
        return truncatechars(value, 60)

    def value_decision(self, record, value):
        return value


class LessonTable(BaseTable):
    title = ShortTextColumn(linkify=True, verbose_name=_("Title"))
    kind = tables.Column(verbose_name=_("Kind"))
    tags = tables.Column(verbose_name=_("Tags"))
    section = tables.Column(verbose_name=_("Section"))
    author = tables.Column(verbose_name=_("Written by"))
    source = tables.Column(verbose_name=_("From"), empty_values=(), orderable=False)
    created_at = tables.DateColumn(format="Y-m-d", verbose_name=_("Written on"))

    class Meta(BaseTable.Meta):
        model = Lesson
        fields = ("title", "kind", "tags", "section", "author", "source", "created_at")
        attrs = {**BaseTable.Meta.attrs, "data-testid": "lesson-table"}

    def render_tags(self, record, value):
        return format_html(
            "{}",
            format_html(
                "".join(
                    '<span class="badge bg-azure-lt me-1">{}</span>' for _tag in record.tag_list
                ),
                *record.tag_list,
            ),
        )

    def value_tags(self, record, value):
        return "、".join(record.tag_list)

    def render_source(self, record):
        if record.problem_id:
            return format_html(
                '<a href="{}">{}</a>',
                record.problem.get_absolute_url(),
                truncatechars(record.problem.title, 30),
            )
        if record.task_id:
            if record.task_id in getattr(self, "visible_task_ids", ()):
                return task_link(record.task)
            return _("A supervised task of another section")
        return "—"

    def value_source(self, record):
        if record.problem_id:
            return record.problem.title
        if record.task_id:
            if record.task_id in getattr(self, "visible_task_ids", ()):
                return record.task.number
            return str(_("A supervised task of another section"))
        return ""
