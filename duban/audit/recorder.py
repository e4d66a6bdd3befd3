"""Writes change-log rows. Called by the one set of signal receivers and by the login service."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from duban.audit.choices import ChangeAction
from duban.audit.context import current_context
from duban.audit.models import ObjectChange

MASKED = "******"
# Fields whose values never reach the log, and fields whose change alone is not worth a row.
SECRET_FIELDS = {"password", "key", "secret"}
NOISE_FIELDS = {"last_login", "updated_at", "version"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or None
    return value


def snapshot_from_values(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    return {
        field.attname: _plain(values[field.attname])
        for field in model._meta.concrete_fields
        if field.attname in values
    }


def masked(values: dict[str, Any]) -> dict[str, Any]:
    """A secret that changed shows as changed, but its value never reaches the log."""
    return {name: MASKED if name in SECRET_FIELDS else value for name, value in values.items()}


def snapshot(instance: models.Model) -> dict[str, Any]:
    values = {
        f.attname: f.value_from_object(instance)
        for f in instance._meta.concrete_fields
        if f.attname not in instance.get_deferred_fields()
    }
    return snapshot_from_values(type(instance), values)


def loaded_snapshot(instance: models.Model) -> dict[str, Any] | None:
    loaded = getattr(instance, "_audit_loaded", None)
    if loaded is None:
        return None
    return snapshot_from_values(type(instance), loaded)


def record(
    action: str,
    instance: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    user: Any = None,
    user_name: str = "",
    object_repr: str = "",
) -> ObjectChange:
    context = current_context()
    actor = user if user is not None else context.acting_user()
    change = ObjectChange(
        action=action,
        user=actor if actor is not None and getattr(actor, "pk", None) else None,
        user_name=user_name or (actor.get_username() if actor is not None else ""),
        ip=context.ip,
        request_id=context.request_id,
        source=context.source,
        before=before,
        after=after,
    )
    if instance is not None:
        change.content_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
        change.object_id = str(instance.pk)
        change.object_repr = (object_repr or str(instance))[:200]
    else:
        change.object_repr = object_repr[:200]
    change.save()
    return change


def record_save(instance: models.Model, created: bool) -> None:
    after = snapshot(instance)
    if created:
        record(ChangeAction.CREATE, instance, before=None, after=masked(after))
    else:
        before = loaded_snapshot(instance) or {}
        changed = {
            name for name, value in after.items() if name in before and before[name] != value
        } - NOISE_FIELDS
        if not changed:
            _remember(instance)
            return
        record(
            ChangeAction.UPDATE,
            instance,
            before=masked({name: before[name] for name in sorted(changed)}),
            after=masked({name: after[name] for name in sorted(changed)}),
        )
    _remember(instance)


def record_m2m(instance: models.Model, field_name: str, before_ids: list, after_ids: list) -> None:
    if sorted(before_ids) == sorted(after_ids):
        return
    record(
        ChangeAction.UPDATE,
        instance,
        before={field_name: sorted(before_ids)},
        after={field_name: sorted(after_ids)},
    )


def record_delete(instance: models.Model) -> None:
    record(ChangeAction.DELETE, instance, before=masked(snapshot(instance)), after=None)


def _remember(instance: models.Model) -> None:
    """After a save the instance's current values become its new 'before'."""
    instance._audit_loaded = {
        f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields
    }
