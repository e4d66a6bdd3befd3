from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import StyledFormMixin


class DayRangeForm(StyledFormMixin, forms.Form):
    KIND_CHOICES = [
        ("off", _("Days off (holiday)")),
        ("work", _("Make-up working days (调休上班)")),
    ]

    start = forms.DateField(label=_("First day"), widget=forms.DateInput)
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES)
    name = forms.CharField(
        label=_("Holiday name"), max_length=50, help_text=_("For example 春节 or 春节调休上班.")
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day is before the first day."))
        return cleaned


class YearCompleteForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=1900, max_value=2200)
    month = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=12, required=False)
    complete = forms.BooleanField(
        label=_("The official arrangement for this year is fully entered"), required=False
    )
    source = forms.CharField(
        label=_("Source document"),
        max_length=200,
        required=False,
        help_text=_("For example the State Council notice number."),
    )


class VoidForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
