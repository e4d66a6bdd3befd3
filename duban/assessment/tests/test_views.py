"""Scoreboard, indicator and report pages as each persona uses them."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from duban.assessment.models import Indicator, Report, RequiredMaterial
from duban.assessment.tests.factories import make_indicator, make_period, make_report, make_scheme
from duban.core.testing import count_queries


@pytest.fixture
def setup(org):
    scheme = make_scheme(org)
    make_period(scheme, "Q1")
    h1 = make_period(scheme, "H1")
    category = make_indicator(scheme, "A", "业务工作", 20, method="", target=None)
    rate = make_indicator(
        scheme,
        "A1",
        "开工率",
        10,
        parent=category,
        lead_section=org.section_a,
        responsible_leader=org.person("leader"),
        unit_of_measure="%",
    )
    accidents = make_indicator(
        scheme,
        "A2",
        "安全事故",
        10,
        parent=category,
        method="deduct_per_event",
        params={"per_event": "2"},
        target=None,
        lead_section=org.section_c,
    )
    return {"scheme": scheme, "h1": h1, "rate": rate, "accidents": accidents}


def test_scoreboard_page_shows_scores_grade_and_charts(org, client_for, setup):
    make_report(setup["rate"], setup["h1"], org.bureau, actual="97.5")
    body = (
        client_for("staff_c")
        .get(f"/assessment/schemes/{setup['scheme'].pk}/?period=H1")
        .content.decode()
    )
    assert 'data-code="A1"' in body and "7.50" in body
    assert "category-chart" in body and "history-chart" in body


def test_scoreboard_filters_by_section_and_exports_with_them(org, client_for, setup):
    url = f"/assessment/schemes/{setup['scheme'].pk}/"
    page = client_for("director").get(url, {"period": "H1", "section": org.section_c.pk})
    codes = [r.indicator.code for r in page.context["rows"]]
    assert codes == ["A", "A2"]
    export = client_for("director").get(
        url, {"period": "H1", "section": org.section_c.pk, "export": "xlsx"}
    )
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    values = [
        c.value
        for row in load_workbook(BytesIO(export.content)).worksheets[0].iter_rows()
        for c in row
    ]
    assert any("安全事故" in str(v) for v in values) and not any("开工率" in str(v) for v in values)


def test_scoreboard_page_query_count_is_the_same_for_40_and_400_indicators(org, client_for, setup):
    scheme, h1 = setup["scheme"], setup["h1"]
    client = client_for("director")
    url = f"/assessment/schemes/{scheme.pk}/?period=H1"

    def grow(n):
        start = Indicator.objects.count()
        for i in range(n):
            indicator = make_indicator(
                scheme, f"X{start + i}", f"指标{i}", 1, lead_section=org.section_a
            )
            RequiredMaterial.objects.create(indicator=indicator, name="台账")
            make_report(indicator, h1, org.bureau, actual="96")

    grow(37)
    client.get(url)
    small = count_queries(lambda: client.get(url))
    grow(360)
    large = count_queries(lambda: client.get(url))
    assert small == large, f"{small} queries at 40 indicators, {large} at 400"


def test_indicator_page_shows_rule_explanation_and_preview(org, client_for, setup):
    make_report(setup["rate"], setup["h1"], org.bureau, actual="97.5")
    body = (
        client_for("staff_c")
        .get(f"/assessment/indicators/{setup['rate'].pk}/?period=H1")
        .content.decode()
    )
    assert "完成率97.5%" in body and 'data-testid="preview"' in body


def test_score_preview_form_answers_with_score_and_sentence(org, client_for, setup):
    response = client_for("leader").post(
        f"/assessment/indicators/{setup['rate'].pk}/preview/", {"actual": "99"}
    )
    body = response.content.decode()
    assert "9.00" in body and "完成率99%" in body
    events = client_for("leader").post(
        f"/assessment/indicators/{setup['accidents'].pk}/preview/", {"events": "3"}
    )
    assert "4.00" in events.content.decode()


def test_the_section_reports_and_the_leader_confirms(org, client_for, setup):
    rate, url = setup["rate"], f"/assessment/indicators/{setup['rate'].pk}/report/H1/"
    staff = client_for("staff_a")
    saved = staff.post(url, {"actual": "96", "narrative": "上半年开工18个小区", "action": "save"})
    assert saved.status_code == 302
    report = Report.objects.get(indicator=rate)
    assert report.status == "draft" and report.unit == org.bureau
    staff.post(
        url,
        {
            "actual": "96.5",
            "narrative": "上半年开工18个小区",
            "action": "submit",
            "version": report.version,
        },
    )
    report.refresh_from_db()
    assert (report.status, report.actual, report.submitted_by) == (
        "submitted",
        D("96.5"),
        org.users["staff_a"],
    )
    # another section cannot report; it still reads the record
    assert client_for("staff_c").post(url, {"actual": "1", "action": "save"}).status_code == 404
    assert client_for("staff_c").get(url).status_code == 200
    # the leader returns it with a reason, the section corrects and resubmits, the leader confirms
    leader = client_for("leader")
    empty = leader.post(url, {"action": "return", "reason": "", "version": report.version})
    assert empty.status_code == 400
    leader.post(url, {"action": "return", "reason": "请附开工台账", "version": report.version})
    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "请附开工台账")
    staff.post(
        url,
        {"actual": "96.5", "narrative": "已补充", "action": "submit", "version": report.version},
    )
    report.refresh_from_db()
    leader.post(url, {"action": "confirm", "version": report.version})
    report.refresh_from_db()
    assert report.status == "confirmed" and report.confirmed_by == org.users["leader"]
    # a confirmed report is no longer editable
    assert staff.post(url, {"actual": "1", "action": "save"}).status_code == 404


def test_a_staff_member_cannot_confirm_and_a_stale_edit_is_refused(org, client_for, setup):
    rate, url = setup["rate"], f"/assessment/indicators/{setup['rate'].pk}/report/H1/"
    report = make_report(rate, setup["h1"], org.bureau, actual="90", status="draft")
    assert (
        client_for("chief_a")
        .post(url, {"action": "confirm", "version": report.version})
        .status_code
        == 404
    )
    stale = report.version
    report.narrative = "别人改过"
    report.save()
    response = client_for("staff_a").post(
        url, {"actual": "99", "narrative": "我的", "action": "save", "version": stale}
    )
    assert response.status_code == 400
    assert "已被他人修改" in response.content.decode() and "我的" in response.content.decode()


def test_bad_report_input_keeps_what_was_typed(org, client_for, setup):
    url = f"/assessment/indicators/{setup['accidents'].pk}/report/H1/"
    response = client_for("staff_c").post(
        url, {"events": "-1", "narrative": "写了一半", "action": "save"}
    )
    assert response.status_code == 400
    assert "写了一半" in response.content.decode()


def test_my_indicators_lists_what_i_report_or_confirm(org, client_for, setup):
    def codes(persona):
        return {i.code for i in client_for(persona).get("/assessment/mine/").context["table"].data}

    assert codes("staff_a") == {"A1"}
    assert codes("staff_c") == {"A2"}
    assert codes("leader") == {"A1"}
    assert codes("director") == {"A1", "A2"}


def test_cockpit_shows_the_assessment_tiles(org, client_for, setup):
    make_report(setup["rate"], setup["h1"], org.bureau, actual="97.5")
    body = client_for("director").get("/").content.decode()
    assert 'data-testid="tile-score"' in body and 'data-testid="tile-lagging"' in body
