from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from rest_framework import serializers

from duban.core.api.serializers import VersionedModelSerializer
from duban.lib import scheduling
from duban.lib.scheduling import ActivityInput
from duban.org.models import Person, Section, Unit
from duban.org.scoping import scope_for
from duban.projects import services
from duban.projects.models import Project


class ProjectSerializer(VersionedModelSerializer):
    """A key project. Creating one needs only code, name, planned_start and deadline; the unit is the
    caller's own and the lead section defaults to the caller's section. The stage changes through
    the `stage` action (its gate), not here."""

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "unit",
            "type",
            "level",
            "stage",
            "stage_reason",
            "owner",
            "contractor",
            "supervisor",
            "designer",
            "address",
            "latitude",
            "longitude",
            "total_investment",
            "annual_investment",
            "plan_year",
            "funding_sources",
            "responsible_leader",
            "lead_section",
            "staff",
            "planned_start",
            "deadline",
            "notes",
            "version",
        ]
        read_only_fields = ["unit", "stage", "stage_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return
        # The same scoped choices as the forms: nobody links what they may not see.
        fields = self.fields
        if "responsible_leader" in fields:
            fields["responsible_leader"].queryset = Person.objects.visible_to(user)
            fields["staff"].child_relation.queryset = Person.objects.visible_to(user)
            fields["lead_section"].queryset = Section.objects.visible_to(user)

    def validate(self, attrs):
        if self.instance is None:
            scope = scope_for(self.context["request"].user)
            if scope.own_unit_id is None:
                raise serializers.ValidationError(
                    {"detail": [_("You belong to no unit, so you cannot create a project.")]}
                )
            attrs["unit"] = Unit.objects.get(pk=scope.own_unit_id)
            if "lead_section" not in attrs and scope.own_section_id:
                attrs["lead_section"] = Section.objects.get(pk=scope.own_section_id)
        start = attrs.get("planned_start", getattr(self.instance, "planned_start", None))
        deadline = attrs.get("deadline", getattr(self.instance, "deadline", None))
        problems = services.check_dates(start, deadline)
        if problems:
            raise serializers.ValidationError({k: [v] for k, v in problems.items()})
        return super().validate(attrs)


# --- the plan: the engine's public contract ------------------------------------------------------


def _date(value, key: str, errors: dict) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    errors[key] = _("Write dates as YYYY-MM-DD.")
    return None


def read_plan(data) -> tuple[list[ActivityInput], dict[str, str]]:
    """`{"activities": [{"code", "name", "duration", "predecessors": [{"code", "lag"}], "finish_by"}]}`
    as scheduler inputs, with the problems of its shape keyed like `scheduling.validate`'s. Values are
    passed on as sent, so the scheduler names a negative duration or a lag of 1.5 in Chinese."""
    errors: dict[str, str] = {}
    if not isinstance(data, dict) or not isinstance(data.get("activities"), list):
        return [], {"activities": _('Send the plan as {"activities": [...]}.')}
    rows: list[ActivityInput] = []
    for i, item in enumerate(data["activities"]):
        key = f"activities[{i}]"
        if not isinstance(item, dict):
            errors[key] = _("Each activity is an object with code, name and duration.")
            continue
        code = item.get("code")
        name = item.get("name") or ""
        if not isinstance(name, str):
            errors[f"{key}.name"] = _("The name is text.")
            name = ""
        if "duration" not in item or item["duration"] is None:
            errors[f"{key}.duration"] = _("The duration is required.")
        links = item.get("predecessors") or []
        predecessors = []
        if not isinstance(links, list):
            errors[f"{key}.predecessors"] = _('The predecessors are a list of {"code", "lag"}.')
            links = []
        for link in links:
            if isinstance(link, str):
                link = {"code": link}
            if not isinstance(link, dict) or "code" not in link:
                errors[f"{key}.predecessors"] = _('The predecessors are a list of {"code", "lag"}.')
                continue
            predecessors.append(scheduling.Dependency(str(link["code"]), link.get("lag", 0)))
        rows.append(
            ActivityInput(
                code=code if isinstance(code, str) else ("" if code is None else str(code)),
                name=name,
                duration=item.get("duration", 0),
                predecessors=tuple(predecessors),
                finish_by=_date(item.get("finish_by"), f"{key}.finish_by", errors),
            )
        )
    return rows, errors


def plan_json(rows: list[ActivityInput]) -> dict:
    return {
        "activities": [
            {
                "code": row.code,
                "name": row.name,
                "duration": row.duration,
                "predecessors": [{"code": d.code, "lag": d.lag} for d in row.predecessors],
                "finish_by": row.finish_by.isoformat() if row.finish_by else None,
            }
            for row in rows
        ]
    }


def schedule_json(schedule: scheduling.Schedule) -> dict:
    return {
        "planned_start": schedule.planned_start.isoformat(),
        "deadline": schedule.deadline.isoformat(),
        "project_float": schedule.project_float,
        "critical_path": list(schedule.critical_path),
        "activities": [
            {
                "code": a.code,
                "early_start": a.early_start.isoformat(),
                "early_finish": a.early_finish.isoformat(),
                "late_start": a.late_start.isoformat(),
                "late_finish": a.late_finish.isoformat(),
                "total_float": a.total_float,
                "critical": a.critical,
            }
            for a in schedule.activities
        ],
        "complete": schedule.complete,
        "warnings": list(schedule.warnings),
    }


# Schema-only serializers: the documented shapes of the plan and schedule endpoints.


class PredecessorSerializer(serializers.Serializer):
    code = serializers.CharField()
    lag = serializers.IntegerField(default=0, help_text=_("Working days; negative to overlap."))


class PlanActivitySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(required=False)
    duration = serializers.IntegerField(help_text=_("Working days; 0 for a milestone."))
    predecessors = PredecessorSerializer(many=True, required=False)
    finish_by = serializers.DateField(required=False, allow_null=True)


class PlanSerializer(serializers.Serializer):
    activities = PlanActivitySerializer(many=True)


class ScheduledActivitySerializer(serializers.Serializer):
    code = serializers.CharField()
    early_start = serializers.DateField()
    early_finish = serializers.DateField()
    late_start = serializers.DateField()
    late_finish = serializers.DateField()
    total_float = serializers.IntegerField()
    critical = serializers.BooleanField()


class ScheduleSerializer(serializers.Serializer):
    planned_start = serializers.DateField()
    deadline = serializers.DateField()
    project_float = serializers.IntegerField()
    critical_path = serializers.ListField(child=serializers.CharField())
    activities = ScheduledActivitySerializer(many=True)
    complete = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())


class StageChangeSerializer(serializers.Serializer):
    to_stage = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    override = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(required=False)


class BaselineSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    kind = serializers.CharField(read_only=True)
    document_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    approved_on = serializers.DateField(required=False)
    deadline = serializers.DateField(read_only=True)
