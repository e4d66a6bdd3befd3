"""Supervised tasks (督办事项): the ledger with its Excel export, registration and edit, the task page
with its timeline and the workflow actions (each a POST calling a service), and the unit's policy."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.core.views import (
    ObjectCreateView,
    ObjectListView,
    ObjectUpdateView,
    PermissionRequiredMixin,
)
from duban.evidence import services as evidence
from duban.evidence.models import Document
from duban.org.scoping import scope_for
from duban.supervision import services
from duban.supervision.choices import (
    ACTIVE_STATUSES,
    OPEN_STATUSES,
    EventKind,
    ExtensionStatus,
    Level,
    TaskStatus,
)
from duban.supervision.filtersets import TaskFilterSet, colour_filter
from duban.supervision.forms import (
    APPROVE,
    AcceptForm,
    CoordinateForm,
    ExtensionDecideForm,
    ExtensionForm,
    InstructForm,
    PolicyForm,
    ProgressForm,
    ReviewForm,
    StopForm,
    SubmitForm,
    TaskForm,
    TaskProblemForm,
)
from duban.supervision.models import (
    Escalation,
    ExtensionRequest,
    Policy,
    Problem,
    ProgressReport,
    Task,
)
from duban.supervision.tables import Lights, TaskTable
from duban.workcalendar.services import current_calendar


def visible_tasks(user):
    return Task.objects.visible_to(user).filter(archived_at__isnull=True)


# --- the ledger ---------------------------------------------------------------------------------


class TaskPageFilterSet(TaskFilterSet):
    """The page's filters: the colour uses the warning window of the user's own unit."""

    def by_colour(self, queryset, name, value):
        warn_before = None
        user = getattr(self.request, "user", None)
        unit_id = scope_for(user).own_unit_id if user is not None else None
        if unit_id:
            warn_before = Policy.for_unit(unit_id).warn_before
        return colour_filter(queryset, value, warn_before=warn_before)


class TaskListView(ObjectListView):
    permission = "supervision.view_task"
    queryset = Task.objects.filter(archived_at__isnull=True)
    table_class = TaskTable
    filterset_class = TaskPageFilterSet
    template_name = "supervision/task_list.html"
    title = gettext_lazy("Supervised tasks")
    add_url_name = "supervision:task_add"
    add_permission = "supervision.add_task"
    extra_actions = [
        ("supervision:task_import", gettext_lazy("Import from Excel"), "supervision.import_task")
    ]

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        table.lights = Lights.load(current_calendar(), timezone.localdate())
        return table


# --- register and edit --------------------------------------------------------------------------


class TaskCreateView(ObjectCreateView):
    """Registration: the number, the responsible leader (if left empty) and the deadline from N working
    days are given by `services.register_task`; the unit is the user's own."""

    permission = "supervision.add_task"
    queryset = Task.objects.all()
    form_class = TaskForm
    template_name = "supervision/task_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and scope_for(request.user).own_unit_id is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        scope = scope_for(self.request.user)
        kwargs["instance"] = Task(unit_id=scope.own_unit_id)
        kwargs["unit_id"] = scope.own_unit_id
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("assigned_on", timezone.localdate())
        if scope.own_section_id and not scope.unit_wide:
            initial.setdefault("lead_section", scope.own_section_id)
        return kwargs

    def form_valid(self, form):
        try:
            with transaction.atomic():
                task = services.register_task(
                    self.request.user,
                    form.instance,
                    form.cleaned_data.get("cooperating_sections") or (),
                )
        except BusinessRuleError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Registered as %(number)s.")
            % {"number": Lights.load(None, timezone.localdate()).number(task)},
        )
        return HttpResponseRedirect(task.get_absolute_url())


