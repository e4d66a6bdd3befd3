from __future__ import annotations

import logging

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from duban.core.exceptions import BusinessRuleError
from duban.core.views import (
    ObjectArchiveView,
    ObjectDetailView,
    ObjectListView,
    PermissionRequiredMixin,
)
from duban.evidence import services
from duban.evidence.filtersets import DocumentFilterSet, active_unless_asked
from duban.evidence.forms import DocumentUploadForm, VersionUploadForm
from duban.evidence.models import Document, Version
from duban.evidence.tables import DocumentTable
from duban.evidence.usage import used_by

logger = logging.getLogger(__name__)


def reused_message(document: Document) -> str:
    return _("This file has already been uploaded as “%(title)s”; it is referenced directly.") % {
        "title": document.title
    }


class DocumentListView(ObjectListView):
    permission = "evidence.view_document"
    queryset = Document.objects.all()
    table_class = DocumentTable
    filterset_class = DocumentFilterSet
    title = gettext_lazy("Evidence library")
    add_url_name = "evidence:document_upload"
    add_permission = "evidence.add_document"

    def get_queryset(self):
        return active_unless_asked(super().get_queryset(), self.request.GET)


def detail_context(request, document: Document, version_form=None) -> dict:
    user = request.user
    can_change = (
        user.has_perm("evidence.change_document")
        and not document.is_archived
        and Document.objects.editable_by(user).filter(pk=document.pk).exists()
    )
    return {
        "object": document,
        "document": document,
        "title": document.title,
        "versions": document.versions.select_related("blob", "uploaded_by").order_by("-number"),
        "usage": used_by(document, user),
        "can_change": can_change,
        "version_form": (version_form or VersionUploadForm()) if can_change else None,
    }


class DocumentDetailView(ObjectDetailView):
    permission = "evidence.view_document"
    queryset = Document.objects.all()
    template_name = "evidence/document_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(detail_context(self.request, self.object))
        return context


class DocumentUploadView(PermissionRequiredMixin, View):
    """Upload a new piece of evidence; a file already filed in the unit is referenced, not stored again."""

    permission = "evidence.add_document"
    template_name = "evidence/document_upload.html"

    def get(self, request):
        return self.render(DocumentUploadForm(request.user))

    def post(self, request):
        form = DocumentUploadForm(request.user, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.upload(
                    request.user,
                    data["file"],
                    title=data["title"],
                    section=data["section"],
                    description=data["description"],
                )
            except BusinessRuleError as error:
                form.add_error(error.field, error.message)
            else:
                if result.reused:
                    messages.info(request, reused_message(result.document))
                else:
                    messages.success(request, _("Uploaded."))
                return redirect(result.document)
        return self.render(form, status=400)

    def render(self, form, status: int = 200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "title": _("Upload evidence")},
            status=status,
        )


class VersionUploadView(PermissionRequiredMixin, View):
    """Add a new version to a document; the earlier versions stay."""

    permission = "evidence.change_document"

    def post(self, request, pk):
        document = get_object_or_404(Document.objects.editable_by(request.user).for_detail(), pk=pk)
        form = VersionUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = services.upload(
                    request.user,
                    form.cleaned_data["file"],
                    document=document,
                    note=form.cleaned_data["note"],
                )
            except BusinessRuleError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request, _("Version %(n)d uploaded.") % {"n": result.version.number}
                )
                return redirect(document)
        return render(
            request,
            "evidence/document_detail.html",
            detail_context(request, document, version_form=form),
            status=400,
        )


class DocumentArchiveView(ObjectArchiveView):
    permission = "evidence.change_document"
    queryset = Document.objects.all()


class VersionDownloadView(PermissionRequiredMixin, View):
    """The only way to a stored file: scoped like the document, served as an attachment."""

    permission = "evidence.view_document"

    def get(self, request, pk):
        version = get_object_or_404(
            Version.objects.visible_to(request.user).select_related("blob"), pk=pk
        )
        blob = version.blob
        try:
            handle = blob.file.open("rb")
        except FileNotFoundError:
            logger.error(
                "evidence file missing from storage: %s (blob %s)", blob.file.name, blob.pk
            )
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=version.original_name,
            content_type=blob.mime,
        )
        # The type we sniffed is the type served; the browser must not guess another.
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
