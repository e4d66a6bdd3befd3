"""API of the problem registry and the lesson library: the same services, querysets and similarity
index as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from duban.core.api.viewsets import ScopedModelViewSet
from duban.org.models import Person, Section
from duban.org.scoping import scope_for
from duban.supervision import services
from duban.supervision.choices import TaskStatus
from duban.supervision.filtersets import ProblemFilterSet
from duban.supervision.forms_problems import DECIDED, LessonFilterSet
from duban.supervision.models import Lesson, Problem, Task
from duban.supervision.similar import similar_problems

SIMILAR_LIMIT_MAX = 50


class _ScopedRelated(serializers.PrimaryKeyRelatedField):
    """A related row the caller may see (else "invalid pk", as if it did not exist)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        return queryset.visible_to(request.user) if request else queryset.none()


class ProblemSerializer(serializers.ModelSerializer):
    """A problem. On create give title, description, the section to solve it (of your unit) and
    optionally who must solve it, the task, indicator or project, and `same_as`: an earlier decided
    problem whose decision the new one takes. The unit is the caller's; the status changes through
    the actions decide, link and verify."""

    task = _ScopedRelated(queryset=Task.objects.all(), required=False, allow_null=True)
    section = _ScopedRelated(queryset=Section.objects.filter(archived_at__isnull=True))
    solver = _ScopedRelated(
        queryset=Person.objects.filter(is_active=True), required=False, allow_null=True
    )
    same_as = _ScopedRelated(
        queryset=Problem.objects.filter(archived_at__isnull=True), required=False, allow_null=True
    )
    repeat_count = serializers.SerializerMethodField()

    class Meta:
        model = Problem
        fields = [
            "id",
            "unit",
            "title",
            "description",
            "task",
            "indicator",
            "project",
            "section",
            "solver",
            "raised_by",
            "raised_on",
            "status",
            "escalation_level",
            "same_as",
            "repeat_count",
            "decision",
            "decided_by",
            "decided_on",
            "meeting_ref",
            "verified_by",
            "verified_on",
            "implementation",
            "version",
        ]
        read_only_fields = [
            "unit",
            "raised_by",
            "raised_on",
            "status",
            "escalation_level",
            "decision",
            "decided_by",
            "decided_on",
            "meeting_ref",
            "verified_by",
            "verified_on",
            "implementation",
            "version",
        ]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        for name in ("indicator", "project"):
            field = fields[name]
            queryset = field.queryset
            if request is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(request.user)
        return fields

    def get_repeat_count(self, problem: Problem) -> int:
        count = getattr(problem, "repeat_count", None)
        if count is None:
            count = problem.repeats.filter(archived_at__isnull=True).count()
        return count

    def validate(self, attrs):
        unit_id = scope_for(self.context["request"].user).own_unit_id
        errors = {}
        for name in ("section", "solver", "task"):
            value = attrs.get(name)
            if value is not None and value.unit_id != unit_id:
                errors[name] = [_("This belongs to another unit.")]
        earlier = attrs.get("same_as")
        if earlier is not None and earlier.status not in DECIDED:
            errors["same_as"] = [
                _("The earlier problem has not been decided yet; it cannot lend its decision.")
            ]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def create(self, validated_data):
        request = self.context["request"]
        problem = Problem(unit_id=scope_for(request.user).own_unit_id, **validated_data)
        return services.raise_problem(request.user, problem)


class SimilarQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=500,
        error_messages={
            "required": _("Type the problem to compare (q)."),
            "blank": _("Type the problem to compare (q)."),
        },
    )
    limit = serializers.IntegerField(
        required=False,
        default=5,
        min_value=1,
        max_value=SIMILAR_LIMIT_MAX,
        error_messages={
            "invalid": _("The limit is a whole number from 1 to 50."),
            "min_value": _("The limit is a whole number from 1 to 50."),
            "max_value": _("The limit is a whole number from 1 to 50."),
        },
    )


class SimilarResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    score = serializers.FloatField(help_text=_("Similarity from 0 to 1."))
    status = serializers.CharField()
    decision = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    decision = serializers.CharField()
    decided_on = serializers.DateField()
    meeting_ref = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField()


class LinkSerializer(serializers.Serializer):
    earlier = serializers.IntegerField(help_text=_("Id of the earlier, decided problem."))
    version = serializers.IntegerField()


class VerifySerializer(serializers.Serializer):
    implementation = serializers.CharField()
    version = serializers.IntegerField()


