"""Login policy: failures counted in the database, lockout, unlock. Shared by every app server."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from duban.accounts.models import Lockout, LoginFailure, User
from duban.audit import recorder
from duban.audit.choices import ChangeAction


def lockout_in_force(username: str, now: dt.datetime | None = None) -> Lockout | None:
    return Lockout.objects.in_force(now).filter(username=username).order_by("-until").first()


def _last_success(username: str) -> dt.datetime | None:
    return User.objects.filter(username=username).values_list("last_login", flat=True).first()


@transaction.atomic
def register_failure(
    username: str, ip: str | None, now: dt.datetime | None = None
) -> Lockout | None:
    """Record a failed login; lock the name when the limit is reached within the window."""
    now = now or timezone.now()
    LoginFailure.objects.create(username=username, ip=ip, at=now)
    window_start = now - dt.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    last_success = _last_success(username)
    if last_success and last_success > window_start:
        window_start = last_success
    recent_lockout = (
        Lockout.objects.filter(username=username, locked_at__gt=window_start)
        .order_by("-locked_at")
        .first()
    )
    if recent_lockout:
        # Failures before an earlier lockout (or its unlock) do not count again.
        window_start = max(window_start, recent_lockout.unlocked_at or recent_lockout.until)
    failures = LoginFailure.objects.filter(username=username, at__gt=window_start).count()
    if failures < settings.LOGIN_FAILURE_LIMIT:
        return None
    lockout = Lockout.objects.create(
        username=username,
        locked_at=now,
        until=now + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES),
    )
    recorder.record(ChangeAction.LOCKOUT, lockout, user_name=username, object_repr=username)
    return lockout


@transaction.atomic
def unlock(lockout: Lockout, by: User) -> None:
    lockout.unlocked_at = timezone.now()
    lockout.unlocked_by = by
    lockout.save(update_fields=["unlocked_at", "unlocked_by"])
    recorder.record(ChangeAction.UNLOCK, lockout, object_repr=lockout.username)
