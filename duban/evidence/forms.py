from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import StyledFormMixin
from duban.evidence.services import writable_sections
from duban.org.models import Section
from duban.org.scoping import scope_for

FILE_HELP = _(
    "PDF, OFD, Word, Excel or an image, at most 50 MB. The kind is checked from the content. "
    "A file already in the library is not stored twice."
)


class ServiceErrorsMixin:
    """Errors the upload service finds (after `is_valid`) show red at their field like the others."""

    def add_error(self, field, error):
        super().add_error(field, error)
        if field in self.fields:
            widget = self.fields[field].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class DocumentUploadForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the file name."),
    )
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    file = forms.FileField(label=_("File"), help_text=FILE_HELP)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sections = writable_sections(user)
        field = self.fields["section"]
        field.queryset = sections
        # Staff file under their own section; the director and the office may file unit-wide.
        field.required = not scope_for(user).unit_wide
        if field.required and len(sections) == 1:
            field.initial = sections[0].pk


class VersionUploadForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("File"), help_text=FILE_HELP)
    note = forms.CharField(
        label=_("What changed"),
        max_length=200,
        required=False,
    )
