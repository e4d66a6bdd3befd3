"""Who sees what: the one computation every `visible_to` builds on (DESIGN §2).

A user's scope is computed once per request (two small queries) and cached on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from duban.accounts.roles import ADMIN_ROLES, UNIT_WIDE_ROLES, Role


@dataclass(frozen=True)
class Scope:
    all_units: bool
    unit_ids: frozenset[int]  # units whose organisation (sections, people) the user sees
    context_unit_ids: frozenset[int]  # plus the units above them, shown for context only
    own_unit_id: int | None
    person_id: int | None
    own_section_id: int | None
    led_section_ids: frozenset[int]
    # Sections whose business items the user sees: everything for the director and the supervision
    # office, the led sections (and their own) for a leader in charge, their own section otherwise.
    section_ids: frozenset[int]
    unit_wide: bool

    def business_filter(self, section_field: str = "section", unit_field: str = "unit") -> Q:
        """The Q a business module's `visible_to` applies: rows of the sections this user works in."""
        if self.all_units:
            return Q()
        if self.unit_wide:
            return Q(**{f"{unit_field}__in": self.unit_ids})
        if not self.section_ids:
            return Q(pk__in=[])
        return Q(**{f"{section_field}__in": self.section_ids})


EMPTY = Scope(False, frozenset(), frozenset(), None, None, None, frozenset(), frozenset(), False)


def scope_for(user) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return EMPTY
    cached = getattr(user, "_duban_scope", None)
    if cached is not None:
        return cached
    scope = _compute(user)
    user._duban_scope = scope
    return scope


def _compute(user) -> Scope:
    from duban.org.models import LeaderAssignment, Person, Unit

    if user.role == Role.SYSADMIN:
        return Scope(
            True, frozenset(), frozenset(), None, None, None, frozenset(), frozenset(), False
        )
    if user.role in ADMIN_ROLES:
        return EMPTY
    person = (
        Person.objects.filter(user=user, is_active=True)
        .select_related("unit")
        .only("id", "section_id", "unit__id", "unit__path")
        .first()
    )
    if person is None:
        return EMPTY
    unit = person.unit
    ancestors = Unit.ancestor_paths(unit.path)
    subtree_ids, context_ids = set(), set()
    for unit_id, path in Unit.objects.filter(
        Q(path__startswith=unit.path) | Q(path__in=ancestors)
    ).values_list("id", "path"):
        context_ids.add(unit_id)
        if path.startswith(unit.path):
            subtree_ids.add(unit_id)
    led = frozenset(
        LeaderAssignment.objects.current(timezone.localdate())
        .filter(leader=person)
        .values_list("section_id", flat=True)
    )
    unit_wide = user.role in UNIT_WIDE_ROLES
    # Unit-wide roles see every section of their units; `business_filter` expresses that without a list.
    sections = (
        frozenset() if unit_wide else led | ({person.section_id} if person.section_id else set())
    )
    return Scope(
        all_units=False,
        unit_ids=frozenset(subtree_ids),
        context_unit_ids=frozenset(context_ids),
        own_unit_id=unit.id,
        person_id=person.id,
        own_section_id=person.section_id,
        led_section_ids=led,
        section_ids=frozenset(sections),
        unit_wide=unit_wide,
    )
