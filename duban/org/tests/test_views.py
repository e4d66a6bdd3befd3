"""Organisation pages: the persona matrix, editing, stale edits, archiving, leader changes."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.audit.models import ObjectChange
from duban.core.testing import check_matrix
from duban.org.models import LeaderAssignment, Person, Section

BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
READERS = {
    **dict.fromkeys(BUSINESS, 200),
    "sysadmin": 200,
    "auditor": 403,
    "secadmin": 403,
    "anonymous": 302,
}
WRITERS = {
    **dict.fromkeys(BUSINESS, 403),
    "sysadmin": 200,
    "auditor": 403,
    "secadmin": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize(
    "url",
    ["/org/units/", "/org/sections/", "/org/people/", "/org/leaders/", "/org/people/?export=xlsx"],
)
def test_lists_open_to_business_roles_and_sysadmin_only(client_for, url):
    assert check_matrix(client_for, "get", url, READERS) == []


def test_detail_pages_follow_the_matrix(org, client_for):
    for url in (
        f"/org/units/{org.bureau.pk}/",
        f"/org/sections/{org.section_a.pk}/",
        f"/org/people/{org.person('staff_a').pk}/",
    ):
        assert check_matrix(client_for, "get", url, READERS) == []


def test_another_units_records_are_not_found_for_its_outsiders(org, client_for):
    expected = {**dict.fromkeys(BUSINESS, 404), "sysadmin": 200}
    for url in (f"/org/people/{org.peer_person.pk}/", f"/org/sections/{org.section_d.pk}/"):
        assert check_matrix(client_for, "get", url, expected) == []


def test_the_assessing_body_above_is_visible_for_context(org, client_for):
    assert client_for("staff_a").get(f"/org/units/{org.assessor.pk}/").status_code == 200


def test_people_list_shows_only_the_own_units_people(org, client_for):
    body = client_for("director").get("/org/people/").content.decode()
    assert "staff_c" in body
    assert "外单位人员" not in body


@pytest.mark.parametrize(
    "url", ["/org/people/add/", "/org/units/add/", "/org/sections/add/", "/org/people/import/"]
)
def test_edit_pages_are_for_the_system_administrator(client_for, url):
    assert check_matrix(client_for, "get", url, WRITERS) == []


def test_refused_edit_changes_nothing(org, client_for):
    person = org.person("staff_a")
    data = {
        "name": "改名",
        "unit": org.bureau.pk,
        "is_active": "on",
        "sort_order": 1,
        "version": person.version,
    }
    expected = {**dict.fromkeys(BUSINESS, 403), "auditor": 403, "secadmin": 403, "anonymous": 302}
    assert check_matrix(client_for, "post", f"/org/people/{person.pk}/edit/", expected, data) == []


def test_sysadmin_edits_a_person_and_the_change_is_logged(org, client_for):
    person = org.person("staff_a")
    response = client_for("sysadmin").post(
        f"/org/people/{person.pk}/edit/",
        {
            "name": "张新名",
            "unit": org.bureau.pk,
            "section": org.section_b.pk,
            "position": "科员",
            "phone": "13800000000",
            "is_active": "on",
            "sort_order": 5,
            "version": person.version,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.section, person.version) == ("张新名", org.section_b, 2)
    change = ObjectChange.objects.filter(action="update", object_id=str(person.pk)).latest("id")
    assert change.before["name"] == "staff_a"
    assert change.after["name"] == "张新名"
    assert change.user_name == "sysadmin"
    assert change.request_id


def test_stale_edit_is_refused_and_keeps_what_was_typed(org, client_for):
    person = org.person("staff_a")
    stale_version = person.version
    person.position = "副股长"
    person.save()  # someone else saved in between
    response = client_for("sysadmin").post(
        f"/org/people/{person.pk}/edit/",
        {
            "name": "我输入的名字",
            "unit": org.bureau.pk,
            "is_active": "on",
            "sort_order": 1,
            "version": stale_version,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "我输入的名字" in body
    assert "已被他人修改" in body
    person.refresh_from_db()
    assert person.name == "staff_a"


def test_invalid_form_shows_a_chinese_message_at_the_field_and_keeps_input(org, client_for):
    response = client_for("sysadmin").post(
        "/org/people/add/", {"name": "", "unit": org.bureau.pk, "phone": "abc", "sort_order": 1}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "该字段是必填项" in body
    assert 'value="abc"' in body


def test_section_of_another_unit_is_refused(org, client_for):
    response = client_for("sysadmin").post(
        "/org/people/add/",
        {
            "name": "李四",
            "unit": org.bureau.pk,
            "section": org.section_d.pk,
            "is_active": "on",
            "sort_order": 1,
        },
    )
    assert response.status_code == 200
    assert not Person.objects.filter(name="李四").exists()


def test_a_section_with_people_or_a_leader_cannot_be_archived(org, client_for):
    response = client_for("sysadmin").post(
        f"/org/sections/{org.section_b.pk}/archive/",
        {"reason": "撤并", "version": org.section_b.version},
        follow=True,
    )
    assert "分管领导" in response.content.decode()
    org.section_b.refresh_from_db()
    assert not org.section_b.is_archived


def test_archiving_a_section_needs_a_reason_and_keeps_the_row(org, client_for):
    section = Section.objects.create(unit=org.bureau, name="待撤并股")
    client = client_for("sysadmin")
    client.post(f"/org/sections/{section.pk}/archive/", {"reason": "", "version": section.version})
    section.refresh_from_db()
    assert not section.is_archived
    client.post(
        f"/org/sections/{section.pk}/archive/",
        {"reason": "机构改革撤并", "version": section.version},
    )
    section.refresh_from_db()
    assert section.is_archived and section.archive_reason == "机构改革撤并"
    assert Section.objects.filter(pk=section.pk).exists()
    assert section.pk not in {s.pk for s in client.get("/org/sections/").context["table"].data}


def test_changing_the_leader_closes_the_previous_assignment(org, client_for):
    new_leader = org.person("director")
    response = client_for("sysadmin").post(
        f"/org/sections/{org.section_a.pk}/leader/",
        {"leader": new_leader.pk, "start_date": "2026-07-01", "note": "分工调整"},
    )
    assert response.status_code == 302
    history = list(LeaderAssignment.objects.filter(section=org.section_a).order_by("start_date"))
    assert [(a.leader_id, a.end_date) for a in history] == [
        (org.person("leader").pk, dt.date(2026, 6, 30)),
        (new_leader.pk, None),
    ]


def test_leader_change_with_a_bad_date_explains_itself(org, client_for):
    response = client_for("sysadmin").post(
        f"/org/sections/{org.section_a.pk}/leader/",
        {"leader": org.person("director").pk, "start_date": "2025-12-01"},
    )
    assert response.status_code == 400
    assert "必须晚于" in response.content.decode()
    assert LeaderAssignment.objects.filter(section=org.section_a).count() == 1


def test_export_is_an_excel_file_with_the_filters_applied(org, client_for):
    import io
    from urllib.parse import unquote

    from openpyxl import load_workbook

    response = client_for("director").get(
        "/org/people/", {"section": org.section_a.pk, "export": "xlsx"}
    )
    assert "人员.xlsx" in unquote(response["Content-Disposition"])
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "姓名" and "在岗" in rows[0]
    assert sorted(r[0] for r in rows[1:]) == ["chief_a", "office", "staff_a"]
    assert {r[rows[0].index("在岗")] for r in rows[1:]} == {"是"}
