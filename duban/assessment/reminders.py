"""Reporting deadlines of indicators (填报时限), reminded through the same notification machinery as
supervision (`duban tick`).

- `warn_before` working days before a period's reporting deadline (the supervision policy's warning
  window of the unit), the indicator's responsible person — or, if none is named, its responsible
  leader — is reminded once for each indicator whose report for the unit is not yet submitted;
- the first working day after the deadline, if it is still not submitted, the responsible leader is
  told once.

Idempotent: each reminder carries a key (indicator, period, unit, kind), so a second run sends nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from duban.assessment.choices import ReportStatus, SchemeStatus
from duban.assessment.models import Indicator, Period, Report, Scheme
from duban.notifications.services import notify
from duban.supervision.models import Policy
from duban.workcalendar.services import current_calendar

DONE = (ReportStatus.SUBMITTED, ReportStatus.CONFIRMED)


def report_deadlines(now: dt.datetime) -> int:
    today = timezone.localdate(now)
    calendar = current_calendar()
    # Periods whose deadline is within two weeks ahead or just passed: the only ones that can need a
    # reminder today, so the scan stays small however many years of schemes there are.
    periods = list(
        Period.objects.filter(
            scheme__status=SchemeStatus.ACTIVE,
            scheme__archived_at__isnull=True,
            deadline__gte=today - dt.timedelta(days=14),
            deadline__lte=today + dt.timedelta(days=21),
        ).select_related("scheme")
    )
    if not periods:
        return 0
    indicators = list(
        Indicator.objects.filter(
            scheme__in={p.scheme_id for p in periods},
            archived_at__isnull=True,
            lead_section__isnull=False,
        )
        .exclude(method="")
        .select_related("lead_section", "responsible_person", "responsible_leader")
    )
    assessed = {
        (scheme_id, unit_id)
        for scheme_id, unit_id in Scheme.units.through.objects.filter(
            scheme_id__in={p.scheme_id for p in periods}
        ).values_list("scheme_id", "unit_id")
    }
    done = set(
        Report.objects.filter(period__in=periods, status__in=DONE).values_list(
            "indicator_id", "period_id", "unit_id"
        )
    )
    warn = {
        unit_id: Policy.for_unit(unit_id).warn_before
        for unit_id in {i.lead_section.unit_id for i in indicators}
    }
    sent = 0
    for period in periods:
        left = calendar.workdays_between(today + dt.timedelta(days=1), period.deadline)
        late = (
            calendar.workdays_between(period.deadline + dt.timedelta(days=1), today)
            if today > period.deadline
            else 0
        )
        for indicator in indicators:
            unit_id = indicator.lead_section.unit_id
            if (
                indicator.scheme_id != period.scheme_id
                or (period.scheme_id, unit_id) not in assessed
            ):
                continue
            if (indicator.pk, period.pk, unit_id) in done:
                continue
            names = {"code": indicator.code, "name": indicator.name, "period": period.name}
            key = f"report:{indicator.pk}:{period.pk}:{unit_id}"
            if today <= period.deadline and left <= warn[unit_id]:
                person = indicator.responsible_person or indicator.responsible_leader
                sent += _send(
                    person,
                    _("Report due %(date)s: %(code)s %(name)s (%(period)s)")
                    % {**names, "date": period.deadline},
                    indicator,
                    f"{key}:due",
                )
            elif late >= 1:
                sent += _send(
                    indicator.responsible_leader or indicator.responsible_person,
                    _("Report overdue: %(code)s %(name)s (%(period)s)") % names,
                    indicator,
                    f"{key}:overdue",
                    urgent=True,
                )
    return sent


def _send(person, title: str, indicator: Indicator, key: str, urgent: bool = False) -> int:
    if person is None:
        return 0
    created = notify(
        person,
        kind="assessment.report_due",
        title=title,
        url=indicator.get_absolute_url(),
        key=key,
        urgent=urgent,
    )
    return 1 if created else 0
