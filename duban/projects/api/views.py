from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from duban.core.api.viewsets import ScopedModelViewSet
from duban.lib import scheduling
from duban.projects import services
from duban.projects.api.serializers import (
    BaselineSerializer,
    PlanSerializer,
    ProjectSerializer,
    ScheduleSerializer,
    StageChangeSerializer,
    plan_json,
    read_plan,
    schedule_json,
)
from duban.projects.filtersets import ProjectFilterSet
from duban.projects.models import Project
from duban.projects.schedule import load_plan


def _errors(errors: dict[str, str]) -> Response:
    return Response({key: [message] for key, message in errors.items()}, status=400)


class ProjectViewSet(ScopedModelViewSet):
    """Key projects (重点项目); the plan and its schedule are the engine's public contract."""

    queryset = Project.objects.filter(archived_at__isnull=True).prefetch_related("staff")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    lookup_value_regex = r"\d+"

    def _editable(self, request, pk, perm: str) -> Project:
        if not request.user.has_perm(perm):
            raise PermissionDenied
        return get_object_or_404(Project.objects.editable_by(request.user), pk=pk)

    @extend_schema(request=PlanSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["get", "put"])
    def plan(self, request, pk=None):
        """GET the plan; PUT replaces it in one transaction (400 with Chinese messages, nothing
        changed, on an unknown or duplicate code, a cycle, a negative duration or a non-integer lag).
        """
        if request.method == "GET":
            return Response(plan_json(load_plan(self.get_object()).inputs))
        project = self._editable(request, pk, "projects.change_activity")
        rows, errors = read_plan(request.data)
        if errors:
            return _errors(errors)
        version = request.data.get("version") if isinstance(request.data, dict) else None
        if version is not None and not isinstance(version, int):
            return Response({"version": [_("The version is a whole number.")]}, status=400)
        try:
            # With the version the client read, a plan changed meanwhile is refused (409).
            services.replace_plan(project, rows, request.user, version)
        except services.PlanError as error:
            return _errors(error.errors)
        return Response(plan_json(load_plan(project).inputs))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "as_of",
                dt.date,
                description="Forecast as of this date (work not started by then moves to it).",
            )
        ],
        responses=ScheduleSerializer,
    )
    @action(detail=True)
    def schedule(self, request, pk=None):
        """The plan scheduled backwards from the mandated date on the working-day calendar."""
        project = self.get_object()
        as_of = None
        if request.query_params.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(request.query_params["as_of"])
            except ValueError:
                return Response({"as_of": [_("Write dates as YYYY-MM-DD.")]}, status=400)
        plan = load_plan(project, as_of)
        if plan.schedule is None:
            return _errors(plan.errors or scheduling.validate([]))
        return Response(schedule_json(plan.schedule))

    @extend_schema(request=StageChangeSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        """Change the stage: through its gate, by the director's recorded override, or 停工/缓建."""
        project = self._editable(request, pk, "projects.change_project")
        body = StageChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.change_stage(
            project,
            request.user,
            data["to_stage"],
            data["reason"],
            data["override"],
            data.get("version"),
        )
        project.refresh_from_db()
        return Response(ProjectSerializer(project, context={"request": request}).data)

    @extend_schema(request=BaselineSerializer, responses=BaselineSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def baselines(self, request, pk=None):
        """The approved baselines; POST approves the current plan as a new one."""
        if request.method == "GET":
            project = self.get_object()
            return Response(BaselineSerializer(project.baselines.order_by("id"), many=True).data)
        project = self._editable(request, pk, "projects.approve_baseline")
        body = BaselineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        baseline = services.approve_baseline(
            project,
            request.user,
            data["name"],
            data.get("document_number", ""),
            data.get("approved_on"),
        )
        return Response(BaselineSerializer(baseline).data, status=status.HTTP_201_CREATED)
