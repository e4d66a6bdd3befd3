"""The 重点项目推进表: the list's export, opened with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from duban.core.testing import count_queries
from duban.projects import exports
from duban.projects.choices import Stage
from duban.projects.models import MonthlyReport
from duban.projects.tests.factories import make_plan, make_project

D = dt.date


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(dt.datetime(2026, 6, 30, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def projects(org):
    road = make_project(
        org,
        "XM-1",
        "滨河路改造",
        D(2026, 3, 2),
        D(2026, 12, 31),
        type="road",
        level="province",
        stage=Stage.CONSTRUCTION,
        total_investment=Decimal("8000"),
        annual_investment=Decimal("2000"),
        responsible_leader=org.person("leader"),
    )
    make_plan(road, [("A", 20), ("B", 30, "A")])
    for month, amount, problems in (
        (D(2026, 5, 1), 400, "雨季影响"),
        (D(2026, 6, 1), 500, "征拆滞后"),
    ):
        MonthlyReport.objects.create(
            project=road,
            month=month,
            investment=Decimal(amount),
            image_progress="管网施工",
            problems=problems,
        )
    other = make_project(org, "XM-2", "城北污水厂", lead_section=org.section_c)
    return road, other


def sheet_rows(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return sheet, rows[exports.HEADER_ROW - 1], rows[exports.HEADER_ROW :]


def test_the_export_is_the_progress_table_with_one_row_per_project(org, client_for, projects):
    response = client_for("staff_c").get("/projects/", {"export": "xlsx"})
    assert "attachment" in response["Content-Disposition"]
    sheet, header, rows = sheet_rows(response)
    assert sheet.cell(row=1, column=1).value == _("Key project progress table")
    assert "2026年6月30日" in sheet.cell(row=2, column=1).value
    assert len(header) == 17
    assert [r[1] for r in rows] == ["XM-1", "XM-2"]
    road = dict(zip(header, rows[0], strict=True))
    assert road[_("Project")] == "滨河路改造"
    assert road[_("Responsible leader")] == "leader"
    assert road[_("Lead section")] == "股室A"
    assert road[_("Total investment (万元)")] == 8000
    assert road[_("Planned investment this year (万元)")] == 2000
    assert road[_("Completed this year (万元)")] == 900
    assert road[_("Completion rate (%)")] == 45
    assert road[_("时间进度 (%)")] == pytest.approx(49.59)
    assert road[_("Against 时间进度 (points)")] == pytest.approx(-4.59)
    assert road[_("Problems (latest monthly report)")] == "征拆滞后"
    # Nothing started by 30 June: the 50 working days are forecast from today, to September.
    assert road[_("Float (working days)")] >= 5
    assert road[_("Status")] == exports.colour_label("green")
    other = dict(zip(header, rows[1], strict=True))
    assert other[_("Float (working days)")] is None
    assert other[_("Status")] == exports.colour_label("")


def test_the_export_keeps_the_lists_filters(org, client_for, projects):
    response = client_for("director").get(
        "/projects/", {"export": "xlsx", "section": org.section_c.pk}
    )
    sheet, _header, rows = sheet_rows(response)
    assert [r[1] for r in rows] == ["XM-2"]
    assert "股室C" in sheet.cell(row=2, column=1).value
    by_level = client_for("director").get("/projects/", {"export": "xlsx", "level": "province"})
    assert [r[1] for r in sheet_rows(by_level)[2]] == ["XM-1"]


def test_a_late_project_is_red(org, client_for):
    late = make_project(org, "L", "滞后项目", D(2026, 3, 2), D(2026, 7, 31))
    make_plan(late, [("A", 40)])  # not started by 30 June: 40 working days run to late August
    _sheet, header, rows = sheet_rows(client_for("staff_a").get("/projects/", {"export": "xlsx"}))
    line = dict(zip(header, rows[0], strict=True))
    assert line[_("Float (working days)")] < 0
    assert line[_("Status")] == exports.colour_label("red")


def test_export_query_count_does_not_grow_with_the_projects(org, client_for, projects):
    client = client_for("director")
    client.get("/projects/", {"export": "xlsx"})
    small = count_queries(lambda: client.get("/projects/", {"export": "xlsx"}))
    for i in range(30):
        project = make_project(org, f"Z{i:02d}", f"项目{i}", annual_investment=Decimal(10))
        make_plan(project, [("A", 3), ("B", 2, "A")])
    large = count_queries(lambda: client.get("/projects/", {"export": "xlsx"}))
    assert small == large
