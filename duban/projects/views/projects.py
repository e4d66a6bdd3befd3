"""Key projects (重点项目): the list with the 推进表 export, the project page with 三保 and the stage
timeline, create/edit, the plan with its schedule and baselines, and the Excel imports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.core.jobs import start_job
from duban.core.params import int_param
from duban.core.views import (
    ObjectCreateView,
    ObjectListView,
    ObjectUpdateView,
    PermissionRequiredMixin,
)
from duban.org.scoping import scope_for
from duban.projects import exports, imports, services
from duban.projects.choices import Stage
from duban.projects.filtersets import ProjectFilterSet
from duban.projects.forms import (
    ActivityProgressForm,
    BaselineForm,
    PlanTextForm,
    ProjectCreateForm,
    ProjectForm,
    ProjectImportForm,
    StageChangeForm,
)
from duban.projects.models import Activity, Baseline, Project, StageChange
from duban.projects.schedule import (
    baseline_variance,
    finish_variance,
    float_colour,
    load_plan,
    load_plans,
)
from duban.projects.tables import ProjectTable
from duban.workcalendar.services import current_calendar

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _editable(user, project: Project) -> bool:
    return (
        user.has_perm("projects.change_project")
        and Project.objects.editable_by(user).filter(pk=project.pk).exists()
    )


# --- the list and the 推进表 --------------------------------------------------------------------


class ProjectListView(ObjectListView):
    permission = "projects.view_project"
    queryset = Project.objects.filter(archived_at__isnull=True)
    table_class = ProjectTable
    filterset_class = ProjectFilterSet
    title = gettext_lazy("Key projects")
    add_url_name = "projects:project_add"
    add_permission = "projects.add_project"
    extra_actions = [
        ("projects:project_import", gettext_lazy("Import from Excel"), "projects.import_project")
    ]

    def get_queryset(self):
        self.as_of = timezone.localdate()
        return services.with_progress(super().get_queryset(), self.as_of)

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        records = [row.record for row in table.page.object_list] if table.page else []
        plans = load_plans(records, self.as_of)
        table.schedules = {pk: plan.schedule for pk, plan in plans.items()}
        table.figures = {p.pk: services.project_investment(p, self.as_of) for p in records}
        return table

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get(self.export_trigger_param) == "xlsx":
            return self.progress_table()
        return super().render_to_response(context, **response_kwargs)

    def progress_table(self) -> HttpResponse:
        """The export is the 推进表 of the filtered list, not the page's table."""
        projects = self.object_list.order_by("code")
        rows = exports.progress_rows(projects, self.as_of)
        content = exports.progress_table_xlsx(rows, self.as_of, _filter_lines(self.filterset))
        response = HttpResponse(content, content_type=XLSX)
        filename = f"{_('Key project progress table')}-{self.as_of:%Y%m%d}.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


def _filter_lines(filterset) -> list[tuple[str, str]]:
    if not filterset.is_bound or not filterset.is_valid():
        return []
    lines = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = filterset.form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        shown = choices.get(value, value) if not hasattr(value, "pk") else value
        lines.append((str(field.label), str(shown)))
    return lines


# --- create and edit ----------------------------------------------------------------------------


class ProjectCreateView(ObjectCreateView):
    permission = "projects.add_project"
    queryset = Project.objects.all()
    form_class = ProjectCreateForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        scope = scope_for(self.request.user)
        # The unit is the user's own; the constraint on codes is checked against it.
        kwargs["instance"] = Project(unit_id=scope.own_unit_id)
        kwargs.setdefault("initial", {})["lead_section"] = scope.own_section_id
        return kwargs

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and scope_for(request.user).own_unit_id is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProjectUpdateView(ObjectUpdateView):
    permission = "projects.change_project"
    queryset = Project.objects.filter(archived_at__isnull=True)
    form_class = ProjectForm

    def form_valid(self, form):
        moved = "planned_start" in form.changed_data
        response = super().form_valid(form)
        if moved and form.instance.pk:
            from duban.projects.operations import schedule_prep_steps

            # The approvals are scheduled backwards from the planned start: they follow it.
            schedule_prep_steps(form.instance)
        return response


# --- the project page ---------------------------------------------------------------------------


