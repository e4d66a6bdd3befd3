"""挂图作战 in headless Chromium: the chart draws, expands, prints on A3 and as an A0 poster.

The drawing times (performance.now around the chart's init and setOption, exposed by battlemap.js)
are written to test-artifacts/battlemap-timing.json, not asserted: a shared CI machine is no clock.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from duban.core.browser_testing import ARTIFACTS, screenshot
from duban.org.tests.factories import PASSWORD
from duban.projects.bench import build_portfolio
from duban.projects.models import Activity, Baseline
from duban.projects.services import approve_baseline
from duban.projects.tests.factories import make_plan, make_project

pytestmark = pytest.mark.browser

ROAD = [
    {"code": "R01", "name": "施工准备", "duration": 8},
    {"code": "R02", "name": "管线迁改", "duration": 15, "predecessors": [{"code": "R01"}]},
    {"code": "R03", "name": "路基施工", "duration": 25, "predecessors": [{"code": "R01"}]},
    {"code": "R04", "name": "雨污水管网", "duration": 20, "predecessors": [{"code": "R02"}]},
    {
        "code": "R05",
        "name": "主体完工",
        "duration": 0,
        "predecessors": [{"code": "R03"}, {"code": "R04"}],
    },
    {"code": "R06", "name": "路面铺筑", "duration": 20, "predecessors": [{"code": "R05"}]},
    {"code": "R07", "name": "交通设施及绿化", "duration": 12, "predecessors": [{"code": "R06"}]},
    {"code": "R08", "name": "竣工验收", "duration": 0, "predecessors": [{"code": "R07"}]},
]
HOUSING = [
    {"code": "H01", "name": "桩基工程", "duration": 20},
    {"code": "H02", "name": "基础及地下室", "duration": 30, "predecessors": [{"code": "H01"}]},
    {"code": "H03", "name": "主体结构封顶", "duration": 0, "predecessors": [{"code": "H02"}]},
    {"code": "H04", "name": "二次结构及安装", "duration": 40, "predecessors": [{"code": "H03"}]},
    {"code": "H05", "name": "室外配套", "duration": 25, "predecessors": [{"code": "H03"}]},
    {
        "code": "H06",
        "name": "竣工验收",
        "duration": 0,
        "predecessors": [{"code": "H04"}, {"code": "H05"}],
    },
]
SEWAGE = [
    {"code": "S01", "name": "设备采购", "duration": 30},
    {"code": "S02", "name": "土建施工", "duration": 45},
    {
        "code": "S03",
        "name": "设备安装",
        "duration": 20,
        "predecessors": [{"code": "S01"}, {"code": "S02"}],
    },
    {"code": "S04", "name": "调试运行", "duration": 15, "predecessors": [{"code": "S03"}]},
]


def advance(project, as_of: dt.date, late: dict[str, int]) -> None:
    """Progress as the approved plan expects by `as_of`, some of it `late` (working days ≈ days)."""
    baseline = Baseline.objects.filter(project=project).get()
    yesterday = as_of - dt.timedelta(days=1)
    for row in baseline.activities.all():
        delay = dt.timedelta(days=late.get(row.code, 0))
        fields = {}
        if row.finish + delay < as_of:
            fields = {
                "actual_start": min(row.start, yesterday),
                "actual_finish": min(row.finish + delay, yesterday),
                "percent_complete": 100,
            }
        elif row.start + delay < as_of:
            fields = {"actual_start": row.start + delay, "percent_complete": 35}
        Activity.objects.filter(project=project, code=row.code, archived_at=None).update(**fields)


@pytest.fixture
def wall(org):
    """Four key projects around today: on track, behind, tight, and one without a plan yet."""
    today = timezone.localdate()
    approver = org.users["leader"]
    leader = org.person("leader")
    road = make_project(
        org,
        "ZD-2026-01",
        "滨河路道路改造工程",
        planned_start=today - dt.timedelta(days=70),
        deadline=today + dt.timedelta(days=120),
        responsible_leader=leader,
        stage="construction",
    )
    make_plan(road, ROAD)
    approve_baseline(road, approver, "立项批复计划", approved_on=road.planned_start)
    advance(road, today, {"R02": 6})
    housing = make_project(
        org,
        "ZD-2026-02",
        "城东保障性住房二期",
        planned_start=today - dt.timedelta(days=100),
        deadline=today + dt.timedelta(days=30),
        lead_section=org.section_b,
        stage="construction",
    )
    make_plan(housing, HOUSING)
    approve_baseline(housing, approver, "立项批复计划", approved_on=housing.planned_start)
    advance(housing, today, {"H02": 12})
    sewage = make_project(
        org,
        "ZD-2026-03",
        "第二污水处理厂提标改造",
        planned_start=today - dt.timedelta(days=20),
        deadline=today + dt.timedelta(days=92),
        stage="construction",
    )
    make_plan(sewage, SEWAGE)
    approve_baseline(sewage, approver, "立项批复计划", approved_on=sewage.planned_start)
    advance(sewage, today, {})
    make_project(
        org,
        "ZD-2026-04",
        "老旧小区改造（第三批）",
        planned_start=today + dt.timedelta(days=30),
        deadline=today + dt.timedelta(days=200),
        lead_section=org.section_c,
    )
    return {"road": road, "housing": housing, "sewage": sewage}


def sign_in(page, username: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{page.base_url}/")


def drawn(page) -> dict:
    page.wait_for_function("window.dubanBattlemap && window.dubanBattlemap.draws > 0")
    return page.evaluate(
        "({first: dubanBattlemap.firstDrawMs, last: dubanBattlemap.lastDrawMs,"
        " rows: dubanBattlemap.rows, draws: dubanBattlemap.draws})"
    )


def record(key: str, value) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "battlemap-timing.json"
    timings = json.loads(path.read_text()) if path.exists() else {}
    timings[key] = value
    path.write_text(json.dumps(timings, indent=2, ensure_ascii=False))


def sheets(page) -> int:
    """Wait for the chart to be re-rendered on paper; the number of sheets, each its own chart."""
    page.wait_for_function("dubanBattlemap.sheets > 0")
    count = page.evaluate("dubanBattlemap.sheets")
    assert page.locator(".battlemap-sheet svg").count() == count
    width = page.evaluate("document.querySelector('.battlemap-sheet').offsetWidth")
    assert width > 1400 if "poster" not in page.url else width > 3000  # the paper's width
    return count


def pdf_pages(pdf: bytes) -> list[tuple[int, int]]:
    """The MediaBox width and height of every page, in whole millimetres."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(round(float(w) * 25.4 / 72), round(float(h) * 25.4 / 72)) for w, h in boxes]