class TaskUpdateView(ObjectUpdateView):
    permission = "supervision.change_task"
    # A completed or stopped task is a record: it is no longer edited.
    queryset = Task.objects.filter(archived_at__isnull=True, status__in=OPEN_STATUSES)
    form_class = TaskForm
    template_name = "supervision/task_form.html"

    def form_valid(self, form):
        before = Task.objects.get(pk=form.instance.pk)
        if form.instance.responsible_leader_id is None and form.instance.lead_section_id:
            form.instance.responsible_leader = form.instance.lead_section.current_leader
        response = super().form_valid(form)
        if form.instance.version != before.version:  # saved
            services.record_edit(self.request.user, before, form.instance)
        return response


# --- the task page ------------------------------------------------------------------------------

EVENT_ICONS = {
    EventKind.CREATED: ("ti-file-plus", "bg-blue"),
    EventKind.ACCEPTED: ("ti-hand-finger", "bg-azure"),
    EventKind.PROGRESS: ("ti-progress", "bg-cyan"),
    EventKind.EXTENSION_REQUESTED: ("ti-calendar-plus", "bg-yellow"),
    EventKind.EXTENSION_APPROVED: ("ti-calendar-check", "bg-green"),
    EventKind.EXTENSION_REJECTED: ("ti-calendar-x", "bg-red"),
    EventKind.SUBMITTED: ("ti-send", "bg-indigo"),
    EventKind.RETURNED: ("ti-arrow-back-up", "bg-orange"),
    EventKind.COMPLETED: ("ti-circle-check", "bg-green"),
    EventKind.STOPPED: ("ti-player-stop", "bg-secondary"),
    EventKind.REASSIGNED: ("ti-user-share", "bg-purple"),
    EventKind.WARNED: ("ti-alarm", "bg-yellow"),
    EventKind.ESCALATED: ("ti-arrow-big-up-lines", "bg-red"),
    EventKind.DEESCALATED: ("ti-arrow-big-down-lines", "bg-green"),
    EventKind.COORDINATION: ("ti-users-group", "bg-red"),
    EventKind.PROBLEM_RAISED: ("ti-alert-triangle", "bg-orange"),
    EventKind.DECIDED: ("ti-gavel", "bg-teal"),
    EventKind.LINKED: ("ti-link", "bg-teal"),
    EventKind.IMPLEMENTED: ("ti-checks", "bg-green"),
}


def load_task(user, pk: int) -> Task:
    return get_object_or_404(
        visible_tasks(user)
        .select_related(
            "unit", "lead_section", "owner", "responsible_leader", "indicator", "project"
        )
        .prefetch_related("cooperating_sections"),
        pk=pk,
    )


def _initial(task: Task) -> dict:
    return {"version": task.version}


def _form(form_class, key: str, task: Task, bound=None):
    if bound is not None:
        return bound
    return form_class(initial=_initial(task), auto_id=f"id_{key}_%s")


