"""Notification settings in headless Chromium: a staff member keeps deadline warnings in the inbox
only and sets quiet hours; the bell shows the unread count (screenshots in test-artifacts/)."""

from __future__ import annotations

import pytest

from duban.core.browser_testing import screenshot
from duban.notifications.models import Preference
from duban.notifications.services import notify
from duban.supervision.tests.test_task_browser import sign_in

pytestmark = pytest.mark.browser


def test_staff_tunes_their_notifications(org, page):
    staff = org.users["staff_a"]
    notify(staff, kind="supervision.assigned", title="新督办事项：报送汛前排查台账", key="b1")
    sign_in(page, "staff_a")
    assert page.get_by_test_id("unread-badge").inner_text() == "1"
    page.goto(f"{page.base_url}/notifications/preferences/")
    page.get_by_label("临期").check()
    page.locator("#id_quiet_start").fill("21:30")
    page.locator("#id_quiet_end").fill("07:00")
    screenshot(page, "notifications-preferences")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    preference = Preference.objects.get(user=staff)
    assert preference.muted_kinds == ["supervision.warning"]
    assert preference.quiet_start.strftime("%H:%M") == "21:30"
