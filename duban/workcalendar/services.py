"""The one calendar the whole product counts working days with (DESIGN §4.7)."""

from __future__ import annotations

import datetime as dt
import threading

from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from duban.core.exceptions import BusinessRuleError
from duban.lib.workdays import Calendar, DayOverride
from duban.workcalendar.models import CalendarDay, CalendarYear

MAX_RANGE_DAYS = 62  # one entry form covers at most two months (a holiday block is ~9 days)

_lock = threading.Lock()
_cached: tuple[tuple, Calendar] | None = None


def _fingerprint() -> tuple:
    # One aggregate query tells whether any app server changed the entered days since we built ours.
    days = CalendarDay.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    years = CalendarYear.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (days["n"], days["t"], years["n"], years["t"])


def current_calendar() -> Calendar:
    """The official calendar with the administrator's entries on top, rebuilt only when they change."""
    global _cached
    key = _fingerprint()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    overrides = [
        DayOverride(day=d.day, is_workday=d.is_workday, name=d.name)
        for d in CalendarDay.objects.in_force().only("day", "is_workday", "name")
    ]
    complete = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    calendar = Calendar(overrides=overrides, complete_years=list(complete))
    with _lock:
        _cached = (key, calendar)
    return calendar


@transaction.atomic
def enter_days(start: dt.date, end: dt.date, is_workday: bool, name: str) -> list[CalendarDay]:
    """Enter a range of days off (or make-up working days); an earlier entry for a day is voided."""
    if end < start:
        raise BusinessRuleError(_("The last day is before the first day."), field="end")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise BusinessRuleError(
            _("Enter at most %(n)d days at a time.") % {"n": MAX_RANGE_DAYS}, field="end"
        )
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    for old in CalendarDay.objects.in_force().filter(day__in=days).select_for_update():
        old.is_void = True
        old.void_reason = _("Replaced by a later entry")
        old.save()
    return [CalendarDay.objects.create(day=d, is_workday=is_workday, name=name) for d in days]


@transaction.atomic
def void_day(entry: CalendarDay, reason: str) -> None:
    if entry.is_void:
        raise BusinessRuleError(_("This entry is already void."))
    entry.is_void = True
    entry.void_reason = reason
    entry.save()


@transaction.atomic
def set_year_complete(year: int, complete: bool, source: str) -> CalendarYear:
    entry, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
    entry.complete = complete
    entry.source = source
    entry.save()
    return entry