def _chosen_baseline(request, baselines: list[Baseline]) -> Baseline | None:
    """?baseline=<id> picks one; 0 none; by default the latest approved."""
    wanted = request.GET.get("baseline")
    if wanted == "0":
        return None
    if int_param(wanted) is not None:
        return next((b for b in baselines if b.pk == int_param(wanted)), None)
    return baselines[-1] if baselines else None


def _baselines(project: Project) -> list[Baseline]:
    return list(
        Baseline.objects.filter(project=project)
        .select_related("approved_by")
        .prefetch_related("activities")
        .order_by("approved_on", "id")
    )


class ProjectDetailView(PermissionRequiredMixin, View):
    permission = "projects.view_project"
    template_name = "projects/project_detail.html"

    def get(self, request, pk: int):
        project = get_object_or_404(
            Project.objects.visible_to(request.user)
            .select_related("unit", "lead_section", "responsible_leader")
            .prefetch_related("staff"),
            pk=pk,
        )
        return render(request, self.template_name, self.context(request, project))

    def context(self, request, project: Project, stage_form=None) -> dict:
        today = timezone.localdate()
        calendar = current_calendar()
        plan = load_plan(project, today, calendar)
        schedule = plan.schedule
        editable = _editable(request.user, project)
        baselines = _baselines(project)
        baseline = _chosen_baseline(request, baselines)
        following = services.next_stage(project.stage)
        latest = project.monthly_reports.order_by("-month").first()
        money = services.project_investment(project, today)
        shift = finish_variance(baseline, schedule, calendar) if baseline else None
        critical = []
        if schedule:
            names = {a.code: a.name for a in plan.activities}
            critical = [(code, names.get(code, "")) for code in schedule.critical_path]
        return {
            "title": str(project),
            "project": project,
            "today": today,
            "editable": editable,
            "schedule": schedule,
            "schedule_errors": plan.errors,
            "activity_count": len(plan.activities),
            "critical": critical,
            "colour": float_colour(schedule.project_float) if schedule else "",
            "investment": money,
            "findings": services.findings_summary(project, today),
            "latest_report": latest,
            "stage_changes": StageChange.objects.filter(project=project)
            .select_related("changed_by")
            .order_by("changed_at", "id"),
            "stage_form": stage_form
            or (
                StageChangeForm(project=project, user=request.user)
                if editable and request.user.has_perm("projects.change_project")
                else None
            ),
            "next_stage": Stage(following).label if following else None,
            "gate_problems": services.gate_problems(project, following)
            if following and project.stage != Stage.SUSPENDED
            else [],
            "stage_left": services.stage_left(project)
            if project.stage == Stage.SUSPENDED
            else None,
            "baselines": baselines,
            "baseline": baseline,
            "finish_variance": shift,
            "finish_shift": abs(shift) if shift is not None else None,
            "gap_points": abs(money.gap) if money.gap is not None else None,
        }


class StageChangeView(PermissionRequiredMixin, View):
    """POST: move the project to another stage (gate, override, suspension, resumption)."""

    permission = "projects.change_project"

    def post(self, request, pk: int):
        project = get_object_or_404(
            Project.objects.editable_by(request.user).select_related(
                "unit", "lead_section", "responsible_leader"
            ),
            pk=pk,
        )
        form = StageChangeForm(request.POST, project=project, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                change = services.change_stage(
                    project,
                    request.user,
                    data["to_stage"],
                    data["reason"],
                    data.get("override", False),
                    data["version"],
                )
            except StaleEditError as error:
                form.add_error(None, str(error.message))
            except BusinessRuleError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("The project is now at the stage “%(s)s”.")
                    % {"s": change.get_to_stage_display()},
                )
                return redirect(project)
        page = ProjectDetailView()
        page.request = request
        return render(
            request,
            page.template_name,
            page.context(request, project, stage_form=form),
            status=400,
        )


# --- the plan -----------------------------------------------------------------------------------