class ProblemViewSet(ScopedModelViewSet):
    """问题台账: problems decided once. Everyone in the unit reads them; the section that must solve
    one (its chief, its leader, the director, the office) decides and verifies."""

    queryset = Problem.objects.filter(archived_at__isnull=True)
    serializer_class = ProblemSerializer
    filterset_class = ProblemFilterSet
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        from django.db.models import Count, Q

        return (
            super()
            .get_queryset()
            .annotate(repeat_count=Count("repeats", filter=Q(repeats__archived_at__isnull=True)))
            .order_by("-raised_on", "-id")
        )

    def perform_create(self, serializer):
        if scope_for(self.request.user).own_unit_id is None:
            raise PermissionDenied
        serializer.save()

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="The problem as typed."),
            OpenApiParameter("limit", int, description="How many, 1 to 50 (default 5)."),
        ],
        responses=inline_serializer(
            "SimilarProblems", {"results": SimilarResultSerializer(many=True)}
        ),
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def similar(self, request):
        """The earlier problems most like `q`, best first, with their decisions (score 0–1)."""
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rows = similar_problems(request.user, data["q"], data["limit"])
        return Response(
            {
                "results": [
                    {
                        "id": p.pk,
                        "title": p.title,
                        "score": p.score,
                        "status": p.status,
                        "decision": p.decision,
                    }
                    for p in rows
                ]
            }
        )

    def _editable(self, request, pk, perm: str) -> Problem:
        problem = get_object_or_404(Problem.objects.visible_to(request.user), pk=pk)
        if not request.user.has_perm(perm) or not (
            Problem.objects.editable_by(request.user).filter(pk=problem.pk).exists()
        ):
            raise PermissionDenied
        if problem.archived_at is not None:
            raise PermissionDenied(_("This problem is archived."))
        return problem

    def _answer(self, request, problem: Problem) -> Response:
        problem = self.get_queryset().get(pk=problem.pk)
        return Response(self.get_serializer(problem).data)

    @extend_schema(request=DecisionSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Record the decision (decision text, date, meeting reference); send the version you read."""
        problem = self._editable(request, pk, "supervision.decide_problem")
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        problem.version = data["version"]
        services.decide(
            request.user, problem, data["decision"], data["decided_on"], data["meeting_ref"]
        )
        return self._answer(request, problem)

    @extend_schema(request=LinkSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        """The same problem as an earlier, decided one: take its decision instead of discussing it."""
        problem = self._editable(request, pk, "supervision.change_problem")
        body = LinkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        earlier = (
            Problem.objects.visible_to(request.user)
            .filter(pk=body.validated_data["earlier"], archived_at__isnull=True)
            .select_related("same_as")
            .first()
        )
        if earlier is None:
            raise serializers.ValidationError(
                {"earlier": [_("The earlier problem was not found.")]}
            )
        problem.version = body.validated_data["version"]
        services.link_to_earlier(request.user, problem, earlier)
        return self._answer(request, problem)

    @extend_schema(request=VerifySerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Verify that the decision was implemented, saying how."""
        problem = self._editable(request, pk, "supervision.verify_problem")
        body = VerifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        problem.version = body.validated_data["version"]
        services.verify(request.user, problem, body.validated_data["implementation"])
        return self._answer(request, problem)


# --- lessons -------------------------------------------------------------------------------------


class LessonSerializer(serializers.ModelSerializer):
    """A lesson (经验做法/教训). Its source, if any, is a decided problem or a finished task; the unit
    and the author are the caller's."""

    problem = _ScopedRelated(queryset=Problem.objects.all(), required=False, allow_null=True)
    task = _ScopedRelated(queryset=Task.objects.all(), required=False, allow_null=True)
    section = _ScopedRelated(
        queryset=Section.objects.filter(archived_at__isnull=True), required=False, allow_null=True
    )
    tag_list = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Lesson
        fields = [
            "id",
            "unit",
            "kind",
            "title",
            "body",
            "tags",
            "tag_list",
            "problem",
            "task",
            "section",
            "author",
            "created_at",
            "version",
        ]
        read_only_fields = ["unit", "author", "created_at", "version"]

    def validate(self, attrs):
        unit_id = scope_for(self.context["request"].user).own_unit_id
        errors = {}
        problem, task = attrs.get("problem"), attrs.get("task")
        if problem is not None and problem.status not in DECIDED:
            errors["problem"] = [
                _("A lesson can be written only from a decided problem or a finished task.")
            ]
        if task is not None and task.status != TaskStatus.DONE:
            errors["task"] = [
                _("A lesson can be written only from a decided problem or a finished task.")
            ]
        if problem is not None and task is not None:
            errors["task"] = [_("A lesson comes from one problem or one task, not both.")]
        section = attrs.get("section")
        if section is not None and section.unit_id != unit_id:
            errors["section"] = [_("This belongs to another unit.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def create(self, validated_data):
        scope = scope_for(self.context["request"].user)
        if validated_data.get("section") is None:
            validated_data.pop("section", None)
            validated_data["section_id"] = scope.own_section_id
        return Lesson.objects.create(
            unit_id=scope.own_unit_id, author_id=scope.person_id, **validated_data
        )


class LessonViewSet(ScopedModelViewSet):
    """经验教训库: lessons written from decided problems and finished tasks."""

    queryset = Lesson.objects.filter(archived_at__isnull=True)
    serializer_class = LessonSerializer
    filterset_class = LessonFilterSet
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        if scope_for(self.request.user).own_unit_id is None:
            raise PermissionDenied
        serializer.save()
