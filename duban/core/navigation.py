"""The main menu. An item shows only to users holding its permission, so nothing leads to a 403."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str
    icon: str = ""


@dataclass(frozen=True)
class MenuGroup:
    label: str
    icon: str
    items: tuple[MenuItem, ...]


MENU: tuple[MenuGroup, ...] = (
    MenuGroup(
        _("Assessment"),
        "ti-target-arrow",
        (
            MenuItem(_("Assessment schemes"), "assessment:scheme_list", "assessment.view_scheme"),
            MenuItem(_("My indicators"), "assessment:my_indicators", "assessment.add_report"),
            MenuItem(_("All indicators"), "assessment:indicator_list", "assessment.view_indicator"),
            MenuItem(_("Reports"), "assessment:report_list", "assessment.view_report"),
            MenuItem(
                _("Deduction explanations"),
                "assessment:explanation_list",
                "assessment.view_deductionexplanation",
            ),
            MenuItem(
                _("Responsibility letters"),
                "assessment:letter_list",
                "assessment.view_responsibilityletter",
            ),
            MenuItem(_("Evidence library"), "evidence:document_list", "evidence.view_document"),
        ),
    ),
    MenuGroup(
        _("Supervision"),
        "ti-flag",
        (
            MenuItem(_("My supervised tasks"), "supervision:my_tasks", "supervision.view_task"),
            MenuItem(_("Supervised tasks"), "supervision:task_list", "supervision.view_task"),
            MenuItem(_("Escalation board"), "supervision:board", "supervision.view_escalation"),
            MenuItem(_("Problem registry"), "supervision:problem_list", "supervision.view_problem"),
            MenuItem(_("Lesson library"), "supervision:lesson_list", "supervision.view_lesson"),
            MenuItem(_("Talk records"), "supervision:talk_list", "supervision.view_talk"),
            MenuItem(_("Weekly bulletin"), "supervision:bulletin", "supervision.view_task"),
            MenuItem(_("Escalation policy"), "supervision:policy", "supervision.change_policy"),
        ),
    ),
    MenuGroup(
        _("Key projects"),
        "ti-building-bridge",
        (
            MenuItem(_("Key projects"), "projects:project_list", "projects.view_project"),
            MenuItem(_("Battle map"), "projects:battlemap", "projects.view_project"),
            MenuItem(_("Site inspections"), "projects:inspection_list", "projects.view_inspection"),
            MenuItem(
                _("Inspection compliance"),
                "projects:inspection_compliance",
                "projects.view_inspection",
            ),
            MenuItem(_("Pipeline"), "projects:pipeline", "projects.view_prepstep"),
        ),
    ),
    MenuGroup(
        _("Organisation"),
        "ti-building",
        (
            MenuItem(_("Sections"), "org:section_list", "org.view_section"),
            MenuItem(_("People"), "org:person_list", "org.view_person"),
            MenuItem(_("Leaders in charge"), "org:assignment_list", "org.view_leaderassignment"),
            MenuItem(_("Units"), "org:unit_list", "org.view_unit"),
        ),
    ),
    MenuGroup(
        _("Working calendar"),
        "ti-calendar",
        (MenuItem(_("Working calendar"), "workcalendar:month", "workcalendar.view_calendarday"),),
    ),
    MenuGroup(
        _("Administration"),
        "ti-settings",
        (
            MenuItem(_("Accounts"), "accounts:user_list", "accounts.view_user"),
            MenuItem(_("Locked accounts"), "accounts:lockout_list", "accounts.view_lockout"),
            MenuItem(_("Change log"), "audit:change_list", "audit.view_objectchange"),
            MenuItem(
                _("Message robots"), "notifications:channel_list", "notifications.view_channel"
            ),
            MenuItem(
                _("Message delivery log"),
                "notifications:delivery_list",
                "notifications.view_delivery",
            ),
        ),
    ),
)


def menu_for(user, current_path: str) -> list[dict]:
    groups = []
    for group in MENU:
        items = []
        for item in group.items:
            if user.has_perm(item.permission):
                url = reverse(item.url_name)
                items.append(
                    {"label": item.label, "url": url, "active": current_path.startswith(url)}
                )
        if not items:
            continue
        groups.append(
            {
                "label": group.label,
                "icon": group.icon,
                "items": items,
                "active": any(i["active"] for i in items),
                "single": items[0] if len(items) == 1 else None,
            }
        )
    return groups
