"""Form helpers: Tabler styling and the version check every edit form carries."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.exceptions import StaleEditError


def style_fields(fields) -> None:
    for field in fields:
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"  # RadioSelect includes CheckboxSelectMultiple
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        elif isinstance(widget, forms.HiddenInput):
            continue
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"


DASHES = "---------"  # Django's empty choice; people read 请选择


def word_empty_choices(fields) -> None:
    for field in fields:
        if getattr(field, "empty_label", None) == DASHES:
            field.empty_label = _("Choose…")
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = list(field.choices)
            if choices and choices[0] == ("", DASHES):
                field.choices = [("", _("Choose…")), *choices[1:]]


class StyledFormMixin:
    """Adds Tabler/Bootstrap classes so every form looks the same without per-template work."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())
        word_empty_choices(self.fields.values())

    def full_clean(self):
        super().full_clean()
        # Mark fields in error so Tabler shows them red, next to their message.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class VersionedModelForm(forms.ModelForm):
    """Carries the row's version in a hidden field; saving from a stale copy is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        posted = cleaned.get("version")
        if self.instance.pk is not None:
            if posted is None:
                raise forms.ValidationError(_("The form is missing its version; reload the page."))
            if posted != self.instance.version:
                raise forms.ValidationError(StaleEditError.message, code="stale")
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        posted = self.cleaned_data.get("version") if hasattr(self, "cleaned_data") else None
        if self.instance.pk is not None and posted is not None:
            # The UPDATE is conditional on this version, so a save racing another one is refused too.
            self.instance.version = posted


class ArchiveForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)
