"""The director looks at the demo scoreboard and tries 评分试算 in headless Chromium."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from duban.assessment.models import Indicator, Scheme
from duban.core.browser_testing import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("demo")


def sign_in(page, username):
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("Duban@2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{page.base_url}/")


def test_director_reads_the_scoreboard_and_the_way_up(demo, page):
    sign_in(page, "director")
    assert page.get_by_test_id("tile-score").is_visible()
    screenshot(page, "cockpit-with-assessment")
    scheme = Scheme.objects.get()
    page.goto(f"{page.base_url}/assessment/schemes/{scheme.pk}/?period=H1")
    assert page.get_by_test_id("rank").inner_text().startswith("27")
    assert page.get_by_test_id("climb").is_visible()
    assert page.locator("[data-testid=scoreboard] tbody tr").count() >= 35
    assert (
        page.locator("#category-chart svg").count() == 1
        and page.locator("#history-chart svg").count() == 1
    )
    screenshot(page, "scoreboard-h1")
    assert page.js_errors == []


def test_a_leader_tries_what_if_on_an_indicator(demo, page):
    indicator = Indicator.objects.get(code="A09")
    leader = indicator.responsible_leader.user.username
    sign_in(page, leader)
    page.goto(f"{page.base_url}/assessment/indicators/{indicator.pk}/?period=H1")
    page.get_by_test_id("preview").get_by_role("spinbutton").fill("95.5")
    page.get_by_role("button", name="试算").click()
    result = page.get_by_test_id("preview-result")
    result.wait_for()
    assert "得" in result.inner_text() and "分" in result.inner_text()
    screenshot(page, "indicator-what-if")
    assert page.js_errors == []
