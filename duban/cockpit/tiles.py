"""The cockpit's tiles. Each is a function of the user returning plain data, with a fixed query cost."""

from __future__ import annotations

from django.utils import timezone

from duban.org.models import Person, Section, Unit
from duban.org.scoping import scope_for
from duban.workcalendar.services import current_calendar


def unit_tile(user) -> dict:
    scope = scope_for(user)
    unit = Unit.objects.filter(pk=scope.own_unit_id).select_related("parent").first()
    return {"unit": unit}


def sections_tile(user) -> dict:
    sections = list(
        Section.objects.visible_to(user)
        .active()
        .for_list()
        .filter(unit_id=scope_for(user).own_unit_id)
    )
    people = Person.objects.visible_to(user).filter(is_active=True)
    return {
        "sections": sections,
        "headcount": people.count(),
        "chart": {
            "names": [s.name for s in sections],
            "counts": [s.person_count for s in sections],
        },
    }


def holidays_tile(user) -> dict:
    calendar = current_calendar()
    today = timezone.localdate()
    upcoming = calendar.upcoming_holidays(today, limit=3)
    return {
        "today": today,
        "today_info": calendar.day_info(today),
        "holidays": [
            {"name": n, "first": a, "last": b, "days": (b - a).days + 1} for n, a, b in upcoming
        ],
        "next_year_complete": calendar.is_complete(today.year + 1),
        "next_year": today.year + 1,
    }
