"""The calendar service, API and page: official data, administrator entries, years without data."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.core.testing import check_matrix
from duban.workcalendar import services
from duban.workcalendar.models import CalendarDay

BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
READERS = {**dict.fromkeys(BUSINESS, 200), "sysadmin": 200, "auditor": 403, "secadmin": 403}


def test_official_2026_national_day_and_make_up_days(db):
    calendar = services.current_calendar()
    assert not any(calendar.is_workday(dt.date(2026, 10, d)) for d in range(1, 8))
    for day in ("2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"):
        assert calendar.is_workday(dt.date.fromisoformat(day)), day


def test_an_entered_2027_schedule_is_used_at_once(db):
    assert services.current_calendar().is_workday(dt.date(2027, 2, 10))
    services.enter_days(dt.date(2027, 2, 6), dt.date(2027, 2, 13), False, "春节")
    services.enter_days(dt.date(2027, 2, 20), dt.date(2027, 2, 20), True, "春节调休上班")
    calendar = services.current_calendar()
    assert not calendar.is_workday(dt.date(2027, 2, 10))
    assert calendar.is_workday(dt.date(2027, 2, 20))
    assert not calendar.is_complete(2027)
    services.set_year_complete(2027, True, "国办发明电〔2026〕X号")
    assert services.current_calendar().is_complete(2027)


def test_entering_a_day_again_voids_the_earlier_entry(db):
    services.enter_days(dt.date(2027, 1, 1), dt.date(2027, 1, 1), False, "元旦")
    services.enter_days(dt.date(2027, 1, 1), dt.date(2027, 1, 1), True, "更正")
    entries = CalendarDay.objects.filter(day=dt.date(2027, 1, 1)).order_by("id")
    assert [(e.name, e.is_void) for e in entries] == [("元旦", True), ("更正", False)]


def test_workdays_api(org, client_for):
    url = "/api/v1/calendar/workdays/?start=2026-10-01&end=2026-10-10"
    assert check_matrix(client_for, "get", url, {**READERS, "anonymous": 401}) == []
    body = client_for("staff_a").get(url).json()
    assert body == {"start": "2026-10-01", "end": "2026-10-10", "workdays": 3, "complete": True}
    assert (
        client_for("staff_a")
        .get("/api/v1/calendar/workdays/?start=2026-10-10&end=2026-10-01")
        .json()["workdays"]
        == 0
    )


def test_workdays_api_says_when_a_year_has_no_data(org, client_for):
    body = (
        client_for("staff_a")
        .get("/api/v1/calendar/workdays/?start=2026-12-28&end=2027-01-08")
        .json()
    )
    assert body["complete"] is False
    assert body["workdays"] == 10  # 12-28..12-31 (4) and 2027-01-01..01-08 on Monday–Friday (6)


def test_add_api(org, client_for):
    client = client_for("staff_a")
    assert client.get("/api/v1/calendar/add/?date=2026-09-30&workdays=1").json() == {
        "date": "2026-10-08",
        "complete": True,
    }
    assert (
        client.get("/api/v1/calendar/add/?date=2026-10-08&workdays=-1").json()["date"]
        == "2026-09-30"
    )
    assert (
        client.get("/api/v1/calendar/add/?date=2026-10-01&workdays=0").json()["date"]
        == "2026-10-08"
    )
    assert (
        client.get("/api/v1/calendar/add/?date=2026-12-30&workdays=5").json()["complete"] is False
    )


@pytest.mark.parametrize(
    "query, field",
    [
        ("start=2026-13-01&end=2026-12-01", "start"),
        ("start=2026-01-01", "end"),
        ("start=2000-01-01&end=2030-01-01", "end"),
        ("start=abc&end=2026-01-01", "start"),
    ],
)
def test_workdays_api_rejects_bad_input_with_a_message(org, client_for, query, field):
    response = client_for("staff_a").get(f"/api/v1/calendar/workdays/?{query}")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "query", ["date=2026-02-30&workdays=1", "date=2026-01-01&workdays=x", "date=2026-01-01"]
)
def test_add_api_rejects_bad_input(org, client_for, query):
    assert client_for("staff_a").get(f"/api/v1/calendar/add/?{query}").status_code == 400


def test_month_page_shows_holidays_and_make_up_days(org, client_for):
    response = client_for("staff_a").get("/calendar/?year=2026&month=10")
    body = response.content.decode()
    assert 'data-date="2026-10-01" data-kind="holiday"' in body
    assert 'data-date="2026-10-10" data-kind="makeup"' in body
    assert "incomplete-year" not in body
    assert check_matrix(client_for, "get", "/calendar/", {**READERS, "anonymous": 302}) == []


def test_month_page_warns_about_a_year_without_data(org, client_for):
    body = client_for("staff_a").get("/calendar/?year=2027&month=3").content.decode()
    assert "incomplete-year" in body and "2027" in body


def test_only_the_system_administrator_enters_days(org, client_for):
    data = {"start": "2027-10-01", "end": "2027-10-07", "kind": "off", "name": "国庆节"}
    expected = {**dict.fromkeys(BUSINESS, 403), "auditor": 403, "secadmin": 403}
    assert check_matrix(client_for, "post", "/calendar/days/", expected, data) == []
    response = client_for("sysadmin").post("/calendar/days/", data)
    assert response.status_code == 302
    assert CalendarDay.objects.in_force().count() == 7


def test_a_bad_range_keeps_the_form_and_explains(org, client_for):
    response = client_for("sysadmin").post(
        "/calendar/days/",
        {"start": "2027-10-07", "end": "2027-10-01", "kind": "off", "name": "国庆节"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "早于" in body and 'value="国庆节"' in body
    assert not CalendarDay.objects.exists()


def test_voiding_needs_a_reason(org, client_for):
    entry = services.enter_days(dt.date(2027, 1, 1), dt.date(2027, 1, 1), False, "元旦")[0]
    client_for("sysadmin").post(f"/calendar/days/{entry.pk}/void/", {"reason": ""})
    entry.refresh_from_db()
    assert not entry.is_void
    client_for("sysadmin").post(f"/calendar/days/{entry.pk}/void/", {"reason": "录入错误"})
    entry.refresh_from_db()
    assert entry.is_void and entry.void_reason == "录入错误"
