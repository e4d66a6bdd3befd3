from duban.audit.api.serializers import ObjectChangeSerializer
from duban.audit.filtersets import ObjectChangeFilterSet
from duban.audit.models import ObjectChange
from duban.core.api.viewsets import ScopedReadOnlyViewSet


class ObjectChangeViewSet(ScopedReadOnlyViewSet):
    """The change log, for the auditor only. Read-only by construction."""

    queryset = ObjectChange.objects.all()
    serializer_class = ObjectChangeSerializer
    filterset_class = ObjectChangeFilterSet
    ordering_fields = ["time"]
