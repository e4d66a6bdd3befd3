"""visible_to for each persona: the rows each role sees, and the business scope it carries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from duban.org.models import Person, Section, Unit
from duban.org.scoping import scope_for


def names(queryset) -> set[str]:
    return {str(row) for row in queryset}


def test_business_roles_see_their_unit_and_its_assessor_for_context(org):
    for persona in ("director", "staff_c", "leader"):
        user = org.users[persona]
        assert names(Unit.objects.visible_to(user)) == {"某县考核办", "某县住房和城乡建设局"}
        assert names(Section.objects.visible_to(user)) == {"股室A", "股室B", "股室C"}
        assert "外单位人员" not in names(Person.objects.visible_to(user))


@pytest.mark.parametrize("persona", ["auditor", "secadmin"])
def test_audit_and_security_administrators_see_no_organisation(org, persona):
    user = org.users[persona]
    assert not Unit.objects.visible_to(user).exists()
    assert not Person.objects.visible_to(user).exists()


def test_system_administrator_sees_every_unit(org):
    assert Unit.objects.visible_to(org.users["sysadmin"]).count() == 3


def test_business_scope_per_role(org):
    a, b, c = org.section_a.pk, org.section_b.pk, org.section_c.pk
    assert scope_for(org.users["staff_a"]).section_ids == {a}
    assert scope_for(org.users["chief_a"]).section_ids == {a}
    assert scope_for(org.users["staff_c"]).section_ids == {c}
    assert scope_for(org.users["leader"]).section_ids == {a, b}
    assert scope_for(org.users["director"]).unit_wide
    assert scope_for(org.users["office"]).unit_wide


def test_business_filter_selects_the_sections_a_user_works_in(org):
    staff = Person.objects.filter(section__isnull=False, unit=org.bureau)
    leader_rows = staff.filter(scope_for(org.users["leader"]).business_filter())
    assert {p.section_id for p in leader_rows} == {org.section_a.pk}  # B has nobody yet
    director_rows = Person.objects.filter(scope_for(org.users["director"]).business_filter())
    assert "外单位人员" not in names(director_rows)


def test_an_ended_leadership_no_longer_grants_the_section(org):
    assignment = org.section_b.leader_assignments.get()
    assignment.end_date = dt.date(2026, 3, 31)
    assignment.save()
    with time_machine.travel(dt.datetime(2026, 4, 2, 9, tzinfo=dt.UTC)):
        user = type(org.users["leader"]).objects.get(pk=org.users["leader"].pk)
        assert scope_for(user).section_ids == {org.section_a.pk}


def test_a_person_who_left_loses_their_scope(org):
    person = org.person("staff_a")
    person.is_active = False
    person.save()
    user = type(org.users["staff_a"]).objects.get(pk=org.users["staff_a"].pk)
    assert not Person.objects.visible_to(user).exists()


def test_a_name_typed_in_a_text_field_grants_nothing(org):
    # A person record that merely carries a user's name does not give that user a scope.
    Person.objects.create(unit=org.peer, section=org.section_d, name="staff_c")
    assert "外单位人员" not in names(Person.objects.visible_to(org.users["staff_c"]))
