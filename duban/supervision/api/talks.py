"""`/api/v1/supervision/talks/`: talk records, as confidential as the pages.

The rows are `Talk.objects.visible_to(user)` (a talk you may not see is a 404); changes go through
`editable_by` (whoever talked and the director); the auditor reads only (no add/change permission:
403). Responses are never cached.
"""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from duban.core.api.serializers import VersionedModelSerializer
from duban.core.api.viewsets import ScopedModelViewSet
from duban.org.models import Person
from duban.org.scoping import scope_for
from duban.supervision.forms_talks import (
    TalkFilterSet,
    follow_up_errors,
    may_record_for_others,
    talk_errors,
)
from duban.supervision.models import Problem, Talk, Task


class TalkSerializer(VersionedModelSerializer):
    """A talk record. The unit is the caller's; `talker` defaults to the caller (only the director
    may name another person of the unit); `person` is a person of the unit; linked tasks and problems
    must be ones the caller sees; `follow_up_on` is not before `date`."""

    talker = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none(), required=False)
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    tasks = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.none(), many=True, required=False
    )
    problems = serializers.PrimaryKeyRelatedField(
        queryset=Problem.objects.none(), many=True, required=False
    )
    person_name = serializers.CharField(source="person.name", read_only=True)
    talker_name = serializers.CharField(source="talker.name", read_only=True)

    class Meta:
        model = Talk
        fields = [
            "id",
            "unit",
            "kind",
            "date",
            "person",
            "person_name",
            "talker",
            "talker_name",
            "reason",
            "tasks",
            "problems",
            "commitments",
            "follow_up_on",
            "follow_up_result",
            "followed_up_on",
            "archived_at",
            "version",
        ]
        read_only_fields = ["unit", "archived_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None:
            return fields
        user = request.user
        unit_id = self.instance.unit_id if isinstance(self.instance, Talk) else None
        unit_id = unit_id or scope_for(user).own_unit_id
        people = Person.objects.filter(unit_id=unit_id, is_active=True)
        fields["person"].queryset = people
        fields["talker"].queryset = people
        fields["tasks"].child_relation.queryset = Task.objects.visible_to(user).filter(
            unit_id=unit_id
        )
        fields["problems"].child_relation.queryset = Problem.objects.visible_to(user).filter(
            unit_id=unit_id
        )
        return fields

    def validate(self, attrs):
        user = self.context["request"].user
        me = scope_for(user).person_id
        talker = attrs.get("talker")
        if talker is not None and talker.pk != (self.instance.talker_id if self.instance else me):
            if not may_record_for_others(user):
                raise serializers.ValidationError(
                    {"talker": [_("Only the director records a talk held by someone else.")]}
                )
        attrs = super().validate(attrs)
        current = self.instance
        person = attrs.get("person", current.person if current else None)
        if talker is None:
            talker = current.talker if current else Person(pk=me)
        date = attrs.get("date", current.date if current else None)
        errors = talk_errors(
            person=person,
            talker=talker,
            date=date,
            follow_up_on=attrs.get("follow_up_on", current.follow_up_on if current else None),
        )
        if date is not None and "followed_up_on" in attrs:
            errors.update(follow_up_errors(Talk(date=date), attrs["followed_up_on"]))
        if errors:
            raise serializers.ValidationError({k: [v] for k, v in errors.items()})
        return attrs

    def _run_model_validation(self, attrs) -> None:
        if self.instance is None:
            scope = scope_for(self.context["request"].user)
            attrs = {"unit_id": scope.own_unit_id, "talker_id": scope.person_id, **attrs}
            talk = Talk()
            for name, value in attrs.items():
                if name not in ("version", "tasks", "problems"):
                    setattr(talk, name, value)
            from django.core.exceptions import ValidationError as DjangoValidationError

            try:
                talk.full_clean(exclude=["version"], validate_unique=False)
            except DjangoValidationError as error:
                raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
            return
        super()._run_model_validation(attrs)


class TalkViewSet(ScopedModelViewSet):
    """Talk records (提醒谈话/约谈/诫勉谈话): only the director of the unit, whoever talked, the person
    talked to and the auditor (read-only) ever see one."""

    queryset = Talk.objects.all()
    serializer_class = TalkSerializer
    filterset_class = TalkFilterSet
    ordering_fields = ["date", "follow_up_on"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tasks", "problems")

    def perform_create(self, serializer):
        scope = scope_for(self.request.user)
        if scope.own_unit_id is None or scope.person_id is None:
            raise PermissionDenied
        serializer.save(
            unit_id=scope.own_unit_id,
            talker=serializer.validated_data.get("talker")
            or Person.objects.get(pk=scope.person_id),
        )

    def perform_update(self, serializer):
        if serializer.instance.archived_at is not None:
            raise PermissionDenied(_("An archived talk record cannot be changed."))
        serializer.save()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        return response
