"""Organisation API: scoped like the pages, field errors in Chinese, stale updates refused with 409."""

from __future__ import annotations

from duban.core.testing import check_matrix
from duban.org.models import Person

BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
READERS = {
    **dict.fromkeys(BUSINESS, 200),
    "sysadmin": 200,
    "auditor": 403,
    "secadmin": 403,
    "anonymous": 401,
}


def test_list_endpoints_follow_the_matrix(client_for):
    for url in (
        "/api/v1/org/units/",
        "/api/v1/org/sections/",
        "/api/v1/org/people/",
        "/api/v1/org/leader-assignments/",
    ):
        assert check_matrix(client_for, "get", url, READERS) == []


def test_people_are_scoped_to_the_own_unit(org, client_for):
    names = {p["name"] for p in client_for("staff_c").get("/api/v1/org/people/").json()["results"]}
    assert "staff_a" in names and "外单位人员" not in names
    assert client_for("staff_c").get(f"/api/v1/org/people/{org.peer_person.pk}/").status_code == 404
    assert (
        client_for("sysadmin").get(f"/api/v1/org/people/{org.peer_person.pk}/").status_code == 200
    )


def test_only_the_system_administrator_writes_and_refusals_change_nothing(org, client_for):
    data = {"name": "新人", "unit": org.bureau.pk}
    expected = {**dict.fromkeys(BUSINESS, 403), "auditor": 403, "secadmin": 403, "anonymous": 401}
    assert check_matrix(client_for, "post", "/api/v1/org/people/", expected, data) == []
    response = client_for("sysadmin").post(
        "/api/v1/org/people/", data, content_type="application/json"
    )
    assert response.status_code == 201
    assert Person.objects.filter(name="新人").exists()


def test_bad_input_is_a_400_with_field_messages(org, client_for):
    response = client_for("sysadmin").post(
        "/api/v1/org/people/",
        {"name": "", "unit": 999999, "phone": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"name", "unit", "phone"}
    assert "不能为空" in body["name"][0]


def test_update_needs_the_current_version(org, client_for):
    person = org.person("staff_a")
    url = f"/api/v1/org/people/{person.pk}/"
    client = client_for("sysadmin")
    missing = client.patch(url, {"position": "科员"}, content_type="application/json")
    assert missing.status_code == 400 and "version" in missing.json()
    ok = client.patch(
        url, {"position": "科员", "version": person.version}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == person.version + 1
    stale = client.patch(
        url, {"position": "股长", "version": person.version}, content_type="application/json"
    )
    assert stale.status_code == 409
    person.refresh_from_db()
    assert person.position == "科员"


def test_no_hard_delete_through_the_api(org, client_for):
    person = org.person("staff_a")
    response = client_for("sysadmin").delete(f"/api/v1/org/people/{person.pk}/")
    assert response.status_code in (
        403,
        405,
    )  # nobody holds a delete permission; no endpoint deletes
    assert Person.objects.filter(pk=person.pk).exists()


def test_token_authentication(org, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=org.users["director"])
    response = client.get("/api/v1/accounts/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["role"] == "director"
    assert client.get("/api/v1/accounts/me/", HTTP_AUTHORIZATION="Token wrong").status_code == 401
