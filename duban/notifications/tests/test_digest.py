"""The daily digest: from 08:30 on a working day, once per user and day."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from duban.notifications.choices import DeliveryChannel
from duban.notifications.delivery import daily_digest
from duban.notifications.models import Delivery, Digest, Preference
from duban.notifications.tests.factories import make_notification

SH = ZoneInfo("Asia/Shanghai")
WEDNESDAY = dt.date(2026, 6, 10)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SH)


@pytest.fixture
def reader(org):
    user = org.users["staff_a"]
    user.email = "staff_a@zjj.gov.cn"
    user.save()
    Preference.objects.create(user=user, digest=True, wecom=False, dingtalk=False)
    make_notification(user, "事项一即将到期")
    make_notification(user, "事项二已逾期")
    make_notification(user, "已读的不算", read_at=at(WEDNESDAY, 8))
    return user


def test_one_digest_per_working_day(reader):
    assert daily_digest(at(WEDNESDAY, 8, 30)) == 1
    assert daily_digest(at(WEDNESDAY, 9, 0)) == 0  # a second tick (or worker) sends nothing
    digest = Digest.objects.get()
    assert digest.date == WEDNESDAY and digest.notifications.count() == 2
    (email,) = Delivery.objects.filter(digest=digest)
    assert email.channel == DeliveryChannel.EMAIL and email.notification is None
    assert "事项一即将到期" in email.payload and "已读的不算" not in email.payload


def test_not_before_half_past_eight(reader):
    assert daily_digest(at(WEDNESDAY, 8, 29)) == 0
    assert not Digest.objects.exists()


@pytest.mark.parametrize("day", [dt.date(2026, 6, 13), dt.date(2026, 10, 1)])
def test_not_on_a_weekend_or_a_holiday(reader, day):
    assert daily_digest(at(day, 9)) == 0
    assert not Digest.objects.exists()


def test_the_next_working_day_holds_only_new_messages(reader):
    daily_digest(at(WEDNESDAY, 9))
    assert daily_digest(at(WEDNESDAY + dt.timedelta(days=1), 9)) == 0  # nothing new
    make_notification(reader, "新的")
    assert daily_digest(at(WEDNESDAY + dt.timedelta(days=1), 9)) == 1
    assert Digest.objects.latest("date").notifications.get().title == "新的"


def test_only_users_who_asked_for_it(org, reader):
    make_notification(org.users["chief_a"], "别人的")
    assert daily_digest(at(WEDNESDAY, 9)) == 1
    assert Digest.objects.get().user == reader


def test_a_claimed_day_is_not_sent_again(reader):
    Digest.objects.create(user=reader, date=WEDNESDAY)  # another worker got there first
    assert daily_digest(at(WEDNESDAY, 9)) == 0
    assert not Delivery.objects.exists()