def test_the_battle_map_draws_expands_and_prints_on_a3(wall, page):
    sign_in(page, "director")
    page.goto(f"{page.base_url}/projects/battlemap/")
    first = drawn(page)
    assert first["rows"] == 4  # one row per project
    chart = page.get_by_test_id("battlemap-chart")
    assert chart.locator("svg").count() == 1
    assert chart.locator("svg text", has_text="滨河路道路改造工程").count() == 1
    page.locator(f"[data-battlemap-toggle='{wall['road'].pk}']").click()
    assert drawn(page)["rows"] == 4 + len(ROAD)
    assert chart.locator("svg text", has_text="管线迁改").count() == 1
    page.get_by_test_id("expand-all").click()
    expanded = drawn(page)
    assert expanded["rows"] == 4 + len(ROAD) + len(HOUSING) + len(SEWAGE)
    # Critical activities are labelled in red; the today line and its label are drawn.
    assert chart.locator("svg text[fill='#d63939']").count() >= 3
    assert chart.locator("svg text", has_text="今天").count() >= 1
    record("4 projects, 18 activities: first draw (collapsed) ms", round(first["first"], 1))
    record("4 projects, 18 activities: expand all ms", round(expanded["last"], 1))
    screenshot(page, "battlemap")

    page.emulate_media(media="print")
    assert sheets(page) == 1  # 22 rows fill one A3 sheet
    assert not page.locator("#filters").is_visible()
    assert not page.locator(".navbar").first.is_visible()
    pdf = page.pdf(format="A3", landscape=True, print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "battlemap.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) == [(420, 297)]  # A3 landscape
    page.emulate_media(media="screen")
    page.wait_for_function("dubanBattlemap.sheets === 0")
    assert page.get_by_test_id("battlemap-chart").is_visible()
    assert page.js_errors == []


def test_the_poster_prints_on_a0(wall, page):
    sign_in(page, "director")
    page.goto(f"{page.base_url}/projects/battlemap/?poster=1")
    drawn(page)
    page.get_by_test_id("expand-all").click()
    page.emulate_media(media="print")
    assert sheets(page) == 1
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "battlemap-poster.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == [(841, 1189)]  # A0
    assert page.js_errors == []


def test_one_project_in_focus_is_expanded(wall, page):
    sign_in(page, "staff_c")
    page.goto(f"{page.base_url}/projects/battlemap/?project={wall['housing'].pk}")
    assert drawn(page)["rows"] == 1 + len(HOUSING)
    screenshot(page, "battlemap-focus")
    assert page.js_errors == []


def test_drawing_time_at_3000_activities(org, page):
    build_portfolio(
        unit=org.bureau,
        section=org.section_a,
        approver=org.users["leader"],
        leader=org.person("leader"),
        projects=100,
    )
    sign_in(page, "director")
    page.goto(f"{page.base_url}/projects/battlemap/")
    collapsed = drawn(page)
    assert collapsed["rows"] == 100
    page.evaluate("dubanBattlemap.expandAll()")
    expanded = drawn(page)
    assert expanded["rows"] == 3_100
    record(
        "100 projects, 3,000 activities: first draw (collapsed) ms", round(collapsed["first"], 1)
    )
    record("100 projects, 3,000 activities: expand all ms", round(expanded["last"], 1))
    page.evaluate("dubanBattlemap.collapseAll()")
    assert drawn(page)["rows"] == 100
    screenshot(page, "battlemap-3000")
    page.emulate_media(media="print")
    count = sheets(page)
    pdf = page.pdf(format="A3", landscape=True, print_background=True)
    (ARTIFACTS / "battlemap-3000.pdf").write_bytes(pdf)
    assert count > 1 and len(pdf_pages(pdf)) == count  # one chart per A3 sheet, none blank
    assert page.js_errors == []
