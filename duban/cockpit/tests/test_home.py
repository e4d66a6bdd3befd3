from __future__ import annotations

import datetime as dt

import time_machine

from duban.core.testing import check_matrix


def test_director_home_shows_unit_sections_leaders_headcount_and_holidays(org, client_for):
    with time_machine.travel(dt.datetime(2026, 9, 1, 2, tzinfo=dt.UTC), tick=False):
        response = client_for("director").get("/")
    body = response.content.decode()
    assert "某县住房和城乡建设局" in body
    assert response.context["headcount"] == 6
    assert [s.name for s in response.context["sections"]] == ["股室A", "股室B", "股室C"]
    assert response.context["sections"][0].current_leader.name == "leader"
    assert [h["name"] for h in response.context["holidays"]][:2] == ["中秋节", "国庆节"]


def test_home_warns_when_next_years_holidays_are_missing(org, client_for):
    with time_machine.travel(dt.datetime(2026, 11, 28, 2, tzinfo=dt.UTC), tick=False):
        body = client_for("director").get("/").content.decode()
    assert "2027" in body and "尚未录入" in body


def test_home_needs_a_login(org, client_for):
    expected = {p: 200 for p in ("director", "staff_c", "auditor", "sysadmin", "secadmin")}
    assert check_matrix(client_for, "get", "/", {**expected, "anonymous": 302}) == []


def test_healthz_checks_the_database(client, db):
    assert client.get("/healthz").json()["database"] == "ok"
