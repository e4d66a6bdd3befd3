"""The organisation stays consistent whichever way it is edited (page or API)."""

from __future__ import annotations

from duban.org.models import Person, Section, Unit


def test_a_unit_cannot_become_its_own_ancestor_through_the_api(org, client_for):
    client = client_for("sysadmin")
    for parent in (org.bureau.pk,):
        response = client.patch(
            f"/api/v1/org/units/{org.bureau.pk}/",
            {"parent": parent, "version": org.bureau.version},
            content_type="application/json",
        )
        assert response.status_code == 400 and "parent" in response.json()
    child = Unit.objects.create(name="下属单位", code="SUB", parent=org.bureau)
    response = client.patch(
        f"/api/v1/org/units/{org.bureau.pk}/",
        {"parent": child.pk, "version": org.bureau.version},
        content_type="application/json",
    )
    assert response.status_code == 400
    org.bureau.refresh_from_db()
    assert org.bureau.path == "KHB/ZJJ/"


def test_a_unit_code_is_fixed_once_created(org, client_for):
    response = client_for("sysadmin").patch(
        f"/api/v1/org/units/{org.bureau.pk}/",
        {"code": "NEW", "version": org.bureau.version},
        content_type="application/json",
    )
    assert response.status_code == 400 and "code" in response.json()


def test_duplicate_codes_and_section_names_get_specific_messages(org, client_for):
    client = client_for("sysadmin")
    unit = client.post(
        "/api/v1/org/units/", {"name": "重复", "code": "ZJJ"}, content_type="application/json"
    )
    assert unit.status_code == 400 and "已" in unit.json()["code"][0]
    section = client.post(
        "/api/v1/org/sections/",
        {"unit": org.bureau.pk, "name": "股室A"},
        content_type="application/json",
    )
    assert section.status_code == 400
    assert "同名" in str(section.json()) or "已有" in str(section.json())


def test_a_section_does_not_move_to_another_unit(org, client_for):
    response = client_for("sysadmin").patch(
        f"/api/v1/org/sections/{org.section_a.pk}/",
        {"unit": org.peer.pk, "version": org.section_a.version},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert Section.objects.get(pk=org.section_a.pk).unit == org.bureau


def test_a_leader_cannot_leave_while_leading_and_leaving_disables_the_account(org, client_for):
    client = client_for("sysadmin")
    leader = org.person("leader")
    refused = client.patch(
        f"/api/v1/org/people/{leader.pk}/",
        {"is_active": False, "version": leader.version},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "is_active" in refused.json()
    staff = org.person("staff_c")
    response = client.post(
        f"/org/people/{staff.pk}/edit/",
        {
            "name": staff.name,
            "unit": org.bureau.pk,
            "section": org.section_c.pk,
            "sort_order": 1,
            "user": staff.user_id,
            "version": staff.version,
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    staff.user.refresh_from_db()
    assert staff.is_active is False and staff.user.is_active is False


def test_an_administrator_account_is_never_linked_to_a_person(org, client_for):
    person = Person.objects.create(unit=org.bureau, name="新同志")
    response = client_for("sysadmin").patch(
        f"/api/v1/org/people/{person.pk}/",
        {"user": org.users["auditor"].pk, "version": person.version},
        content_type="application/json",
    )
    assert response.status_code == 400 and "user" in response.json()


def test_the_cancel_link_never_runs_script(org, client_for):
    body = (
        client_for("sysadmin")
        .get(f"/org/units/{org.bureau.pk}/edit/?next=javascript:alert(document.cookie)")
        .content.decode()
    )
    assert "javascript:" not in body
