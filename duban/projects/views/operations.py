"""Operations of a key project: monthly reports, site inspections (现场巡查) with findings tracked to
rectification and re-check, inspection compliance, close-out (验收、备案、结算、决算、移交) and next
year's pipeline of pre-construction approvals (前期手续).

Every page starts from `Project.objects.visible_to(user)` (reading) or `editable_by(user)` (writing):
rights first (403), then rows (404). The rules live in `duban.projects.operations`.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.core.views import ObjectListView, PermissionRequiredMixin, scope_choices
from duban.evidence.models import Document
from duban.projects import operations
from duban.projects.choices import AcceptanceKind, FindingStatus, PrepKind
from duban.projects.filtersets import ProjectFilterSet
from duban.projects.forms_operations import (
    AcceptanceItemForm,
    CloseoutForm,
    FindingFormSet,
    InspectionFilterSet,
    InspectionForm,
    MonthlyReportForm,
    PrepStepForm,
    RectifyForm,
    RequirementForm,
    SurveyForm,
    VerifyForm,
)
from duban.projects.models import (
    AcceptanceItem,
    Closeout,
    Finding,
    Inspection,
    MonthlyReport,
    PrepStep,
    Project,
)
from duban.projects.tables_operations import ComplianceTable, InspectionTable, PipelineTable

DOCUMENTS = Prefetch(
    "documents", queryset=Document.objects.select_related("current_version").order_by("id")
)
PHOTOS = Prefetch(
    "photos", queryset=Document.objects.select_related("current_version").order_by("id")
)


def visible_project(user, pk) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(user).select_related("responsible_leader", "lead_section"),
        pk=pk,
    )


def editable_project(user, pk) -> Project:
    """A project the user may change (404 otherwise, and for an archived project)."""
    return get_object_or_404(
        Project.objects.editable_by(user)
        .filter(archived_at__isnull=True)
        .select_related("responsible_leader", "lead_section"),
        pk=pk,
    )


def can_edit(user, project: Project) -> bool:
    return (
        not project.is_archived and Project.objects.editable_by(user).filter(pk=project.pk).exists()
    )


def export_response(table, filename: str):
    response = TableExport("xlsx", table).response(filename)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def project_filter(request, projects):
    """The project list's filters, without the stage (these pages choose the stage themselves)."""
    filterset = ProjectFilterSet(request.GET or None, queryset=projects, request=request)
    filterset.filters.pop("stage", None)
    return filterset


