"""`/api/v1/supervision/talks/`: scoped like the pages; the auditor reads only; rules as on the page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from duban.core.testing import check_matrix, count_queries
from duban.supervision.models import Talk
from duban.supervision.tests.factories import make_talk, make_task

URL = "/api/v1/supervision/talks/"
NOW = dt.datetime(2026, 6, 30, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(NOW, tick=False):
        yield


def _body(org, **overrides) -> dict:
    body = {
        "kind": "reminder",
        "date": "2026-06-29",
        "person": org.person("staff_a").pk,
        "reason": "进展报送不及时",
        "follow_up_on": "2026-07-10",
    }
    body.update(overrides)
    return body


def test_each_persona_lists_only_the_talks_it_may_see(org, client_for):
    given = make_talk(org, "staff_a", "leader")
    other = make_talk(org, "staff_c", "director")
    expected = {
        "director": {given.pk, other.pk},
        "leader": {given.pk},
        "staff_a": {given.pk},
        "auditor": {given.pk, other.pk},
        "chief_a": set(),
        "staff_c": {other.pk},
        "office": set(),
    }
    for persona, ids in expected.items():
        response = client_for(persona).get(URL)
        assert response.status_code == 200, persona
        assert {row["id"] for row in response.json()["results"]} == ids, persona
        assert "no-store" in response["Cache-Control"]


def test_the_leader_creates_a_talk_as_its_talker(org, client_for):
    task = make_task(org)
    response = client_for("leader").post(
        URL, _body(org, tasks=[task.pk]), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    talk = Talk.objects.get(pk=response.json()["id"])
    assert talk.talker == org.person("leader")
    assert talk.unit == org.bureau
    assert list(talk.tasks.all()) == [task]


def test_writes_are_refused_to_the_auditor_and_to_those_who_may_not_change(org, client_for):
    talk = make_talk(org, "staff_a", "leader")
    put = {
        **_body(org, date="2026-05-20"),
        "version": talk.version,
        "talker": org.person("leader").pk,
    }
    assert (
        check_matrix(
            client_for,
            "post",
            URL,
            {"auditor": 403, "staff_a": 403, "office": 403, "sysadmin": 403, "anonymous": 401},
            _body(org),
        )
        == []
    )
    assert (
        check_matrix(
            client_for,
            "put",
            f"{URL}{talk.pk}/",
            {
                "auditor": 403,
                "staff_a": 403,
                "staff_c": 403,
                "office": 403,
                "chief_a": 404,
                "sysadmin": 403,
                "anonymous": 401,
            },
            put,
        )
        == []
    )
    # Nothing is hard-deleted: there is no DELETE.
    assert client_for("director").delete(f"{URL}{talk.pk}/").status_code == 403
    assert Talk.objects.filter(pk=talk.pk).exists()


def test_a_talk_one_may_not_see_is_a_404(org, client_for):
    talk = make_talk(org, "staff_c", "director")
    for persona in ("leader", "staff_a", "chief_a", "office"):
        assert client_for(persona).get(f"{URL}{talk.pk}/").status_code == 404, persona


def test_bad_input_is_a_400_with_the_field(org, client_for):
    client = client_for("leader")
    response = client.post(
        URL, _body(org, follow_up_on="2026-06-01"), content_type="application/json"
    )
    assert response.status_code == 400
    assert "follow_up_on" in response.json()
    response = client.post(
        URL, _body(org, person=org.peer_person.pk), content_type="application/json"
    )
    assert response.status_code == 400 and "person" in response.json()
    response = client.post(
        URL, _body(org, talker=org.person("director").pk), content_type="application/json"
    )
    assert response.status_code == 400 and "talker" in response.json()
    hidden = make_task(org, "丙", lead_section=org.section_c, owner=org.person("staff_c"))
    response = client.post(URL, _body(org, tasks=[hidden.pk]), content_type="application/json")
    assert response.status_code == 400 and "tasks" in response.json()
    assert Talk.objects.count() == 0


def test_the_director_records_a_talk_for_another_talker(org, client_for):
    response = client_for("director").post(
        URL, _body(org, talker=org.person("chief_a").pk), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert Talk.objects.get().talker == org.person("chief_a")


def test_a_stale_update_is_a_409_and_changes_nothing(org, client_for):
    talk = make_talk(org, "staff_a", "leader")
    stale = talk.version
    talk.commitments = "已改"
    talk.save()
    response = client_for("leader").patch(
        f"{URL}{talk.pk}/", {"reason": "覆盖", "version": stale}, content_type="application/json"
    )
    assert response.status_code == 409
    talk.refresh_from_db()
    assert talk.reason == "督办事项多次逾期"


def test_the_follow_up_result_is_recorded_through_the_api(org, client_for):
    talk = make_talk(org, "staff_a", "leader", follow_up_on=dt.date(2026, 6, 20))
    response = client_for("leader").patch(
        f"{URL}{talk.pk}/",
        {"follow_up_result": "已整改", "followed_up_on": "2026-06-29", "version": talk.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["followed_up_on"] == "2026-06-29"
    response = client_for("leader").patch(
        f"{URL}{talk.pk}/",
        {"followed_up_on": "2026-05-01", "version": response.json()["version"]},
        content_type="application/json",
    )
    assert response.status_code == 400 and "followed_up_on" in response.json()


def test_the_api_list_costs_the_same_queries_for_10_and_100_talks(org, client_for):
    client = client_for("director")
    for _ in range(10):
        make_talk(org)
    client.get(URL)
    small = count_queries(lambda: client.get(URL))
    Talk.objects.bulk_create(
        Talk(
            unit=org.bureau,
            person=org.person("staff_a"),
            talker=org.person("leader"),
            date=dt.date(2026, 5, 1),
            kind="reminder",
            reason="x",
        )
        for _ in range(90)
    )
    assert count_queries(lambda: client.get(URL)) == small
