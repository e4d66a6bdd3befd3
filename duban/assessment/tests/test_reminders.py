"""Reporting deadlines of indicators go through the notification machinery, once each."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from duban.assessment.reminders import report_deadlines
from duban.assessment.tests import factories as af
from duban.notifications.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=SHANGHAI)


def test_reminder_before_the_deadline_then_overdue_to_the_leader(org):
    scheme = af.make_scheme(org)
    # Q3 reporting deadline Friday 2026-10-09 (after the National Day holiday).
    period = af.make_period(
        scheme, "Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30), deadline=dt.date(2026, 10, 9)
    )
    reported = af.make_indicator(
        scheme,
        "A1",
        "开工率",
        10,
        lead_section=org.section_a,
        responsible_leader=org.person("leader"),
        responsible_person=org.person("staff_a"),
    )
    missing = af.make_indicator(
        scheme,
        "A2",
        "竣工率",
        10,
        lead_section=org.section_a,
        responsible_leader=org.person("leader"),
        responsible_person=org.person("staff_a"),
    )
    af.make_report(reported, period, org.bureau, actual="95")
    staff, leader = org.users["staff_a"], org.users["leader"]

    assert report_deadlines(at("2026-09-29")) == 0  # 30, 10-08, 10-09 left: not yet
    assert report_deadlines(at("2026-09-30")) == 1  # 10-08, 10-09 left: the warning window
    assert report_deadlines(at("2026-10-08")) == 0  # once only
    notice = Notification.objects.get(recipient=staff)
    assert "A2" in notice.title and notice.url == missing.get_absolute_url()
    # Saturday 10-10 is a make-up working day: one working day late → the leader, urgently.
    assert report_deadlines(at("2026-10-10")) == 1
    assert Notification.objects.filter(recipient=leader).count() == 1
    assert report_deadlines(at("2026-10-12")) == 0
    assert Notification.objects.filter(recipient=leader).get().urgent
