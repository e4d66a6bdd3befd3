from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import StyledFormMixin, VersionedModelForm
from duban.notifications.kinds import KINDS
from duban.notifications.models import Channel, Preference


class PreferenceForm(StyledFormMixin, VersionedModelForm):
    muted_kinds = forms.MultipleChoiceField(
        label=_("Kept in the inbox only"),
        choices=list(KINDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("These kinds of message are neither e-mailed nor sent to robots."),
    )

    class Meta:
        model = Preference
        fields = ["email", "wecom", "dingtalk", "quiet_start", "quiet_end", "digest", "muted_kinds"]
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "quiet_start": _(
                "Non-urgent messages wait until the quiet hours end (e.g. 22:00 to 07:30)."
            ),
        }

    def clean_email(self):
        wanted = self.cleaned_data.get("email")
        if wanted and not self.instance.user.email:
            raise forms.ValidationError(
                _("Your account has no e-mail address; ask the system administrator to add one.")
            )
        return wanted


class ChannelForm(StyledFormMixin, VersionedModelForm):
    """Credentials are write-only: the page never shows them, and an empty field keeps them."""

    base_url = forms.URLField(
        label=_("server address"),
        max_length=200,
        required=False,
        assume_scheme="https",
        help_text=_(
            "Leave empty for the public service; set it for a government deployment (e.g. 浙政钉)."
        ),
    )
    key = forms.CharField(
        label=_("key or access token"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("WeCom: the key in the webhook address; DingTalk: the access_token."),
    )
    secret = forms.CharField(
        label=_("signing secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("DingTalk 加签 secret (starts with SEC); leave empty if not used."),
    )
    clear_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)

    class Meta:
        model = Channel
        fields = ["name", "kind", "base_url", "key", "secret", "unit", "section", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["key"].help_text = _("Leave empty to keep the current one.")
            self.fields["secret"].help_text = _("Leave empty to keep the current one.")
        else:
            del self.fields["clear_secret"]

    def clean_key(self):
        key = self.cleaned_data.get("key", "").strip()
        if not key:
            if self.instance.pk is None or not self.instance.key:
                raise forms.ValidationError(_("Enter the robot's key or access token."))
            return self.instance.key
        return key

    def clean_secret(self):
        secret = self.cleaned_data.get("secret", "").strip()
        if self.data.get(self.add_prefix("clear_secret")):
            return ""
        return secret or (self.instance.secret if self.instance.pk else "")
