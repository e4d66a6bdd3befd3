from django.utils.translation import gettext_lazy as _

from duban.audit.filtersets import ObjectChangeFilterSet
from duban.audit.models import ObjectChange
from duban.audit.tables import ObjectChangeTable
from duban.core.views import ObjectDetailView, ObjectListView


class ObjectChangeListView(ObjectListView):
    permission = "audit.view_objectchange"
    queryset = ObjectChange.objects.all()
    table_class = ObjectChangeTable
    filterset_class = ObjectChangeFilterSet
    title = _("Change log")


class ObjectChangeDetailView(ObjectDetailView):
    permission = "audit.view_objectchange"
    queryset = ObjectChange.objects.all()
    template_name = "audit/change_detail.html"
