"""Generic page views. Every view starts from `Model.objects.visible_to(user)`: scoping lives here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from duban.audit.context import current_context
from duban.core import services
from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.core.exports import ListExport
from duban.core.forms import ArchiveForm


class PermissionRequiredMixin(LoginRequiredMixin):
    """Login first, then the model permission the view declares (403 without it)."""

    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.permission or not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin(PermissionRequiredMixin):
    queryset = None

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user)


class ObjectListView(ScopedQuerysetMixin, ExportMixin, SingleTableMixin, FilterView):
    """A paginated, filterable, sortable list that exports to Excel with the same filters."""

    template_name = "core/object_list.html"
    paginate_by = 50
    export_formats = ("xlsx",)
    export_class = ListExport
    export_trigger_param = "export"
    title = ""
    add_url_name: str | None = None
    add_permission: str | None = None
    extra_actions: list[tuple[str, str, str]] = []  # (url name, label, permission)

    def get_queryset(self):
        return super().get_queryset().for_list()

    def get_export_filename(self, export_format: str) -> str:
        return f"{self.title or self.queryset.model._meta.verbose_name_plural}.{export_format}"

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        export_format = self.request.GET.get(self.export_trigger_param)
        if export_format:
            # RFC 6266 filename*: a Chinese file name survives every browser.
            response["Content-Disposition"] = content_disposition_header(
                True, self.get_export_filename(export_format)
            )
        return response

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if self.request.GET.get(self.export_trigger_param):
            # An export has the whole filtered list, not the current page, and no action column.
            kwargs["exclude"] = ("actions",)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["title"] = self.title or self.queryset.model._meta.verbose_name_plural
        context["add_url_name"] = (
            self.add_url_name
            if self.add_permission and user.has_perm(self.add_permission)
            else None
        )
        context["extra_actions"] = [
            (name, label) for name, label, perm in self.extra_actions if user.has_perm(perm)
        ]
        query = self.request.GET.copy()
        query.pop("page", None)
        context["export_query"] = query.urlencode()
        return context


class ObjectDetailView(ScopedQuerysetMixin, DetailView):
    def get_queryset(self):
        return super().get_queryset().for_detail()


class ObjectEditView(ScopedQuerysetMixin):
    """Create or update through a form; a stale edit is refused and the typed values are kept."""

    template_name = "core/object_edit.html"
    success_message = _("Saved.")

    def get_queryset(self):
        return self.queryset.editable_by(self.request.user)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        scope_choices(form, self.request.user)
        return form

    def form_valid(self, form):
        try:
            with transaction.atomic():
                response = super().form_valid(form)
        except StaleEditError as error:
            form.add_error(None, str(error.message))
            return self.form_invalid(form)
        except BusinessRuleError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        model = self.queryset.model
        context["model_name"] = model._meta.verbose_name
        next_url = self.request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, {self.request.get_host()}, self.request.is_secure()
        ):
            next_url = ""
        context["cancel_url"] = next_url or (
            self.object.get_absolute_url() if getattr(self, "object", None) else None
        )
        return context


def scope_choices(form, user) -> None:
    """Limit every model choice in a form to rows the user may see, like the lists do."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and hasattr(queryset, "visible_to"):
            field.queryset = queryset.visible_to(user)


class ObjectCreateView(ObjectEditView, CreateView):
    def get_object(self, queryset=None):
        return None


class ObjectUpdateView(ObjectEditView, UpdateView):
    pass


class ObjectArchiveView(ScopedQuerysetMixin, View):
    """POST-only: archive a row with a reason (归档)."""

    def get_queryset(self):
        return self.queryset.editable_by(self.request.user)

    def post(self, request, pk):
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        form = ArchiveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason to archive."))
            return HttpResponseRedirect(obj.get_absolute_url())
        try:
            services.archive(
                obj, request.user, form.cleaned_data["reason"], form.cleaned_data["version"]
            )
        except (StaleEditError, BusinessRuleError) as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Archived."))
        return HttpResponseRedirect(obj.get_absolute_url())


def healthz(request):
    """Liveness for the load balancer: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 — any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse(
        {"status": "ok", "database": "ok", "request_id": current_context().request_id}
    )


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
