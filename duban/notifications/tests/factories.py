"""Plain factory functions for notification tests."""

from __future__ import annotations

import itertools

from django.utils import timezone

from duban.notifications.choices import DeliveryChannel, RobotKind
from duban.notifications.models import Channel, Delivery, Notification

_counter = itertools.count(1)


def make_notification(user, title: str = "", **fields) -> Notification:
    n = next(_counter)
    return Notification.objects.create(
        recipient=user, kind=fields.pop("kind", "test.kind"), title=title or f"消息{n}", **fields
    )


def make_channel(unit, kind=RobotKind.WECOM, section=None, base_url="", **fields) -> Channel:
    n = next(_counter)
    return Channel.objects.create(
        name=fields.pop("name", f"机器人{n}"),
        kind=kind,
        base_url=base_url,
        key=fields.pop("key", f"KEY-{n}-secretvalue"),
        unit=unit,
        section=section,
        **fields,
    )


def make_delivery(robot=None, recipient=None, payload='{"msgtype": "text"}', **fields) -> Delivery:
    return Delivery.objects.create(
        channel=fields.pop("channel", robot.kind if robot else DeliveryChannel.EMAIL),
        robot=robot,
        recipient=recipient,
        payload=payload,
        next_attempt_at=fields.pop("next_attempt_at", timezone.now()),
        **fields,
    )
