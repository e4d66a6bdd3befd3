from rest_framework import serializers

from duban.accounts.models import User


class MeSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "role", "role_display", "person", "permissions"]

    def get_permissions(self, user) -> list[str]:
        return sorted(user.get_all_permissions())
