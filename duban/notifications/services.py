"""The notification interface every module calls (`notify`) and the inbox's state changes."""

from __future__ import annotations

import datetime as dt
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.notifications import payloads
from duban.notifications.choices import DeliveryChannel
from duban.notifications.models import Channel, Delivery, Notification, Preference

# Kinds about confidential matters (talk records): they reach the inbox and the person's own e-mail,
# never a group robot, whose messages the whole group reads.
PRIVATE_KIND_PREFIXES = ("supervision.talk",)


def is_private(kind: str) -> bool:
    return kind.startswith(PRIVATE_KIND_PREFIXES)


def notify(
    recipient,
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    key: str | None = None,
    urgent: bool = False,
) -> Notification | None:
    """Put a message in the recipient's inbox and queue its external copies.

    `recipient` is an accounts.User or an org.Person (a Person without a login account gets
    nothing: None). With a `key`, a second call for the same recipient and key does nothing and
    returns None. Nothing is sent here: the deliveries go to the worker after commit, and the
    periodic scan retries them.
    """
    user = _user_of(recipient)
    if user is None or not user.is_active:
        return None
    with transaction.atomic():
        if key is not None and Notification.objects.filter(recipient=user, key=key).exists():
            return None
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=user,
                    kind=kind[:50],
                    title=title[:200],
                    body=body,
                    url=url[:500],
                    key=key,
                    urgent=urgent,
                )
        except IntegrityError:
            return None  # the same key, created by a concurrent call
        preference = Preference.for_user(user)
        if preference.digest and not urgent:
            deliveries = []  # the morning digest carries it
        else:
            deliveries = queue_deliveries(
                user,
                preference,
                title=notification.title,
                body=body,
                url=url,
                urgent=urgent,
                notification=notification,
                to_robots=not is_private(kind),
                external=kind not in preference.muted_kinds,
            )
    enqueue_on_commit(deliveries)
    return notification


def _user_of(recipient):
    from duban.org.models import Person

    if isinstance(recipient, Person):
        return recipient.user if recipient.user_id else None
    return recipient


def person_of(user):
    from duban.org.models import Person

    return Person.objects.filter(user=user, is_active=True).first()


def robots_for(person, kind: str) -> list[Channel]:
    """A person's robots of one kind: their section's, else their unit's (unit-wide) ones."""
    if person is None:
        return []
    usable = Channel.objects.usable().filter(kind=kind)
    if person.section_id:
        robots = list(usable.filter(section_id=person.section_id))
        if robots:
            return robots
    return list(usable.filter(unit_id=person.unit_id, section__isnull=True))


def queue_deliveries(
    user,
    preference: Preference,
    *,
    title: str,
    body: str,
    url: str,
    urgent: bool,
    notification: Notification | None = None,
    digest=None,
    now: dt.datetime | None = None,
    to_robots: bool = True,
    external: bool = True,
) -> list[Delivery]:
    """One Delivery per channel the user chose (one per robot message part); saved, not sent."""
    now = now or timezone.now()
    common = {
        "notification": notification,
        "digest": digest,
        "recipient": user,
        "urgent": urgent,
        "next_attempt_at": now,
    }
    if not external:
        return []  # a kind this person keeps in the inbox only
    rows = []
    if preference.email and user.email:
        payload = payloads.email_payload(user.email, title, body, url, urgent)
        rows.append(Delivery(channel=DeliveryChannel.EMAIL, payload=_json(payload), **common))
    person = None
    for kind, chosen in (
        (DeliveryChannel.WECOM, preference.wecom),
        (DeliveryChannel.DINGTALK, preference.dingtalk),
    ):
        if not chosen or not to_robots:
            continue
        person = person or person_of(user)
        robots = robots_for(person, kind)
        if not robots:
            continue
        text = payloads.message_text(title, body, url, urgent)
        for robot in robots:
            for payload in payloads.robot_payloads(kind, title, text, person.phone, urgent):
                rows.append(Delivery(channel=kind, robot=robot, payload=_json(payload), **common))
    return Delivery.objects.bulk_create(rows)


def send_test_message(robot: Channel, by) -> Delivery:
    """Queue one test message to a robot; the worker sends it (never inside the request)."""
    text = _("Test message from Duban, sent by %(name)s.") % {"name": by.name or by.username}
    title = _("Duban test message")
    payload = payloads.robot_payloads(robot.kind, title, f"**{title}**\n{text}", "", False)[0]
    with transaction.atomic():
        delivery = Delivery.objects.create(
            channel=robot.kind,
            robot=robot,
            recipient=None,
            urgent=True,
            payload=_json(payload),
            next_attempt_at=timezone.now(),
        )
    enqueue_on_commit([delivery])
    return delivery


def enqueue_on_commit(deliveries: list[Delivery]) -> None:
    ids = [d.pk for d in deliveries]
    if not ids:
        return
    from duban.notifications.tasks import deliver_task

    transaction.on_commit(lambda: deliver_task.enqueue(ids))


def mark_read(notification: Notification, now: dt.datetime | None = None) -> None:
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )


def mark_all_read(user, now: dt.datetime | None = None) -> int:
    return Notification.objects.visible_to(user).unread().update(read_at=now or timezone.now())


def _json(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False)
