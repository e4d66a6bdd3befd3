"""Schemes and the scoreboard: the tree with points, score now, projection, risk and the way up."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from duban.assessment import scoreboard
from duban.assessment.filtersets import SchemeFilterSet
from duban.assessment.forms import SchemeForm
from duban.assessment.models import Period, Report, Scheme
from duban.assessment.tables import SchemeTable
from duban.core.views import (
    ObjectCreateView,
    ObjectListView,
    ObjectUpdateView,
    PermissionRequiredMixin,
)
from duban.org.models import Person, Section
from duban.org.scoping import scope_for


class SchemeListView(ObjectListView):
    permission = "assessment.view_scheme"
    queryset = Scheme.objects.all()
    table_class = SchemeTable
    filterset_class = SchemeFilterSet
    title = gettext_lazy("Assessment schemes")
    add_url_name = "assessment:scheme_add"
    add_permission = "assessment.add_scheme"


class SchemeCreateView(ObjectCreateView):
    permission = "assessment.add_scheme"
    queryset = Scheme.objects.all()
    form_class = SchemeForm


class SchemeUpdateView(ObjectUpdateView):
    permission = "assessment.change_scheme"
    queryset = Scheme.objects.all()
    form_class = SchemeForm


def current_period(scheme: Scheme, code: str | None, unit_id: int | None = None) -> Period:
    """The period asked for; else the latest ended period the unit has reported on; else the latest
    ended period; else the first."""
    periods = list(scheme.periods.order_by("end"))
    if not periods:
        raise Http404(_("This scheme has no periods yet."))
    if code:
        for period in periods:
            if period.code == code:
                return period
        raise Http404(_("No such period."))
    today = timezone.localdate()
    ended = [p for p in periods if p.end <= today]
    if unit_id is not None and ended:
        reported = set(
            Report.objects.filter(period__in=ended, unit_id=unit_id).values_list(
                "period_id", flat=True
            )
        )
        with_reports = [p for p in ended if p.id in reported]
        if with_reports:
            return with_reports[-1]
    return ended[-1] if ended else periods[0]


class SchemeDetailView(PermissionRequiredMixin, View):
    """The scoreboard of a scheme for the user's unit and a chosen period."""

    permission = "assessment.view_scheme"

    def get(self, request, pk: int):
        scheme = get_object_or_404(Scheme.objects.visible_to(request.user).for_list(), pk=pk)
        unit_id = scope_for(request.user).own_unit_id
        period = current_period(scheme, request.GET.get("period"), unit_id)
        board = scoreboard.build(scheme, period, unit_id)
        rows = _filtered(board, request)
        if request.GET.get("export") == "xlsx":
            from duban.assessment import exports

            content = exports.scoreboard_xlsx(board, request.GET)
            response = HttpResponse(
                content,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            filename = f"{scheme.name}-{period.name}-{_('scoreboard')}.xlsx"
            response["Content-Disposition"] = content_disposition_header(True, filename)
            return response
        query = request.GET.copy()
        query.pop("export", None)
        context = {
            "title": scheme.name,
            "scheme": scheme,
            "period": period,
            "board": board,
            "rows": rows,
            "sections": Section.objects.visible_to(request.user).active().filter(unit_id=unit_id),
            "leaders": Person.objects.filter(
                pk__in={r.indicator.responsible_leader_id for r in board.leaves}
            ),
            "query": query.urlencode(),
            "chart": _chart_data(board),
        }
        return render(request, "assessment/scheme_detail.html", context)


def _filtered(board, request) -> list:
    from duban.assessment import exports

    section = request.GET.get("section") or None
    leader = request.GET.get("leader") or None
    lagging = request.GET.get("lagging") == "1"
    try:
        return exports.filter_rows(
            board,
            section_id=int(section) if section else None,
            leader_id=int(leader) if leader else None,
            lagging_only=lagging,
        )
    except ValueError:
        return board.rows


def _chart_data(board) -> dict:
    def number(value):
        return float(value) if value is not None else None

    return {
        "categories": [c["name"] for c in board.categories],
        "points": [number(c["points"]) for c in board.categories],
        "score": [number(c["score"]) for c in board.categories],
        "projected": [number(c["projected"]) for c in board.categories],
        "periods": [h["period"].name for h in board.history],
        "computed": [number(h["computed"]) for h in board.history],
        "published": [number(h["published"]) for h in board.history],
        "rank": [h["rank"] for h in board.history],
    }


urlpatterns = [
    path("", SchemeListView.as_view(), name="scheme_list"),
    path("schemes/add/", SchemeCreateView.as_view(), name="scheme_add"),
    path("schemes/<int:pk>/", SchemeDetailView.as_view(), name="scheme_detail"),
    path("schemes/<int:pk>/edit/", SchemeUpdateView.as_view(), name="scheme_edit"),
]
