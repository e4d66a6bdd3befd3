from rest_framework import serializers

from duban.core.api.serializers import VersionedModelSerializer
from duban.org import services
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

    def save(self, **kwargs):
        person = super().save(**kwargs)
        services.sync_account(person)
        return person


class LeaderAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeaderAssignment
        fields = ["id", "section", "leader", "start_date", "end_date", "note"]
