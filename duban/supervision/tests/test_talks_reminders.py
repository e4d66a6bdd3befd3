"""The follow-up reminder of a talk (reminders.talk_follow_ups): on the follow-up date, or the next
working day when it falls on a day off; to whoever talked and the director; once."""

from __future__ import annotations

import datetime as dt

import time_machine

from duban.notifications.models import Notification
from duban.supervision.reminders import KIND, reminder_day, talk_follow_ups
from duban.supervision.tests.factories import make_talk
from duban.workcalendar.services import current_calendar

D = dt.date


def at(day: dt.date) -> dt.datetime:
    # 09:00 in Asia/Shanghai
    return dt.datetime(day.year, day.month, day.day, 1, tzinfo=dt.UTC)


def _messages():
    return list(
        Notification.objects.filter(kind=KIND)
        .order_by("id")
        .values_list("recipient__username", "key")
    )


def test_on_the_follow_up_date_the_talker_and_the_director_are_reminded_once(org):
    talk = make_talk(org, "staff_a", "leader", follow_up_on=D(2026, 6, 30))  # a Tuesday
    with time_machine.travel(at(D(2026, 6, 29)), tick=False):
        assert talk_follow_ups(at(D(2026, 6, 29))) == 0
    with time_machine.travel(at(D(2026, 6, 30)), tick=False):
        assert talk_follow_ups(at(D(2026, 6, 30))) == 2
        assert talk_follow_ups(at(D(2026, 6, 30))) == 0  # the second run sends nothing
    with time_machine.travel(at(D(2026, 7, 1)), tick=False):
        assert talk_follow_ups(at(D(2026, 7, 1))) == 0  # nor the next day
    key = f"talk:{talk.pk}:follow_up:2026-06-30"
    assert _messages() == [("leader", key), ("director", key)]
    message = Notification.objects.filter(kind=KIND).first()
    assert message.url == f"/supervision/talks/{talk.pk}/"


def test_a_talk_the_director_held_reminds_the_director_only(org):
    make_talk(org, "staff_a", "director", follow_up_on=D(2026, 6, 30))
    assert talk_follow_ups(at(D(2026, 6, 30))) == 1
    assert [user for user, _ in _messages()] == ["director"]


def test_a_follow_up_on_a_day_off_is_reminded_on_the_next_working_day(org):
    holiday = D(2026, 10, 1)  # National Day
    calendar = current_calendar()
    assert not calendar.is_workday(holiday)
    next_workday = reminder_day(holiday, calendar)
    assert next_workday > holiday and calendar.is_workday(next_workday)
    make_talk(org, follow_up_on=holiday)
    day = holiday
    while day < next_workday:
        assert talk_follow_ups(at(day)) == 0, day
        day += dt.timedelta(days=1)
    assert talk_follow_ups(at(next_workday)) == 2
    assert talk_follow_ups(at(next_workday + dt.timedelta(days=1))) == 0


def test_a_weekend_follow_up_waits_for_monday(org):
    make_talk(org, follow_up_on=D(2026, 7, 4))  # Saturday
    assert talk_follow_ups(at(D(2026, 7, 4))) == 0
    assert talk_follow_ups(at(D(2026, 7, 5))) == 0
    assert talk_follow_ups(at(D(2026, 7, 6))) == 2


def test_a_missed_day_is_caught_up_but_not_a_stale_one(org):
    make_talk(org, follow_up_on=D(2026, 6, 1))
    assert talk_follow_ups(at(D(2026, 6, 3))) == 2  # the worker was down on the day
    make_talk(org, follow_up_on=D(2026, 1, 5))
    assert talk_follow_ups(at(D(2026, 6, 3))) == 0  # months ago: not any more


def test_done_archived_or_unplanned_follow_ups_remind_nobody(org):
    make_talk(
        org, follow_up_on=D(2026, 6, 30), followed_up_on=D(2026, 6, 29), follow_up_result="好"
    )
    archived = make_talk(org, follow_up_on=D(2026, 6, 30))
    archived.archived_at = at(D(2026, 6, 29))
    archived.archive_reason = "重复"
    archived.save()
    make_talk(org)
    assert talk_follow_ups(at(D(2026, 6, 30))) == 0


def test_a_moved_follow_up_date_is_reminded_again(org):
    talk = make_talk(org, follow_up_on=D(2026, 6, 30))
    assert talk_follow_ups(at(D(2026, 6, 30))) == 2
    talk.follow_up_on = D(2026, 7, 10)
    talk.save()
    assert talk_follow_ups(at(D(2026, 7, 10))) == 2
    assert {key for _, key in _messages()} == {
        f"talk:{talk.pk}:follow_up:2026-06-30",
        f"talk:{talk.pk}:follow_up:2026-07-10",
    }


def test_the_message_names_nobody_and_gives_no_reason(org):
    make_talk(org, follow_up_on=D(2026, 6, 30), reason="多次迟到早退")
    talk_follow_ups(at(D(2026, 6, 30)))
    for message in Notification.objects.filter(kind=KIND):
        text = f"{message.title} {message.body}"
        assert "多次迟到早退" not in text
        assert org.person("staff_a").name not in text
