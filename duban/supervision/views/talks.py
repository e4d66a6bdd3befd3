"""Talk records (提醒谈话/约谈/诫勉谈话): list, record, page, edit, follow-up result, archive.

Confidential: every page starts from `Talk.objects.visible_to(user)` (the director of the unit, whoever
talked, the person talked to, and the auditor read-only); changes from `editable_by` (whoever talked and
the director). Every response — the Excel export included — is marked 内部资料·注意保密 and is never
kept by the browser's cache (Cache-Control: private, no-store).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban.core.forms import ArchiveForm
from duban.core.views import (
    ObjectArchiveView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
)
from duban.org.scoping import scope_for
from duban.supervision.forms_talks import TalkFilterSet, TalkFollowUpForm, TalkForm
from duban.supervision.models import Talk
from duban.supervision.tables_talks import TalkTable

CONFIDENTIAL = _("Internal material · keep confidential")


class ConfidentialMixin:
    """No copy of a talk page stays in a browser or proxy cache."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        return response


def can_change(user, talk: Talk) -> bool:
    return (
        user.has_perm("supervision.change_talk")
        and talk.archived_at is None
        and Talk.objects.editable_by(user).filter(pk=talk.pk).exists()
    )


class TalkListView(ConfidentialMixin, ObjectListView):
    permission = "supervision.view_talk"
    queryset = Talk.objects.all()
    table_class = TalkTable
    filterset_class = TalkFilterSet
    template_name = "supervision/talk_list.html"
    title = _("Talk records")
    add_url_name = "supervision:talk_add"
    add_permission = "supervision.add_talk"

    def get_export_filename(self, export_format: str) -> str:
        return f"{gettext('Talk records')}（{CONFIDENTIAL}）.{export_format}"

    def get_dataset_kwargs(self):
        # The sheet's name carries the mark too (31 characters at most, no "·" issue for Excel).
        return {"title": gettext("Talk records (confidential)")[:31]}


class TalkDetailView(ConfidentialMixin, ObjectDetailView):
    permission = "supervision.view_talk"
    queryset = Talk.objects.all()
    template_name = "supervision/talk_detail.html"
    context_object_name = "talk"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tasks", "problems")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        talk = self.object
        editable = can_change(self.request.user, talk)
        context.update(
            title=str(talk),
            confidential=CONFIDENTIAL,
            editable=editable,
            follow_up_form=(
                TalkFollowUpForm(instance=talk) if editable and not talk.followed_up_on else None
            ),
            archive_form=ArchiveForm(initial={"version": talk.version}) if editable else None,
            due=talk.follow_up_on is not None
            and talk.followed_up_on is None
            and talk.follow_up_on <= timezone.localdate(),
        )
        return context


class TalkEditMixin(ConfidentialMixin):
    queryset = Talk.objects.filter(archived_at__isnull=True)
    form_class = TalkForm
    template_name = "supervision/talk_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["confidential"] = CONFIDENTIAL
        return context


class TalkCreateView(TalkEditMixin, ObjectCreateView):
    permission = "supervision.add_talk"
    success_message = _("The talk is recorded.")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.has_perm(self.permission):
            if not scope_for(user).person_id:
                raise PermissionDenied  # a talk is recorded by a person of a unit
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        scope = scope_for(self.request.user)
        talk = Talk(unit_id=scope.own_unit_id)
        if scope.person_id:
            talk.talker_id = scope.person_id
        kwargs["instance"] = talk
        return kwargs


class TalkUpdateView(TalkEditMixin, ObjectUpdateView):
    permission = "supervision.change_talk"


class TalkFollowUpView(ConfidentialMixin, ObjectUpdateView):
    """记录跟进结果: the result and its date (sets followed_up_on)."""

    permission = "supervision.change_talk"
    queryset = Talk.objects.filter(archived_at__isnull=True)
    form_class = TalkFollowUpForm
    template_name = "supervision/talk_follow_up.html"
    success_message = _("The follow-up result is recorded.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["confidential"] = CONFIDENTIAL
        context["talk"] = self.object
        return context

    def get_success_url(self):
        return reverse("supervision:talk_detail", args=[self.object.pk])


class TalkArchiveView(ConfidentialMixin, ObjectArchiveView):
    permission = "supervision.change_talk"
    queryset = Talk.objects.all()


urlpatterns = [
    path("talks/", TalkListView.as_view(), name="talk_list"),
    path("talks/add/", TalkCreateView.as_view(), name="talk_add"),
    path("talks/<int:pk>/", TalkDetailView.as_view(), name="talk_detail"),
    path("talks/<int:pk>/edit/", TalkUpdateView.as_view(), name="talk_edit"),
    path("talks/<int:pk>/follow-up/", TalkFollowUpView.as_view(), name="talk_follow_up"),
    path("talks/<int:pk>/archive/", TalkArchiveView.as_view(), name="talk_archive"),
]
