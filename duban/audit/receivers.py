"""The one place signals are used: feeding the change log (STYLE.md: signals only for the change log)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from duban.audit import recorder
from duban.audit.choices import ChangeAction
from duban.core.models import Audited


@receiver(post_save)
def log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, Audited):
        return
    recorder.record_save(instance, created)


@receiver(post_delete)
def log_delete(sender, instance, **kwargs):
    if isinstance(instance, Audited):
        recorder.record_delete(instance)


@receiver(pre_save)
def keep_loaded_values(sender, instance, raw=False, **kwargs):
    # A row fetched with .only()/.defer() or built by hand has no loaded values; read them once so an
    # update still shows what it replaced.
    if raw or not isinstance(instance, Audited) or instance._state.adding:
        return
    if getattr(instance, "_audit_loaded", None) is None and instance.pk is not None:
        current = type(instance)._base_manager.filter(pk=instance.pk).values().first()
        instance._audit_loaded = current


@receiver(m2m_changed)
def log_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse or not isinstance(instance, Audited):
        return
    field = next(
        (f for f in type(instance)._meta.many_to_many if f.remote_field.through is sender), None
    )
    if field is None:
        return
    if action in ("pre_add", "pre_remove", "pre_clear"):
        instance._audit_m2m_before = list(
            getattr(instance, field.name).values_list("pk", flat=True)
        )
    elif action in ("post_add", "post_remove", "post_clear"):
        before = getattr(instance, "_audit_m2m_before", [])
        after = list(getattr(instance, field.name).values_list("pk", flat=True))
        recorder.record_m2m(instance, field.name, before, after)


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    recorder.record(ChangeAction.LOGIN, user, user=user)


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        recorder.record(ChangeAction.LOGOUT, user, user=user)


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    recorder.record(ChangeAction.LOGIN_FAILED, None, user_name=username, object_repr=username)