def task_context(request, task: Task, bound: dict | None = None) -> dict:
    """Everything the task page shows, in a fixed number of queries."""
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    lights = Lights.load(current_calendar(), today)
    number = lights.number(task)
    light = lights.light(task)
    events = [
        (event, *EVENT_ICONS.get(event.kind, ("ti-point", "bg-secondary")))
        for event in task.events.select_related("actor", "person").order_by("at", "id")
    ]
    reports = list(
        task.progress_reports.select_related("author").prefetch_related(
            Prefetch(
                "documents",
                queryset=Document.objects.select_related("current_version").order_by("id"),
            )
        )
    )
    extensions = list(
        task.extensions.select_related("requested_by", "approver", "decided_by").order_by(
            "ordinal", "id"
        )
    )
    pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    problems = list(
        task.problems.filter(archived_at__isnull=True).select_related("section", "solver")
    )
    rungs = list(
        Escalation.objects.filter(task=task, resolved_at__isnull=True)
        .select_related("to_person")
        .order_by("-level")
    )
    scope = scope_for(user)
    active = task.status in ACTIVE_STATUSES
    owner_side = services.is_owner_side(user, task)
    leader_side = services.is_leader_side(user, task)
    can = {
        "accept": owner_side
        and task.status == TaskStatus.PENDING
        and user.has_perm("supervision.add_progressreport"),
        "progress": owner_side and active and user.has_perm("supervision.add_progressreport"),
        "extension": owner_side
        and active
        and today <= task.deadline
        and pending is None
        and user.has_perm("supervision.add_extensionrequest"),
        "submit": owner_side and active and user.has_perm("supervision.add_progressreport"),
        "review": leader_side
        and task.status == TaskStatus.REVIEW
        and user.has_perm("supervision.review_task"),
        "decide": pending is not None
        and user.has_perm("supervision.approve_extension")
        and (services.is_director(user, task.unit_id) if pending.ordinal >= 2 else leader_side),
        "stop": task.status not in (TaskStatus.DONE, TaskStatus.STOPPED)
        and services.can_stop(user, task),
        "coordinate": active
        and task.responsible_leader_id is not None
        and task.responsible_leader_id == scope.person_id
        and task.coordination_requested_on is None,
        "instruct": active
        and task.coordination_requested_on is not None
        and services.is_director(user, task.unit_id),
        "problem": task.status in OPEN_STATUSES and user.has_perm("supervision.add_problem"),
    }
    can["edit"] = (
        task.status in OPEN_STATUSES
        and user.has_perm("supervision.change_task")
        and Task.objects.editable_by(user).filter(pk=task.pk).exists()
    )
    forms = {
        "accept": _form(AcceptForm, "accept", task, bound.get("accept")),
        "progress": _form(ProgressForm, "progress", task, bound.get("progress")),
        "extension": _form(ExtensionForm, "extension", task, bound.get("extension")),
        "submit": _form(SubmitForm, "submit", task, bound.get("submit")),
        "review": _form(ReviewForm, "review", task, bound.get("review")),
        "decide": bound.get("decide") or ExtensionDecideForm(auto_id="id_decide_%s"),
        "stop": _form(StopForm, "stop", task, bound.get("stop")),
        "coordinate": _form(CoordinateForm, "coordinate", task, bound.get("coordinate")),
        "instruct": _form(InstructForm, "instruct", task, bound.get("instruct")),
        "problem": _form(TaskProblemForm, "problem", task, bound.get("problem")),
    }
    return {
        "title": f"{number} {task.title}",
        "task": task,
        "number": number,
        "light": light,
        "today": today,
        "events": events,
        "reports": reports,
        "extensions": extensions,
        "pending_extension": pending,
        "problems": [(p, p.get_absolute_url()) for p in problems],
        "rungs": rungs,
        "top_rung": rungs[0] if rungs and rungs[0].level >= Level.LEADER else None,
        "can": can,
        "forms": forms,
        "open_form": next(iter(bound), None),
        "notice_url": reverse("supervision:task_notice", args=[task.pk]),
    }


class TaskDetailView(PermissionRequiredMixin, View):
    permission = "supervision.view_task"
    template_name = "supervision/task_detail.html"

    def get(self, request, pk: int):
        task = load_task(request.user, pk)
        return render(request, self.template_name, task_context(request, task))


def _evidence_section(task: Task, user):
    """Files go under the lead section when the user may file there, else the user's own section;
    a unit-wide user files under the unit."""
    sections = list(evidence.writable_sections(user))
    if any(s.pk == task.lead_section_id for s in sections):
        return task.lead_section
    if scope_for(user).unit_wide:
        return None
    return sections[0] if sections else task.lead_section


def upload_evidence(user, task: Task, files) -> list[Document]:
    """Check every file first, so one bad file stores nothing; then file each once (named after the
    file, as people recognise it). Only the owner's side files evidence on a task: checked before any
    file is stored, so a refused action leaves no orphan file behind."""
    if files and not services.is_owner_side(user, task):
        raise BusinessRuleError(_("Only the owner's side can report progress."))
    for file in files:
        try:
            evidence.check_file(file)
        except BusinessRuleError as error:
            raise BusinessRuleError(
                _("“%(name)s”: %(error)s") % {"name": file.name, "error": error.message},
                field="files",
            ) from None
    section = _evidence_section(task, user)
    documents = []
    for file in files:
        documents.append(evidence.upload(user, file, section=section).document)
    return documents


