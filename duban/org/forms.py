from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.accounts.models import User
from duban.accounts.roles import BUSINESS_ROLES
from duban.core.forms import StyledFormMixin, VersionedModelForm
from duban.org import services
from duban.org.models import Person, Section, Unit


class UnitForm(StyledFormMixin, VersionedModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "code", "kind", "parent", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The code is part of every descendant's path; it is fixed once the unit exists.
            self.fields["code"].disabled = True
            self.fields["parent"].queryset = Unit.objects.exclude(
                path__startswith=self.instance.path
            )


class SectionForm(StyledFormMixin, VersionedModelForm):
    class Meta:
        model = Section
        fields = ["unit", "name", "phone", "duties", "sort_order"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Its people and history belong to the unit; a section never moves.
            self.fields["unit"].disabled = True


class PersonForm(StyledFormMixin, VersionedModelForm):
    class Meta:
        model = Person
        fields = ["name", "unit", "section", "position", "phone", "is_active", "user", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.active().select_related("unit")
        free = User.objects.filter(person__isnull=True, role__in=BUSINESS_ROLES)
        if self.instance.user_id:
            free = free | User.objects.filter(pk=self.instance.user_id)
        self.fields["user"].queryset = free.order_by("username")

    def save(self, commit: bool = True):
        person = super().save(commit=commit)
        if commit:
            services.sync_account(person)
        return person


class AssignLeaderForm(StyledFormMixin, forms.Form):
    leader = forms.ModelChoiceField(label=_("Leader in charge"), queryset=Person.objects.none())
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, section: Section, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        self.fields["leader"].queryset = Person.objects.filter(
            unit=section.unit, is_active=True
        ).order_by("sort_order", "id")
        self.initial.setdefault("start_date", timezone.localdate())


class PeopleImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "Use the template; the first sheet is read. Nothing is imported if any row has an error."
        ),
    )

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 10 MB)."))
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":  # an .xlsx is a zip file
            raise forms.ValidationError(_("This is not an Excel .xlsx file."))
        return upload
