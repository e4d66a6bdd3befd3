"""Forms of the task pages: the registration/edit form, the workflow actions on the task page, and the
unit's escalation policy. Forms validate; the services in `services.py` decide and change state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.assessment.models import Indicator
from duban.core.exceptions import BusinessRuleError
from duban.core.forms import StyledFormMixin, VersionedModelForm
from duban.org.models import Person, Section
from duban.projects.forms_operations import MultipleFileField
from duban.projects.models import Project
from duban.supervision import services
from duban.supervision.models import Policy, Task

TASK_FIELDS = [
    "title",
    "content",
    "source",
    "source_ref",
    "indicator",
    "project",
    "lead_section",
    "cooperating_sections",
    "owner",
    "responsible_leader",
    "important",
    "urgent",
    "assigned_on",
    "deadline",
    "deadline_workdays",
    "feedback_cycle",
    "feedback_weekday",
]

EVIDENCE_HELP = _("PDF, OFD, Word, Excel or photos; each file is filed once in the evidence store.")


class TaskForm(StyledFormMixin, VersionedModelForm):
    """A supervised task's facts. On a new task the deadline is a date or N working days from the day
    of assignment; once registered the deadline moves only through an approved extension."""

    class Meta:
        model = Task
        fields = TASK_FIELDS
        widgets = {
            "content": forms.Textarea(attrs={"rows": 4}),
            "assigned_on": forms.DateInput(),
            "deadline": forms.DateInput(),
            "cooperating_sections": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, unit_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        unit_id = unit_id or self.instance.unit_id
        sections = Section.objects.filter(unit_id=unit_id, archived_at__isnull=True).order_by(
            "sort_order", "id"
        )
        people = (
            Person.objects.filter(unit_id=unit_id, is_active=True)
            .select_related("section")
            .order_by("section__sort_order", "name")
        )
        self.fields["lead_section"].queryset = sections
        self.fields["cooperating_sections"].queryset = sections
        self.fields["owner"].queryset = people
        self.fields["responsible_leader"].queryset = people
        self.fields["responsible_leader"].help_text = _(
            "Leave empty for the leader in charge of the lead section."
        )
        self.fields["indicator"].queryset = Indicator.objects.select_related("scheme").order_by(
            "scheme_id", "code"
        )
        self.fields["project"].queryset = Project.objects.filter(
            unit_id=unit_id, archived_at__isnull=True
        ).order_by("code")
        self.fields["deadline"].required = False
        self.fields["deadline"].help_text = _(
            "A date, or fill in the number of working days below. A date in the past is accepted "
            "(an item registered late) and the task is overdue at once."
        )
        self.fields["deadline_workdays"].widget.attrs.update({"min": 1, "max": 999})
        if self.instance.pk is not None:
            # The deadline moves only through an extension request, approved on the task page.
            for name in ("deadline", "deadline_workdays", "assigned_on"):
                self.fields[name].disabled = True
            self.fields["deadline"].help_text = _(
                "The deadline changes only through an approved extension request."
            )
            self.fields["deadline_workdays"].help_text = ""
            self.fields["assigned_on"].help_text = ""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            return cleaned
        deadline = cleaned.get("deadline")
        workdays = cleaned.get("deadline_workdays")
        assigned = cleaned.get("assigned_on")
        if "deadline" in self.errors or "deadline_workdays" in self.errors:
            return cleaned
        if deadline and workdays:
            self.add_error(
                "deadline_workdays",
                _("Give either a deadline date or a number of working days, not both."),
            )
        elif not deadline and not workdays:
            self.add_error(
                "deadline",
                _("Give the deadline: a date, or a number of working days from the assignment."),
            )
        elif workdays and assigned:
            # Filled in here so the model's own checks see the real deadline; the service agrees.
            try:
                cleaned["deadline"] = services.deadline_from_workdays(assigned, workdays)
            except BusinessRuleError as error:
                self.add_error(error.field, error.message)
                return cleaned
            self.instance.deadline = cleaned["deadline"]
        return cleaned

    def _post_clean(self):
        if self.instance.pk is None and self.cleaned_data.get("deadline"):
            self.instance.deadline = self.cleaned_data["deadline"]
        super()._post_clean()


# --- the workflow actions on the task page ----------------------------------------------------------


def _radios(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect):
            field.widget.attrs["class"] = "form-check-input"


class _ActionForm(StyledFormMixin, forms.Form):
    """Every action carries the task's version, so acting on a page that is out of date is refused."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": _("The form is missing its version; reload the page.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _radios(self)


class AcceptForm(_ActionForm):
    pass


class ProgressForm(_ActionForm):
    text = forms.CharField(
        label=_("Progress"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    percent = forms.IntegerField(
        label=_("Percent complete"), min_value=0, max_value=100, required=False
    )
    files = MultipleFileField(label=_("Evidence files"), help_text=EVIDENCE_HELP)


class ExtensionForm(_ActionForm):
    new_deadline = forms.DateField(label=_("New deadline"), widget=forms.DateInput())
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_new_deadline(self):
        value = self.cleaned_data["new_deadline"]
        if not 2000 <= value.year <= 2100:
            raise forms.ValidationError(_("Enter a date between 2000 and 2100."))
        return value


class SubmitForm(_ActionForm):
    result = forms.CharField(
        label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField(label=_("Evidence files"), help_text=EVIDENCE_HELP)


APPROVE, RETURN = "approve", "return"


class ReviewForm(_ActionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (APPROVE, _("Approve: the task is completed")),
            (RETURN, _("Return for more work")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when returning: say what is missing."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == RETURN and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say what is missing."))
        return cleaned


class ExtensionDecideForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve the new deadline")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _radios(self)


class StopForm(_ActionForm):
    reason = forms.CharField(label=_("Reason for stopping"), max_length=300)


class CoordinateForm(_ActionForm):
    note = forms.CharField(
        label=_("What the director should coordinate"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InstructForm(_ActionForm):
    instruction = forms.CharField(
        label=_("The director's instruction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TaskProblemForm(_ActionForm):
    title = forms.CharField(label=_("Problem"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- the unit's escalation policy ---------------------------------------------------------------------

POLICY_FIELDS = [
    "number_prefix",
    "warn_before",
    "leader_overdue",
    "leader_feedback_overdue",
    "leader_problem_open",
    "leader_on_second_extension",
    "director_overdue",
    "director_level1_open",
    "problem_leader_after",
    "problem_director_after",
]


class PolicyForm(StyledFormMixin, VersionedModelForm):
    class Meta:
        model = Policy
        fields = POLICY_FIELDS

    def __init__(self, *args, read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in POLICY_FIELDS:
            field = self.fields[name]
            default = Policy._meta.get_field(name).default
            if isinstance(default, bool):
                shown = _("yes") if default else _("no")
            else:
                shown = default
            field.help_text = _("Default: %(value)s") % {"value": shown}
            if read_only:
                field.disabled = True
        self.fields["number_prefix"].widget.attrs["placeholder"] = "督办"

    def clean_number_prefix(self):
        value = (self.cleaned_data.get("number_prefix") or "").strip()
        if not value:
            raise forms.ValidationError(_("Enter the number prefix, e.g. 督办."))
        if any(ch in value for ch in "〔〕[]"):
            raise forms.ValidationError(
                _("The prefix is the word before the year, without brackets.")
            )
        return value
