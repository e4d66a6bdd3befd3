from rest_framework import serializers

from duban.audit.models import ObjectChange


class ObjectChangeSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = ObjectChange
        fields = [
            "id",
            "time",
            "user",
            "user_name",
            "ip",
            "request_id",
            "source",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
        ]

    def get_object_type(self, change) -> str | None:
        ct = change.content_type
        return f"{ct.app_label}.{ct.model}" if ct else None
