"""An inspector on site records an inspection on a phone: two findings, one with a camera photo."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from decimal import Decimal

import pytest

from duban.core.browser_testing import screenshot
from duban.org.tests.factories import PASSWORD
from duban.projects.choices import PrepKind, PrepStatus, Stage
from duban.projects.models import Closeout, Inspection, PrepStep
from duban.projects.tests.factories import make_project

pytestmark = pytest.mark.browser


def real_png(width: int = 4, height: int = 3) -> bytes:
    """A genuine orange PNG, so the thumbnail on the page really decodes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x80\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.base_url = live_server.url
    page.js_errors = errors
    yield page
    context.close()


def test_an_inspection_with_a_photo_is_recorded_on_a_phone(transactional_db, org, phone):
    project = make_project(
        org, stage=Stage.CONSTRUCTION, responsible_leader=org.person("leader"), name="城北污水管网"
    )
    page = phone
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill("staff_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{page.base_url}/")

    page.goto(f"{page.base_url}/projects/{project.pk}/inspections/add/")
    # One column: nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("input[name=inspectors]").first.check()
    page.locator("input[name=focus][value=safety]").check()
    page.locator("input[name=focus][value=civilised]").check()
    page.locator("#id_finding-0-category").select_option("safety")
    page.locator("#id_finding-0-description").fill("基坑临边防护缺失")
    camera = page.locator("#id_finding-0-photos")
    assert camera.get_attribute("capture") == "environment"
    camera.set_input_files([{"name": "现场.png", "mimeType": "image/png", "buffer": real_png()}])
    page.locator("#add-finding").click()
    page.locator("#id_finding-1-category").select_option("civilised")
    page.locator("#id_finding-1-description").fill("材料堆放杂乱")
    screenshot(page, "projects-inspection-phone-form")
    page.locator(".submit-bar button[type=submit]").click()
    page.wait_for_url(re.compile(r"/projects/inspections/\d+/$"))

    inspection = Inspection.objects.get()
    assert [f.description for f in inspection.findings.order_by("id")] == [
        "基坑临边防护缺失",
        "材料堆放杂乱",
    ]
    assert page.locator("[data-testid=finding]").count() == 2
    photo = page.locator("[data-testid=photos] img")
    assert photo.count() == 1
    photo.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('[data-testid=photos] img').complete")
    assert photo.evaluate("img => img.naturalWidth") == 4
    screenshot(page, "projects-inspection-phone-detail")
    assert page.js_errors == []


def test_the_director_reads_compliance_close_out_and_pipeline(transactional_db, org, page):
    leader = org.person("leader")
    make_project(org, "XM-001", "城北污水管网", stage=Stage.CONSTRUCTION, responsible_leader=leader)
    done = make_project(
        org, "XM-002", "滨河路改造", stage=Stage.COMPLETED, responsible_leader=leader
    )
    Closeout.objects.create(
        project=done,
        completed_on=dt.date(2026, 6, 30),
        accepted_on=dt.date(2026, 7, 10),
        contract_amount=Decimal("1200"),
        settlement_submitted_on=dt.date(2026, 8, 1),
        settlement_amount=Decimal("1250"),
        audited_amount=Decimal("1180.5"),
    )
    reserve = make_project(
        org,
        "CB-01",
        "城南雨污分流",
        stage=Stage.RESERVE,
        planned_start=dt.date(2027, 3, 1),
        plan_year=2027,
        responsible_leader=leader,
    )
    PrepStep.objects.create(
        project=reserve, kind=PrepKind.PROPOSAL, status=PrepStatus.DONE, done_on=dt.date(2026, 5, 1)
    )
    PrepStep.objects.create(
        project=reserve,
        kind=PrepKind.SITE,
        status=PrepStatus.BLOCKED,
        blocker="用地指标未落实",
        sort_order=1,
    )
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill("director")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{page.base_url}/")

    page.goto(f"{page.base_url}/projects/inspections/compliance/")
    assert page.get_by_test_id("under-inspected").count() == 1
    screenshot(page, "projects-inspection-compliance")
    page.goto(f"{page.base_url}/projects/{done.pk}/closeout/")
    # Today is after 30 September: 备案, 结算审查 and 决算 are all overdue (the dates are in 2026).
    assert page.get_by_test_id("overdue").count() == 3
    screenshot(page, "projects-closeout")
    page.goto(f"{page.base_url}/projects/pipeline/?year=2027")
    assert page.get_by_test_id("blocker").first.inner_text().endswith("用地指标未落实")
    screenshot(page, "projects-pipeline")
    page.goto(f"{page.base_url}/projects/{reserve.pk}/pipeline/?edit=eia")
    assert page.get_by_test_id("step-form").is_visible()
    screenshot(page, "projects-project-pipeline")
    assert page.js_errors == []
