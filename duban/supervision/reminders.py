"""Reminders of supervision that are not escalations: the follow-up of a talk record.

`talk_follow_ups(now)` is a periodic scan (core.scans.SCANS). On a talk's follow-up date — or, when
that date is a day off, on the next working day — whoever talked is reminded, and the director of the
unit too when the talker is not the director. Once: each message carries the key
`talk:{pk}:follow_up:{date}`, which `notify` refuses to send twice, so running the scan twice (or on
two workers) sends nothing twice; moving the follow-up date gives a new key and a new reminder.

The message is deliberately plain — no name, no reason, no kind of talk — because a copy may go to a
robot of a group chat and the delivery log is read by the system administrator: the details are on
the page behind the link, which only the allowed people can open.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.supervision.models import Talk
from duban.workcalendar.services import current_calendar

KIND = "supervision.talk_follow_up"
# Follow-ups older than this are not reminded any more (a scan that was stopped for months does not
# flood anybody when it starts again); the list's "follow-up due" filter still shows them.
LOOKBACK_DAYS = 30


def reminder_day(follow_up_on: dt.date, calendar=None) -> dt.date:
    """The follow-up date itself if it is a working day, else the next working day."""
    calendar = calendar or current_calendar()
    return calendar.add_workdays(follow_up_on, 0)


def talk_follow_ups(now: dt.datetime) -> int:
    """Remind of the follow-ups due today; return how many messages were put in inboxes."""
    from duban.notifications.models import Notification
    from duban.notifications.services import notify
    from duban.supervision.services import director_of

    today = timezone.localdate(now)
    calendar = current_calendar()
    talks = [
        talk
        for talk in Talk.objects.filter(
            archived_at__isnull=True,
            followed_up_on__isnull=True,
            follow_up_on__lte=today,
            follow_up_on__gte=today - dt.timedelta(days=LOOKBACK_DAYS),
        )
        .select_related("talker", "talker__user")
        .order_by("follow_up_on", "id")
        if reminder_day(talk.follow_up_on, calendar) <= today
    ]
    if not talks:
        return 0
    keys = {_key(talk) for talk in talks}
    already = set(
        Notification.objects.filter(kind=KIND, key__in=keys).values_list("recipient_id", "key")
    )
    directors: dict[int, object] = {}
    sent = 0
    for talk in talks:
        key = _key(talk)
        recipients = [talk.talker]
        if talk.unit_id not in directors:
            directors[talk.unit_id] = director_of(talk.unit_id)
        director = directors[talk.unit_id]
        if director is not None and director.pk != talk.talker_id:
            recipients.append(director)
        for person in recipients:
            if (person.user_id, key) in already:
                continue
            message = notify(
                person,
                kind=KIND,
                title=_("A talk record is due for follow-up"),
                body=_("Record the follow-up result on the talk record page."),
                url=reverse("supervision:talk_detail", args=[talk.pk]),
                key=key,
            )
            sent += message is not None
    return sent


def _key(talk: Talk) -> str:
    return f"talk:{talk.pk}:follow_up:{talk.follow_up_on:%Y-%m-%d}"
