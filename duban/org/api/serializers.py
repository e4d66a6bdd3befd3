from django.utils.translation import gettext as _
from rest_framework import serializers

from duban.core.api.serializers import VersionedModelSerializer
from duban.org.models import LeaderAssignment, Person, Section, Unit


class UnitSerializer(VersionedModelSerializer):
    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "code",
            "kind",
            "parent",
            "path",
            "sort_order",
            "version",
        ]
        read_only_fields = ["path"]


class SectionSerializer(VersionedModelSerializer):
    leader = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = [
            "id",
            "unit",
            "name",
            "phone",
            "duties",
            "sort_order",
            "leader",
            "archived_at",
            "version",
        ]
        read_only_fields = ["archived_at"]

    def get_leader(self, section) -> int | None:
        leader = section.current_leader
        return leader.pk if leader else None


class PersonSerializer(VersionedModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "unit",
            "section",
            "position",
            "phone",
            "is_active",
            "user",
            "version",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        unit = attrs.get("unit", getattr(self.instance, "unit", None))
        section = attrs.get("section", getattr(self.instance, "section", None))
        if unit and section and section.unit_id != unit.pk:
            raise serializers.ValidationError(
                {"section": [_("This section belongs to another unit.")]}
            )
        return attrs


class LeaderAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeaderAssignment
        fields = ["id", "section", "leader", "start_date", "end_date", "note"]
