"""Evidence in the browser: upload a file, see it, upload it again and be sent to the same document.

Playwright's sync API allows one instance per thread, and the core browser tests keep theirs open for
the whole session; this module drives its own Chromium in a worker thread so both can run in one go.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from duban.core.browser_testing import ARTIFACTS, CHROMIUM, FLAGS
from duban.evidence.models import Document
from duban.evidence.tests.factories import pdf_bytes
from duban.org.tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def in_browser(live_server):
    """in_browser(steps) runs steps(page) in a fresh headless Chromium and returns what it returns."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}")

    def run(steps):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=FLAGS
            )
            context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
            page = context.new_page()
            page.base_url = live_server.url
            page.js_errors = []
            page.on("pageerror", lambda error: page.js_errors.append(str(error)))
            try:
                return steps(page)
            finally:
                browser.close()

    def in_thread(steps):
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(run, steps).result()

    return in_thread


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, username: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/")


def upload(page, title: str, data: bytes, name: str) -> None:
    page.goto(f"{page.base_url}/evidence/upload/")
    page.locator("input[name=title]").fill(title)
    page.locator("input[name=file]").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": data}
    )
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url("**/evidence/*/")


def test_staff_uploads_evidence_once_and_finds_it_in_the_library(org, in_browser):
    data = pdf_bytes()

    def steps(page):
        seen = {}
        sign_in(page, "staff_a")
        upload(page, "消防验收意见书", data, "消防验收意见书.pdf")
        seen["first"] = page.url
        seen["heading"] = page.get_by_role("heading", name="消防验收意见书").is_visible()
        seen["download"] = page.get_by_role("link", name="消防验收意见书.pdf").is_visible()
        screenshot(page, "evidence-detail")
        upload(page, "换个标题再传一次", data, "副本.pdf")
        seen["second"] = page.url
        seen["notice"] = page.locator(".alert-info").is_visible()
        page.goto(f"{page.base_url}/evidence/")
        seen["rows"] = page.locator("table tbody tr").count()
        screenshot(page, "evidence-library")
        seen["errors"] = list(page.js_errors)
        return seen

    seen = in_browser(steps)
    document = Document.objects.get()
    assert seen["first"].endswith(document.get_absolute_url())
    assert seen["heading"] and seen["download"]
    assert seen["second"] == seen["first"] and seen["notice"]
    assert seen["rows"] == 1
    assert seen["errors"] == []