class TaskActionView(PermissionRequiredMixin, View):
    """POST one workflow step. A refused or invalid step re-renders the task page with the typed text
    and the reason (status 400); a stale page is refused the same way."""

    form_class = None
    key = ""

    def get_task(self, request, pk: int) -> Task:
        return load_task(request.user, pk)

    def post(self, request, pk: int):
        task = self.get_task(request, pk)
        form = self.form_class(request.POST, request.FILES, auto_id=f"id_{self.key}_%s")
        if form.is_valid():
            data = form.cleaned_data
            if "version" in data:
                task.version = data["version"]
            try:
                with transaction.atomic():
                    message = self.act(request, task, data)
            except StaleEditError as error:
                form.add_error(None, str(error.message))
            except BusinessRuleError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, message)
                return redirect(task)
            task = load_task(request.user, task.pk)
        return render(
            request,
            TaskDetailView.template_name,
            task_context(request, task, {self.key: form}),
            status=400,
        )

    def act(self, request, task: Task, data: dict) -> str:
        raise NotImplementedError


class TaskAcceptView(TaskActionView):
    permission = "supervision.add_progressreport"
    form_class = AcceptForm
    key = "accept"

    def act(self, request, task, data):
        services.accept(request.user, task)
        return _("Accepted: the task is now in progress.")


class TaskProgressView(TaskActionView):
    permission = "supervision.add_progressreport"
    form_class = ProgressForm
    key = "progress"

    def act(self, request, task, data):
        documents = upload_evidence(request.user, task, data["files"])
        report = ProgressReport(text=data["text"].strip(), percent=data.get("percent"))
        services.report_progress(request.user, task, report, documents)
        return _("Progress reported.")


class TaskExtensionView(TaskActionView):
    permission = "supervision.add_extensionrequest"
    form_class = ExtensionForm
    key = "extension"

    def act(self, request, task, data):
        extension = services.request_extension(
            request.user, task, data["new_deadline"], data["reason"]
        )
        return _("Extension requested; waiting for %(person)s.") % {
            "person": extension.approver or _("the approver")
        }


class TaskSubmitView(TaskActionView):
    permission = "supervision.add_progressreport"
    form_class = SubmitForm
    key = "submit"

    def act(self, request, task, data):
        documents = upload_evidence(request.user, task, data["files"])
        services.submit_completion(request.user, task, data["result"], documents)
        return _("Completion submitted for review.")


class TaskReviewView(TaskActionView):
    permission = "supervision.review_task"
    form_class = ReviewForm
    key = "review"

    def act(self, request, task, data):
        approve = data["decision"] == APPROVE
        services.review(request.user, task, approve, data.get("note") or "")
        return _("The task is completed.") if approve else _("Returned to the owner.")


class TaskStopView(TaskActionView):
    permission = "supervision.change_task"
    form_class = StopForm
    key = "stop"

    def act(self, request, task, data):
        services.stop(request.user, task, data["reason"])
        return _("The task is stopped.")


class TaskCoordinateView(TaskActionView):
    permission = "supervision.view_task"
    form_class = CoordinateForm
    key = "coordinate"

    def act(self, request, task, data):
        services.request_coordination(request.user, task, data["note"])
        return _("The director is asked to coordinate.")


class TaskInstructView(TaskActionView):
    permission = "supervision.view_task"
    form_class = InstructForm
    key = "instruct"

    def act(self, request, task, data):
        services.record_coordination(request.user, task, data["instruction"])
        return _("The director's instruction is recorded.")


