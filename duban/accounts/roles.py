"""Roles and what each may do. The only place permissions are granted (no per-user grants).

三员分立: the system administrator, the security administrator and the auditor are separate roles of
separate accounts (one role per account), and none of them holds a business permission.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    LEADER = "leader", _("Leader in charge")
    CHIEF = "chief", _("Section chief")
    STAFF = "staff", _("Staff")
    OFFICE = "office", _("Supervision office")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")


BUSINESS_ROLES = frozenset({Role.DIRECTOR, Role.LEADER, Role.CHIEF, Role.STAFF, Role.OFFICE})
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
# Roles that see every row of their unit, not only their own sections (DESIGN §2).
UNIT_WIDE_ROLES = frozenset({Role.DIRECTOR, Role.OFFICE})

_ORG_READ = {
    "org.view_unit",
    "org.view_section",
    "org.view_person",
    "org.view_leaderassignment",
    "workcalendar.view_calendarday",
}
_ORG_WRITE = {
    "org.add_unit",
    "org.change_unit",
    "org.add_section",
    "org.change_section",
    "org.add_person",
    "org.change_person",
    "org.import_person",
    "org.add_leaderassignment",
    "workcalendar.add_calendarday",
    "workcalendar.change_calendarday",
    "workcalendar.change_calendaryear",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.DIRECTOR: frozenset(_ORG_READ),
    Role.LEADER: frozenset(_ORG_READ),
    Role.CHIEF: frozenset(_ORG_READ),
    Role.STAFF: frozenset(_ORG_READ),
    Role.OFFICE: frozenset(_ORG_READ),
    Role.SYSADMIN: frozenset(
        _ORG_READ | _ORG_WRITE | {"accounts.view_user", "accounts.add_user", "accounts.change_user"}
    ),
    Role.SECADMIN: frozenset(
        {"accounts.view_user", "accounts.view_lockout", "accounts.unlock_user"}
    ),
    Role.AUDITOR: frozenset({"audit.view_objectchange"}),
}


def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
