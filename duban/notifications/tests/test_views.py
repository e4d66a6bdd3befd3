"""The inbox, the bell, the settings page, robots and the delivery log."""

import pytest

from duban.audit.models import ObjectChange
from duban.core.testing import count_queries
from duban.notifications.choices import DeliveryStatus
from duban.notifications.models import Channel, Delivery, Notification, Preference
from duban.notifications.tests.factories import make_channel, make_delivery, make_notification


@pytest.fixture
def staff_a(org):
    return org.users["staff_a"]


def test_inbox_shows_unread_first_and_bold(client_for, staff_a):
    read = make_notification(staff_a, "旧消息已读")
    read.read_at = read.created_at
    read.save()
    make_notification(staff_a, "新的未读消息")
    make_notification(staff_a.__class__.objects.get(username="chief_a"), "别人的消息")
    body = client_for("staff_a").get("/notifications/").content.decode()
    assert body.index("新的未读消息") < body.index("旧消息已读")
    assert 'data-testid="notification-unread"' in body
    assert "别人的消息" not in body


def test_inbox_filters_unread(client_for, staff_a):
    make_notification(staff_a, "甲事项提醒")
    make_notification(staff_a, "乙事项提醒", read_at="2026-06-01T00:00:00+08:00")
    body = client_for("staff_a").get("/notifications/?show=unread").content.decode()
    assert "甲事项提醒" in body and "乙事项提醒" not in body


def test_opening_marks_read_and_follows_a_local_link(client_for, staff_a):
    n = make_notification(staff_a, url="/projects/?status=late")
    response = client_for("staff_a").get(f"/notifications/{n.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/projects/?status=late"
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_opening_never_redirects_off_site(client_for, staff_a, url):
    n = make_notification(staff_a, url=url)
    response = client_for("staff_a").get(f"/notifications/{n.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_mark_all_read(client_for, staff_a, org):
    for _ in range(3):
        make_notification(staff_a)
    other = make_notification(org.users["chief_a"])
    assert client_for("staff_a").post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(recipient=staff_a, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_inbox_queries_do_not_grow_with_the_messages(client_for, staff_a):
    client = client_for("staff_a")
    client.get("/notifications/")  # warm the session and the scope
    for _ in range(10):
        make_notification(staff_a)
    small = count_queries(lambda: client.get("/notifications/"))
    for _ in range(190):
        make_notification(staff_a)
    assert count_queries(lambda: client.get("/notifications/")) == small


def test_the_bell_shows_the_unread_count_with_one_query(client_for, staff_a):
    for _ in range(3):
        make_notification(staff_a)
    client = client_for("staff_a")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/notifications/").content.decode()
    assert 'data-testid="unread-badge">3<' in body
    counts = [
        q["sql"] for q in ctx.captured_queries if "COUNT" in q["sql"] and "read_at" in q["sql"]
    ]
    assert len(counts) == 1  # the tab and the bell share one count
    assert 'data-testid="unread-badge"' not in client_for("chief_a").get("/").content.decode()


def test_preferences_are_saved(client_for, staff_a):
    data = {"wecom": "on", "quiet_start": "22:00", "quiet_end": "07:30", "digest": "on"}
    response = client_for("staff_a").post("/notifications/preferences/", data)
    assert response.status_code == 302
    pref = Preference.objects.get(user=staff_a)
    assert (pref.email, pref.wecom, pref.dingtalk, pref.digest) == (False, True, False, True)
    assert str(pref.quiet_end) == "07:30:00"
    assert ObjectChange.objects.filter(object_id=str(pref.pk)).exists()  # audited


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"quiet_start": "22:00"}, "quiet_end"),
        ({"quiet_start": "22:00", "quiet_end": "22:00"}, "quiet_end"),
        ({"email": "on"}, "email"),  # the account has no e-mail address
        ({"quiet_start": "25:99", "quiet_end": "07:00"}, "quiet_start"),
    ],
)
def test_bad_preferences_are_refused_and_kept(client_for, staff_a, data, field):
    response = client_for("staff_a").post("/notifications/preferences/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Preference.objects.exists()


def test_sysadmin_adds_a_robot_and_the_key_never_shows(client_for, org):
    client = client_for("sysadmin")
    data = {
        "name": "住建局钉钉群",
        "kind": "dingtalk",
        "base_url": "",
        "key": "TOKEN-very-secret",
        "secret": "SECabc123",
        "unit": org.bureau.pk,
        "section": org.section_a.pk,
        "enabled": "on",
    }
    assert client.post("/notifications/channels/add/", data).status_code == 302
    robot = Channel.objects.get()
    assert robot.server == "https://oapi.dingtalk.com" and robot.secret == "SECabc123"
    edit = client.get(f"/notifications/channels/{robot.pk}/edit/").content.decode()
    assert "TOKEN-very-secret" not in edit and "SECabc123" not in edit
    assert "TOKEN-very-secret" not in client.get("/notifications/channels/").content.decode()
    # An empty key on edit keeps the current one.
    data.update(key="", secret="", name="改名", version=robot.version)
    assert client.post(f"/notifications/channels/{robot.pk}/edit/", data).status_code == 302
    robot.refresh_from_db()
    assert (robot.name, robot.key, robot.secret) == ("改名", "TOKEN-very-secret", "SECabc123")
    log = str(list(ObjectChange.objects.filter(object_id=str(robot.pk)).values("before", "after")))
    assert "TOKEN-very-secret" not in log and "SECabc123" not in log


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"secret": "notsec"}, "secret"),
        ({"kind": "wecom", "secret": "SECx"}, "secret"),
        ({"section": "D"}, "section"),
        ({"key": ""}, "key"),
    ],
)
def test_robot_validation(client_for, org, changes, field):
    data = {"name": "r", "kind": "dingtalk", "key": "k", "unit": org.bureau.pk, "enabled": "on"}
    data.update(changes)
    if data.get("section") == "D":
        data["section"] = org.section_d.pk  # another unit's section
    response = client_for("sysadmin").post("/notifications/channels/add/", data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Channel.objects.exists()


def test_test_message_is_queued_not_sent(
    client_for, org, robots, django_capture_on_commit_callbacks
):
    robot = make_channel(org.bureau, base_url=robots.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for("sysadmin").post(f"/notifications/channels/{robot.pk}/test/")
    assert response.status_code == 302
    d = Delivery.objects.get()
    assert d.robot == robot and d.status == DeliveryStatus.QUEUED
    assert len(callbacks) == 1 and robots.requests == []


def test_archiving_a_robot_keeps_it(client_for, org):
    robot = make_channel(org.bureau)
    data = {"reason": "群已解散", "version": robot.version}
    client_for("sysadmin").post(f"/notifications/channels/{robot.pk}/archive/", data)
    robot.refresh_from_db()
    assert robot.is_archived and not robot.usable


def test_delivery_log_filters_and_exports(client_for, org):
    robot = make_channel(org.bureau)
    make_delivery(robot, status=DeliveryStatus.FAILED, errcode=310000, last_error="310000 sign")
    make_delivery(robot, status=DeliveryStatus.SENT)
    client = client_for("sysadmin")
    body = client.get("/notifications/deliveries/?status=failed").content.decode()
    assert "310000" in body
    export = client.get("/notifications/deliveries/?status=failed&export=xlsx")
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]


def test_admin_menu_lists_robots_for_the_sysadmin_only(client_for):
    assert "/notifications/channels/" in client_for("sysadmin").get("/").content.decode()
    assert "/notifications/channels/" not in client_for("director").get("/").content.decode()
