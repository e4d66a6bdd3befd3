"""The worker: claims, quiet hours, the robots' 20-a-minute limit, retries and back-off."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from duban.notifications import delivery
from duban.notifications.choices import DeliveryStatus
from duban.notifications.models import Delivery, Preference
from duban.notifications.tests.factories import make_channel, make_delivery

SH = ZoneInfo("Asia/Shanghai")
NOON = dt.datetime(2026, 6, 10, 12, 0, tzinfo=SH)
MSG = json.dumps({"msgtype": "markdown", "markdown": {"content": "督办"}})


@pytest.fixture
def robot(org, robots):
    return make_channel(org.bureau, "wecom", base_url=robots.url)


def fresh(d: Delivery) -> Delivery:
    return Delivery.objects.get(pk=d.pk)


def test_a_due_delivery_is_sent_and_logged(robot, robots):
    d = make_delivery(robot, payload=MSG, next_attempt_at=NOON)
    assert delivery.deliver_due(NOON) == 1
    d = fresh(d)
    assert (d.status, d.attempts, d.errcode, d.sent_at) == (DeliveryStatus.SENT, 1, 0, NOON)
    assert robots.requests[0].body == json.loads(MSG)


def test_two_claimers_never_send_one_row_twice(robot, robots):
    d = make_delivery(robot, payload=MSG, next_attempt_at=NOON)
    assert delivery.claim(d.pk, NOON) is True
    assert delivery.claim(d.pk, NOON) is False  # the second worker finds it taken
    assert delivery.deliver_one(d.pk, NOON) is None
    assert robots.requests == []


def test_a_claim_left_for_ten_minutes_is_taken_over(robot, robots):
    d = make_delivery(robot, payload=MSG, next_attempt_at=NOON)
    delivery.claim(d.pk, NOON)
    assert delivery.deliver_due(NOON + dt.timedelta(minutes=9)) == 0
    assert delivery.deliver_due(NOON + dt.timedelta(minutes=11)) == 1
    assert len(robots.requests) == 1


def test_the_21st_message_in_a_minute_waits(robot, robots):
    rows = [make_delivery(robot, payload=MSG, next_attempt_at=NOON) for _ in range(21)]
    assert delivery.deliver_due(NOON) == 20
    assert len(robots.requests) == 20
    last = fresh(rows[-1])
    assert last.status == DeliveryStatus.DEFERRED
    assert last.next_attempt_at == NOON + dt.timedelta(seconds=61)
    assert delivery.deliver_due(NOON + dt.timedelta(seconds=30)) == 0
    assert delivery.deliver_due(NOON + dt.timedelta(seconds=61)) == 1
    assert len(robots.requests) == 21


def test_the_limit_is_per_robot(org, robot, robots):
    other = make_channel(org.bureau, "wecom", base_url=robots.url)
    for _ in range(20):
        make_delivery(robot, payload=MSG, next_attempt_at=NOON)
    make_delivery(other, payload=MSG, next_attempt_at=NOON)
    assert delivery.deliver_due(NOON) == 21


def test_quiet_hours_defer_a_non_urgent_message_to_the_morning(org, robot, robots):
    user = org.users["staff_a"]
    Preference.objects.create(user=user, quiet_start=dt.time(22), quiet_end=dt.time(7, 30))
    late = dt.datetime(2026, 6, 10, 23, 15, tzinfo=SH)
    d = make_delivery(robot, recipient=user, payload=MSG, next_attempt_at=late)
    urgent = make_delivery(robot, recipient=user, payload=MSG, next_attempt_at=late, urgent=True)
    assert delivery.deliver_due(late) == 1
    assert fresh(urgent).status == DeliveryStatus.SENT
    d = fresh(d)
    assert d.status == DeliveryStatus.DEFERRED and d.attempts == 0
    assert d.next_attempt_at == dt.datetime(2026, 6, 11, 7, 30, tzinfo=SH)
    assert delivery.deliver_due(d.next_attempt_at) == 1


def test_default_quiet_hours_apply_without_a_preference(org, robot, settings):
    settings.NOTIFY_QUIET_HOURS = "22:00-07:30"
    early = dt.datetime(2026, 6, 11, 6, 0, tzinfo=SH)
    d = make_delivery(robot, recipient=org.users["staff_a"], payload=MSG, next_attempt_at=early)
    delivery.deliver_due(early)
    assert fresh(d).next_attempt_at == dt.datetime(2026, 6, 11, 7, 30, tzinfo=SH)


def test_failures_back_off_1_2_4_8_16_minutes_then_fail_after_6_attempts(robot, robots):
    robots.answer(*[310000] * 6)
    d = make_delivery(robot, payload=MSG, next_attempt_at=NOON)
    now, waits = NOON, []
    for _ in range(5):
        delivery.deliver_due(now)
        row = fresh(d)
        assert row.status == DeliveryStatus.QUEUED and row.errcode == 310000
        waits.append((row.next_attempt_at - now).total_seconds() / 60)
        assert delivery.deliver_due(row.next_attempt_at - dt.timedelta(seconds=1)) == 0
        now = row.next_attempt_at
    assert waits == [1, 2, 4, 8, 16]
    delivery.deliver_due(now)
    row = fresh(d)
    assert (row.status, row.attempts, row.errcode) == (DeliveryStatus.FAILED, 6, 310000)
    assert "310000" in row.last_error
    assert delivery.deliver_due(now + dt.timedelta(days=1)) == 0
    assert len(robots.requests) == 6


@pytest.mark.parametrize(
    ("errcode", "pause"), [(45009, dt.timedelta(seconds=65)), (130101, dt.timedelta(minutes=10))]
)
def test_a_robot_that_says_too_fast_is_left_alone(robot, robots, errcode, pause):
    robots.answer(errcode)
    d = make_delivery(robot, payload=MSG, next_attempt_at=NOON)
    delivery.deliver_due(NOON)
    row = fresh(d)
    assert (row.status, row.errcode, row.attempts) == (DeliveryStatus.DEFERRED, errcode, 0)
    assert row.next_attempt_at == NOON + pause


def test_a_disabled_robot_fails_its_queue(robot, robots):
    d = make_delivery(robot, payload=MSG, next_attempt_at=NOON)
    robot.enabled = False
    robot.save()
    delivery.deliver_due(NOON)
    assert fresh(d).status == DeliveryStatus.FAILED and robots.requests == []


def test_e_mail_failure_is_retried(org, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    payload = json.dumps({"to": ["a@b.cn"], "subject": "s", "body": "b"})
    d = make_delivery(None, payload=payload, next_attempt_at=NOON)
    delivery.deliver_due(NOON)
    row = fresh(d)
    assert row.status == DeliveryStatus.QUEUED and row.attempts == 1 and row.last_error
