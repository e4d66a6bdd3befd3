from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from duban.assessment.models import Indicator, Period, Report, Scheme
from duban.core.api.serializers import VersionedModelSerializer


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "code", "name", "start", "end", "deadline"]


class SchemeSerializer(serializers.ModelSerializer):
    periods = PeriodSerializer(many=True, read_only=True)

    class Meta:
        model = Scheme
        fields = [
            "id",
            "year",
            "name",
            "assessor",
            "units",
            "total_points",
            "excellent_percent",
            "good_percent",
            "pass_percent",
            "status",
            "periods",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "scheme",
            "parent",
            "level",
            "code",
            "name",
            "points",
            "method",
            "params",
            "rule_text",
            "unit_of_measure",
            "target",
            "direction",
            "value_kind",
            "assessor_department",
            "responsible_leader",
            "lead_section",
            "cooperating_sections",
            "responsible_person",
            "is_bonus",
        ]


class ReportSerializer(VersionedModelSerializer):
    class Meta:
        model = Report
        fields = [
            "id",
            "indicator",
            "period",
            "unit",
            "actual",
            "extras",
            "narrative",
            "problems",
            "next_steps",
            "documents",
            "status",
            "return_reason",
            "submitted_at",
            "confirmed_at",
            "version",
        ]
        read_only_fields = ["unit", "status", "return_reason", "submitted_at", "confirmed_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # A report stays with its indicator and period; another one is a new report.
            self.fields["indicator"].read_only = True
            self.fields["period"].read_only = True

    def validate_extras(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(
                _('Send the other inputs as an object, e.g. {"events": 1}.')
            )
        return value

    def validate(self, attrs):
        request = self.context["request"]
        self._check_with_engine(attrs)
        if self.instance is None:
            from duban.org.models import Unit
            from duban.org.scoping import scope_for

            indicator = attrs.get("indicator")
            if (
                indicator is not None
                and not Indicator.objects.reportable_by(request.user)
                .filter(pk=indicator.pk)
                .exists()
            ):
                raise serializers.ValidationError(
                    {"indicator": [_("Your section does not report on this indicator.")]}
                )
            # A report always belongs to the reporter's own unit; the client never chooses it.
            attrs["unit"] = Unit.objects.get(pk=scope_for(request.user).own_unit_id)
        return super().validate(attrs)

    def _check_with_engine(self, attrs) -> None:
        indicator = attrs.get("indicator") or getattr(self.instance, "indicator", None)
        period = attrs.get("period") or getattr(self.instance, "period", None)
        if indicator is None:
            return
        extras = attrs.get("extras", getattr(self.instance, "extras", {}) or {})
        actual = attrs.get("actual", getattr(self.instance, "actual", None))
        problems = _engine_errors(indicator, period, extras, actual)
        if problems:
            raise serializers.ValidationError(
                {
                    ("actual" if key == "actual" else "extras"): [message]
                    for key, message in problems.items()
                }
            )


class MilestoneSerializer(serializers.Serializer):
    due = serializers.DateField()
    done = serializers.DateField(required=False, allow_null=True)


class ScorePreviewSerializer(serializers.Serializer):
    """The engine's public contract; only what the method needs is required (the engine says which)."""

    method = serializers.CharField()
    points = serializers.DecimalField(max_digits=12, decimal_places=4)
    params = serializers.DictField(required=False, default=dict)
    target = serializers.DecimalField(
        max_digits=20, decimal_places=6, required=False, allow_null=True
    )
    direction = serializers.CharField(required=False, default="higher")
    actual = serializers.DecimalField(
        max_digits=20, decimal_places=6, required=False, allow_null=True
    )
    events = serializers.IntegerField(required=False, allow_null=True)
    milestones = MilestoneSerializer(many=True, required=False)
    as_of = serializers.DateField(required=False, allow_null=True)
    peers = serializers.ListField(
        child=serializers.DecimalField(max_digits=20, decimal_places=6), required=False
    )
    items = serializers.ListField(
        child=serializers.DecimalField(max_digits=12, decimal_places=4), required=False
    )
    triggered = serializers.BooleanField(required=False)

    default_error_messages = {"invalid_date": _("Write dates as YYYY-MM-DD.")}

    def extras(self) -> dict:
        data = self.validated_data
        extras = {
            key: data[key]
            for key in ("events", "milestones", "as_of", "peers", "items", "triggered")
            if key in data and data[key] is not None
        }
        if "milestones" in extras:
            extras["milestones"] = [
                {"due": m["due"], "done": m.get("done")} for m in extras["milestones"]
            ]
        if "as_of" not in extras and "milestones" in extras:
            extras["as_of"] = dt.date.today()
        return extras


class ScoreResultSerializer(serializers.Serializer):
    score = serializers.CharField()
    explanation = serializers.CharField()
    veto = serializers.CharField(allow_null=True)


def _engine_errors(indicator, period, extras, actual) -> dict:
    from duban.assessment.scoreboard import scoring_extras
    from duban.lib import scoring

    as_of = period.end if period is not None else None
    return scoring.validate_inputs(indicator.method, scoring_extras(extras, as_of), actual)
