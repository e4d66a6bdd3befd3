from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from duban.core.api.serializers import VersionedModelSerializer
from duban.core.exceptions import BusinessRuleError
from duban.supervision.choices import OPEN_STATUSES
from duban.supervision.models import Task
from duban.workcalendar.services import current_calendar


class TaskSerializer(VersionedModelSerializer):
    """A supervised task. On create give `deadline` or `deadline_workdays` (working days from
    `assigned_on`); the number, the unit (the caller's) and, unless given, the responsible leader (the
    lead section's leader in charge) are set by the registration. The status changes through the
    workflow pages, not here."""

    number = serializers.CharField(read_only=True)
    quadrant = serializers.IntegerField(read_only=True)
    overdue_workdays = serializers.SerializerMethodField()
    escalated_to = serializers.SerializerMethodField()
    deadline = serializers.DateField(required=False)

    class Meta:
        model = Task
        fields = [
            "id",
            "number",
            "unit",
            "year",
            "seq",
            "title",
            "content",
            "source",
            "source_ref",
            "indicator",
            "project",
            "lead_section",
            "cooperating_sections",
            "owner",
            "responsible_leader",
            "important",
            "urgent",
            "quadrant",
            "assigned_on",
            "deadline",
            "deadline_workdays",
            "feedback_cycle",
            "feedback_weekday",
            "feedback_due",
            "status",
            "stop_reason",
            "accepted_on",
            "submitted_on",
            "completed_on",
            "extension_count",
            "overdue_workdays",
            "escalation_level",
            "escalated_to",
            "version",
        ]
        read_only_fields = [
            "unit",
            "year",
            "seq",
            "feedback_due",
            "status",
            "stop_reason",
            "accepted_on",
            "submitted_on",
            "completed_on",
            "extension_count",
            "escalation_level",
        ]

    def get_fields(self):
        """Choices are scoped like the rows: an id of another unit's project or indicator is refused
        (400) instead of being linked and shown by name."""
        fields = super().get_fields()
        request = self.context.get("request")
        for name in ("indicator", "project", "lead_section", "owner", "responsible_leader"):
            field = fields[name]
            queryset = getattr(field, "queryset", None)
            if request is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(request.user)
        cooperating = fields["cooperating_sections"].child_relation
        if request is not None:
            cooperating.queryset = cooperating.queryset.visible_to(request.user)
        return fields

    def get_overdue_workdays(self, task: Task) -> int:
        # One calendar per request: current_calendar() checks the entered days with a query.
        cache = self.context.setdefault("_per_request", {})
        if "calendar" not in cache:
            cache["calendar"] = current_calendar()
            cache["today"] = timezone.localdate()
        return task.overdue_workdays(cache["calendar"], cache["today"])

    def get_escalated_to(self, task: Task) -> list[int]:
        """Who the open level 1 and 2 rungs name (the leader, the director), lowest level first."""
        rungs = getattr(task, "open_rungs", None)
        if rungs is None:
            rungs = task.escalations.filter(resolved_at__isnull=True, level__gte=1)
        return [r.to_person_id for r in sorted(rungs, key=lambda r: r.level) if r.to_person_id]

    def validate(self, attrs):
        if self.instance is None:
            if not attrs.get("deadline") and not attrs.get("deadline_workdays"):
                raise serializers.ValidationError(
                    {"deadline": [_("Give a deadline or a number of working days.")]}
                )
            if attrs.get("deadline_workdays"):
                from duban.supervision.services import deadline_from_workdays

                assigned = attrs.get("assigned_on") or timezone.localdate()
                try:
                    attrs["deadline"] = deadline_from_workdays(assigned, attrs["deadline_workdays"])
                except BusinessRuleError as error:
                    raise serializers.ValidationError({error.field: [error.message]}) from error
        elif self.instance.status not in OPEN_STATUSES:
            raise serializers.ValidationError(
                {"status": [_("A completed or stopped task is no longer edited.")]}
            )
        elif "deadline" in attrs and attrs["deadline"] != self.instance.deadline:
            raise serializers.ValidationError(
                {"deadline": [_("The deadline changes only through an approved extension.")]}
            )
        return super().validate(attrs)

    def _run_model_validation(self, attrs) -> None:
        if self.instance is None:
            # The unit is the caller's; year and number are given by the registration.
            from duban.org.scoping import scope_for

            unit_id = scope_for(self.context["request"].user).own_unit_id
            assigned = attrs.get("assigned_on") or timezone.localdate()
            task = Task(unit_id=unit_id, year=assigned.year, seq=1)
            for name, value in attrs.items():
                if name not in ("version", "cooperating_sections"):
                    setattr(task, name, value)
            self._clean(task)
        else:
            unit_id = self.instance.unit_id
            super()._run_model_validation(attrs)
        sections = attrs.get("cooperating_sections") or []
        if any(s.unit_id != unit_id for s in sections):
            raise serializers.ValidationError(
                {"cooperating_sections": [_("This belongs to another unit.")]}
            )

    @staticmethod
    def _clean(task: Task) -> None:
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            task.full_clean(exclude=["version", "seq", "year"], validate_unique=False)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error

    def update(self, instance, validated_data):
        from duban.supervision import services

        before = Task.objects.get(pk=instance.pk)
        task = super().update(instance, validated_data)
        services.record_edit(self.context["request"].user, before, task)
        return task

    def create(self, validated_data):
        from duban.supervision import services

        validated_data.pop("version", None)
        cooperating = validated_data.pop("cooperating_sections", [])
        task = Task(**validated_data)
        return services.register_task(self.context["request"].user, task, cooperating)