def _field_error(form, error: BusinessRuleError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- Monthly report ---------------------------------------------------------------------------


class MonthlyReportView(PermissionRequiredMixin, View):
    """月报 of a project: the form for a month (a new one, or ?month=2026-05 to change it) above the
    year's reports with the cumulative completion rate and the gap to 时间进度."""

    permission = "projects.add_monthlyreport"

    def setup_page(self, request, pk):
        self.project = editable_project(request.user, pk)
        today = timezone.localdate()
        try:
            self.year = int(request.GET.get("year") or today.year)
        except ValueError:
            raise Http404 from None
        self.report, self.month = None, today.replace(day=1)
        month = request.GET.get("month", "")
        if month:
            try:
                self.month = dt.datetime.strptime(month, "%Y-%m").date()
            except ValueError:
                raise Http404 from None
            self.report = MonthlyReport.objects.filter(
                project=self.project, month=self.month
            ).first()
            self.year = self.month.year

    def get(self, request, pk):
        self.setup_page(request, pk)
        return self.render_page(self.form())

    def post(self, request, pk):
        self.setup_page(request, pk)
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            report = operations.save_monthly_report(form, self.project, request.user)
        except StaleEditError as error:
            form.add_error(None, str(error.message))
            return self.render_page(form, status=409)
        except BusinessRuleError as error:
            _field_error(form, error)
            return self.render_page(form, status=400)
        messages.success(request, _("Monthly report saved."))
        url = reverse("projects:monthly_report_add", args=[self.project.pk])
        return redirect(f"{url}?year={report.month.year}")

    def form(self, data=None):
        instance = self.report or MonthlyReport(project=self.project)
        initial = {} if self.report else {"month": self.month}
        return MonthlyReportForm(data, instance=instance, project=self.project, initial=initial)

    def render_page(self, form, status=200):
        reports = list(
            MonthlyReport.objects.filter(project=self.project, month__year=self.year)
            .select_related("reported_by")
            .order_by("month")
        )
        rows = [
            (r, operations.annual_progress(self.project, self.year, r.month.month, reports))
            for r in reports
        ]
        return render(
            self.request,
            "projects/operations/monthly_report.html",
            {
                "title": _("Monthly report: %(project)s") % {"project": self.project},
                "project": self.project,
                "form": form,
                "report": self.report,
                "year": self.year,
                "rows": rows,
                "progress": rows[-1][1] if rows else None,
            },
            status=status,
        )


# --- Inspections -------------------------------------------------------------------------------


class InspectionListView(ObjectListView):
    permission = "projects.view_inspection"
    queryset = Inspection.objects.all()
    table_class = InspectionTable
    filterset_class = InspectionFilterSet
    title = gettext_lazy("Site inspections")
    extra_actions = [
        (
            "projects:inspection_compliance",
            gettext_lazy("Inspection compliance"),
            "projects.view_inspection",
        )
    ]

    def get_queryset(self):
        return (
            Inspection.objects.visible_to(self.request.user)
            .select_related("project", "created_by")
            .prefetch_related("inspectors")
            .annotate(
                n_findings=Count("findings", distinct=True),
                n_open=Count(
                    "findings", filter=Q(findings__status=FindingStatus.OPEN), distinct=True
                ),
            )
            .order_by("-date", "-id")
        )


class InspectionAddView(PermissionRequiredMixin, View):
    """Record a site inspection from a phone on site: one column, big inputs, camera photos."""

    permission = "projects.add_inspection"
    template_name = "projects/operations/inspection_form.html"

    def get(self, request, pk):
        project = editable_project(request.user, pk)
        return self.render_page(
            project,
            InspectionForm(project=project, user=request.user),
            FindingFormSet(prefix="finding"),
        )

    def post(self, request, pk):
        project = editable_project(request.user, pk)
        form = InspectionForm(request.POST, project=project, user=request.user)
        formset = FindingFormSet(request.POST, request.FILES, prefix="finding")
        if not (form.is_valid() and formset.is_valid()):
            return self.render_page(project, form, formset, status=400)
        findings = [
            operations.NewFinding(
                category=f.cleaned_data["category"],
                description=f.cleaned_data["description"],
                deadline=f.cleaned_data.get("deadline"),
                photos=f.cleaned_data.get("photos") or [],
            )
            for f in formset.forms
            if f.has_changed()
        ]
        data = form.cleaned_data
        try:
            inspection = operations.record_inspection(
                project,
                request.user,
                date=data["date"],
                inspectors=data["inspectors"],
                focus=data["focus"],
                summary=data["summary"],
                findings=findings,
            )
        except BusinessRuleError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.render_page(project, form, formset, status=400)
        messages.success(request, _("Inspection recorded."))
        return redirect(inspection)

    def render_page(self, project, form, formset, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "title": _("Site inspection: %(project)s") % {"project": project},
                "project": project,
                "form": form,
                "formset": formset,
            },
            status=status,
        )


class InspectionDetailView(PermissionRequiredMixin, View):
    permission = "projects.view_inspection"

    def get(self, request, pk):
        user = request.user
        inspection = get_object_or_404(
            Inspection.objects.visible_to(user)
            .select_related("project__responsible_leader", "project__lead_section", "created_by")
            .prefetch_related(
                "inspectors",
                Prefetch(
                    "findings",
                    queryset=Finding.objects.select_related("verified_by")
                    .prefetch_related(PHOTOS)
                    .order_by("id"),
                ),
            ),
            pk=pk,
        )
        editable = can_edit(user, inspection.project)
        return render(
            request,
            "projects/operations/inspection_detail.html",
            {
                "title": str(inspection),
                "inspection": inspection,
                "project": inspection.project,
                "findings": inspection.findings.all(),
                "can_rectify": editable and user.has_perm("projects.change_finding"),
                "can_verify": editable and user.has_perm("projects.verify_finding"),
                "today": timezone.localdate(),
            },
        )


class FindingActionView(PermissionRequiredMixin, View):
    """Shared by rectify (整改) and re-check (复查): a small form page that works on a phone."""

    status = ""
    form_class = None
    heading = ""

    def load(self, request, pk) -> Finding:
        finding = get_object_or_404(
            Finding.objects.editable_by(request.user)
            .filter(inspection__project__archived_at__isnull=True)
            .select_related("inspection__project")
            .prefetch_related(PHOTOS),
            pk=pk,
        )
        return finding

    def get(self, request, pk):
        finding = self.load(request, pk)
        if finding.status != self.status:
            messages.info(
                request,
                _("This finding is “%(status)s”.") % {"status": finding.get_status_display()},
            )
            return redirect(finding.inspection)
        return self.render_page(finding, self.form_class(initial={"version": finding.version}))

    def post(self, request, pk):
        finding = self.load(request, pk)
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(finding, form, status=400)
        try:
            self.act(finding, form.cleaned_data)
        except StaleEditError as error:
            form.add_error(None, str(error.message))
            return self.render_page(finding, form, status=409)
        except BusinessRuleError as error:
            _field_error(form, error)
            return self.render_page(finding, form, status=400)
        return redirect(finding.inspection)

    def render_page(self, finding, form, status=200):
        return render(
            self.request,
            "projects/operations/finding_form.html",
            {
                "title": self.heading,
                "finding": finding,
                "inspection": finding.inspection,
                "project": finding.inspection.project,
                "form": form,
            },
            status=status,
        )


