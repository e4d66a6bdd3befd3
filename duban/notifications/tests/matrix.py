"""The permission matrix rows of this app (merged into core/tests/test_permission_matrix.py).

The inbox and the settings belong to every signed-in user (administrators too); a message opens only
for its recipient. Robots and the delivery log are system settings: the system administrator only.
"""

from duban.core.testing import api, expect

EVERYONE = expect(200, 200, secadmin=200, auditor=200)
EVERYONE_API = api(200, 200, secadmin=200, auditor=200)
SYSADMIN_PAGE = expect(403, 200)

ROUTES: dict = {
    "notifications:inbox": ("get", lambda o: "/notifications/", EVERYONE),
    "notifications:open": (
        "get",
        lambda o: f"/notifications/{o['notification'].pk}/open/",
        expect(404, 404, secadmin=404, auditor=404, staff_a=302),
    ),
    "notifications:read_all": (
        "post",
        lambda o: "/notifications/read-all/",
        expect(302, 302, secadmin=302, auditor=302),
    ),
    "notifications:preferences": ("get", lambda o: "/notifications/preferences/", EVERYONE),
    "notifications:channel_list": ("get", lambda o: "/notifications/channels/", SYSADMIN_PAGE),
    "notifications:channel_add": ("get", lambda o: "/notifications/channels/add/", SYSADMIN_PAGE),
    "notifications:channel_edit": (
        "get",
        lambda o: f"/notifications/channels/{o['channel'].pk}/edit/",
        SYSADMIN_PAGE,
    ),
    "notifications:channel_archive": (
        "post",
        lambda o: f"/notifications/channels/{o['channel'].pk}/archive/",
        expect(403, 302),
    ),
    "notifications:channel_test": (
        "post",
        lambda o: f"/notifications/channels/{o['channel'].pk}/test/",
        expect(403, 302),
    ),
    "notifications:delivery_list": (
        "get",
        lambda o: "/notifications/deliveries/",
        SYSADMIN_PAGE,
    ),
    "notification-list": ("get", lambda o: "/api/v1/notifications/inbox/", EVERYONE_API),
    "notification-read": (
        "post",
        lambda o: f"/api/v1/notifications/inbox/{o['notification'].pk}/read/",
        api(404, 404, secadmin=404, auditor=404, staff_a=200),
    ),
    "notification-read-all": (
        "post",
        lambda o: "/api/v1/notifications/inbox/read-all/",
        EVERYONE_API,
    ),
    "notification-unread-count": (
        "get",
        lambda o: "/api/v1/notifications/inbox/unread-count/",
        EVERYONE_API,
    ),
}


def build(org) -> dict:
    from duban.notifications.tests.factories import make_channel, make_delivery, make_notification

    # The robot points at a closed local port: even if something sent, nothing leaves the machine.
    channel = make_channel(org.bureau, base_url="http://127.0.0.1:9")
    return {
        "notification": make_notification(org.users["staff_a"], url="/projects/"),
        "channel": channel,
        "delivery": make_delivery(channel),
    }
