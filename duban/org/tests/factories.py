"""Plain factory functions for the organisation (STYLE.md: make_* functions, no magic)."""

from __future__ import annotations

import datetime as dt
import itertools

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.org.choices import UnitKind
from duban.org.models import LeaderAssignment, Person, Section, Unit

PASSWORD = "Test-Pass-2026"
_counter = itertools.count(1)


def make_unit(
    name: str = "", code: str = "", parent: Unit | None = None, kind=UnitKind.DEPARTMENT
) -> Unit:
    n = next(_counter)
    return Unit.objects.create(
        name=name or f"单位{n}", code=code or f"U{n}", parent=parent, kind=kind
    )


def make_section(unit: Unit, name: str = "") -> Section:
    return Section.objects.create(unit=unit, name=name or f"股室{next(_counter)}")


def make_user(username: str, role: str = Role.STAFF, name: str = "") -> User:
    return User.objects.create_user(username, PASSWORD, name=name or username, role=role)


def make_person(
    unit: Unit,
    section: Section | None = None,
    name: str = "",
    user: User | None = None,
    position: str = "",
) -> Person:
    return Person.objects.create(
        unit=unit,
        section=section,
        name=name or f"人员{next(_counter)}",
        user=user,
        position=position,
    )


def make_member(username: str, role: str, unit: Unit, section: Section | None = None) -> User:
    user = make_user(username, role)
    make_person(unit, section, name=username, user=user)
    return user


def make_assignment(
    section: Section, leader: Person, start: dt.date = dt.date(2026, 1, 1)
) -> LeaderAssignment:
    return LeaderAssignment.objects.create(section=section, leader=leader, start_date=start)
