"""Queries per list page do not grow with the data (DESIGN §4.6): 10 rows and 1,000 rows cost the same."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.core.testing import count_queries
from duban.org.models import LeaderAssignment, Person, Section


def grow_people(org, n: int) -> None:
    sections = [org.section_a, org.section_b, org.section_c]
    Person.objects.bulk_create(
        Person(unit=org.bureau, section=sections[i % 3], name=f"人员{i}", phone="13800000000")
        for i in range(n)
    )


def grow_sections(org, n: int) -> None:
    start = Section.objects.count()
    created = Section.objects.bulk_create(
        Section(unit=org.bureau, name=f"新股室{start + i}") for i in range(n)
    )
    leader = org.person("leader")
    LeaderAssignment.objects.bulk_create(
        LeaderAssignment(section=s, leader=leader, start_date=dt.date(2026, 1, 1)) for s in created
    )


@pytest.mark.parametrize(
    "url, grow",
    [
        ("/org/people/", grow_people),
        ("/org/people/?export=xlsx", grow_people),
        ("/api/v1/org/people/", grow_people),
        ("/org/sections/", grow_sections),
        ("/api/v1/org/sections/", grow_sections),
        ("/org/leaders/", grow_sections),
        ("/", grow_sections),
    ],
)
def test_query_count_is_the_same_for_10_and_1000_rows(org, client_for, url, grow):
    client = client_for("director")
    grow(org, 10)
    client.get(url)  # warm caches (content types, calendar)
    small = count_queries(lambda: client.get(url))
    grow(org, 990)
    large = count_queries(lambda: client.get(url))
    assert small == large, f"{url}: {small} queries at 10 rows, {large} at 1,000"


def grow_users(org, n: int) -> None:
    from duban.accounts.models import User

    start = User.objects.count()
    User.objects.bulk_create(
        User(username=f"user{start + i}", name=f"用户{i}", role="staff") for i in range(n)
    )


def grow_lockouts(org, n: int) -> None:
    import datetime as dt

    from duban.accounts.models import Lockout

    until = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    Lockout.objects.bulk_create(Lockout(username=f"name{i}", until=until) for i in range(n))


def grow_units(org, n: int) -> None:
    from duban.org.models import Unit

    start = Unit.objects.count()
    Unit.objects.bulk_create(
        Unit(
            name=f"单位{start + i}",
            code=f"X{start + i}",
            parent=org.bureau,
            path=f"{org.bureau.path}X{start + i}/",
        )
        for i in range(n)
    )


@pytest.mark.parametrize(
    "persona, url, grow",
    [
        ("sysadmin", "/accounts/users/", grow_users),
        ("secadmin", "/accounts/lockouts/", grow_lockouts),
        ("director", "/org/units/", grow_units),
        ("director", "/api/v1/org/units/", grow_units),
    ],
)
def test_admin_lists_query_count_is_constant(org, client_for, persona, url, grow):
    client = client_for(persona)
    grow(org, 10)
    client.get(url)
    small = count_queries(lambda: client.get(url))
    grow(org, 990)
    large = count_queries(lambda: client.get(url))
    assert small == large, f"{url}: {small} queries, then {large}"
