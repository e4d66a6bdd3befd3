from __future__ import annotations

from django.db.models import Prefetch
from rest_framework.exceptions import PermissionDenied

from duban.core.api.viewsets import ScopedModelViewSet
from duban.org.scoping import scope_for
from duban.supervision.api.serializers import TaskSerializer
from duban.supervision.filtersets import TaskFilterSet
from duban.supervision.models import Escalation, Task


class TaskViewSet(ScopedModelViewSet):
    """Supervised tasks (督办事项) with their overdue working days and escalation."""

    queryset = Task.objects.filter(archived_at__isnull=True)
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        open_rungs = Prefetch(
            "escalations",
            queryset=Escalation.objects.filter(resolved_at__isnull=True, level__gte=1),
            to_attr="open_rungs",
        )
        return super().get_queryset().prefetch_related("cooperating_sections", open_rungs)

    def perform_create(self, serializer):
        scope = scope_for(self.request.user)
        if scope.own_unit_id is None:
            raise PermissionDenied
        serializer.save(unit_id=scope.own_unit_id)
