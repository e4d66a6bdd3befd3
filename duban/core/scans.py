"""The periodic scan (`duban tick`): every job here is idempotent, so running it twice changes nothing.

Modules add their scans (escalation, reminders, overdue hazards) to SCANS, in order.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

SCANS: list[str] = [
    "duban.core.scans.clear_expired_sessions",
    "duban.core.scans.clear_old_login_failures",
    "duban.supervision.escalation.scan",
    "duban.supervision.reminders.talk_follow_ups",
    "duban.assessment.reminders.report_deadlines",
    "duban.notifications.delivery.deliver_due",
    "duban.notifications.delivery.daily_digest",
]
LOGIN_FAILURE_RETENTION_DAYS = 30


def clear_expired_sessions(now: dt.datetime) -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    return deleted


def clear_old_login_failures(now: dt.datetime) -> int:
    """Failure counters matter for 15 minutes; the change log keeps every failed login for audit."""
    from duban.accounts.models import LoginFailure

    cutoff = now - dt.timedelta(days=LOGIN_FAILURE_RETENTION_DAYS)
    deleted, _ = LoginFailure.objects.filter(at__lt=cutoff).delete()
    return deleted


def run_all(now: dt.datetime | None = None) -> dict[str, object]:
    now = now or timezone.now()
    results: dict[str, object] = {}
    for path in SCANS:
        try:
            results[path.rsplit(".", 1)[1]] = import_string(path)(now)
        except Exception:
            # One failing scan must not stop the others; the next tick tries again.
            logger.exception("scan %s failed", path)
            results[path.rsplit(".", 1)[1]] = "error"
    return results
