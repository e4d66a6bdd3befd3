from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from duban.assessment import scoreboard, services
from duban.assessment.api.serializers import (
    IndicatorSerializer,
    ReportSerializer,
    SchemeSerializer,
    ScorePreviewSerializer,
    ScoreResultSerializer,
)
from duban.assessment.filtersets import IndicatorFilterSet, ReportFilterSet, SchemeFilterSet
from duban.assessment.models import Indicator, Report, Scheme
from duban.assessment.views.schemes import current_period
from duban.core.api.permissions import HasPermission
from duban.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from duban.core.exceptions import BusinessRuleError
from duban.core.params import int_param
from duban.lib import scoring
from duban.org.scoping import scope_for


class ScorePreviewView(APIView):
    """评分试算: score any method with any inputs. 400 with a Chinese message per field on bad input."""

    permission_classes = [HasPermission.of("assessment.view_indicator")]

    @extend_schema(request=ScorePreviewSerializer, responses=ScoreResultSerializer)
    def post(self, request):
        body = ScorePreviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            result = scoring.score(
                data["method"],
                data["points"],
                data.get("params") or {},
                data.get("target"),
                data.get("direction", "higher"),
                body.extras(),
                data.get("actual"),
            )
        except scoring.ScoringError as error:
            return Response({key: [message] for key, message in error.errors.items()}, status=400)
        return Response(result.as_dict())


class SchemeViewSet(ScopedReadOnlyViewSet):
    queryset = Scheme.objects.prefetch_related("periods", "units")
    serializer_class = SchemeSerializer
    filterset_class = SchemeFilterSet

    @extend_schema(parameters=[OpenApiParameter("period", str, description="period code, e.g. H1")])
    @action(detail=True)
    def scoreboard(self, request, pk=None):
        """The scoreboard page's numbers for the caller's unit."""
        scheme = self.get_object()
        unit_id = scope_for(request.user).own_unit_id
        period = current_period(scheme, request.query_params.get("period"), unit_id)
        if unit_id is None:
            raise Http404
        board = scoreboard.build(scheme, period, unit_id)
        return Response(_board_json(board))


def _money(value):
    return None if value is None else f"{value:.2f}"


def _board_json(board) -> dict:
    rank = board.rank
    return {
        "scheme": board.scheme.pk,
        "period": board.period.code,
        "unit": board.unit_id,
        "total_points": _money(board.scheme.total_points),
        "score_now": _money(board.total_now),
        "score_projected": _money(board.total_projected),
        "grade_now": board.grade_now,
        "grade_projected": board.grade_projected,
        "vetoed": board.vetoed,
        "points_at_risk": _money(board.at_risk),
        "points_recoverable": _money(board.recoverable),
        "evidence_complete_percent": board.evidence_percent,
        "projection": board.projection_basis,
        "rank": {
            "rank": rank.rank,
            "units": rank.units,
            "gap_to_next": _money(rank.gap),
            "next_unit": rank.next_unit,
            "plan": [r.indicator.code for r in rank.plan],
        }
        if rank
        else None,
        "indicators": [
            {
                "id": r.indicator.pk,
                "code": r.indicator.code,
                "name": r.indicator.name,
                "level": r.depth + 1,
                "points": _money(r.indicator.points),
                "score": _money(r.score),
                "projected": _money(r.projected),
                "at_risk": _money(r.at_risk),
                "recoverable": _money(r.recoverable),
                "explanation": r.explanation,
                "lagging": r.lagging,
                "lagging_reasons": r.lagging_reasons,
                "evidence_present": r.materials_present,
                "evidence_required": r.materials_total,
                "points_mismatch": _money(r.points_mismatch),
                "report_status": r.report.status if r.report else None,
            }
            for r in board.rows
        ],
    }


class IndicatorViewSet(ScopedReadOnlyViewSet):
    queryset = Indicator.objects.prefetch_related("cooperating_sections")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet


class ReportViewSet(ScopedModelViewSet):
    """Reports of the caller's unit. Create and update only while a draft or returned; then submit,
    confirm or return through the actions, exactly as on the pages."""

    queryset = Report.objects.prefetch_related("documents")
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet

    def perform_update(self, serializer):
        if serializer.instance.status not in ("draft", "returned"):
            raise BusinessRuleError(_("Only a draft or a returned report can be changed."))
        serializer.save()

    def _act(self, request, pk, func, queryset, *args, perm: str = "assessment.confirm_report"):
        if not request.user.has_perm(perm):
            raise PermissionDenied
        report = get_object_or_404(queryset, pk=pk)
        version = request.data.get("version")
        report = func(report, request.user, *args, int_param(version))
        return Response(ReportSerializer(report).data)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(
            request,
            pk,
            services.submit_report,
            Report.objects.editable_by(request.user),
            perm="assessment.change_report",
        )

    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._act(
            request, pk, services.confirm_report, Report.objects.confirmable_by(request.user)
        )

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._act(
            request,
            pk,
            services.return_report,
            Report.objects.confirmable_by(request.user),
            str(request.data.get("reason", "")),
        )