class FindingRectifyView(FindingActionView):
    permission = "projects.change_finding"
    status = FindingStatus.OPEN
    form_class = RectifyForm
    heading = gettext_lazy("Rectify a finding")

    def act(self, finding, data):
        operations.rectify_finding(
            finding,
            self.request.user,
            rectification=data["rectification"],
            rectified_on=data["rectified_on"],
            version=data["version"],
            photos=data["photos"],
        )
        messages.success(self.request, _("Marked rectified; a leader re-checks it next."))


class FindingVerifyView(FindingActionView):
    permission = "projects.verify_finding"
    status = FindingStatus.RECTIFIED
    form_class = VerifyForm
    heading = gettext_lazy("Re-check a finding")

    def act(self, finding, data):
        passed = data["decision"] == VerifyForm.PASS
        operations.verify_finding(
            finding, self.request.user, passed=passed, note=data["note"], version=data["version"]
        )
        if passed:
            messages.success(self.request, _("Re-checked and closed."))
        else:
            messages.warning(self.request, _("Sent back to rectify."))


# --- Compliance and frequency -------------------------------------------------------------------


class ComplianceView(PermissionRequiredMixin, View):
    """Inspections this week and month against each project's required frequency; red when short."""

    permission = "projects.view_inspection"

    def get(self, request):
        today = timezone.localdate()
        filterset = project_filter(request, Project.objects.visible_to(request.user))
        rows = operations.compliance(filterset.qs, today)
        short_only = request.GET.get("short") == "1"
        n_short = sum(1 for r in rows if r.under_inspected)
        if short_only:
            rows = [r for r in rows if r.under_inspected]
        title = _("Inspection compliance")
        if request.GET.get("export"):
            table = ComplianceTable(rows, exclude=("actions",))
            RequestConfig(request, paginate=False).configure(table)
            return export_response(table, f"{title} {today:%Y-%m-%d}.xlsx")
        table = ComplianceTable(rows)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        query = request.GET.copy()
        query.pop("page", None)
        week = operations.period_bounds(today, "week")
        return render(
            request,
            "projects/operations/compliance.html",
            {
                "title": title,
                "table": table,
                "filter": filterset,
                "n_projects": len(rows) if not short_only else None,
                "n_short": n_short,
                "short_only": short_only,
                "keep": [("short", "1")] if short_only else [],
                "week": week,
                "today": today,
                "export_query": query.urlencode(),
            },
        )


class RequirementEditView(PermissionRequiredMixin, View):
    permission = "projects.change_project"

    def get(self, request, pk):
        project = editable_project(request.user, pk)
        form = RequirementForm(requirements=operations.requirements_of(project))
        return self.render_page(project, form)

    def post(self, request, pk):
        project = editable_project(request.user, pk)
        form = RequirementForm(request.POST, requirements=operations.requirements_of(project))
        if not form.is_valid():
            return self.render_page(project, form, status=400)
        try:
            operations.set_requirements(project, request.user, form.values())
        except StaleEditError as error:
            form.add_error(None, str(error.message))
            return self.render_page(project, form, status=409)
        except BusinessRuleError as error:
            _field_error(form, error)
            return self.render_page(project, form, status=400)
        messages.success(request, _("Inspection frequency saved."))
        return redirect("projects:inspection_compliance")

    def render_page(self, project, form, status=200):
        return render(
            self.request,
            "projects/operations/requirement_form.html",
            {
                "title": _("Inspection frequency: %(project)s") % {"project": project},
                "project": project,
                "form": form,
            },
            status=status,
        )


# --- Close-out ----------------------------------------------------------------------------------


