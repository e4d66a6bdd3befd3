"""A user's first minutes: sign in as the director, see the home page, browse, sign out."""

from __future__ import annotations

import pytest

from duban.core.browser_testing import screenshot
from duban.org.tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_director_signs_in_sees_home_and_signs_out(org, page):
    sign_in(page, "director")
    page.wait_for_url(f"{page.base_url}/")
    assert page.get_by_role("heading", name="某县住房和城乡建设局").is_visible()
    assert page.get_by_test_id("sections-table").get_by_text("股室A").is_visible()
    assert page.locator("#headcount-chart svg").count() == 1  # the ECharts chart rendered
    screenshot(page, "home-director")
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")
    assert page.get_by_role("button", name="登录").is_visible()
    assert page.js_errors == []


def test_a_wrong_password_shows_the_message_and_keeps_the_name(org, page):
    sign_in(page, "director", "Wrong#2026")
    assert page.get_by_text("用户名或密码错误").is_visible()
    assert page.get_by_label("用户名").input_value() == "director"
    screenshot(page, "login-error")


def test_people_list_filters_and_pages_work(org, page):
    sign_in(page, "director")
    page.goto(f"{page.base_url}/org/people/")
    page.get_by_label("股室").select_option(label="股室A")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**section=*")
    rows = page.locator("table tbody tr")
    assert rows.count() == 3  # chief_a, staff_a, office
    screenshot(page, "people-list")
    assert page.js_errors == []


def test_calendar_month_page_renders_national_day(org, page):
    sign_in(page, "staff_a")
    page.goto(f"{page.base_url}/calendar/?year=2026&month=10")
    cell = page.locator('[data-date="2026-10-01"]')
    assert cell.get_attribute("data-kind") == "holiday"
    assert "国庆" in cell.inner_text()
    screenshot(page, "calendar-2026-10")


def test_the_home_page_works_on_a_phone(org, browser, live_server):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.base_url = live_server.url
    sign_in(page, "director")
    page.wait_for_url(f"{live_server.url}/")
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    toggler.click()
    assert (
        page.get_by_role("link", name="日历").first.is_visible()
        or page.get_by_text("工作日历").first.is_visible()
    )
    screenshot(page, "home-phone")
    context.close()


def test_lists_print_without_the_navigation(org, page):
    sign_in(page, "director")
    page.goto(f"{page.base_url}/org/people/")
    page.emulate_media(media="print")
    assert not page.locator(".navbar").first.is_visible()
    assert not page.get_by_test_id("export").is_visible()
    assert page.locator("table tbody tr").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    from duban.core.browser_testing import ARTIFACTS

    (ARTIFACTS / "people-list.pdf").write_bytes(pdf)
