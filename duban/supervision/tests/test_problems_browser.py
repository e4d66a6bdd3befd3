"""Raising a problem in headless Chromium (screenshots in test-artifacts/): while the re-worded
problem is typed, the panel shows the earlier decided problem; choosing it links the new problem to
the earlier decision instead of sending it round again."""

from __future__ import annotations

import pytest

from duban.core.browser_testing import screenshot
from duban.org.tests.factories import PASSWORD
from duban.supervision.choices import ProblemStatus
from duban.supervision.models import Problem
from duban.supervision.similar import LESSONS, PROBLEMS
from duban.supervision.tests.factories import make_decided_problem, make_lesson, make_problem

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fresh_indexes():
    PROBLEMS.clear()
    LESSONS.clear()
    yield
    PROBLEMS.clear()
    LESSONS.clear()


def sign_in(page, username):
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{page.base_url}/")


def test_typing_a_paraphrase_offers_the_earlier_decision_and_links_it(org, transactional_db, page):
    earlier = make_decided_problem(
        org, "老旧小区改造中居民不同意加装电梯", "按三分之二以上业主同意推进，低层住户适当补偿"
    )
    make_problem(org, "城东大道雨后积水严重")
    make_problem(org, "建筑工地夜间施工噪声扰民")
    make_lesson(org, "加装电梯协调经验", body="先开业主协商会，算清补偿账", tags="电梯")
    sign_in(page, "staff_c")

    page.goto(f"{page.base_url}/supervision/problems/add/")
    page.locator("#id_title").press_sequentially("加装电梯部分住户反对怎么办", delay=20)
    panel = page.get_by_test_id("similar-panel")
    first = panel.get_by_test_id("similar-problem").first
    first.wait_for()
    assert first.get_attribute("data-pk") == str(earlier.pk)
    assert "按三分之二以上业主同意推进" in first.inner_text()
    assert "加装电梯协调经验" in panel.get_by_test_id("similar-lessons").inner_text()
    screenshot(page, "problem-add-similar")

    first.get_by_test_id("choose-same").click()
    assert page.get_by_test_id("same-as-banner").is_visible()
    assert page.locator("#id_same_as").input_value() == str(earlier.pk)
    page.locator("#id_section").select_option(str(org.section_c.pk))
    page.get_by_test_id("problem-form").locator("button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/supervision/problems/*/")
    assert "按三分之二以上业主同意推进" in page.get_by_test_id("decision").inner_text()
    screenshot(page, "problem-linked-detail")

    repeat = Problem.objects.exclude(pk__in=[earlier.pk]).get(title="加装电梯部分住户反对怎么办")
    assert repeat.same_as_id == earlier.pk
    assert repeat.status == ProblemStatus.DECIDED
    page.goto(f"{page.base_url}/supervision/problems/{earlier.pk}/")
    assert page.get_by_test_id("reuse-count").is_visible()
    assert page.js_errors == []
