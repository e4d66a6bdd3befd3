import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from duban.core.tables import BaseTable
from duban.projects.models import Project
from duban.projects.schedule import float_colour

BADGE = {"green": "bg-green-lt", "yellow": "bg-yellow-lt", "red": "bg-red-lt"}


def _pp(value) -> str:
    return f"{value:+.2f}"


class ProjectTable(BaseTable):
    """The project list; the view hands over the page's schedules and the date of the figures
    (`schedules`, `as_of`), computed for the page's rows at once."""

    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    deadline = tables.DateColumn(format="Y-m-d", verbose_name=_("Deadline"))
    responsible_leader = tables.Column(verbose_name=_("Responsible leader"))
    lead_section = tables.Column(verbose_name=_("Lead section"))
    project_float = tables.Column(
        verbose_name=_("Float"),
        empty_values=(),
        orderable=False,
        attrs={"td": {"class": "text-end"}},
    )
    completion_rate = tables.Column(
        verbose_name=_("Investment %"),
        empty_values=(),
        orderable=False,
        attrs={"td": {"class": "text-end"}},
    )
    gap = tables.Column(
        verbose_name=_("Against 时间进度"),
        empty_values=(),
        orderable=False,
        attrs={"td": {"class": "text-end"}},
    )

    class Meta(BaseTable.Meta):
        model = Project
        fields = (
            "code",
            "name",
            "level",
            "stage",
            "responsible_leader",
            "lead_section",
            "deadline",
        )
        sequence = (*fields, "project_float", "completion_rate", "gap")

    schedules: dict = {}
    figures: dict = {}

    def render_stage(self, record, value):
        if record.stage_reason:
            return format_html(
                '{} <span class="text-secondary small">（{}）</span>', value, record.stage_reason
            )
        return value

    def render_project_float(self, record):
        schedule = self.schedules.get(record.pk)
        if schedule is None:
            return "—"
        colour = float_colour(schedule.project_float)
        return format_html(
            '<span class="badge {}" data-colour="{}">{}</span>',
            BADGE[colour],
            colour,
            schedule.project_float,
        )

    def value_project_float(self, record):
        schedule = self.schedules.get(record.pk)
        return schedule.project_float if schedule else ""

    def render_completion_rate(self, record):
        figure = self.figures.get(record.pk)
        return "—" if figure is None or figure.rate is None else f"{figure.rate:.2f}"

    def render_gap(self, record):
        figure = self.figures.get(record.pk)
        if figure is None or figure.gap is None:
            return "—"
        css = "text-danger" if figure.gap < 0 else "text-success"
        return format_html('<span class="{}">{}</span>', css, _pp(figure.gap))