class CloseoutView(PermissionRequiredMixin, View):
    """验收、备案、结算、决算、移交 of one project: the checklist, the dates and amounts, the deadlines."""

    permission = "projects.view_closeout"

    def get(self, request, pk):
        project = visible_project(request.user, pk)
        closeout = Closeout.objects.filter(project=project).first()
        editable = self.can_change(project)
        form = CloseoutForm(instance=closeout or Closeout(project=project)) if editable else None
        return self.render_page(project, closeout, form)

    def post(self, request, pk):
        if not request.user.has_perm("projects.change_closeout"):
            raise PermissionDenied
        project = editable_project(request.user, pk)
        closeout = Closeout.objects.filter(project=project).first()
        form = CloseoutForm(request.POST, instance=closeout or Closeout(project=project))
        if not form.is_valid():
            return self.render_page(project, closeout, form, status=400)
        try:
            operations.save_closeout(form, project, request.user)
        except StaleEditError as error:
            form.add_error(None, str(error.message))
            return self.render_page(project, closeout, form, status=409)
        except BusinessRuleError as error:
            _field_error(form, error)
            return self.render_page(project, closeout, form, status=400)
        messages.success(request, _("Close-out saved."))
        return redirect("projects:project_closeout", pk=project.pk)

    def can_change(self, project) -> bool:
        return self.request.user.has_perm("projects.change_closeout") and can_edit(
            self.request.user, project
        )

    def render_page(self, project, closeout, form, status=200):
        today = timezone.localdate()
        items = AcceptanceItem.objects.filter(project=project).prefetch_related(DOCUMENTS)
        checklist = operations.acceptance_checklist(project, items)
        return render(
            self.request,
            "projects/operations/closeout.html",
            {
                "title": _("Close-out: %(project)s") % {"project": project},
                "project": project,
                "closeout": closeout,
                "checklist": checklist,
                "deadlines": operations.closeout_deadlines(closeout, today, checklist),
                "difference": operations.settlement_difference(closeout),
                "review_days": operations.settlement_review_days(
                    closeout.contract_amount if closeout else None
                ),
                "form": form,
                "can_edit_items": self.request.user.has_perm("projects.change_acceptanceitem")
                and can_edit(self.request.user, project),
                "today": today,
            },
            status=status,
        )


class AcceptanceEditView(PermissionRequiredMixin, View):
    permission = "projects.change_acceptanceitem"

    def load(self, request, pk, kind):
        if kind not in AcceptanceKind.values:
            raise Http404
        project = editable_project(request.user, pk)
        item = (
            AcceptanceItem.objects.filter(project=project, kind=kind)
            .prefetch_related(DOCUMENTS)
            .first()
        )
        if item is None:
            item = operations.acceptance_checklist(project, [])[AcceptanceKind.values.index(kind)]
        return project, item

    def get(self, request, pk, kind):
        project, item = self.load(request, pk, kind)
        return self.render_page(project, item, AcceptanceItemForm(instance=item))

    def post(self, request, pk, kind):
        project, item = self.load(request, pk, kind)
        form = AcceptanceItemForm(request.POST, request.FILES, instance=item)
        if not form.is_valid():
            return self.render_page(project, item, form, status=400)
        try:
            operations.save_acceptance_item(form, project, request.user, form.cleaned_data["files"])
        except StaleEditError as error:
            form.add_error(None, str(error.message))
            return self.render_page(project, item, form, status=409)
        except BusinessRuleError as error:
            form.add_error("files" if error.field == "photos" else None, error.message)
            return self.render_page(project, item, form, status=400)
        messages.success(request, _("Acceptance item saved."))
        return redirect("projects:project_closeout", pk=project.pk)

    def render_page(self, project, item, form, status=200):
        return render(
            self.request,
            "projects/operations/acceptance_form.html",
            {
                "title": item.get_kind_display(),
                "project": project,
                "item": item,
                "documents": item.documents.all() if item.pk else [],
                "form": form,
            },
            status=status,
        )


# --- Pipeline -----------------------------------------------------------------------------------


class PipelineView(PermissionRequiredMixin, View):
    """Next year's reserve and pre-construction projects: readiness and blockers at a glance."""

    permission = "projects.view_prepstep"

    def get(self, request):
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year") or today.year + 1)
        except ValueError:
            raise Http404 from None
        filterset = project_filter(request, Project.objects.visible_to(request.user))
        rows = operations.pipeline(filterset.qs, year, today)
        title = _("Pipeline for %(year)d") % {"year": year}
        if request.GET.get("export"):
            table = PipelineTable(rows)
            RequestConfig(request, paginate=False).configure(table)
            return export_response(table, f"{title}.xlsx")
        table = PipelineTable(rows)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "projects/operations/pipeline.html",
            {
                "title": title,
                "year": year,
                "table": table,
                "filter": filterset,
                "n_projects": len(rows),
                "n_blocked": sum(1 for r in rows if r.blocked or r.late),
                "n_ready": sum(1 for r in rows if r.done == r.total),
                "keep": [("year", year)],
                "export_query": query.urlencode(),
            },
        )


