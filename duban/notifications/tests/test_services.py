"""notify(): the inbox row, one delivery per chosen channel, idempotency, nothing sent in the call."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine

from duban.notifications.choices import DeliveryChannel, DeliveryStatus
from duban.notifications.models import Delivery, Notification, Preference
from duban.notifications.services import notify
from duban.notifications.tests.factories import make_channel
from duban.org.tests.factories import make_person

NOON = dt.datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def staff_a(org):
    user = org.users["staff_a"]
    user.email = "staff_a@zjj.gov.cn"
    user.save()
    person = user.person
    person.phone = "13800000001"
    person.save()
    return user


def test_notify_creates_the_inbox_row_and_one_delivery_per_channel(org, staff_a, robots):
    make_channel(org.bureau, "wecom", base_url=robots.url, name="局机器人")
    section_robot = make_channel(org.bureau, "dingtalk", section=org.section_a, base_url=robots.url)
    make_channel(org.bureau, "dingtalk", base_url=robots.url, name="不用的单位钉钉")
    n = notify(staff_a, kind="supervision.escalated", title="督办事项已升级", url="/supervision/1/")
    assert Notification.objects.get() == n and n.read_at is None
    rows = {(d.channel, d.robot.name if d.robot else None) for d in n.deliveries.all()}
    # WeCom: no section robot, so the unit's; DingTalk: the section's robot wins over the unit's.
    assert rows == {
        (DeliveryChannel.EMAIL, None),
        (DeliveryChannel.WECOM, "局机器人"),
        (DeliveryChannel.DINGTALK, section_robot.name),
    }
    assert all(d.status == DeliveryStatus.QUEUED for d in n.deliveries.all())
    ding = n.deliveries.get(channel=DeliveryChannel.DINGTALK)
    assert json.loads(ding.payload)["at"]["atMobiles"] == ["13800000001"]
    assert robots.requests == []  # nothing is sent inside the call


def test_deliveries_are_sent_by_the_task_after_commit(
    org, staff_a, robots, django_capture_on_commit_callbacks, mailoutbox
):
    make_channel(org.bureau, "wecom", base_url=robots.url)
    with time_machine.travel(NOON, tick=False):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            n = notify(staff_a, kind="k", title="请及时报送", body="本周五前")
            assert robots.requests == [] and mailoutbox == []
    assert len(callbacks) == 1
    assert len(robots.requests) == 1 and mailoutbox[0].subject == "请及时报送"
    assert set(n.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_person_without_an_account_gets_nothing(org):
    assert notify(org.peer_person, kind="k", title="t") is None
    assert not Notification.objects.exists()


def test_a_person_is_resolved_to_their_account(org):
    n = notify(org.person("chief_a"), kind="k", title="t")
    assert n.recipient == org.users["chief_a"]


def test_notify_is_idempotent_by_key(org, staff_a):
    first = notify(staff_a, kind="k", title="t", key="task:1:overdue")
    again = notify(staff_a, kind="k", title="t", key="task:1:overdue")
    other = notify(org.users["chief_a"], kind="k", title="t", key="task:1:overdue")
    assert first is not None and again is None and other is not None
    assert Notification.objects.filter(recipient=staff_a).count() == 1
    assert Delivery.objects.filter(recipient=staff_a).count() == 1  # e-mail only, once


def test_only_chosen_channels_get_a_delivery(org, staff_a, robots):
    make_channel(org.bureau, "wecom", base_url=robots.url)
    Preference.objects.create(user=staff_a, email=False, wecom=True, dingtalk=False)
    n = notify(staff_a, kind="k", title="t")
    assert list(n.deliveries.values_list("channel", flat=True)) == [DeliveryChannel.WECOM]


def test_disabled_and_archived_robots_are_not_used(org, staff_a):
    make_channel(org.bureau, "wecom", enabled=False)
    Preference.objects.create(user=staff_a, email=False)
    assert not notify(staff_a, kind="k", title="t").deliveries.exists()


def test_digest_readers_get_only_urgent_messages_pushed(org, staff_a):
    Preference.objects.create(user=staff_a, digest=True)
    assert not notify(staff_a, kind="k", title="普通").deliveries.exists()
    assert notify(staff_a, kind="k", title="紧急", urgent=True).deliveries.exists()


def test_a_user_without_a_person_gets_e_mail_only(org, robots):
    admin = org.users["sysadmin"]
    admin.email = "admin@zjj.gov.cn"
    admin.save()
    make_channel(org.bureau, "wecom", base_url=robots.url)
    n = notify(admin, kind="k", title="t")
    assert list(n.deliveries.values_list("channel", flat=True)) == [DeliveryChannel.EMAIL]


def test_a_person_without_a_section_reaches_the_units_robot(org, robots):
    from duban.org.tests.factories import make_user

    user = make_user("nosection")
    make_person(org.bureau, None, name="无股室", user=user)
    make_channel(org.bureau, "wecom", base_url=robots.url, name="局机器人")
    make_channel(org.bureau, "wecom", section=org.section_a, base_url=robots.url)
    n = notify(user, kind="k", title="t")
    assert [d.robot.name for d in n.deliveries.all()] == ["局机器人"]


def test_talk_reminders_never_reach_a_group_robot(org):
    """A talk record is confidential: its reminders go to the inbox and e-mail, not to the group."""
    from duban.notifications.models import Channel, Delivery, Preference
    from duban.notifications.services import notify

    user = org.users["leader"]
    user.email = "leader@example.org"
    user.save()
    Channel.objects.create(
        name="局机器人", kind="wecom", unit=org.bureau, key="k", base_url="http://127.0.0.1:9"
    )
    Preference.objects.create(user=user, email=True, wecom=True, digest=False)
    notify(user, kind="supervision.talk_follow_up", title="谈话跟进", key="t1")
    assert set(Delivery.objects.values_list("channel", flat=True)) == {"email"}
    notify(user, kind="supervision.escalated", title="升级督办", key="e1")
    assert "wecom" in set(Delivery.objects.values_list("channel", flat=True))


def test_a_muted_kind_stays_in_the_inbox(org):
    from duban.notifications.models import Delivery, Notification, Preference
    from duban.notifications.services import notify

    user = org.users["leader"]
    user.email = "leader@example.org"
    user.save()
    Preference.objects.create(
        user=user, email=True, digest=False, muted_kinds=["supervision.warning"]
    )
    notify(user, kind="supervision.warning", title="临期提醒", key="w1")
    assert Notification.objects.filter(recipient=user).count() == 1
    assert not Delivery.objects.exists()
    notify(user, kind="supervision.escalated", title="升级督办", key="e1")
    assert Delivery.objects.filter(channel="email").count() == 1


def test_the_delivery_log_names_the_kind_not_the_content(org, client_for):
    from duban.notifications.services import notify

    user = org.users["leader"]
    user.email = "leader@example.org"
    user.save()
    notify(user, kind="supervision.escalated", title="机密督办事项标题", key="e2")
    html = client_for("sysadmin").get("/notifications/deliveries/").content.decode()
    assert "机密督办事项标题" not in html
