from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core.exceptions import BusinessRuleError
from duban.workcalendar import services
from duban.workcalendar.forms import DayRangeForm, VoidForm, YearCompleteForm
from duban.workcalendar.models import CalendarDay, CalendarYear

WEEKDAYS = [
    gettext_lazy("Mon"),
    gettext_lazy("Tue"),
    gettext_lazy("Wed"),
    gettext_lazy("Thu"),
    gettext_lazy("Fri"),
    gettext_lazy("Sat"),
    gettext_lazy("Sun"),
]


def _month_url(year: int, month_number: int) -> str:
    return f"{reverse('workcalendar:month')}?year={year}&month={month_number}"


def _month_from(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
    except ValueError:
        return today.year, today.month
    if not (1900 <= year <= 2200 and 1 <= month <= 12):
        return today.year, today.month
    return year, month


@login_required
def month(request):
    if not request.user.has_perm("workcalendar.view_calendarday"):
        raise PermissionDenied
    year, month_number = _month_from(request)
    return _render_month(request, year, month_number, DayRangeForm(), status=200)


def _render_month(request, year: int, month_number: int, form, status: int):
    calendar = services.current_calendar()
    days = calendar.month(year, month_number)
    first = dt.date(year, month_number, 1)
    previous = first - dt.timedelta(days=1)
    following = first + dt.timedelta(days=32)
    year_entry = CalendarYear.objects.filter(year=year).first()
    context = {
        "title": _("Working calendar"),
        "year": year,
        "month": month_number,
        "blanks": range(first.weekday()),
        "days": days,
        "weekdays": WEEKDAYS,
        "today": timezone.localdate(),
        "complete": calendar.is_complete(year),
        "workday_count": sum(1 for d in days if d.is_workday),
        "previous": previous,
        "following": following.replace(day=1),
        "entries": CalendarDay.objects.in_force().filter(day__year=year),
        "entered_days": set(
            CalendarDay.objects.in_force()
            .filter(day__year=year, day__month=month_number)
            .values_list("day", flat=True)
        ),
        "official_year": calendar.is_official(year),
        "form": form,
        "year_form": YearCompleteForm(
            initial={
                "year": year,
                "complete": bool(year_entry and year_entry.complete),
                "source": year_entry.source if year_entry else "",
            }
        ),
        "year_entry": year_entry,
        "can_edit": request.user.has_perm("workcalendar.add_calendarday"),
    }
    return render(request, "workcalendar/month.html", context, status=status)


@require_POST
@login_required
def add_days(request):
    if not request.user.has_perm("workcalendar.add_calendarday"):
        raise PermissionDenied
    form = DayRangeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entries = services.enter_days(
                data["start"], data["end"], data["kind"] == "work", data["name"]
            )
        except BusinessRuleError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("%(n)d day(s) entered.") % {"n": len(entries)})
            return redirect(_month_url(data["start"].year, data["start"].month))
    start = form.cleaned_data.get("start") if hasattr(form, "cleaned_data") else None
    year, month_number = (start.year, start.month) if start else _month_from(request)
    return _render_month(request, year, month_number, form, status=400)


@require_POST
@login_required
def void_day(request, pk: int):
    if not request.user.has_perm("workcalendar.change_calendarday"):
        raise PermissionDenied
    entry = get_object_or_404(CalendarDay.objects.visible_to(request.user).in_force(), pk=pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        services.void_day(entry, form.cleaned_data["reason"])
        messages.success(
            request, _("The entry for %(day)s is void.") % {"day": entry.day.isoformat()}
        )
    else:
        messages.error(request, _("Give a reason to void the entry."))
    return redirect(entry)


@require_POST
@login_required
def set_year(request):
    if not request.user.has_perm("workcalendar.change_calendaryear"):
        raise PermissionDenied
    form = YearCompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The year could not be saved."))
        return redirect("workcalendar:month")
    data = form.cleaned_data
    services.set_year_complete(data["year"], data["complete"], data["source"])
    messages.success(request, _("Saved."))
    return redirect(_month_url(data["year"], data.get("month") or 1))
