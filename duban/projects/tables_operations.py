"""Tables of a project's operations: inspections, inspection compliance and next year's pipeline.

Compliance and pipeline rows are computed (`operations.compliance`, `operations.pipeline`); their
columns render badges on the page and plain text in the Excel export.
"""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban.core.tables import BaseTable
from duban.projects.models import Inspection

# Long Chinese names and notes wrap instead of pushing the table wider than the page.
WRAP = {"td": {"style": "white-space: normal; min-width: 10rem"}}


class InspectionTable(BaseTable):
    date = tables.DateColumn(format="Y-m-d", linkify=True)
    project = tables.Column(
        order_by=("project__code",),
        linkify=lambda record: reverse("projects:project_detail", args=[record.project_id]),
    )
    inspectors = tables.ManyToManyColumn(
        verbose_name=_("Inspectors"), separator="、", orderable=False
    )
    focus = tables.Column(verbose_name=_("Focus"), orderable=False)
    n_findings = tables.Column(verbose_name=_("Findings"), attrs={"td": {"class": "text-end"}})
    n_open = tables.Column(verbose_name=_("To rectify"), attrs={"td": {"class": "text-end"}})
    created_by = tables.Column(
        verbose_name=_("Recorded by"), accessor="created_by__name", default="—"
    )

    class Meta(BaseTable.Meta):
        model = Inspection
        fields = ("date", "project", "inspectors", "focus", "n_findings", "n_open", "created_by")
        order_by = ("-date",)

    def render_focus(self, record):
        return "、".join(record.focus_labels())

    def value_focus(self, record):
        return self.render_focus(record)

    def render_n_open(self, value):
        if value:
            return format_html('<span class="badge bg-red-lt">{}</span>', value)
        return value


def _role_text(role) -> str:
    if not role.applicable:
        return "—"
    return gettext("%(done)d of %(times)d %(per)s") % {
        "done": role.done,
        "times": role.times,
        "per": role.per_label(),
    }


def _role_html(role):
    if not role.applicable:
        return format_html('<span class="text-secondary">{}</span>', gettext("not set"))
    css = "text-danger fw-bold" if role.short else "text-success"
    return format_html('<span class="{}">{}</span>', css, _role_text(role))


class ComplianceTable(BaseTable):
    """One row per project under construction (`operations.ProjectCompliance`)."""

    project = tables.Column(
        verbose_name=_("Project"),
        order_by=("project__code",),
        attrs=WRAP,
    )
    # Shown under the project's name on the page; their own columns in the Excel export.
    leader = tables.Column(
        verbose_name=_("Responsible leader"),
        accessor="project__responsible_leader",
        default="—",
        orderable=False,
        visible=False,
    )
    section = tables.Column(
        verbose_name=_("Lead section"),
        accessor="project__lead_section",
        default="—",
        orderable=False,
        visible=False,
    )
    leader_done = tables.Column(
        verbose_name=_("By the leader"), accessor="leader", orderable=False, empty_values=()
    )
    staff_done = tables.Column(
        verbose_name=_("By section staff"), accessor="staff", orderable=False, empty_values=()
    )
    status = tables.Column(
        verbose_name=_("Compliance"), accessor="under_inspected", empty_values=()
    )
    actions = tables.Column(
        verbose_name="", orderable=False, empty_values=(), exclude_from_export=True
    )

    class Meta(BaseTable.Meta):
        row_attrs = {"data-under-inspected": lambda record: "1" if record.under_inspected else "0"}

    def render_project(self, record):
        return _project_cell(record.project, "projects:project_detail")

    def value_project(self, record):
        return str(record.project)

    def render_leader_done(self, value):
        return _role_html(value)

    def value_leader_done(self, value):
        return _role_text(value)

    def render_staff_done(self, value):
        return _role_html(value)

    def value_staff_done(self, value):
        return _role_text(value)

    def render_status(self, record):
        if record.under_inspected:
            return format_html(
                '<span class="badge bg-red text-red-fg" data-testid="under-inspected">{}</span>',
                gettext("Under-inspected"),
            )
        return format_html('<span class="badge bg-green-lt">{}</span>', gettext("Met"))

    def value_status(self, record):
        return gettext("Under-inspected") if record.under_inspected else gettext("Met")

    def render_actions(self, record):
        pk = record.project.pk
        add, edit = gettext("Record an inspection"), gettext("Frequency")
        return format_html(
            '<div class="btn-list flex-nowrap">'
            '<a class="btn btn-sm btn-icon" href="{}" title="{}" aria-label="{}">'
            '<i class="ti ti-clipboard-plus"></i></a>'
            '<a class="btn btn-sm btn-icon" href="{}" title="{}" aria-label="{}">'
            '<i class="ti ti-adjustments"></i></a></div>',
            reverse("projects:inspection_add", args=[pk]),
            add,
            add,
            reverse("projects:requirement_edit", args=[pk]),
            edit,
            edit,
        )


