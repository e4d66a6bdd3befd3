"""Documents and the import of supervision: the 督办通知单 of a task, the weekly 督办通报 (page and
Word file), and the Excel import of an existing task ledger (run as a job)."""

from __future__ import annotations

from django import forms
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from duban.core.forms import StyledFormMixin
from duban.core.jobs import start_job
from duban.core.views import PermissionRequiredMixin
from duban.org.forms import PeopleImportForm
from duban.supervision import bulletin, documents, imports
from duban.supervision.models import Task

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx_response(content: bytes, title: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    filename = documents.safe_filename(title) + ".docx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


class TaskNoticeView(PermissionRequiredMixin, View):
    """督办通知单 of one task, as a Word file."""

    permission = "supervision.view_task"

    def get(self, request, pk: int):
        task = get_object_or_404(
            Task.objects.visible_to(request.user)
            .select_related("unit", "lead_section", "owner", "responsible_leader")
            .prefetch_related("cooperating_sections"),
            pk=pk,
        )
        content = documents.notice_docx(task)
        return _docx_response(content, documents.notice_title(task))


# --- the weekly bulletin ---------------------------------------------------------------------------


class WeekForm(StyledFormMixin, forms.Form):
    week = forms.CharField(
        label=gettext_lazy("Week"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"type": "week"}),
        help_text=gettext_lazy("An ISO week, e.g. 2026-W26; empty means the current week."),
    )

    def clean_week(self):
        text = (self.cleaned_data.get("week") or "").strip()
        if not text:
            return bulletin.monday_of(timezone.localdate())
        try:
            return bulletin.parse_week(text)
        except ValueError:
            raise forms.ValidationError(
                _(
                    "Enter a week such as 2026-W26 (a year from 2000 to 2100 and a week that exists)."
                )
            ) from None


class BulletinMixin(PermissionRequiredMixin):
    permission = "supervision.view_task"
    template_name = "supervision/bulletin.html"

    def form(self, request) -> WeekForm:
        return WeekForm(request.GET or None)

    def monday(self, form: WeekForm):
        if not form.is_bound:
            return bulletin.monday_of(timezone.localdate())
        return form.cleaned_data["week"] if form.is_valid() else None

    def invalid(self, request, form: WeekForm):
        context = {"form": form, "title": _("Weekly supervision bulletin"), "bulletin": None}
        return render(request, self.template_name, context, status=400)


class BulletinView(BulletinMixin, View):
    def get(self, request):
        form = self.form(request)
        monday = self.monday(form)
        if monday is None:
            return self.invalid(request, form)
        data = bulletin.build(request.user, monday)
        if not form.is_bound:
            form = WeekForm(initial={"week": data.week})
        context = {
            "form": form,
            "title": _("Weekly supervision bulletin"),
            "bulletin": data,
            "document_title": documents.bulletin_title(data),
        }
        return render(request, self.template_name, context)


class BulletinDocxView(BulletinMixin, View):
    def get(self, request):
        form = self.form(request)
        monday = self.monday(form)
        if monday is None:
            return self.invalid(request, form)
        data = bulletin.build(request.user, monday)
        return _docx_response(documents.bulletin_docx(data), documents.bulletin_title(data))


# --- the Excel import ------------------------------------------------------------------------------


class TaskImportForm(PeopleImportForm):
    """An .xlsx file within the size limit (the same checks as every import)."""


class TaskImportView(PermissionRequiredMixin, View):
    permission = "supervision.import_task"
    template_name = "supervision/import_tasks.html"

    def context(self, form) -> dict:
        return {"form": form, "title": _("Import supervised tasks")}

    def get(self, request):
        return render(request, self.template_name, self.context(TaskImportForm()))

    def post(self, request):
        form = TaskImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form), status=400)
        upload = form.cleaned_data["file"]
        job = start_job(
            imports.JOB_KIND,
            request.user,
            _("Import supervised tasks from %(name)s") % {"name": upload.name},
            input_file=upload,
        )
        return redirect(job)


class TaskImportTemplateView(PermissionRequiredMixin, View):
    permission = "supervision.import_task"

    def get(self, request):
        return FileResponse(
            imports.task_template(),
            as_attachment=True,
            filename=_("supervised-task-import-template.xlsx"),
        )


urlpatterns = [
    path("tasks/<int:pk>/notice.docx", TaskNoticeView.as_view(), name="task_notice"),
    path("tasks/import/", TaskImportView.as_view(), name="task_import"),
    path("tasks/import/template/", TaskImportTemplateView.as_view(), name="task_import_template"),
    path("bulletin/", BulletinView.as_view(), name="bulletin"),
    path("bulletin.docx", BulletinDocxView.as_view(), name="bulletin_docx"),
]
