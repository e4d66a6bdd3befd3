"""The project list, the project page and the plan in headless Chromium (screenshots in
test-artifacts/): a section's staff enters an actual finish inline and the forecast moves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from duban.core.browser_testing import screenshot
from duban.org.tests.factories import PASSWORD
from duban.projects.choices import InspectionFocus
from duban.projects.models import Finding, Inspection, MonthlyReport
from duban.projects.services import approve_baseline
from duban.projects.tests.factories import make_plan, make_project

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{page.base_url}/")


def test_staff_read_the_project_and_record_progress_on_the_plan(org, transactional_db, page):
    today = dt.date.today()
    project = make_project(
        org,
        "XM-1",
        "滨河路提质改造",
        today - dt.timedelta(days=30),
        today + dt.timedelta(days=120),
        annual_investment=Decimal("2000"),
        responsible_leader=org.person("leader"),
    )
    make_plan(
        project,
        [
            ("A", 10, None),
            ("B", 15, "A"),
            ("C", 20, "A+2"),
            ("D", 0, "B,C"),
        ],
    )
    approve_baseline(project, org.users["leader"], "立项批复计划", "县发改〔2026〕8号")
    inspection = Inspection.objects.create(project=project, date=today)
    Finding.objects.create(
        inspection=inspection, category=InspectionFocus.SAFETY, description="基坑临边防护缺失"
    )
    MonthlyReport.objects.create(
        project=project,
        month=today.replace(day=1),
        investment=Decimal("900"),
        image_progress="雨污水管网完成60%",
        problems="管线迁改滞后",
    )
    sign_in(page, "staff_a")

    page.goto(f"{page.base_url}/projects/")
    assert page.get_by_role("link", name="XM-1").is_visible()
    screenshot(page, "projects-list")

    page.goto(f"{page.base_url}/projects/{project.pk}/")
    assert page.get_by_test_id("safety").inner_text().count("基坑临边防护缺失") == 1
    assert page.get_by_test_id("critical-path").is_visible()
    screenshot(page, "project-detail")

    page.goto(f"{page.base_url}/projects/{project.pk}/plan/")
    row = page.locator("tr[data-code=A]")
    before = row.get_by_test_id("early").inner_text()
    row.locator("input[name$=actual_start]").fill((today - dt.timedelta(days=30)).isoformat())
    row.locator("input[name$=actual_finish]").fill((today - dt.timedelta(days=3)).isoformat())
    row.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").count() >= 1
    after = page.locator("tr[data-code=A]").get_by_test_id("early").inner_text()
    assert after != before
    screenshot(page, "project-plan")
    assert page.js_errors == []
