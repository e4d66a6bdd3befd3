from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, UpdateView

from duban.core.exceptions import StaleEditError
from duban.core.views import (
    ObjectArchiveView,
    ObjectCreateView,
    ObjectListView,
    ObjectUpdateView,
    PermissionRequiredMixin,
)
from duban.notifications import services
from duban.notifications.filtersets import ChannelFilterSet, DeliveryFilterSet
from duban.notifications.forms import ChannelForm, PreferenceForm
from duban.notifications.models import Channel, Delivery, Notification, Preference
from duban.notifications.tables import ChannelTable, DeliveryTable


def safe_local_url(url: str) -> str | None:
    """The link itself when it stays on this site ("/…", not "//host" or "/\\host"), else None."""
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return None
    return url


# The inbox: every signed-in user, administrators included; no permission needed ----------------
class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    paginate_by = 25
    context_object_name = "notifications"

    def show_unread_only(self) -> bool:
        return self.request.GET.get("show") == "unread"

    def get_queryset(self):
        queryset = Notification.objects.visible_to(self.request.user).for_list()
        return queryset.unread() if self.show_unread_only() else queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Notifications")
        context["unread_only"] = self.show_unread_only()
        return context


class OpenView(LoginRequiredMixin, View):
    """Open a message: mark it read and follow its link (only a link on this site)."""

    def get(self, request, pk):
        notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
        services.mark_read(notification)
        return HttpResponseRedirect(safe_local_url(notification.url) or "/notifications/")


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        count = services.mark_all_read(request.user)
        messages.success(request, _("%(count)s messages marked as read.") % {"count": count})
        return redirect("notifications:inbox")


class PreferenceView(LoginRequiredMixin, UpdateView):
    form_class = PreferenceForm
    template_name = "notifications/preferences.html"

    def get_object(self, queryset=None):
        return Preference.for_user(self.request.user)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                form.save()
        except StaleEditError as error:
            form.add_error(None, str(error.message))
            return self.form_invalid(form)
        messages.success(self.request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Notification settings")
        return context


# Robots and the send log: system administration -----------------------------------------------
class ChannelListView(ObjectListView):
    permission = "notifications.view_channel"
    queryset = Channel.objects.all()
    table_class = ChannelTable
    filterset_class = ChannelFilterSet
    title = gettext_lazy("Message robots")
    add_url_name = "notifications:channel_add"
    add_permission = "notifications.add_channel"


class ChannelCreateView(ObjectCreateView):
    permission = "notifications.add_channel"
    queryset = Channel.objects.all()
    form_class = ChannelForm
    template_name = "notifications/channel_edit.html"


class ChannelUpdateView(ObjectUpdateView):
    permission = "notifications.change_channel"
    queryset = Channel.objects.all()
    form_class = ChannelForm
    template_name = "notifications/channel_edit.html"


class ChannelArchiveView(ObjectArchiveView):
    """Disable a robot for good (归档, with a reason); it is never deleted."""

    permission = "notifications.change_channel"
    queryset = Channel.objects.all()


class ChannelTestView(PermissionRequiredMixin, View):
    """Queue one test message to the robot; the worker sends it, never this request."""

    permission = "notifications.change_channel"

    def post(self, request, pk):
        robot = get_object_or_404(Channel.objects.editable_by(request.user), pk=pk)
        if not robot.enabled:
            messages.error(request, _("Enable the robot before testing it."))
        else:
            services.send_test_message(robot, request.user)
            messages.success(
                request,
                _("A test message is queued; its result appears in the delivery log."),
            )
        return redirect("notifications:channel_edit", pk=robot.pk)


class DeliveryListView(ObjectListView):
    permission = "notifications.view_delivery"
    queryset = Delivery.objects.all()
    table_class = DeliveryTable
    filterset_class = DeliveryFilterSet
    title = gettext_lazy("Message delivery log")
