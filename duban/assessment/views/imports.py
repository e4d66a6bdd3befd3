"""Importing a scheme's indicators from the assessor's spreadsheet: the upload page and the template."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from duban.assessment import imports
from duban.core.jobs import start_job
from duban.core.views import PermissionRequiredMixin
from duban.org.forms import PeopleImportForm


class SchemeImportForm(PeopleImportForm):
    """The same checks as the people import: an .xlsx (zip) file, within the size limit."""


class SchemeImportView(PermissionRequiredMixin, View):
    permission = "assessment.import_scheme"
    template_name = "assessment/imports/scheme_import.html"

    def get_scheme(self, pk: int):
        return get_object_or_404(imports.importable_schemes(self.request.user), pk=pk)

    def context(self, scheme, form) -> dict:
        return {
            "form": form,
            "scheme": scheme,
            "title": _("Import indicators into %(s)s") % {"s": scheme.name},
            "existing": scheme.indicators.filter(archived_at__isnull=True).count(),
        }

    def get(self, request, pk: int):
        scheme = self.get_scheme(pk)
        return render(request, self.template_name, self.context(scheme, SchemeImportForm()))

    def post(self, request, pk: int):
        scheme = self.get_scheme(pk)
        form = SchemeImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.context(scheme, form), status=400)
        upload = form.cleaned_data["file"]
        job = start_job(
            "assessment.import_scheme",
            request.user,
            _("Import indicators into %(s)s from %(name)s")
            % {"s": scheme.name, "name": upload.name},
            params={"scheme_id": scheme.pk},
            input_file=upload,
        )
        return redirect(job)


class SchemeImportTemplateView(PermissionRequiredMixin, View):
    permission = "assessment.import_scheme"

    def get(self, request):
        return FileResponse(
            imports.scheme_template(),
            as_attachment=True,
            filename=_("indicator-import-template.xlsx"),
        )


urlpatterns = [
    path("schemes/<int:pk>/import/", SchemeImportView.as_view(), name="scheme_import"),
    path("import-template/", SchemeImportTemplateView.as_view(), name="scheme_import_template"),
]
