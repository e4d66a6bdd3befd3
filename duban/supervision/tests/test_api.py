"""The task API: the fields the issue names, scoping, creation rules and field errors (never a 500)."""

from __future__ import annotations

import datetime as dt

import time_machine

from duban.supervision import escalation
from duban.supervision.tests.factories import make_task
from duban.supervision.tests.test_escalation import at


def test_detail_has_status_overdue_and_escalation(org, client_for):
    with time_machine.travel(at("2026-10-13"), tick=False):
        task = make_task(
            org, "逾期事项", assigned_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 9, 30)
        )
        escalation.scan(at("2026-10-13"))
        body = client_for("director").get(f"/api/v1/supervision/tasks/{task.pk}/").json()
    assert body["status"] == "pending"
    assert body["overdue_workdays"] == 5
    assert body["escalation_level"] == 2
    assert body["escalated_to"] == [org.person("leader").pk, org.person("director").pk]
    assert body["number"] == "督办〔2026〕1号"


def test_list_is_scoped(org, client_for):
    make_task(org, "A股室事项")
    make_task(org, "C股室事项", lead_section=org.section_c, owner=org.person("staff_c"))
    titles = lambda who: {  # noqa: E731
        row["title"] for row in client_for(who).get("/api/v1/supervision/tasks/").json()["results"]
    }
    assert titles("director") == {"A股室事项", "C股室事项"}
    assert titles("staff_a") == {"A股室事项"}
    assert titles("staff_c") == {"C股室事项"}
    assert titles("leader") == {"A股室事项"}  # leads A and B, not C


def test_create_with_working_days_and_field_errors(org, client_for):
    client = client_for("office")
    ok = client.post(
        "/api/v1/supervision/tasks/",
        {
            "title": "五个工作日内报送材料",
            "source": "instruction",
            "lead_section": org.section_a.pk,
            "owner": org.person("staff_a").pk,
            "assigned_on": "2026-09-28",
            "deadline_workdays": 5,
        },
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["deadline"] == "2026-10-10"
    assert ok.json()["responsible_leader"] == org.person("leader").pk
    missing = client.post(
        "/api/v1/supervision/tasks/",
        {
            "title": "x",
            "source": "other",
            "lead_section": org.section_a.pk,
            "owner": org.person("staff_a").pk,
        },
        content_type="application/json",
    )
    assert missing.status_code == 400 and "deadline" in missing.json()
    foreign = client.post(
        "/api/v1/supervision/tasks/",
        {
            "title": "x",
            "source": "other",
            "lead_section": org.section_d.pk,
            "owner": org.peer_person.pk,
            "deadline": "2026-12-01",
        },
        content_type="application/json",
    )
    assert foreign.status_code == 400
    assert {"lead_section", "owner"} <= set(foreign.json())
    staff = client_for("staff_a").post(
        "/api/v1/supervision/tasks/", {"title": "x"}, content_type="application/json"
    )
    assert staff.status_code == 403


def test_update_refuses_a_stale_version_and_a_deadline_change(org, client_for):
    task = make_task(org, "原标题")
    client = client_for("office")
    url = f"/api/v1/supervision/tasks/{task.pk}/"
    stale = client.patch(
        url, {"title": "新", "version": task.version - 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    moved = client.patch(
        url, {"deadline": "2027-01-30", "version": task.version}, content_type="application/json"
    )
    assert moved.status_code == 400 and "deadline" in moved.json()
    ok = client.patch(
        url, {"title": "新标题", "version": task.version}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["title"] == "新标题"
