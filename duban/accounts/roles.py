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

# 印证资料: everyone in the unit reads; the sections write (object scope decides which rows).
_EVIDENCE_READ = {"evidence.view_document"}
_EVIDENCE_WRITE = {"evidence.add_document", "evidence.change_document"}
# 考评指标: openness — everyone in the unit reads the scheme and the scores.
_ASSESSMENT_READ = {
    "assessment.view_scheme",
    "assessment.view_indicator",
    "assessment.view_report",
    "assessment.view_publishedresult",
    "assessment.view_deductionexplanation",
    "assessment.view_responsibilityletter",
    "assessment.view_requiredmaterial",
}
# Reports and deduction explanations are written by the responsible section.
_ASSESSMENT_SECTION_WRITE = {
    "assessment.add_report",
    "assessment.change_report",
    "assessment.add_deductionexplanation",
    "assessment.change_deductionexplanation",
}
# The responsible leader (一岗双责) confirms reports and approves explanations.
_ASSESSMENT_LEADER = {"assessment.confirm_report", "assessment.approve_deductionexplanation"}
# The supervision office sets up schemes, publishes results and issues responsibility letters.
_ASSESSMENT_OFFICE = {
    "assessment.add_scheme",
    "assessment.change_scheme",
    "assessment.import_scheme",
    "assessment.add_indicator",
    "assessment.change_indicator",
    "assessment.add_publishedresult",
    "assessment.change_publishedresult",
    "assessment.add_responsibilityletter",
    "assessment.change_responsibilityletter",
    "assessment.submit_deductionexplanation",
}
# 重点项目: everyone in the unit reads (the battle map is on every wall); the lead section, the project's
# staff and its leader write (object scope decides); leaders approve baselines; the director overrides.
_PROJECTS_READ = {
    "projects.view_project",
    "projects.view_activity",
    "projects.view_baseline",
    "projects.view_monthlyreport",
    "projects.view_inspection",
    "projects.view_finding",
    "projects.view_acceptanceitem",
    "projects.view_closeout",
    "projects.view_prepstep",
}
_PROJECTS_WRITE = {
    "projects.add_project",
    "projects.change_project",
    "projects.change_activity",
    "projects.add_monthlyreport",
    "projects.change_monthlyreport",
    "projects.add_inspection",
    "projects.change_inspection",
    "projects.change_finding",
    "projects.change_acceptanceitem",
    "projects.change_closeout",
    "projects.change_prepstep",
    "projects.import_project",
}
_PROJECTS_LEADER = {"projects.approve_baseline", "projects.verify_finding"}
# 督办: everyone reads what their scope shows and works on what is assigned to them (object rules in
# supervision/services.py); chiefs, leaders, the director and the office register tasks; leaders and
# the director review completion and approve extensions; the office owns the policy and the import.
_SUPERVISION_READ = {
    "supervision.view_task",
    "supervision.view_progressreport",
    "supervision.view_extensionrequest",
    "supervision.view_escalation",
    "supervision.view_problem",
    "supervision.view_lesson",
    # Talks are confidential: the queryset shows a person only the talks they gave or received (the
    # director: the unit's), so the permission alone reveals nothing.
    "supervision.view_talk",
}
_SUPERVISION_WORK = {
    "supervision.add_progressreport",
    "supervision.add_extensionrequest",
    "supervision.add_problem",
    "supervision.change_problem",
    "supervision.add_lesson",
    "supervision.change_lesson",
}
_SUPERVISION_ASSIGN = {"supervision.add_task", "supervision.change_task"}
_SUPERVISION_LEADER = {
    "supervision.review_task",
    "supervision.approve_extension",
    "supervision.decide_problem",
    "supervision.verify_problem",
    "supervision.add_talk",
    "supervision.change_talk",
}
_SUPERVISION_OFFICE = {
    "supervision.import_task",
    "supervision.change_policy",
    "supervision.decide_problem",
    "supervision.verify_problem",
}
# Message robots and their send log are system settings, kept by the system administrator; every
# user's own inbox and notification settings need no permission.
_NOTIFICATIONS_ADMIN = {
    "notifications.view_channel",
    "notifications.add_channel",
    "notifications.change_channel",
    "notifications.view_delivery",
}
_BUSINESS = (
    _ORG_READ
    | _EVIDENCE_READ
    | _ASSESSMENT_READ
    | _PROJECTS_READ
    | _SUPERVISION_READ
    | _SUPERVISION_WORK
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.DIRECTOR: frozenset(
        _BUSINESS
        | _EVIDENCE_WRITE
        | _ASSESSMENT_SECTION_WRITE
        | _ASSESSMENT_LEADER
        | _PROJECTS_WRITE
        | _PROJECTS_LEADER
        | {"projects.override_gate"}
        | _SUPERVISION_ASSIGN
        | _SUPERVISION_LEADER
    ),
    Role.LEADER: frozenset(
        _BUSINESS
        | _EVIDENCE_WRITE
        | _ASSESSMENT_SECTION_WRITE
        | _ASSESSMENT_LEADER
        | _PROJECTS_WRITE
        | _PROJECTS_LEADER
        | _SUPERVISION_ASSIGN
        | _SUPERVISION_LEADER
    ),
    Role.CHIEF: frozenset(
        _BUSINESS
        | _EVIDENCE_WRITE
        | _ASSESSMENT_SECTION_WRITE
        | _PROJECTS_WRITE
        | _SUPERVISION_ASSIGN
        | {"supervision.decide_problem", "supervision.add_talk", "supervision.change_talk"}
    ),
    Role.STAFF: frozenset(
        _BUSINESS | _EVIDENCE_WRITE | _ASSESSMENT_SECTION_WRITE | _PROJECTS_WRITE
    ),
    Role.OFFICE: frozenset(
        _BUSINESS
        | _EVIDENCE_WRITE
        | _ASSESSMENT_OFFICE
        | _PROJECTS_WRITE
        | _SUPERVISION_ASSIGN
        | _SUPERVISION_OFFICE
    ),
    Role.SYSADMIN: frozenset(
        _ORG_READ
        | _ORG_WRITE
        | _NOTIFICATIONS_ADMIN
        | {"accounts.view_user", "accounts.add_user", "accounts.change_user"}
    ),
    Role.SECADMIN: frozenset(
        {"accounts.view_user", "accounts.view_lockout", "accounts.unlock_user"}
    ),
    # The auditor also reads talk records (read-only, for audit; issue 4): the record of an admonition is
    # an audit matter, and the queryset gives the auditor nothing else of supervision.
    Role.AUDITOR: frozenset({"audit.view_objectchange", "supervision.view_talk"}),
}


def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
