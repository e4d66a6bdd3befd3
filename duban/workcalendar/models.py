"""Days the administrator enters on top of the official calendar (调休 the package lacks, e.g. 2027)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.core.models import BaseModel
from duban.core.querysets import ScopedQuerySet


class CalendarQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        # The calendar is public to everyone who may read it at all; the permission decides.
        return self if user.has_perm("workcalendar.view_calendarday") else self.none()

    def in_force(self):
        return self.filter(is_void=False)


class CalendarDay(BaseModel):
    day = models.DateField(_("date"))
    is_workday = models.BooleanField(
        _("working day"),
        help_text=_("Ticked: a make-up working day (调休上班). Unticked: a day off."),
    )
    name = models.CharField(_("holiday name"), max_length=50)
    is_void = models.BooleanField(_("void"), default=False)
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)

    objects = CalendarQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"], condition=Q(is_void=False), name="workcalendar_one_entry_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"

    def get_absolute_url(self) -> str:
        return f"{reverse('workcalendar:month')}?year={self.day.year}&month={self.day.month}"


class CalendarYear(BaseModel):
    """A year outside the package whose official arrangement the administrator has fully entered."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    complete = models.BooleanField(_("arrangement fully entered"), default=False)
    source = models.CharField(_("source document"), max_length=200, blank=True)

    objects = CalendarQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
