"""Login policy: same message for unknown and wrong, lockout counted in the database, timeouts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from duban.accounts.models import Lockout, LoginFailure
from duban.audit.models import ObjectChange
from duban.org.tests.factories import PASSWORD

WRONG = "用户名或密码错误"
LOCKED = "已锁定"
T0 = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_correct_password_signs_in_and_is_logged(org, client):
    response = login(client, "staff_a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    change = ObjectChange.objects.filter(action="login").latest("id")
    assert change.user == org.users["staff_a"] and change.ip == "127.0.0.1"


def test_unknown_user_and_wrong_password_get_the_same_message(org, client):
    unknown = login(client, "nobody", "whatever-1A").content.decode()
    wrong = login(client, "staff_a", "wrong-Pass-1").content.decode()
    assert WRONG in unknown and WRONG in wrong
    assert ObjectChange.objects.filter(action="login_failed").count() == 2


def test_typed_user_name_is_kept_after_a_failure(org, client):
    body = login(client, "staff_a", "wrong-Pass-1").content.decode()
    assert 'value="staff_a"' in body


def test_fifth_failure_in_fifteen_minutes_locks_for_thirty_minutes(org, client):
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(4):
            assert WRONG in login(client, "staff_a", "bad-Pass-1").content.decode()
            clock.shift(dt.timedelta(minutes=3))
        assert LOCKED in login(client, "staff_a", "bad-Pass-1").content.decode()
        assert ObjectChange.objects.filter(action="lockout").count() == 1
        # Even the right password is refused while locked.
        assert LOCKED in login(client, "staff_a", PASSWORD).content.decode()
        clock.shift(dt.timedelta(minutes=29))
        assert LOCKED in login(client, "staff_a", PASSWORD).content.decode()
        clock.shift(dt.timedelta(minutes=2))
        assert login(client, "staff_a", PASSWORD).status_code == 302


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(org, client):
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(6):
            login(client, "staff_a", "bad-Pass-1")
            clock.shift(dt.timedelta(minutes=4))
        assert not Lockout.objects.exists()


def test_an_unknown_name_locks_exactly_like_a_real_one(org, client):
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            body = login(client, "ghost", "bad-Pass-1").content.decode()
    assert LOCKED in body


def test_lockout_is_shared_through_the_database(org, client):
    # Another app server would see the same rows: a lockout written elsewhere applies here.
    with time_machine.travel(T0, tick=False):
        Lockout.objects.create(username="staff_a", until=T0 + dt.timedelta(minutes=30))
        assert LOCKED in login(client, "staff_a", PASSWORD).content.decode()


def test_security_administrator_unlocks(org, client_for, client):
    with time_machine.travel(T0, tick=False):
        lockout = Lockout.objects.create(username="staff_a", until=T0 + dt.timedelta(minutes=30))
        assert (
            client_for("sysadmin").post(f"/accounts/lockouts/{lockout.pk}/unlock/").status_code
            == 403
        )
        assert (
            client_for("secadmin").post(f"/accounts/lockouts/{lockout.pk}/unlock/").status_code
            == 302
        )
        assert login(client, "staff_a", PASSWORD).status_code == 302
    assert ObjectChange.objects.filter(action="unlock").count() == 1


def test_inactive_account_cannot_sign_in_and_gets_the_same_message(org, client):
    user = org.users["staff_a"]
    user.is_active = False
    user.save()
    assert WRONG in login(client, "staff_a", PASSWORD).content.decode()


@pytest.mark.parametrize("minutes, signed_in", [(29, True), (31, False)])
def test_idle_timeout_is_thirty_minutes(org, client, minutes, signed_in):
    with time_machine.travel(T0, tick=False) as clock:
        login(client, "staff_a", PASSWORD)
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=minutes))
        response = client.get("/")
        assert (response.status_code == 200) is signed_in
        if not signed_in:
            assert response["Location"].startswith("/accounts/login/?next=")


def test_absolute_timeout_is_eight_hours_even_when_active(org, client):
    with time_machine.travel(T0, tick=False) as clock:
        login(client, "staff_a", PASSWORD)
        for _ in range(16):  # active every 29 minutes for 7 h 44 min
            clock.shift(dt.timedelta(minutes=29))
            assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=20))
        assert client.get("/").status_code == 302


def test_old_failures_are_cleared_by_the_periodic_scan(org):
    from duban.core.scans import run_all

    LoginFailure.objects.create(username="x", at=T0 - dt.timedelta(days=40))
    LoginFailure.objects.create(username="x", at=T0)
    run_all(T0)
    assert LoginFailure.objects.count() == 1
    run_all(T0)  # idempotent
    assert LoginFailure.objects.count() == 1


def test_logout_needs_post_and_is_logged(org, client):
    login(client, "staff_a", PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert ObjectChange.objects.filter(action="logout").exists()
    assert client.get("/").status_code == 302


def test_token_command_prints_a_working_token(org, client, capsys):
    call_command("token", "director")
    key = capsys.readouterr().out.strip()
    assert (
        client.get("/api/v1/accounts/me/", HTTP_AUTHORIZATION=f"Token {key}").json()["username"]
        == "director"
    )
    call_command("token", "director")
    assert capsys.readouterr().out.strip() == key
    call_command("token", "director", "--rotate")
    assert capsys.readouterr().out.strip() != key


def test_attempts_while_locked_are_logged_too(org, client):
    with time_machine.travel(T0, tick=False):
        for _ in range(7):
            login(client, "staff_a", "bad-Pass-1")
    assert ObjectChange.objects.filter(action="login_failed", object_repr="staff_a").count() == 7
    lock = ObjectChange.objects.get(action="lockout")
    assert lock.object_repr == "staff_a" and lock.source == "web"


def test_issuing_a_token_is_logged_without_the_key(org, capsys):
    call_command("token", "director")
    key = capsys.readouterr().out.strip()
    change = ObjectChange.objects.filter(
        object_id=str(org.users["director"].pk), source="command:token"
    ).get()
    assert change.after == {"api_token": "created"} and key not in str(change.after)
