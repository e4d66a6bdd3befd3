from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from duban.core.api.permissions import HasPermission
from duban.core.api.viewsets import ScopedReadOnlyViewSet
from duban.lib.workdays import MAX_DATE, MIN_DATE
from duban.workcalendar.api.serializers import (
    AddWorkdaysQuerySerializer,
    AddWorkdaysResultSerializer,
    CalendarDaySerializer,
    WorkdaysQuerySerializer,
    WorkdaysResultSerializer,
)
from duban.workcalendar.models import CalendarDay
from duban.workcalendar.services import current_calendar

CanReadCalendar = HasPermission.of("workcalendar.view_calendarday")


class WorkdaysView(APIView):
    """Working days d with start ≤ d ≤ end (0 when end < start). `complete` is false when a year in the
    range has no official holiday data and Monday–Friday were counted instead."""

    permission_classes = [CanReadCalendar]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, required=True),
            OpenApiParameter("end", str, required=True),
        ],
        responses=WorkdaysResultSerializer,
    )
    def get(self, request):
        query = WorkdaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["start"], query.validated_data["end"]
        calendar = current_calendar()
        return Response(
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "workdays": calendar.workdays_between(start, end),
                "complete": not calendar.incomplete_years(start, max(start, end)),
            }
        )


class AddWorkdaysView(APIView):
    """n ≥ 1: the n-th working day after date; n ≤ −1: the |n|-th before; 0: date or the next working day."""

    permission_classes = [CanReadCalendar]

    @extend_schema(
        parameters=[
            OpenApiParameter("date", str, required=True),
            OpenApiParameter("workdays", int, required=True),
        ],
        responses=AddWorkdaysResultSerializer,
    )
    def get(self, request):
        query = AddWorkdaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day, n = query.validated_data["date"], query.validated_data["workdays"]
        calendar = current_calendar()
        try:
            result = calendar.add_workdays(day, n)
        except ValueError:
            return Response(
                {
                    "workdays": [
                        _("The result falls outside the dates that can be computed (%(a)d–%(b)d).")
                        % {"a": MIN_DATE.year, "b": MAX_DATE.year}
                    ]
                },
                status=400,
            )
        low, high = sorted((day, result))
        return Response(
            {"date": result.isoformat(), "complete": not calendar.incomplete_years(low, high)}
        )


class CalendarDayViewSet(ScopedReadOnlyViewSet):
    """Days the administrator entered on top of the official calendar (void ones included)."""

    queryset = CalendarDay.objects.all()
    serializer_class = CalendarDaySerializer
    filterset_fields = ["is_workday", "is_void"]
