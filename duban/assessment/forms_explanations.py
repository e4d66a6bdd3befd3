"""Forms of the deduction explanation (扣分说明) and the responsibility letter (目标责任书)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.accounts.roles import Role
from duban.assessment.choices import ExplanationStatus, LetterStatus
from duban.assessment.models import (
    DeductionExplanation,
    Indicator,
    Period,
    ResponsibilityLetter,
    Scheme,
)
from duban.core.forms import StyledFormMixin, VersionedModelForm
from duban.org.models import Person, Section
from duban.org.scoping import scope_for


def _period_label(period: Period) -> str:
    return f"{period.scheme.year} · {period.name}"


class ExplanationForm(StyledFormMixin, VersionedModelForm):
    """An explanation of an expected deduction, written by the indicator's lead section.

    Only indicators the user reports on can be chosen, and only periods of their scheme.
    """

    class Meta:
        model = DeductionExplanation
        fields = ["indicator", "period", "expected_deduction", "cause", "measures", "request"]
        widgets = {
            "cause": forms.Textarea(attrs={"rows": 5}),
            "measures": forms.Textarea(attrs={"rows": 5}),
            "request": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "cause": _("Why the points cannot be earned: the facts, not the effort."),
            "request": _(
                "For example: not to deduct, to deduct less, or to allow time to rectify."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A bonus or a veto has no deduction to explain.
        indicators = (
            Indicator.objects.reportable_by(user)
            .leaves()
            .active()
            .filter(is_bonus=False)
            .exclude(method="veto")
        )
        if self.instance.pk and self.instance.indicator_id:
            # The indicator already chosen stays selectable even if it moved to another section.
            indicators = indicators | Indicator.objects.filter(pk=self.instance.indicator_id)
        self.fields["indicator"].queryset = indicators.select_related("scheme").order_by(
            "-scheme__year", "sort_order", "code"
        )
        self.fields["period"].queryset = (
            Period.objects.filter(scheme__in=Scheme.objects.visible_to(user))
            .select_related("scheme")
            .order_by("-scheme__year", "end")
        )
        self.fields["period"].label_from_instance = _period_label
        if not self.instance.pk and not self.fields["indicator"].queryset.exists():
            self.fields["indicator"].help_text = _(
                "You report on no indicator: explanations are written by the indicator's lead section."
            )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.status != ExplanationStatus.DRAFT:
            raise forms.ValidationError(
                _("Only a draft explanation can be edited."), code="not_draft"
            )
        indicator, period = cleaned.get("indicator"), cleaned.get("period")
        if indicator and period and period.scheme_id != indicator.scheme_id:
            self.add_error("period", _("This period belongs to another scheme than the indicator."))
        return cleaned


class LetterForm(StyledFormMixin, VersionedModelForm):
    """A section's responsibility letter for a scheme year, set up by the supervision office.

    Left empty, the leader defaults to the section's current leader in charge and the indicators
    to the scheme's items the section leads; other indicators of the scheme may be added.
    """

    class Meta:
        model = ResponsibilityLetter
        fields = [
            "scheme",
            "section",
            "director",
            "leader",
            "indicators",
            "key_tasks",
            "signed_on",
            "status",
        ]
        widgets = {
            "indicators": forms.SelectMultiple(attrs={"size": 12}),
            "key_tasks": forms.Textarea(attrs={"rows": 6}),
            "signed_on": forms.DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        assessed = Scheme.objects.filter(units__in=scope.unit_ids).values("id")
        self.fields["scheme"].queryset = Scheme.objects.visible_to(user).filter(
            id__in=assessed, archived_at__isnull=True
        )
        self.fields["section"].queryset = Section.objects.visible_to(user).active()
        people = Person.objects.visible_to(user).filter(is_active=True).select_related("section")
        self.fields["director"].queryset = people
        self.fields["leader"].queryset = people
        self.fields["leader"].required = False
        self.fields["leader"].help_text = _(
            "Leave empty for the section's current leader in charge."
        )
        self.fields["indicators"].queryset = (
            Indicator.objects.visible_to(user)
            .leaves()
            .active()
            .select_related("scheme", "lead_section")
            .order_by("-scheme__year", "sort_order", "code")
        )
        self.fields["indicators"].help_text = _(
            "Leave empty for the scheme's indicators led by the section; others may be added."
        )
        self.fields["key_tasks"].help_text = _("One task per line.")
        if not self.instance.pk and "director" not in self.initial:
            director = people.filter(unit_id=scope.own_unit_id, user__role=Role.DIRECTOR).first()
            if director is not None:
                self.initial["director"] = director.pk

    def clean(self):
        cleaned = super().clean()
        scheme, section = cleaned.get("scheme"), cleaned.get("section")
        if scheme and section:
            taken = ResponsibilityLetter.objects.filter(scheme=scheme, section=section)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("section", _("This section already has a letter for this scheme."))
        if section and not cleaned.get("leader") and "leader" not in self.errors:
            leader = section.current_leader
            if leader is None:
                self.add_error(
                    "leader", _("This section has no leader in charge today; choose the leader.")
                )
            else:
                cleaned["leader"] = leader
        indicators = cleaned.get("indicators")
        if scheme and indicators is not None and "indicators" not in self.errors:
            foreign = [i for i in indicators if i.scheme_id != scheme.pk]
            if foreign:
                self.add_error(
                    "indicators",
                    _("These indicators belong to another scheme: %(names)s")
                    % {"names": "、".join(i.name for i in foreign)},
                )
            elif not indicators and section:
                cleaned["indicators"] = Indicator.objects.filter(
                    scheme=scheme, lead_section=section, archived_at__isnull=True
                ).exclude(method="")
        if cleaned.get("status") == LetterStatus.SIGNED and not cleaned.get("signed_on"):
            self.add_error("signed_on", _("Enter the date the letter was signed."))
        return cleaned
