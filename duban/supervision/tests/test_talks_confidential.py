"""Proof of confidentiality (issue 4): a talk the leader gave staff_a is seen only by the director, the
leader, staff_a and the auditor (read-only) — on the list, in its Excel export, through the list's
search, in the API, in the change log, on the cockpit, on the pages of the people and of the linked
task and problem, and in the reminders that go out."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from duban.core.testing import ALL
from duban.supervision.reminders import KIND, talk_follow_ups
from duban.supervision.tests.factories import make_problem, make_talk, make_task

REASON = "工作作风漂浮屡次推诿扯皮"
COMMITMENT = "保证两周内完成整改并书面说明"
ALLOWED = ("director", "leader", "staff_a", "auditor")
BUSINESS_NOT_ALLOWED = ("chief_a", "staff_c", "office")
ADMINS = ("sysadmin", "secadmin")
NOW = dt.datetime(2026, 6, 30, 1, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def talk(org):
    talk = make_talk(
        org,
        "staff_a",
        "leader",
        kind="admonition",
        reason=REASON,
        commitments=COMMITMENT,
        follow_up_on=dt.date(2026, 6, 30),
    )
    talk.tasks.add(make_task(org, "老旧小区改造进度"))
    talk.problems.add(make_problem(org, "施工围挡不规范"))
    return talk


def _text(response) -> str:
    return response.content.decode()


def test_the_list_shows_the_talk_only_to_the_allowed(talk, client_for):
    for persona in ALLOWED:
        response = client_for(persona).get("/supervision/talks/")
        assert response.status_code == 200, persona
        assert REASON[:20] in _text(response), persona
    for persona in BUSINESS_NOT_ALLOWED:
        response = client_for(persona).get("/supervision/talks/")
        assert response.status_code == 200, persona
        assert REASON[:10] not in _text(response), persona
        assert list(response.context["table"].page.object_list) == [], persona
    for persona in ADMINS:
        assert client_for(persona).get("/supervision/talks/").status_code == 403, persona
    assert client_for("anonymous").get("/supervision/talks/").status_code == 302


def _sheet_text(response) -> str:
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def test_the_excel_export_holds_only_visible_rows(talk, client_for):
    for persona in ALLOWED:
        response = client_for(persona).get("/supervision/talks/?export=xlsx")
        assert response.status_code == 200, persona
        assert "no-store" in response["Cache-Control"]
        text = _sheet_text(response)
        assert REASON in text and COMMITMENT not in text, persona  # the reason, in full
        assert (
            "谈话记录（内部资料·注意保密）"
            in openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames
        ), persona
    for persona in BUSINESS_NOT_ALLOWED:
        response = client_for(persona).get("/supervision/talks/?export=xlsx")
        assert response.status_code == 200, persona
        text = _sheet_text(response)
        assert REASON not in text, persona
        assert org_name_absent(text, talk), persona
    for persona in ADMINS:
        assert client_for(persona).get("/supervision/talks/?export=xlsx").status_code == 403


def org_name_absent(text: str, talk) -> bool:
    return talk.person.name not in text


@pytest.mark.parametrize(
    "query", [REASON[:4], "staff_a", "诫勉", "推诿", "admonition", COMMITMENT[:4], "老旧小区"]
)
def test_the_search_never_reveals_the_talk(talk, client_for, query):
    for persona in BUSINESS_NOT_ALLOWED:
        for url in (
            f"/supervision/talks/?q={query}",
            f"/supervision/talks/?q={query}&export=xlsx",
            f"/supervision/talks/?q={query}&archived=on",
            f"/api/v1/supervision/talks/?q={query}",
        ):
            response = client_for(persona).get(url)
            assert response.status_code == 200, (persona, url)
            body = _sheet_text(response) if "xlsx" in url else _text(response)
            assert REASON not in body, (persona, url)
            if "/api/" in url:
                assert response.json()["results"] == [], (persona, url)
    # The allowed still find it by the words of its reason.
    response = client_for("staff_a").get(f"/supervision/talks/?q={REASON[:4]}")
    assert REASON[:20] in _text(response)


def test_filtering_by_the_person_reveals_nothing(talk, client_for):
    # Even a hand-made filter on the person talked to returns nothing (an invalid choice).
    for persona in BUSINESS_NOT_ALLOWED:
        response = client_for(persona).get(f"/supervision/talks/?person={talk.person_id}")
        assert REASON not in _text(response), persona
        assert list(response.context["table"].page.object_list) == [], persona


def test_the_api_list_and_detail_answer_only_the_allowed(talk, client_for):
    for persona in ALLOWED:
        rows = client_for(persona).get("/api/v1/supervision/talks/").json()["results"]
        assert [r["reason"] for r in rows] == [REASON], persona
        assert client_for(persona).get(f"/api/v1/supervision/talks/{talk.pk}/").status_code == 200
    for persona in BUSINESS_NOT_ALLOWED:
        response = client_for(persona).get("/api/v1/supervision/talks/")
        assert response.json()["results"] == [], persona
        assert client_for(persona).get(f"/api/v1/supervision/talks/{talk.pk}/").status_code == 404
    for persona in ADMINS:
        assert client_for(persona).get("/api/v1/supervision/talks/").status_code == 403


def test_the_change_log_is_the_auditors_alone(talk, client_for):
    """The generic change log records the talk (before/after, with the reason): only the auditor —
    who may read talks — opens it; every business persona and the administrators are refused."""
    response = client_for("auditor").get("/audit/changes/")
    assert response.status_code == 200
    from duban.audit.models import ObjectChange

    change = ObjectChange.objects.get(
        content_type__model="talk", object_id=str(talk.pk), action="create"
    )
    detail = client_for("auditor").get(f"/audit/changes/{change.pk}/")
    assert detail.status_code == 200 and REASON in _text(detail)
    api = client_for("auditor").get("/api/v1/audit/changes/")
    assert api.status_code == 200
    for persona in ("director", "leader", "staff_a", *BUSINESS_NOT_ALLOWED, *ADMINS):
        client = client_for(persona)
        assert client.get("/audit/changes/").status_code == 403, persona
        assert client.get(f"/audit/changes/{change.pk}/").status_code in (403, 404), persona
        assert client.get("/api/v1/audit/changes/").status_code == 403, persona


def test_the_cockpit_never_mentions_the_talk(talk, client_for):
    for persona in ALL:
        if persona == "anonymous":
            continue
        response = client_for(persona).get("/")
        assert response.status_code == 200, persona
        html = _text(response)
        for secret in (REASON, REASON[:6], COMMITMENT[:6], "诫勉谈话"):
            assert secret not in html, (persona, secret)


def test_the_pages_of_the_people_and_of_the_linked_items_do_not_show_it(talk, client_for):
    urls = [f"/org/people/{talk.person_id}/", f"/org/people/{talk.talker_id}/"]
    for name, obj in (
        ("supervision:task_detail", talk.tasks.get()),
        ("supervision:problem_detail", talk.problems.get()),
    ):
        urls.append(reverse(name, args=[obj.pk]))
    for persona in (*BUSINESS_NOT_ALLOWED, "staff_a", "leader", "director"):
        for url in urls:
            response = client_for(persona).get(url)
            if persona in BUSINESS_NOT_ALLOWED and response.status_code == 200:
                assert REASON[:6] not in _text(response), (persona, url)


def test_the_reminder_reaches_only_the_talker_and_the_director_and_says_nothing(
    org, talk, client_for
):
    from duban.notifications.models import Channel, Delivery, Notification

    # A unit robot posts to a group chat: whatever reaches it must not reveal the talk.
    Channel.objects.create(name="局工作群", kind="wecom", key="k", unit=org.bureau)
    talk_follow_ups(NOW)
    recipients = set(
        Notification.objects.filter(kind=KIND).values_list("recipient__username", flat=True)
    )
    assert recipients == {"leader", "director"}
    # Every channel's copy (e-mail, a group robot's message) is made from the title and body.
    for message in Notification.objects.filter(kind=KIND):
        text = f"{message.title} {message.body}"
        assert REASON[:6] not in text and talk.person.name not in text and "诫勉" not in text
    for delivery in Delivery.objects.filter(notification__kind=KIND):
        payload = str(delivery.payload)
        assert REASON[:6] not in payload
        assert talk.person.name not in payload
        assert "诫勉" not in payload
    for persona in (*BUSINESS_NOT_ALLOWED, "staff_a"):
        inbox = _text(client_for(persona).get("/notifications/"))
        assert f"/supervision/talks/{talk.pk}/" not in inbox, persona
    log = client_for("sysadmin").get("/notifications/deliveries/")
    assert log.status_code == 200
    assert REASON[:6] not in _text(log) and "诫勉" not in _text(log)
