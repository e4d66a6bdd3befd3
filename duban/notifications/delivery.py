"""The worker side: claim due deliveries, respect quiet hours and robot limits, send, retry.

Both functions are periodic scans (`core.scans.SCANS`) and idempotent: a delivery is claimed by a
conditional UPDATE before it is sent, so two workers never send one row; a digest is claimed by
its unique (user, date) row, so it goes out once a day.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.notifications import senders
from duban.notifications.choices import DeliveryChannel, DeliveryStatus
from duban.notifications.models import Channel, Delivery, Digest, Notification, Preference
from duban.notifications.policy import backoff, quiet_until

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
STALE_CLAIM = dt.timedelta(minutes=10)  # a worker that died mid-send: its row is taken over
BATCH_BUDGET = dt.timedelta(minutes=5)  # each send times out after 10 s, so a claim stays fresh
BATCH = 200
ROBOT_MESSAGES_PER_MINUTE = 20
RATE_WINDOW = dt.timedelta(seconds=60)
# How long a robot that answered "too fast" stays quiet (domain.md §6: ~65 s WeCom, 10 min DingTalk).
RATE_LIMIT_PAUSE = {
    senders.WECOM_RATE_LIMITED: dt.timedelta(seconds=65),
    senders.DINGTALK_RATE_LIMITED: dt.timedelta(minutes=10),
}
DIGEST_ITEMS = 30


def _due(now: dt.datetime) -> Q:
    return Q(
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.DEFERRED], next_attempt_at__lte=now
    ) | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)


def claim(delivery_id: int, now: dt.datetime) -> bool:
    """Take one due row for sending; False when another worker has it (or it is not due)."""
    claimed = Delivery.objects.filter(_due(now), pk=delivery_id).update(
        status=DeliveryStatus.SENDING, claimed_at=now
    )
    return claimed == 1


def deliver_due(now: dt.datetime) -> int:
    """The periodic scan: send every due delivery (a batch per tick). Returns how many were sent."""
    ids = list(
        Delivery.objects.filter(_due(now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )
    return deliver(ids, now)


def deliver(ids: list[int], now: dt.datetime | None = None) -> int:
    """Send these rows one by one. Each is claimed at the time it is reached (the batch's start plus
    the time spent), and the batch stops after BATCH_BUDGET, well inside STALE_CLAIM, so another
    worker never takes over a row this one is still sending; the rest waits for the next tick."""
    now = now or timezone.now()
    started = time.monotonic()
    sent = 0
    for pk in ids:
        elapsed = time.monotonic() - started
        if elapsed > BATCH_BUDGET.total_seconds():
            break
        # Whole seconds: a batch that runs fast keeps one timestamp (quiet hours, rate windows).
        if deliver_one(pk, now + dt.timedelta(seconds=int(elapsed))) == DeliveryStatus.SENT:
            sent += 1
    return sent


def deliver_one(delivery_id: int, now: dt.datetime) -> str | None:
    """Claim, check, send and record one delivery; returns its new status (None if not claimed)."""
    if not claim(delivery_id, now):
        return None
    delivery = Delivery.objects.select_related("robot", "recipient").get(pk=delivery_id)
    fields = _attempt(delivery, now)
    # Record only while the claim is still ours (a 10-minute-stale claim may have been taken over).
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING, claimed_at=now).update(
        **fields
    )
    logger.info(
        "delivery %s (%s) → %s%s",
        delivery.pk,
        delivery.channel,
        fields["status"],
        f" errcode {fields['errcode']}" if fields.get("errcode") else "",
    )
    return fields["status"]


def _attempt(delivery: Delivery, now: dt.datetime) -> dict:
    robot = delivery.robot
    if delivery.channel != DeliveryChannel.EMAIL and (robot is None or not robot.usable):
        return {
            "status": DeliveryStatus.FAILED,
            "last_error": _("The robot is disabled or archived."),
        }
    if not delivery.urgent and delivery.recipient_id:
        preference = Preference.for_user(delivery.recipient)
        until = quiet_until(timezone.localtime(now), preference.quiet_start, preference.quiet_end)
        if until is not None:
            return {"status": DeliveryStatus.DEFERRED, "next_attempt_at": until}
    if robot is not None:
        wait_until = _take_robot_slot(robot, delivery, now)
        if wait_until is not None:
            return {"status": DeliveryStatus.DEFERRED, "next_attempt_at": wait_until}
    payload = json.loads(delivery.payload)
    if delivery.channel == DeliveryChannel.EMAIL:
        result = senders.send_email(payload)
    else:
        result = senders.send_robot(robot, payload)
    if result.ok:
        return {
            "status": DeliveryStatus.SENT,
            "sent_at": now,
            "attempts": delivery.attempts + 1,
            "errcode": result.errcode,
            "last_error": "",
        }
    if result.rate_limited:
        # The robot's own throttle is not the message's fault: wait, without using up an attempt.
        return {
            "status": DeliveryStatus.DEFERRED,
            "next_attempt_at": now + RATE_LIMIT_PAUSE[result.errcode],
            "errcode": result.errcode,
            "last_error": result.error,
        }
    attempts = delivery.attempts + 1
    fields = {"attempts": attempts, "errcode": result.errcode, "last_error": result.error}
    if attempts >= MAX_ATTEMPTS:
        return {**fields, "status": DeliveryStatus.FAILED}
    return {**fields, "status": DeliveryStatus.QUEUED, "next_attempt_at": now + backoff(attempts)}


def _take_robot_slot(robot: Channel, delivery: Delivery, now: dt.datetime) -> dt.datetime | None:
    """Reserve one of the robot's 20 messages a minute; or say when the next one frees up.

    The robot row is locked while counting so two workers cannot both take the 20th slot.
    """
    with transaction.atomic():
        Channel.objects.select_for_update().filter(pk=robot.pk).values_list("pk").first()
        recent = list(
            Delivery.objects.filter(robot=robot, attempted_at__gt=now - RATE_WINDOW)
            .exclude(pk=delivery.pk)
            .order_by("-attempted_at")
            .values_list("attempted_at", flat=True)[:ROBOT_MESSAGES_PER_MINUTE]
        )
        if len(recent) >= ROBOT_MESSAGES_PER_MINUTE:
            # Free again when the oldest of the last 20 leaves the window.
            return recent[-1] + RATE_WINDOW + dt.timedelta(seconds=1)
        Delivery.objects.filter(pk=delivery.pk).update(attempted_at=now)
    return None


def digest_time() -> dt.time:
    return dt.time.fromisoformat(getattr(settings, "NOTIFY_DIGEST_TIME", "08:30"))


def daily_digest(now: dt.datetime) -> int:
    """On a working day from 08:30 (local): one digest of unread, undigested messages per user who
    asked for it. Returns how many digests were made."""
    from duban.accounts.models import User
    from duban.notifications.services import enqueue_on_commit, queue_deliveries
    from duban.workcalendar.services import current_calendar

    local = timezone.localtime(now)
    if local.time() < digest_time() or not current_calendar().is_workday(local.date()):
        return 0
    today = local.date()
    users = (
        User.objects.filter(
            is_active=True,
            notification_preference__digest=True,
            notifications__read_at__isnull=True,
            notifications__digest__isnull=True,
        )
        .exclude(pk__in=Digest.objects.filter(date=today).values("user_id"))
        .distinct()
    )
    made = 0
    for user in users:
        digest, created = Digest.objects.get_or_create(user=user, date=today)
        if not created:
            continue  # another worker has it
        with transaction.atomic():
            items = list(
                Notification.objects.filter(
                    recipient=user, read_at__isnull=True, digest__isnull=True
                )
                .exclude(kind__in=Preference.for_user(user).muted_kinds)
                .order_by("-created_at", "-id")
            )
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(digest=digest)
            deliveries = queue_deliveries(
                user,
                Preference.for_user(user),
                urgent=False,
                digest=digest,
                now=now,
                **_digest_message(items),
            )
        enqueue_on_commit(deliveries)
        made += 1
    return made


def _digest_message(items: list[Notification]) -> dict:
    from duban.notifications.services import is_private

    lines = [
        f"- {_('A confidential reminder: open Duban to read it') if is_private(n.kind) else n.title}"
        for n in items[:DIGEST_ITEMS]
    ]
    if len(items) > DIGEST_ITEMS:
        lines.append(_("… and %(count)s more") % {"count": len(items) - DIGEST_ITEMS})
    return {
        "title": _("Duban daily digest: %(count)s unread messages") % {"count": len(items)},
        "body": "\n".join(lines),
        "url": "/notifications/",
    }
