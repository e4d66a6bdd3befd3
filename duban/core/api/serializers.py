from __future__ import annotations

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
        return attrs

    def update(self, instance, validated_data):
        instance.version = validated_data.pop("version")
        return super().update(instance, validated_data)

    def create(self, validated_data):
        validated_data.pop("version", None)
        return super().create(validated_data)
