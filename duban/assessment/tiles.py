"""The cockpit's assessment tiles: score and grade, rank and gap, lagging indicators, reports due,
evidence missing — for the schemes in force that assess the user's unit."""

from __future__ import annotations

from django.utils import timezone

from duban.assessment import scoreboard
from duban.assessment.choices import SchemeStatus
from duban.assessment.models import Period, Scheme
from duban.assessment.views.schemes import current_period
from duban.org.scoping import scope_for


def assessment_tiles(user) -> dict:
    if not user.has_perm("assessment.view_scheme"):
        return {}
    unit_id = scope_for(user).own_unit_id
    scheme = (
        Scheme.objects.visible_to(user)
        .filter(status=SchemeStatus.ACTIVE, units=unit_id, archived_at__isnull=True)
        .order_by("-year")
        .first()
    )
    if scheme is None:
        return {}
    period = current_period(scheme, None, unit_id)
    board = scoreboard.build(scheme, period, unit_id)
    today = timezone.localdate()
    next_period = (
        Period.objects.filter(scheme=scheme, deadline__gte=today).order_by("deadline").first()
    )
    return {
        "assessment": {
            "board": board,
            "lagging": sorted(board.lagging, key=lambda r: r.at_risk, reverse=True)[:5],
            "next_period": next_period,
            "evidence_missing": board.materials_total - board.materials_present,
        }
    }
