"""The change log: one row per change with before/after, who, where; append-only; auditor-only."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from duban.audit.context import change_context
from duban.audit.models import AppendOnlyError, ObjectChange
from duban.core.testing import check_matrix
from duban.org.models import Person, Section

BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")


def test_create_update_are_recorded_with_before_and_after(org):
    with change_context("command:test", user=org.users["sysadmin"]):
        section = Section.objects.create(unit=org.bureau, name="规划股")
        section.phone = "0000-1234567"
        section.save()
    rows = list(
        ObjectChange.objects.filter(
            object_id=str(section.pk), content_type__model="section"
        ).order_by("id")
    )
    assert [r.action for r in rows] == ["create", "update"]
    assert rows[0].after["name"] == "规划股" and rows[0].before is None
    assert rows[1].before == {"phone": ""} and rows[1].after == {"phone": "0000-1234567"}
    assert {r.user_name for r in rows} == {"sysadmin"}
    assert {r.source for r in rows} == {"command:test"}


def test_a_save_that_changes_nothing_writes_no_row(org):
    person = Person.objects.get(pk=org.person("staff_a").pk)
    before = ObjectChange.objects.count()
    person.save()
    assert ObjectChange.objects.count() == before


def test_web_changes_carry_ip_and_request_id(org, client_for):
    response = client_for("sysadmin").post(
        "/org/sections/add/",
        {"unit": org.bureau.pk, "name": "新股室", "sort_order": 5},
        HTTP_X_REQUEST_ID="req-12345678",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    change = ObjectChange.objects.get(
        action="create", content_type__model="section", object_repr="新股室"
    )
    assert (change.request_id, change.ip, change.source) == ("req-12345678", "10.1.2.3", "web")
    assert response["X-Request-ID"] == "req-12345678"


def test_api_changes_are_recorded_with_the_token_user(org, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=org.users["sysadmin"])
    client.post(
        "/api/v1/org/sections/",
        {"unit": org.bureau.pk, "name": "接口股"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    change = ObjectChange.objects.get(action="create", object_repr="接口股")
    assert change.user_name == "sysadmin" and change.source == "api"


def test_passwords_never_reach_the_log(org):
    user = org.users["staff_a"]
    user.set_password("Another#2026")
    user.save()
    change = ObjectChange.objects.filter(content_type__model="user", object_id=str(user.pk)).latest(
        "id"
    )
    assert change.after["password"] == "******" and change.before["password"] == "******"


def test_commands_are_recorded_as_commands(db):
    call_command("demo")
    assert ObjectChange.objects.filter(source="command:demo", action="create").count() > 50


def test_the_orm_refuses_to_update_or_delete_log_rows(org):
    change = ObjectChange.objects.first()
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        ObjectChange.objects.filter(pk=change.pk).update(user_name="x")
    with pytest.raises(AppendOnlyError):
        ObjectChange.objects.all().delete()


def test_the_database_refuses_raw_updates_and_deletes(org):
    table = ObjectChange._meta.db_table
    for statement in (f"UPDATE {table} SET user_name = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert ObjectChange.objects.exclude(user_name="x").count() == ObjectChange.objects.count() > 0


def test_only_the_auditor_reads_the_log(org, client_for):
    expected = {
        **dict.fromkeys(BUSINESS, 403),
        "auditor": 200,
        "sysadmin": 403,
        "secadmin": 403,
        "anonymous": 302,
    }
    assert check_matrix(client_for, "get", "/audit/changes/", expected) == []
    change = ObjectChange.objects.first()
    assert check_matrix(client_for, "get", f"/audit/changes/{change.pk}/", expected) == []
    api = {**expected, "anonymous": 401}
    assert check_matrix(client_for, "get", "/api/v1/audit/changes/", api) == []


def test_auditor_searches_by_user_object_time_and_action(org, client_for):
    client = client_for("auditor")
    Section.objects.create(unit=org.bureau, name="搜索股")
    table = client.get("/audit/changes/", {"object": "搜索股", "action": "create"}).context["table"]
    assert [r.object_repr for r in table.data] == ["搜索股"]
    assert (
        client.get(
            "/audit/changes/", {"since": "2000-01-01", "until": "2100-01-01", "user": "sys"}
        ).status_code
        == 200
    )
    export = client.get("/audit/changes/", {"object": "搜索股", "export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_audit_list_query_count_does_not_grow(org, client_for):
    from duban.core.testing import count_queries

    client = client_for("auditor")
    client.get("/audit/changes/")
    small = count_queries(lambda: client.get("/audit/changes/"))
    Section.objects.bulk_create(Section(unit=org.bureau, name=f"批量{i}") for i in range(5))
    for i in range(300):
        Person.objects.create(unit=org.bureau, name=f"审计{i}")
    assert count_queries(lambda: client.get("/audit/changes/")) == small
