"""The change log: one append-only row per change of any audited row, and per login event."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.audit.choices import ChangeAction
from duban.core.querysets import ScopedQuerySet


class AppendOnlyError(Exception):
    pass


class ObjectChangeQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the change log is append-only")

    def delete(self):
        raise AppendOnlyError("the change log is append-only")

    def visible_to(self, user):
        """Only the auditor (审计员) reads the change log (三员分立)."""
        if user.is_authenticated and user.has_perm("audit.view_objectchange"):
            return self
        return self.none()

    def for_list(self):
        return self.select_related("content_type")


class ObjectChange(models.Model):
    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # No database constraint: the log outlives anything it mentions and must never be touched by a cascade.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)

    objects = ObjectChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change log")
        ordering = ["-time", "-id"]
        indexes = [
            # "what did this person do" and "what happened to this object" — the auditor's two questions.
            models.Index(fields=["user", "time"], name="audit_change_user_time"),
            models.Index(fields=["content_type", "object_id"], name="audit_change_object"),
            models.Index(fields=["action", "time"], name="audit_change_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.user_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("the change log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the change log is append-only")

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field label, before, after), labels and yes/no in the interface language."""
        before = self.before or {}
        after = self.after or {}
        model = self.content_type.model_class() if self.content_type_id else None
        labels = {}
        if model is not None:
            for field in model._meta.concrete_fields:
                labels[field.attname] = str(field.verbose_name)
        return [
            (labels.get(name, name), _display(before.get(name)), _display(after.get(name)))
            for name in sorted(set(before) | set(after))
        ]


def _display(value):
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return value
