"""The task list (督办台账). Colours and working days are computed per row from one calendar and the
unit's policy handed over by the view (`Lights`), so the page costs the same queries at any size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from duban.core.tables import BaseTable, ShortTextColumn
from duban.supervision.choices import Colour, Level, Quadrant, TaskStatus
from duban.supervision.models import Policy, Task

DOT = {Colour.GREEN: "bg-green", Colour.YELLOW: "bg-yellow", Colour.RED: "bg-red"}
QUADRANT_BADGE = {
    Quadrant.IMPORTANT_URGENT: "bg-red-lt",
    Quadrant.IMPORTANT: "bg-orange-lt",
    Quadrant.URGENT: "bg-blue-lt",
    Quadrant.ROUTINE: "bg-secondary-lt",
}
LEVEL_BADGE = {Level.LEADER: "bg-orange-lt", Level.DIRECTOR: "bg-red-lt"}
DEFAULT_WARN = Policy._meta.get_field("warn_before").default
DEFAULT_PREFIX = Policy._meta.get_field("number_prefix").default


@dataclass
class Light:
    colour: str | None
    days: int
    text: str


@dataclass
class Lights:
    """Everything a page needs to colour tasks: today, the calendar and each unit's policy."""

    calendar: object
    today: dt.date
    policies: dict[int, Policy] = field(default_factory=dict)

    @classmethod
    def load(cls, calendar, today: dt.date) -> Lights:
        # A handful of units at most: one small query, whatever the number of tasks.
        return cls(calendar, today, {p.unit_id: p for p in Policy.objects.all()})

    def warn_before(self, unit_id: int) -> int:
        policy = self.policies.get(unit_id)
        return policy.warn_before if policy else DEFAULT_WARN

    def prefix(self, unit_id: int) -> str:
        policy = self.policies.get(unit_id)
        return policy.number_prefix if policy else DEFAULT_PREFIX

    def number(self, task: Task) -> str:
        return task.number

    def light(self, task: Task) -> Light:
        colour = task.colour(self.calendar, self.today, self.warn_before(task.unit_id))
        if colour is None:
            if task.status in (TaskStatus.DONE, TaskStatus.REVIEW):
                # Closed or waiting for review: how it ended against the deadline, not the status.
                late = task.overdue_workdays(self.calendar, self.today)
                if late:
                    return Light(None, late, gettext("%(n)s working days late") % {"n": late})
                return Light(None, 0, gettext("On time"))
            return Light(None, 0, task.get_status_display())
        if colour == Colour.RED:
            days = task.overdue_workdays(self.calendar, self.today)
            return Light(colour, days, gettext("%(n)s working days overdue") % {"n": days})
        days = task.workdays_left(self.calendar, self.today)
        if days == 0:
            return Light(colour, 0, gettext("Due today"))
        return Light(colour, days, gettext("%(n)s working days left") % {"n": days})


def light_html(light: Light):
    if light.colour is None:
        return mark_safe('<span class="text-secondary">—</span>')
    return format_html(
        '<span class="d-inline-flex align-items-center text-nowrap" data-colour="{}">'
        '<span class="status-dot {} me-1"></span>{}</span>',
        light.colour,
        DOT[light.colour],
        light.text,
    )


class TaskTable(BaseTable):
    number = tables.Column(
        verbose_name=_("Number"), empty_values=(), order_by=("year", "seq"), linkify=False
    )
    title = ShortTextColumn(linkify=True)
    lead_section = tables.Column(verbose_name=_("Lead section"))
    owner = tables.Column(verbose_name=pgettext_lazy("task", "Owner"))
    responsible_leader = tables.Column(verbose_name=_("Responsible leader"))
    quadrant = tables.Column(
        verbose_name=_("Quadrant"), empty_values=(), order_by=("-important", "-urgent")
    )
    deadline = tables.DateColumn(format="Y-m-d", verbose_name=pgettext_lazy("task", "Deadline"))
    colour = tables.Column(verbose_name=_("Time"), empty_values=(), order_by=("deadline",))
    status = tables.Column(verbose_name=_("Status"))
    escalation_level = tables.Column(verbose_name=_("Escalation"))

    class Meta(BaseTable.Meta):
        model = Task
        fields = ()
        sequence = (
            "number",
            "title",
            "lead_section",
            "owner",
            "responsible_leader",
            "quadrant",
            "deadline",
            "colour",
            "status",
            "escalation_level",
        )
        row_attrs = {"data-task": lambda record: record.pk}

    lights: Lights | None = None

    def render_number(self, record):
        return format_html(
            '<a href="{}" class="text-nowrap">{}</a>',
            record.get_absolute_url(),
            self.lights.number(record),
        )

    def value_number(self, record):
        return self.lights.number(record)

    def render_quadrant(self, record):
        return format_html(
            '<span class="badge {}">{}</span>',
            QUADRANT_BADGE[record.quadrant],
            record.get_quadrant_display(),
        )

    def value_quadrant(self, record):
        return str(record.get_quadrant_display())

    def render_colour(self, record):
        return light_html(self.lights.light(record))

    def value_colour(self, record):
        light = self.lights.light(record)
        return light.text if light.colour else ""

    def render_escalation_level(self, record, value):
        if not value:
            return "—"
        return format_html(
            '<span class="badge {}">{}</span>', LEVEL_BADGE.get(value, ""), Level(value).label
        )

    def value_escalation_level(self, record, value):
        return str(Level(value).label) if value else ""
