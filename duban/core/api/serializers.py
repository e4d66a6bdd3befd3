from __future__ import annotations

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from duban.core.exceptions import StaleEditError


class VersionedModelSerializer(serializers.ModelSerializer):
    """Updates must send the `version` they read; a stale one is answered with 409."""

    version = serializers.IntegerField(
        required=False, help_text=_("The version you read; required to update.")
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            version = attrs.get("version")
            if version is None:
                raise serializers.ValidationError({"version": [_("Send the version you read.")]})
            if version != self.instance.version:
                raise StaleEditError(self.instance)
        self._run_model_validation(attrs)
        return attrs

    def _run_model_validation(self, attrs) -> None:
        """The model's own rules (clean, unique, constraints) hold for the API exactly as for forms."""
        instance = copy.copy(self.instance) if self.instance is not None else self.Meta.model()
        m2m = {f.name for f in self.Meta.model._meta.many_to_many}
        for name, value in attrs.items():
            if name != "version" and name not in m2m:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=[f for f in ("version",)], validate_unique=True)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error

    def update(self, instance, validated_data):
        instance.version = validated_data.pop("version")
        return super().update(instance, validated_data)

    def save(self, **kwargs):
        with transaction.atomic():
            return super().save(**kwargs)

    def create(self, validated_data):
        validated_data.pop("version", None)
        return super().create(validated_data)
