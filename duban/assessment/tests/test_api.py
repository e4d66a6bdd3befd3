"""The engine's public contract (score-preview) and the scoreboard endpoint."""

from __future__ import annotations

import pytest

from duban.assessment.tests.factories import make_indicator, make_period, make_report, make_scheme

URL = "/api/v1/assessment/score-preview/"


def preview(client, body):
    return client.post(URL, body, content_type="application/json")


def test_completion_linear_example(org, client_for):
    response = preview(
        client_for("staff_a"),
        {
            "method": "completion_linear",
            "points": 10,
            "params": {"penalty_per_step": 1},
            "target": 100,
            "direction": "higher",
            "actual": 97.5,
        },
    )
    assert response.status_code == 200
    assert response.json()["score"] == "7.50"
    assert (
        response.json()["explanation"]
        == "完成率97.5%，低于目标2.5个百分点，每少1个百分点扣1分，扣2.5分，得7.5分"
    )


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"method": "binary", "points": 5, "target": 10, "actual": 12}, "5.00"),
        (
            {"method": "deduct_per_event", "points": 4, "params": {"per_event": 2}, "events": 3},
            "0.00",
        ),
        (
            {
                "method": "milestone_deduction",
                "points": 6,
                "params": {"per_miss": 1.5, "gate_last": False},
                "milestones": [
                    {"due": "2026-03-31", "done": "2026-03-30"},
                    {"due": "2026-06-30", "done": None},
                ],
                "as_of": "2026-07-01",
            },
            "4.50",
        ),
        ({"method": "ranking_proportional", "points": 3, "actual": 30, "peers": [60, 45]}, "1.50"),
        ({"method": "bonus_capped", "points": 3, "params": {"cap": 3}, "items": [1, 2, 2]}, "3.00"),
        ({"method": "veto", "points": 0, "params": {"scope": "scheme"}, "triggered": True}, "0.00"),
    ],
)
def test_every_method_through_the_api(org, client_for, body, expected):
    response = preview(client_for("director"), body)
    assert response.status_code == 200, response.json()
    assert response.json()["score"] == expected


@pytest.mark.parametrize(
    "body, field",
    [
        ({"method": "nonsense", "points": 5}, "method"),
        ({"method": "binary", "points": 5, "target": 0, "actual": 1}, "target"),
        (
            {"method": "completion_linear", "points": 10, "target": 100, "actual": 90},
            "params.penalty_per_step",
        ),
        (
            {"method": "deduct_per_event", "points": 4, "params": {"per_event": 2}, "events": -1},
            "events",
        ),
        (
            {
                "method": "milestone_deduction",
                "points": 4,
                "params": {"per_miss": 1},
                "milestones": [{"due": "2026-13-45"}],
                "as_of": "2026-07-01",
            },
            "milestones",
        ),
        ({"method": "binary", "points": "abc", "target": 1, "actual": 1}, "points"),
    ],
)
def test_bad_input_is_a_400_with_a_chinese_message_per_field(org, client_for, body, field):
    response = preview(client_for("director"), body)
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    message = str(errors[field])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


def test_scoreboard_endpoint_returns_the_pages_numbers(org, client_for):
    scheme = make_scheme(org)
    h1 = make_period(scheme, "H1")
    rate = make_indicator(scheme, "A1", "开工率", 10, lead_section=org.section_a)
    make_report(rate, h1, org.bureau, actual="97.5")
    body = (
        client_for("staff_c")
        .get(f"/api/v1/assessment/schemes/{scheme.pk}/scoreboard/?period=H1")
        .json()
    )
    assert body["score_now"] == "7.50" and body["indicators"][0]["explanation"].startswith(
        "完成率97.5%"
    )
    assert body["points_at_risk"] == "2.50" and body["period"] == "H1"
    assert (
        client_for("staff_c")
        .get(f"/api/v1/assessment/schemes/{scheme.pk}/scoreboard/?period=ZZ")
        .status_code
        == 404
    )


def test_report_api_writes_only_for_the_lead_section(org, client_for):
    scheme = make_scheme(org)
    h1 = make_period(scheme, "H1")
    rate = make_indicator(scheme, "A1", "开工率", 10, lead_section=org.section_a)
    body = {"indicator": rate.pk, "period": h1.pk, "actual": "95"}
    refused = client_for("staff_c").post(
        "/api/v1/assessment/reports/", body, content_type="application/json"
    )
    assert refused.status_code == 400 and "indicator" in refused.json()
    created = client_for("staff_a").post(
        "/api/v1/assessment/reports/", body, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    duplicate = client_for("staff_a").post(
        "/api/v1/assessment/reports/", body, content_type="application/json"
    )
    assert duplicate.status_code == 400


def test_report_api_refuses_bad_inputs_that_would_break_the_board(org, client_for):
    scheme = make_scheme(org)
    h1 = make_period(scheme, "H1")
    events = make_indicator(
        scheme,
        "B1",
        "事故",
        4,
        method="deduct_per_event",
        params={"per_event": "2"},
        target=None,
        lead_section=org.section_a,
    )
    rate = make_indicator(scheme, "A1", "开工率", 10, lead_section=org.section_a)
    client = client_for("staff_a")

    def post(body):
        return client.post("/api/v1/assessment/reports/", body, content_type="application/json")

    assert post({"indicator": events.pk, "period": h1.pk, "extras": "zzz"}).status_code == 400
    assert (
        post({"indicator": events.pk, "period": h1.pk, "extras": {"events": -1}}).status_code == 400
    )
    negative = post({"indicator": rate.pk, "period": h1.pk, "actual": "-5"})
    assert negative.status_code == 400 and "actual" in negative.json()
    created = post({"indicator": rate.pk, "period": h1.pk, "actual": "95"})
    assert created.status_code == 201
    other = make_indicator(scheme, "A2", "别的股室的指标", 5, lead_section=org.section_c)
    moved = client.patch(
        f"/api/v1/assessment/reports/{created.json()['id']}/",
        {"indicator": other.pk, "version": created.json()["version"]},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["indicator"] == rate.pk  # indicator is fixed


def test_the_report_form_refuses_a_negative_value_at_its_field(org, client_for):
    scheme = make_scheme(org)
    make_period(scheme, "H1")
    rate = make_indicator(scheme, "A1", "开工率", 10, lead_section=org.section_a)
    response = client_for("staff_a").post(
        f"/assessment/indicators/{rate.pk}/report/H1/",
        {"actual": "-5", "narrative": "草稿", "action": "save"},
    )
    assert response.status_code == 400 and "草稿" in response.content.decode()
    assert "负" in response.content.decode()