class PipelineTable(BaseTable):
    """Next year's reserve and pre-construction projects (`operations.PipelineRow`)."""

    project = tables.Column(
        verbose_name=_("Project"),
        order_by=("project__code",),
        attrs=WRAP,
    )
    stage = tables.Column(
        verbose_name=_("Stage"),
        accessor="project__get_stage_display",
        orderable=False,
        visible=False,
    )
    planned_start = tables.DateColumn(
        verbose_name=_("Planned start"), accessor="project__planned_start", format="Y-m-d"
    )
    leader = tables.Column(
        verbose_name=_("Responsible leader"),
        accessor="project__responsible_leader",
        default="—",
        orderable=False,
        visible=False,
    )
    survey = tables.Column(
        verbose_name=_("Survey (摸底调查)"),
        accessor="project__survey_done_on",
        empty_values=(),
        orderable=False,
    )
    readiness = tables.Column(verbose_name=_("Readiness"), empty_values=())
    next_step = tables.Column(
        verbose_name=_("Next approval"), empty_values=(), orderable=False, attrs=WRAP
    )
    blockers = tables.Column(
        verbose_name=_("Blockers"), empty_values=(), orderable=False, attrs=WRAP
    )

    class Meta(BaseTable.Meta):
        row_attrs = {"data-project": lambda record: record.project.code}

    def render_project(self, record):
        return _project_cell(record.project, "projects:project_pipeline", stage=True)

    def value_project(self, record):
        return str(record.project)

    def render_survey(self, value):
        if value:
            return value.strftime("%Y-%m-%d")
        return format_html('<span class="text-warning">{}</span>', gettext("Not surveyed"))

    def value_survey(self, value):
        return value.strftime("%Y-%m-%d") if value else gettext("Not surveyed")

    def render_readiness(self, record):
        return format_html(
            '<div class="d-flex align-items-center gap-2" data-testid="readiness">'
            '<span>{}/{} · {}%</span><div class="progress progress-sm" style="width:5rem">'
            '<div class="progress-bar" style="width:{}%"></div></div></div>',
            record.done,
            record.total,
            _whole(record.readiness),
            _whole(record.readiness),
        )

    def value_readiness(self, record):
        return f"{record.done}/{record.total} {_whole(record.readiness)}%"

    def _next(self, record) -> str:
        step = record.next_step
        if step is None:
            return gettext("All obtained")
        return gettext("%(step)s by %(date)s") % {
            "step": step.get_kind_display(),
            "date": step.target_date.strftime("%Y-%m-%d"),
        }

    def render_next_step(self, record):
        step = record.next_step
        late = step is not None and step in record.late
        return format_html(
            '<span class="{}">{}</span>', "text-danger" if late else "", self._next(record)
        )

    def value_next_step(self, record):
        return self._next(record)

    def _blockers(self, record) -> list[str]:
        lines = [
            gettext("%(step)s blocked: %(why)s")
            % {"step": s.get_kind_display(), "why": s.blocker or "—"}
            for s in record.blocked
        ]
        lines += [
            gettext("%(step)s late since %(date)s")
            % {"step": s.get_kind_display(), "date": s.target_date.strftime("%Y-%m-%d")}
            for s in record.late
            if s not in record.blocked
        ]
        return lines

    def render_blockers(self, record):
        lines = self._blockers(record)
        if not lines:
            return "—"
        return format_html_join(
            "",
            '<div class="text-danger small" data-testid="blocker">{}</div>',
            ((line,) for line in lines),
        )

    def value_blockers(self, record):
        return "；".join(self._blockers(record))


def _project_cell(project, url_name: str, stage: bool = False):
    """The project's name as a link, with its stage and responsible leader in small print."""
    details = [str(project.responsible_leader or "—")]
    if stage:
        details.insert(0, project.get_stage_display())
    else:
        details.append(str(project.lead_section or "—"))
    return format_html(
        '<a href="{}">{}</a><div class="small text-secondary">{}</div>',
        reverse(url_name, args=[project.pk]),
        project,
        " · ".join(details),
    )


def _whole(value) -> str:
    return f"{value:.0f}"
