"""`duban demo`: loads once, never over existing data; --reset rebuilds."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from duban.accounts.models import User
from duban.audit.models import ObjectChange
from duban.org.models import LeaderAssignment, Person, Section


def test_demo_builds_the_bureau_with_fixed_accounts(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "Duban@2026" in out
    for username in ("director", "office", "sysadmin", "secadmin", "auditor"):
        assert User.objects.filter(username=username).exists()
        assert username in out
    assert Section.objects.count() == 12
    assert User.objects.filter(role="leader").count() == 5
    assert 55 <= Person.objects.filter(user__role="staff").count() <= 65
    # every section has one current leader in charge
    assert LeaderAssignment.objects.filter(end_date__isnull=True).count() == 12
    assert User.objects.get(username="director").check_password("Duban@2026")


def test_demo_never_loads_over_existing_data(db, capsys):
    call_command("demo")
    with pytest.raises(CommandError):
        call_command("demo")
    call_command("demo", "--if-empty")
    assert "未重复加载" in capsys.readouterr().out
    assert Section.objects.count() == 12


@pytest.mark.django_db(transaction=True)
def test_reset_rebuilds_from_nothing(transactional_db):
    call_command("demo")
    Section.objects.filter(name="办公室").update(phone="改过的")
    call_command("demo", "--reset", "--noinput")
    assert Section.objects.get(name="办公室").phone != "改过的"
    assert Section.objects.count() == 12
    # the triggers are back: the log is append-only again
    from django.db import DatabaseError, connection, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ObjectChange._meta.db_table}")
