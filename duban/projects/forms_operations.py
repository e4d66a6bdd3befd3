"""Forms of a project's operations: monthly reports, site inspections and findings (made for a phone
on site), inspection frequency, close-out, acceptance items and pre-construction approvals."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.filtersets import ScopedFilterSet
from duban.core.forms import StyledFormMixin, VersionedModelForm
from duban.org.models import Person
from duban.projects.choices import (
    FindingStatus,
    FrequencyPeriod,
    InspectionFocus,
    InspectorRole,
    PrepStatus,
)
from duban.projects.models import (
    AcceptanceItem,
    Closeout,
    Finding,
    Inspection,
    MonthlyReport,
    PrepStep,
    Project,
)

PHOTO_HELP = _("Take a photo with the phone's camera, or choose pictures (JPEG, PNG …).")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when nothing was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files]

    def has_changed(self, initial, data):
        return bool(data)


def photo_field(label=None) -> MultipleFileField:
    # capture="environment" opens the back camera on a phone; a computer shows the file chooser.
    return MultipleFileField(
        label=label or _("Photos"),
        help_text=PHOTO_HELP,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class MonthInput(forms.TextInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, dt.date):
            return value.strftime("%Y-%m")
        return super().format_value(value)


class MonthField(forms.DateField):
    """A month typed as 2026-05 (the browser's month picker); cleans to its first day."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


def _not_future(value: dt.date | None) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."), code="future")


# --- Monthly report ---------------------------------------------------------------------------


class MonthlyReportForm(StyledFormMixin, VersionedModelForm):
    month = MonthField(label=_("Month"))

    class Meta:
        model = MonthlyReport
        fields = ["month", "investment", "image_progress", "problems", "next_steps"]
        widgets = {
            "image_progress": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        if self.instance.pk:
            self.fields["month"].disabled = True

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("A month still to come cannot be reported."))
        taken = MonthlyReport.objects.filter(project=self.project, month=month)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("This month is already reported; open it from the list below to change it.")
            )
        return month


# --- Site inspection (on a phone) -------------------------------------------------------------


def _big(fields) -> None:
    """Large inputs for a thumb on a phone screen."""
    for field in fields:
        widget = field.widget
        css = widget.attrs.get("class", "")
        if "form-control" in css.split():
            widget.attrs["class"] = f"{css} form-control-lg"
        elif "form-select" in css.split():
            widget.attrs["class"] = f"{css} form-select-lg"


class InspectionForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput())
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Inspectors"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    focus = forms.MultipleChoiceField(
        label=_("Focus"), choices=InspectionFocus.choices, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, project: Project, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.visible_to(user).filter(is_active=True)
        near = Q(projects=project) | Q(user=user)
        if project.responsible_leader_id:
            near |= Q(pk=project.responsible_leader_id)
        if project.lead_section_id:
            near |= Q(section=project.lead_section_id)
        self.fields["inspectors"].queryset = (
            people.filter(near).distinct().select_related("section").order_by("sort_order", "id")
        )
        self.fields["inspectors"].help_text = _(
            "The responsible leader, the project's staff and the lead section's people."
        )
        for name in ("inspectors", "focus"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            me = people.filter(user=user).values_list("pk", flat=True).first()
            if me:
                self.initial.setdefault("inspectors", [me])
        _big(self.fields.values())

    def clean_date(self):
        value = self.cleaned_data["date"]
        _not_future(value)
        return value


class FindingForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Choose …")), *InspectionFocus.choices]
    )
    description = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Rectify by"), required=False, widget=forms.DateInput())
    photos = photo_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _big(self.fields.values())


FindingFormSet = forms.formset_factory(
    FindingForm, extra=1, max_num=30, validate_max=True, can_delete=False
)