class ProjectPlanView(PermissionRequiredMixin, View):
    """The plan with its schedule, inline progress, the text editor and the baselines."""

    permission = "projects.view_project"
    template_name = "projects/project_plan.html"

    def get_project(self, request, pk: int) -> Project:
        return get_object_or_404(
            Project.objects.visible_to(request.user).select_related("lead_section"), pk=pk
        )

    def get(self, request, pk: int):
        project = self.get_project(request, pk)
        return render(request, self.template_name, self.context(request, project))

    def post(self, request, pk: int):
        """Replace the plan with the text typed or pasted in the editor."""
        if not request.user.has_perm("projects.change_activity"):
            raise PermissionDenied
        project = get_object_or_404(Project.objects.editable_by(request.user), pk=pk)
        form = PlanTextForm(request.POST)
        if form.is_valid():
            try:
                created = services.replace_plan(
                    project, form.rows, request.user, form.cleaned_data.get("version")
                )
            except services.PlanError as error:
                form.add_error("text", list(error.errors.values()))
            except StaleEditError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(
                    request, _("The plan now has %(n)d activities.") % {"n": len(created)}
                )
                return redirect("projects:project_plan", pk=project.pk)
        return render(
            request, self.template_name, self.context(request, project, text_form=form), status=400
        )

    def context(self, request, project: Project, text_form=None) -> dict:
        today = timezone.localdate()
        calendar = current_calendar()
        plan = load_plan(project, today, calendar)
        user = request.user
        editable = _editable(user, project)
        can_progress = editable and user.has_perm("projects.change_activity")
        baselines = _baselines(project)
        baseline = _chosen_baseline(request, baselines)
        variances = {}
        if baseline is not None:
            variances = {
                v.code: v
                for v in baseline_variance(project, baseline, plan.schedule, calendar, today)
            }
        results = plan.results_by_code()
        links = {a.code: a.predecessors for a in plan.inputs}
        rows = []
        for activity in plan.activities:
            result = results.get(activity.code)
            rows.append(
                {
                    "activity": activity,
                    "result": result,
                    "colour": float_colour(result.total_float) if result else "",
                    "predecessors": imports.format_predecessors(links.get(activity.code, ())),
                    "variance": variances.get(activity.code),
                    "form": ActivityProgressForm(instance=activity, prefix=f"a{activity.pk}")
                    if can_progress
                    else None,
                }
            )
        removed = [v for v in variances.values() if v.status == "removed"]
        shift = finish_variance(baseline, plan.schedule, calendar) if baseline else None
        return {
            "title": _("Plan of %(p)s") % {"p": project},
            "project": project,
            "today": today,
            "schedule": plan.schedule,
            "schedule_errors": plan.errors,
            "rows": rows,
            "removed": removed,
            "editable": editable,
            "can_progress": can_progress,
            "can_import": editable and user.has_perm("projects.import_project"),
            "can_approve": editable and user.has_perm("projects.approve_baseline"),
            "text_form": text_form
            or (
                PlanTextForm(
                    initial={"text": imports.plan_text(project), "version": project.version}
                )
                if can_progress
                else None
            ),
            "baseline_form": BaselineForm(),
            "baselines": baselines,
            "baseline": baseline,
            "finish_variance": shift,
            "finish_shift": abs(shift) if shift is not None else None,
        }


class ActivityProgressView(PermissionRequiredMixin, View):
    """POST from the plan page: an activity's actual dates and % complete."""

    permission = "projects.change_activity"

    def post(self, request, pk: int):
        activity = get_object_or_404(
            Activity.objects.editable_by(request.user).filter(archived_at__isnull=True), pk=pk
        )
        form = ActivityProgressForm(request.POST, instance=activity, prefix=f"a{activity.pk}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_progress(
                    activity,
                    request.user,
                    data.get("actual_start"),
                    data.get("actual_finish"),
                    data.get("percent_complete"),
                    data.get("version"),
                )
            except (StaleEditError, BusinessRuleError) as error:
                messages.error(request, f"{activity.code}：{error.message}")
            else:
                messages.success(
                    request,
                    _("Progress of %(a)s saved.") % {"a": f"{activity.code} {activity.name}"},
                )
        else:
            problems = "；".join(
                str(message) for errors in form.errors.values() for message in errors
            )
            messages.error(request, f"{activity.code}：{problems}")
        return redirect(f"{activity.get_absolute_url()}#activity-{activity.pk}")