class ProjectPipelineView(PermissionRequiredMixin, View):
    """One project's survey and its ten approvals, each edited in place (?edit=<approval>)."""

    permission = "projects.view_prepstep"

    def get(self, request, pk):
        project = visible_project(request.user, pk)
        editing = request.GET.get("edit", "")
        form = None
        if editing in PrepKind.values and self.can_change_steps(project):
            form = self.step_form(project, editing)
        survey = SurveyForm(instance=project) if self.can_change_survey(project) else None
        return self.render_page(project, form, editing if form else "", survey)

    def post(self, request, pk):
        user = request.user
        action = request.POST.get("action", "step")
        perm = "projects.change_project" if action == "survey" else "projects.change_prepstep"
        if not user.has_perm(perm):
            raise PermissionDenied
        project = editable_project(user, pk)
        if action == "survey":
            return self.save_survey(project)
        kind = request.POST.get("kind", "")
        if kind not in PrepKind.values:
            raise Http404
        form = self.step_form(project, kind, request.POST)
        if not form.is_valid():
            return self.render_page(project, form, kind, status=400)
        try:
            operations.save_prep_step(form, project, user)
        except StaleEditError as error:
            form.add_error(None, str(error.message))
            return self.render_page(project, form, kind, status=409)
        except BusinessRuleError as error:
            _field_error(form, error)
            return self.render_page(project, form, kind, status=400)
        messages.success(request, _("Approval saved; target dates recomputed."))
        url = reverse("projects:project_pipeline", args=[project.pk])
        return redirect(f"{url}#step-{kind}")

    def save_survey(self, project):
        form = SurveyForm(self.request.POST, instance=project)
        if form.is_valid():
            try:
                operations.save_survey(form, project, self.request.user)
            except StaleEditError as error:
                form.add_error(None, str(error.message))
                return self.render_page(project, None, "", form, status=409)
            messages.success(self.request, _("Survey saved."))
            return redirect("projects:project_pipeline", pk=project.pk)
        return self.render_page(project, None, "", form, status=400)

    def step_form(self, project, kind, data=None):
        step = operations.prep_checklist(project)[PrepKind.values.index(kind)]
        form = PrepStepForm(data, instance=step)
        scope_choices(form, self.request.user)
        form.fields["person"].queryset = form.fields["person"].queryset.filter(is_active=True)
        return form

    def can_change_steps(self, project) -> bool:
        user = self.request.user
        return user.has_perm("projects.change_prepstep") and can_edit(user, project)

    def can_change_survey(self, project) -> bool:
        user = self.request.user
        return user.has_perm("projects.change_project") and can_edit(user, project)

    def render_page(self, project, form, editing, survey=None, status=200):
        today = timezone.localdate()
        steps = PrepStep.objects.filter(project=project).select_related("person")
        checklist = operations.prep_checklist(project, steps)
        row = operations.PipelineRow(project, checklist, today)
        if survey is None and self.can_change_survey(project):
            survey = SurveyForm(instance=project)
        return render(
            self.request,
            "projects/operations/project_pipeline.html",
            {
                "title": _("Pre-construction approvals: %(project)s") % {"project": project},
                "project": project,
                "row": row,
                "steps": checklist,
                "form": form,
                "editing": editing,
                "survey_form": survey,
                "can_edit": self.can_change_steps(project),
                "today": today,
            },
            status=status,
        )


urlpatterns = [
    path("<int:pk>/monthly-report/", MonthlyReportView.as_view(), name="monthly_report_add"),
    path("inspections/", InspectionListView.as_view(), name="inspection_list"),
    path("inspections/compliance/", ComplianceView.as_view(), name="inspection_compliance"),
    path("inspections/<int:pk>/", InspectionDetailView.as_view(), name="inspection_detail"),
    path("<int:pk>/inspections/add/", InspectionAddView.as_view(), name="inspection_add"),
    path("<int:pk>/inspection-frequency/", RequirementEditView.as_view(), name="requirement_edit"),
    path("findings/<int:pk>/rectify/", FindingRectifyView.as_view(), name="finding_rectify"),
    path("findings/<int:pk>/verify/", FindingVerifyView.as_view(), name="finding_verify"),
    path("<int:pk>/closeout/", CloseoutView.as_view(), name="project_closeout"),
    path("<int:pk>/acceptance/<str:kind>/", AcceptanceEditView.as_view(), name="acceptance_edit"),
    path("pipeline/", PipelineView.as_view(), name="pipeline"),
    path("<int:pk>/pipeline/", ProjectPipelineView.as_view(), name="project_pipeline"),
]
