"""The weekly bulletin page in headless Chromium (screenshot in test-artifacts/): the director reads
the week's numbers, steps back a week and finds the Word file's link for that week."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.core.browser_testing import screenshot
from duban.org.tests.factories import PASSWORD
from duban.supervision import bulletin
from duban.supervision.choices import Level
from duban.supervision.models import Escalation
from duban.supervision.tests.factories import make_task

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{page.base_url}/")


def test_director_reads_the_weekly_bulletin(org, transactional_db, page):
    today = dt.date.today()
    start = today - dt.timedelta(days=60)
    late = make_task(
        org, "老旧小区改造进度滞后", assigned_on=start, deadline=today - dt.timedelta(days=14)
    )
    make_task(
        org,
        "排水管网清淤",
        lead_section=org.section_c,
        owner=org.person("staff_c"),
        assigned_on=start,
        deadline=today + dt.timedelta(days=20),
    )
    Escalation.objects.create(
        task=late,
        level=Level.LEADER,
        reason="overdue",
        detail="逾期",
        to_person=org.person("leader"),
        opened_on=today - dt.timedelta(days=7),
    )
    sign_in(page, "director")

    page.goto(f"{page.base_url}/supervision/bulletin/")

    assert page.get_by_test_id("count-overdue").inner_text() == "1"
    assert page.get_by_test_id("count-escalated").inner_text() == "1"
    assert page.get_by_test_id("count-progress").inner_text() == "2"
    assert "老旧小区改造进度滞后" in page.get_by_test_id("overdue-table").inner_text()
    assert "股室C" in page.get_by_test_id("section-table").inner_text()
    screenshot(page, "supervision-bulletin")
    assert page.js_errors == []

    previous = bulletin.week_label(bulletin.monday_of(today) - dt.timedelta(days=7))
    page.locator(f"a[href='?week={previous}']").click()
    page.wait_for_url(f"**/supervision/bulletin/?week={previous}")
    href = page.get_by_test_id("bulletin-docx").get_attribute("href")
    assert href.endswith(f"bulletin.docx?week={previous}")
