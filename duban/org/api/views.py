from duban.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from duban.org.api.serializers import (
    LeaderAssignmentSerializer,
    PersonSerializer,
    SectionSerializer,
    UnitSerializer,
)
from duban.org.filtersets import (
    LeaderAssignmentFilterSet,
    PersonFilterSet,
    SectionFilterSet,
    UnitFilterSet,
)
from duban.org.models import LeaderAssignment, Person, Section, Unit


class UnitViewSet(ScopedModelViewSet):
    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    ordering_fields = ["path", "name", "code"]


class SectionViewSet(ScopedModelViewSet):
    queryset = Section.objects.all()
    serializer_class = SectionSerializer
    filterset_class = SectionFilterSet
    ordering_fields = ["sort_order", "name"]


class PersonViewSet(ScopedModelViewSet):
    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["sort_order", "name"]


class LeaderAssignmentViewSet(ScopedReadOnlyViewSet):
    """Read-only: a leader is changed through the section page, which closes the previous assignment."""

    queryset = LeaderAssignment.objects.all()
    serializer_class = LeaderAssignmentSerializer
    filterset_class = LeaderAssignmentFilterSet
    ordering_fields = ["start_date"]
