"""/api/v1/notifications/inbox/: one's own messages only."""

from duban.notifications.models import Notification
from duban.notifications.tests.factories import make_notification


def test_list_own_and_filter_unread(client_for, org):
    staff = org.users["staff_a"]
    make_notification(staff, "未读")
    make_notification(staff, "已读", read_at="2026-06-01T00:00:00+08:00")
    make_notification(org.users["chief_a"], "别人的")
    client = client_for("staff_a")
    titles = [r["title"] for r in client.get("/api/v1/notifications/inbox/").json()["results"]]
    assert titles == ["未读", "已读"]
    unread = client.get("/api/v1/notifications/inbox/?unread=true").json()
    assert [r["title"] for r in unread["results"]] == ["未读"]
    assert client.get("/api/v1/notifications/inbox/unread-count/").json() == {"unread": 1}


def test_read_one_and_read_all(client_for, org):
    staff = org.users["staff_a"]
    first, second = make_notification(staff), make_notification(staff)
    client = client_for("staff_a")
    response = client.post(f"/api/v1/notifications/inbox/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert client.post("/api/v1/notifications/inbox/read-all/").json() == {"marked": 1}
    second.refresh_from_db()
    assert second.read_at is not None


def test_another_users_message_is_not_found(client_for, org):
    theirs = make_notification(org.users["chief_a"])
    response = client_for("staff_a").post(f"/api/v1/notifications/inbox/{theirs.pk}/read/")
    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_anonymous_is_refused(client_for):
    assert client_for("anonymous").get("/api/v1/notifications/inbox/").status_code == 401