class TaskProblemView(TaskActionView):
    permission = "supervision.add_problem"
    form_class = TaskProblemForm
    key = "problem"

    def act(self, request, task, data):
        if task.status not in OPEN_STATUSES:
            raise BusinessRuleError(_("This task is closed; raise the problem on its own."))
        problem = Problem(
            unit_id=task.unit_id,
            task=task,
            title=data["title"].strip(),
            description=(data.get("description") or "").strip(),
            section_id=task.lead_section_id,
            raised_on=timezone.localdate(),
        )
        services.raise_problem(request.user, problem)
        return _("Problem raised on this task.")


class ExtensionDecideView(TaskActionView):
    permission = "supervision.approve_extension"
    form_class = ExtensionDecideForm
    key = "decide"

    def post(self, request, pk: int):
        extension = get_object_or_404(
            ExtensionRequest.objects.visible_to(request.user).filter(
                task__archived_at__isnull=True
            ),
            pk=pk,
        )
        self.extension = extension
        return super().post(request, extension.task_id)

    def act(self, request, task, data):
        approve = data["decision"] == APPROVE
        services.decide_extension(request.user, self.extension, approve, data.get("note") or "")
        return (
            _("Extension approved: the deadline is moved.") if approve else _("Extension rejected.")
        )


# --- the unit's policy --------------------------------------------------------------------------


class PolicyView(PermissionRequiredMixin, View):
    """督办规则: the number prefix and the escalation ladder of the user's own unit; the supervision
    office edits it, everyone who reads tasks can see it. Saving creates the row the first time."""

    permission = "supervision.view_task"
    template_name = "supervision/policy.html"

    def get_policy(self, request) -> Policy:
        unit_id = scope_for(request.user).own_unit_id
        if unit_id is None:
            raise PermissionDenied
        return Policy.for_unit(unit_id)

    def render_page(self, request, policy, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "title": _("Supervision rules"),
                "policy": policy,
                "form": form,
                "editable": request.user.has_perm("supervision.change_policy"),
            },
            status=status,
        )

    def get(self, request):
        policy = self.get_policy(request)
        editable = request.user.has_perm("supervision.change_policy")
        return self.render_page(
            request, policy, PolicyForm(instance=policy, read_only=not editable)
        )

    def post(self, request):
        if not request.user.has_perm("supervision.change_policy"):
            raise PermissionDenied
        policy = self.get_policy(request)
        form = PolicyForm(request.POST, instance=policy)
        if form.is_valid():
            try:
                with transaction.atomic():
                    form.save()
            except StaleEditError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("The supervision rules are saved."))
                return redirect("supervision:policy")
        return self.render_page(request, policy, form, status=400)


urlpatterns = [
    path("tasks/", TaskListView.as_view(), name="task_list"),
    path("tasks/add/", TaskCreateView.as_view(), name="task_add"),
    path("tasks/<int:pk>/", TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", TaskUpdateView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/accept/", TaskAcceptView.as_view(), name="task_accept"),
    path("tasks/<int:pk>/progress/", TaskProgressView.as_view(), name="task_progress"),
    path("tasks/<int:pk>/extension/", TaskExtensionView.as_view(), name="task_extension"),
    path("tasks/<int:pk>/submit/", TaskSubmitView.as_view(), name="task_submit"),
    path("tasks/<int:pk>/review/", TaskReviewView.as_view(), name="task_review"),
    path("tasks/<int:pk>/stop/", TaskStopView.as_view(), name="task_stop"),
    path("tasks/<int:pk>/coordinate/", TaskCoordinateView.as_view(), name="task_coordinate"),
    path("tasks/<int:pk>/problem/", TaskProblemView.as_view(), name="task_problem"),
    path("tasks/<int:pk>/instruct/", TaskInstructView.as_view(), name="task_instruct"),
    path("extensions/<int:pk>/decide/", ExtensionDecideView.as_view(), name="extension_decide"),
    path("policy/", PolicyView.as_view(), name="policy"),
]
