from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from duban.accounts import services
from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.audit import recorder
from duban.audit.choices import ChangeAction
from duban.audit.middleware import client_ip
from duban.core.forms import StyledFormMixin, VersionedModelForm


class LoginForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    invalid_message = _("Incorrect user name or password.")
    locked_message = _(
        "Too many failed attempts: this account is locked for %(minutes)d minutes. "
        "Try again later or ask the security administrator to unlock it."
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user_cache: User | None = None
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autofocus": True, "autocomplete": "username"})
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        locked = self.locked_message % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}
        if services.lockout_in_force(username):
            # No password check while locked, but the attempt itself belongs in the log.
            recorder.record(
                ChangeAction.LOGIN_FAILED, None, user_name=username, object_repr=username
            )
            raise forms.ValidationError(locked, code="locked")
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            if services.register_failure(username, client_ip(self.request)):
                raise forms.ValidationError(locked, code="locked")
            raise forms.ValidationError(self.invalid_message, code="invalid_login")
        return self.cleaned_data

    def get_user(self) -> User | None:
        return self.user_cache


class PasswordChangeForm(StyledFormMixin, DjangoPasswordChangeForm):
    pass


class UserForm(StyledFormMixin, VersionedModelForm):
    """The system administrator's account form. One role per account enforces 三员分立."""

    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=True),
        help_text=_("Required for a new account; leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ["username", "name", "role", "email", "is_active"]

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if not password:
            if self.instance.pk is None:
                raise forms.ValidationError(_("A new account needs an initial password."))
            return password
        validate_password(password, self.instance)
        return password

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role not in Role.values:
            raise forms.ValidationError(_("Unknown role."))
        return role

    def save(self, commit: bool = True):
        user = super().save(commit=False)
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user
