from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from duban.notifications import services
from duban.notifications.api.serializers import (
    MarkedSerializer,
    NotificationSerializer,
    UnreadCountSerializer,
)
from duban.notifications.models import Notification


@extend_schema(
    parameters=[OpenApiParameter("unread", bool, description="Only unread messages when true.")]
)
class InboxViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own inbox (every signed-in user; nobody reads another's)."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = Notification.objects.visible_to(self.request.user).for_list()
        if self.action == "list" and self.request.query_params.get("unread") in (
            "1",
            "true",
            "True",
        ):
            queryset = queryset.unread()
        return queryset

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.mark_read(notification)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_all_read(request.user)})

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        count = Notification.objects.visible_to(request.user).unread().count()
        return Response({"unread": count})