class BaselineApproveView(PermissionRequiredMixin, View):
    """POST: approve the current plan as a named, immutable baseline."""

    permission = "projects.approve_baseline"

    def post(self, request, pk: int):
        project = get_object_or_404(Project.objects.editable_by(request.user), pk=pk)
        form = BaselineForm(request.POST)
        if not form.is_valid():
            problems = "；".join(str(m) for errors in form.errors.values() for m in errors)
            messages.error(request, problems)
            return redirect("projects:project_plan", pk=project.pk)
        data = form.cleaned_data
        try:
            baseline = services.approve_baseline(
                project, request.user, data["name"], data["document_number"], data["approved_on"]
            )
        except BusinessRuleError as error:
            messages.error(request, error.message)
            return redirect("projects:project_plan", pk=project.pk)
        messages.success(request, _("Baseline “%(b)s” approved.") % {"b": baseline.name})
        return HttpResponseRedirect(f"{project.get_absolute_url()}plan/?baseline={baseline.pk}")


# --- imports ------------------------------------------------------------------------------------


class ProjectImportView(PermissionRequiredMixin, View):
    permission = "projects.import_project"
    template_name = "projects/project_import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("projects.add_project"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def context(self, form) -> dict:
        return {"form": form, "title": _("Import projects")}

    def get(self, request):
        return render(request, self.template_name, self.context(ProjectImportForm()))

    def post(self, request):
        form = ProjectImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form), status=400)
        upload = form.cleaned_data["file"]
        job = start_job(
            "projects.import_projects",
            request.user,
            _("Import projects from %(name)s") % {"name": upload.name},
            input_file=upload,
        )
        return redirect(job)


class ProjectTemplateView(PermissionRequiredMixin, View):
    permission = "projects.import_project"

    def get(self, request):
        return FileResponse(
            imports.project_template(),
            as_attachment=True,
            filename=_("project-import-template.xlsx"),
        )


class PlanImportView(PermissionRequiredMixin, View):
    permission = "projects.import_project"
    template_name = "projects/plan_import.html"

    def get_project(self, pk: int) -> Project:
        return get_object_or_404(imports.importable_projects(self.request.user), pk=pk)

    def context(self, project, form) -> dict:
        return {
            "form": form,
            "project": project,
            "title": _("Import the plan of %(p)s") % {"p": project},
            "existing": Activity.objects.filter(project=project, archived_at__isnull=True).count(),
        }

    def get(self, request, pk: int):
        project = self.get_project(pk)
        return render(request, self.template_name, self.context(project, ProjectImportForm()))

    def post(self, request, pk: int):
        project = self.get_project(pk)
        form = ProjectImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.context(project, form), status=400)
        upload = form.cleaned_data["file"]
        job = start_job(
            "projects.import_plan",
            request.user,
            _("Import the plan of %(p)s from %(name)s") % {"p": project, "name": upload.name},
            params={"project_id": project.pk},
            input_file=upload,
        )
        return redirect(job)


class PlanTemplateView(PermissionRequiredMixin, View):
    permission = "projects.import_project"

    def get(self, request):
        return FileResponse(
            imports.plan_template(), as_attachment=True, filename=_("plan-import-template.xlsx")
        )


urlpatterns = [
    path("", ProjectListView.as_view(), name="project_list"),
    path("add/", ProjectCreateView.as_view(), name="project_add"),
    path("import/", ProjectImportView.as_view(), name="project_import"),
    path("import/template/", ProjectTemplateView.as_view(), name="project_import_template"),
    path("plan-template/", PlanTemplateView.as_view(), name="plan_import_template"),
    path("<int:pk>/", ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", ProjectUpdateView.as_view(), name="project_edit"),
    path("<int:pk>/stage/", StageChangeView.as_view(), name="project_stage"),
    path("<int:pk>/plan/", ProjectPlanView.as_view(), name="project_plan"),
    path("<int:pk>/plan/import/", PlanImportView.as_view(), name="plan_import"),
    path("<int:pk>/baselines/", BaselineApproveView.as_view(), name="baseline_approve"),
    path("activities/<int:pk>/progress/", ActivityProgressView.as_view(), name="activity_progress"),
]
