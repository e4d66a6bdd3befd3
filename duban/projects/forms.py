from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.forms import StyledFormMixin, VersionedModelForm
from duban.org.forms import PeopleImportForm
from duban.org.models import Person, Section
from duban.projects import imports, services
from duban.projects.choices import Stage
from duban.projects.models import Activity, Project

PROJECT_FIELDS = [
    "code",
    "name",
    "type",
    "level",
    "planned_start",
    "deadline",
    "owner",
    "contractor",
    "supervisor",
    "designer",
    "address",
    "latitude",
    "longitude",
    "total_investment",
    "annual_investment",
    "plan_year",
    "funding_sources",
    "responsible_leader",
    "lead_section",
    "staff",
    "notes",
]


class ProjectForm(StyledFormMixin, VersionedModelForm):
    """A project's facts. Only code, name, planned start and mandated date are required; the unit is
    the editor's own; the stage changes through its gate, on the project page."""

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {
            "staff": forms.SelectMultiple(attrs={"size": 6}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "planned_start": forms.DateInput(),
            "deadline": forms.DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(is_active=True).select_related("section").order_by("name")
        self.fields["responsible_leader"].queryset = people
        self.fields["staff"].queryset = people
        self.fields["lead_section"].queryset = Section.objects.filter(
            archived_at__isnull=True
        ).order_by("sort_order", "id")

    def clean(self):
        cleaned = super().clean()
        for field, message in services.check_dates(
            cleaned.get("planned_start"), cleaned.get("deadline")
        ).items():
            self.add_error(field, message)
        return cleaned


class ProjectCreateForm(ProjectForm):
    """A new project may be entered at the stage it has reached (an existing project being recorded)."""

    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[(s.value, s.label) for s in Stage if s != Stage.SUSPENDED],
        initial=Stage.PRELIMINARY,
    )

    class Meta(ProjectForm.Meta):
        fields = [*PROJECT_FIELDS[:4], "stage", *PROJECT_FIELDS[4:]]


class StageChangeForm(StyledFormMixin, forms.Form):
    to_stage = forms.ChoiceField(label=_("Change to"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    override = forms.BooleanField(
        label=_("Advance without the gate (recorded as the director's decision)"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, project: Project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [
            (stage, Stage(stage).label) for stage in services.allowed_stages(project)
        ]
        self.fields["version"].initial = project.version
        if not user.has_perm("projects.override_gate"):
            del self.fields["override"]


class ActivityProgressForm(StyledFormMixin, VersionedModelForm):
    """Actual dates and % complete of one activity, inline on the plan page."""

    class Meta:
        model = Activity
        fields = ["actual_start", "actual_finish", "percent_complete"]
        widgets = {"actual_start": forms.DateInput(), "actual_finish": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate().isoformat()
        for name in ("actual_start", "actual_finish"):
            self.fields[name].widget.attrs["max"] = today
        # The inputs sit in the cells of the plan's table row; the <form> is in the row's last cell.
        for name, field in self.fields.items():
            attrs = field.widget.attrs
            attrs["form"] = f"progress-{self.instance.pk}"
            attrs["aria-label"] = str(field.label)
            attrs["class"] = f"{attrs.get('class', '')} form-control-sm".strip()
            attrs["style"] = "width: 5rem" if name == "percent_complete" else "width: 9rem"
        self.fields["percent_complete"].widget.attrs.update({"min": 0, "max": 100, "step": 1})

    def clean(self):
        cleaned = super().clean()
        for field, message in services.progress_problems(
            cleaned.get("actual_start"),
            cleaned.get("actual_finish"),
            cleaned.get("percent_complete"),
        ).items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


class PlanTextForm(StyledFormMixin, forms.Form):
    """The plan as text: pasted from a spreadsheet (tabs) or typed with | between the cells."""

    text = forms.CharField(
        label=_("Plan"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace", "spellcheck": "false"}),
        help_text=_(
            "One activity a line: code, name, duration (working days), predecessors (A1,B2+3,C4-2), "
            "finish by — separated by tabs as copied from Excel, or by |. Saving replaces the plan."
        ),
    )
    # The project's version when the editor opened: a plan changed meanwhile is not overwritten.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_text(self):
        text = self.cleaned_data["text"]
        report, rows = imports.parse_plan_text(text)
        if report.errors:
            raise forms.ValidationError(
                [
                    _("Line %(row)s, %(header)s: %(message)s")
                    % {"row": e["row"], "header": e["header"], "message": e["message"]}
                    for e in report.errors[:50]
                ]
            )
        if not rows:
            raise forms.ValidationError(_("The plan has no activity."))
        self.rows = [r.activity for r in rows]
        return text


class BaselineForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, initial=_("Approved plan"))
    document_number = forms.CharField(
        label=_("Approval document number"), max_length=100, required=False
    )
    approved_on = forms.DateField(label=_("Approved on"), widget=forms.DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_on"].initial = timezone.localdate()


class ProjectImportForm(PeopleImportForm):
    """An .xlsx file within the size limit (the same checks as every import)."""
