"""The task pages in headless Chromium (screenshots in test-artifacts/): the director opens the board
and a task; staff use the four quadrants of 我的督办 on a phone."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.core.browser_testing import screenshot
from duban.org.tests.factories import PASSWORD
from duban.supervision import escalation
from duban.supervision.tests.factories import make_task

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{page.base_url}/")


def seed(org):
    today = dt.date.today()
    late = make_task(
        org,
        "老旧小区改造项目推进",
        assigned_on=today - dt.timedelta(days=40),
        deadline=today - dt.timedelta(days=12),
        important=True,
        urgent=True,
    )
    make_task(
        org,
        "城市体检报告编制",
        assigned_on=today - dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=40),
        important=True,
        urgent=False,
    )
    make_task(
        org,
        "物业服务投诉回复",
        assigned_on=today - dt.timedelta(days=3),
        deadline=today + dt.timedelta(days=2),
        important=False,
        urgent=True,
        lead_section=org.section_b,
    )
    from django.utils import timezone

    escalation.scan(timezone.now())
    return late


def test_director_reads_the_board_and_a_task(org, transactional_db, page):
    late = seed(org)
    sign_in(page, "director")
    page.goto(f"{page.base_url}/supervision/board/")
    level2 = page.get_by_test_id("level-2")
    assert "老旧小区改造项目推进" in level2.inner_text()
    assert page.locator("#overdue-chart svg").count() == 1
    screenshot(page, "supervision-board")
    level2.get_by_role("link", name="老旧小区改造项目推进").click()
    page.wait_for_url(f"**/supervision/tasks/{late.pk}/")
    assert page.get_by_test_id("escalation").is_visible()
    assert page.locator(".timeline-event").count() >= 2
    screenshot(page, "supervision-task-detail")
    assert page.js_errors == []


def test_staff_use_the_quadrants_on_a_phone(org, transactional_db, page):
    seed(org)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "staff_a")
    page.goto(f"{page.base_url}/supervision/mine/")
    first = page.get_by_test_id("quadrant-1")
    second = page.get_by_test_id("quadrant-2")
    assert "老旧小区改造项目推进" in first.inner_text()
    assert "城市体检报告编制" in second.inner_text()
    # Stacked on a phone: the second quadrant sits below the first, at the same left edge.
    a, b = first.bounding_box(), second.bounding_box()
    assert b["y"] >= a["y"] + a["height"] - 1 and abs(a["x"] - b["x"]) < 2
    screenshot(page, "supervision-my-tasks-phone")
    first.get_by_role("link").first.click()
    page.wait_for_load_state()
    page.get_by_test_id("form-accept").get_by_role("button").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").get_attribute("data-status") == "in_progress"
    screenshot(page, "supervision-task-phone")
    assert page.js_errors == []