class RectifyForm(StyledFormMixin, forms.Form):
    rectification = forms.CharField(
        label=_("How it was rectified"), widget=forms.Textarea(attrs={"rows": 4})
    )
    rectified_on = forms.DateField(label=_("Rectified on"), widget=forms.DateInput())
    photos = photo_field(_("Photos after rectification"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("rectified_on", timezone.localdate())
        _big(self.fields.values())


class VerifyForm(StyledFormMixin, forms.Form):
    PASS, FAIL = "pass", "fail"
    decision = forms.ChoiceField(
        label=_("Result of the re-check"),
        choices=[
            (PASS, _("Rectified: close the finding")),
            (FAIL, _("Not rectified: send it back")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Why it is not accepted"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = "form-check-input"
        _big(self.fields.values())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.FAIL and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why the rectification is not accepted."))
        return cleaned


class RequirementForm(StyledFormMixin, forms.Form):
    """The two frequencies of a project: the responsible leader's and the section staff's."""

    leader_times = forms.IntegerField(label=_("Times"), min_value=1, max_value=31)
    leader_per = forms.ChoiceField(label=_("Per"), choices=FrequencyPeriod.choices)
    leader_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    staff_times = forms.IntegerField(label=_("Times"), min_value=1, max_value=31)
    staff_per = forms.ChoiceField(label=_("Per"), choices=FrequencyPeriod.choices)
    staff_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    ROLES = (InspectorRole.LEADER, InspectorRole.STAFF)

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        for role in self.ROLES:
            requirement = requirements[role]
            self.initial.setdefault(f"{role}_times", requirement.times)
            self.initial.setdefault(f"{role}_per", requirement.per)
            self.initial.setdefault(
                f"{role}_version", requirement.version if requirement.pk else None
            )

    def values(self) -> dict[str, dict]:
        return {
            role: {
                "times": self.cleaned_data[f"{role}_times"],
                "per": self.cleaned_data[f"{role}_per"],
                "version": self.cleaned_data.get(f"{role}_version"),
            }
            for role in self.ROLES
        }

    def role_fields(self):
        return [
            (InspectorRole(role).label, self[f"{role}_times"], self[f"{role}_per"])
            for role in self.ROLES
        ]


# --- Close-out and acceptance ------------------------------------------------------------------


class CloseoutForm(StyledFormMixin, VersionedModelForm):
    class Meta:
        model = Closeout
        fields = [
            "completed_on",
            "accepted_on",
            "filed_on",
            "contract_amount",
            "settlement_submitted_on",
            "settlement_amount",
            "audited_amount",
            "settled_on",
            "final_accounts_on",
            "handed_over_on",
            "receiving_unit",
        ]
        widgets = {
            name: forms.DateInput()
            for name in (
                "completed_on",
                "accepted_on",
                "filed_on",
                "settlement_submitted_on",
                "settled_on",
                "final_accounts_on",
                "handed_over_on",
            )
        }

    ORDER = (
        # (later, earlier, message)
        ("accepted_on", "completed_on", _("The acceptance cannot come before completion.")),
        ("filed_on", "accepted_on", _("The filing cannot come before the acceptance.")),
        (
            "settled_on",
            "settlement_submitted_on",
            _("The review cannot finish before the settlement was submitted."),
        ),
        (
            "final_accounts_on",
            "completed_on",
            _("The final accounts cannot come before completion."),
        ),
        ("handed_over_on", "completed_on", _("The hand-over cannot come before completion.")),
    )

    def clean(self):
        cleaned = super().clean()
        for name in self.Meta.widgets:
            try:
                _not_future(cleaned.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
        for later, earlier, message in self.ORDER:
            if cleaned.get(later) and cleaned.get(earlier) and cleaned[later] < cleaned[earlier]:
                self.add_error(later, message)
        if cleaned.get("audited_amount") is not None and cleaned.get("settlement_amount") is None:
            self.add_error("settlement_amount", _("Enter the amount submitted for review."))
        if cleaned.get("settled_on") and cleaned.get("audited_amount") is None:
            self.add_error("audited_amount", _("Enter the audited amount."))
        if cleaned.get("handed_over_on") and not cleaned.get("receiving_unit", "").strip():
            self.add_error("receiving_unit", _("Enter the unit that received the project."))
        return cleaned


class AcceptanceItemForm(StyledFormMixin, VersionedModelForm):
    files = MultipleFileField(
        label=_("Documents"),
        help_text=_("The acceptance certificate or opinion (PDF, OFD, Word or a photo)."),
    )

    class Meta:
        model = AcceptanceItem
        fields = ["required", "done_on", "note"]
        widgets = {"done_on": forms.DateInput()}

    def clean_done_on(self):
        value = self.cleaned_data["done_on"]
        _not_future(value)
        return value


# --- Pre-construction approvals ---------------------------------------------------------------


class PrepStepForm(StyledFormMixin, VersionedModelForm):
    class Meta:
        model = PrepStep
        fields = ["status", "document_number", "done_on", "person", "duration", "blocker"]
        widgets = {"done_on": forms.DateInput()}

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        try:
            _not_future(cleaned.get("done_on"))
        except forms.ValidationError as error:
            self.add_error("done_on", error)
        if status == PrepStatus.DONE and not cleaned.get("done_on"):
            self.add_error("done_on", _("Enter the date the approval was obtained."))
        if status != PrepStatus.DONE and cleaned.get("done_on"):
            self.add_error("status", _("An approval with a date is done: set its status to done."))
        if status == PrepStatus.BLOCKED and not cleaned.get("blocker", "").strip():
            self.add_error("blocker", _("Say what blocks it."))
        return cleaned


class SurveyForm(StyledFormMixin, VersionedModelForm):
    class Meta:
        model = Project
        fields = ["survey_done_on", "survey_notes"]
        widgets = {
            "survey_done_on": forms.DateInput(),
            "survey_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_survey_done_on(self):
        value = self.cleaned_data["survey_done_on"]
        _not_future(value)
        return value


# --- Inspection list filters -------------------------------------------------------------------


class InspectionFilterSet(ScopedFilterSet):
    project = django_filters.ModelChoiceFilter(
        label=_("Project"),
        queryset=Project.objects.filter(archived_at__isnull=True).order_by("code"),
    )
    inspector = django_filters.ModelChoiceFilter(
        label=_("Inspector"),
        field_name="inspectors",
        queryset=Person.objects.filter(inspections__isnull=False).distinct().order_by("name"),
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=forms.DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="date", lookup_expr="lte", widget=forms.DateInput()
    )
    open_findings = django_filters.BooleanFilter(
        label=_("With findings to rectify"), method="filter_open"
    )

    class Meta:
        model = Inspection
        fields = ["project", "inspector", "date_from", "date_to", "open_findings"]

    def filter_open(self, queryset, name, value):
        open_ids = Finding.objects.filter(status=FindingStatus.OPEN).values("inspection_id")
        return queryset.filter(id__in=open_ids) if value else queryset.exclude(id__in=open_ids)
