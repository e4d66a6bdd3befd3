import django_filters
from django.utils.translation import gettext_lazy as _

from duban.core.filtersets import ScopedFilterSet
from duban.notifications.choices import DeliveryChannel, DeliveryStatus, RobotKind
from duban.notifications.models import Channel, Delivery


class ChannelFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    kind = django_filters.ChoiceFilter(choices=RobotKind.choices, label=_("Kind"))

    class Meta:
        model = Channel
        fields = ["q", "kind", "unit", "enabled"]


class DeliveryFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices, label=_("Status"))
    channel = django_filters.ChoiceFilter(choices=DeliveryChannel.choices, label=_("Channel"))

    class Meta:
        model = Delivery
        fields = ["status", "channel", "robot"]
