"""The problem registry (问题台账): problems decided once.

While a problem is typed, the page shows the most similar earlier problems with their decisions (and
similar lessons); the author can mark the new problem as the same as an earlier one, and it takes the
earlier decision instead of being discussed again. The problem page shows the decision, how often it
was reused, the escalation rungs and the timeline, and the actions the user's role allows.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.core.forms import ArchiveForm
from duban.core.params import int_param
from duban.core.views import (
    ObjectArchiveView,
    ObjectCreateView,
    ObjectListView,
    ObjectUpdateView,
    PermissionRequiredMixin,
)
from duban.org.scoping import scope_for
from duban.supervision import services
from duban.supervision.choices import ProblemStatus
from duban.supervision.filtersets import ProblemFilterSet
from duban.supervision.forms_problems import (
    DECIDED,
    DecideForm,
    LinkForm,
    ProblemCreateForm,
    ProblemForm,
    VerifyForm,
)
from duban.supervision.models import Escalation, Event, Problem, Task
from duban.supervision.similar import similar_lessons, similar_problems
from duban.supervision.tables_problems import ProblemTable

# What the typing panel searches at most (a pasted report should not cost more than a sentence).
QUERY_MAX = 500


def _editable(user, problem: Problem) -> bool:
    return (
        user.has_perm("supervision.change_problem")
        and problem.archived_at is None
        and Problem.objects.editable_by(user).filter(pk=problem.pk).exists()
    )


# --- the list -----------------------------------------------------------------------------------


class ProblemListView(ObjectListView):
    permission = "supervision.view_problem"
    queryset = Problem.objects.filter(archived_at__isnull=True)
    table_class = ProblemTable
    filterset_class = ProblemFilterSet
    title = gettext_lazy("Problem registry")
    add_url_name = "supervision:problem_add"
    add_permission = "supervision.add_problem"


# --- raising a problem, with the similar earlier ones shown while typing ------------------------


class ProblemCreateView(ObjectCreateView):
    permission = "supervision.add_problem"
    queryset = Problem.objects.all()
    form_class = ProblemCreateForm
    template_name = "supervision/problem_form.html"
    success_message = gettext_lazy("The problem is registered.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and scope_for(request.user).own_unit_id is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        scope = scope_for(self.request.user)
        kwargs["instance"] = Problem(unit_id=scope.own_unit_id)
        kwargs["unit_id"] = scope.own_unit_id
        kwargs["user"] = self.request.user
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("section", scope.own_section_id)
        for name in ("task", "indicator", "project"):
            value = int_param(self.request.GET.get(name))
            if value is not None:
                initial[name] = value
        return kwargs

    def form_valid(self, form):
        problem = form.save(commit=False)
        earlier = form.cleaned_data.get("same_as")
        problem.same_as = earlier
        try:
            with transaction.atomic():
                self.object = services.raise_problem(self.request.user, problem)
        except BusinessRuleError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        if earlier is not None:
            messages.success(
                self.request,
                _("Registered and linked to the earlier decision of “%(title)s”.")
                % {"title": self.object.same_as.title},
            )
        else:
            messages.success(self.request, self.success_message)
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Raise a problem")
        form = context["form"]
        chosen = int_param(form["same_as"].value()) if form.is_bound else None
        context["chosen"] = (
            Problem.objects.visible_to(self.request.user).filter(pk=chosen).first()
            if chosen is not None
            else None
        )
        return context


def _query(request) -> str:
    """?q=… (the API's word), or what is typed in the title and description of the form."""
    text = request.GET.get("q")
    if text is None:
        text = " ".join(request.GET.get(k, "") for k in ("title", "description"))
    return text.strip()[:QUERY_MAX]


class ProblemSimilarView(PermissionRequiredMixin, View):
    """The htmx panel: the earlier problems most like what is typed, with their decisions, and the
    lessons most like it."""

    permission = "supervision.view_problem"
    template_name = "supervision/partials/problem_similar.html"

    def get(self, request):
        text = _query(request)
        exclude_id = int_param(request.GET.get("exclude"))
        problems = similar_problems(request.user, text, 5, exclude_id) if text else []
        lessons = (
            similar_lessons(request.user, text, 3)
            if text and request.user.has_perm("supervision.view_lesson")
            else []
        )
        return render(
            request,
            self.template_name,
            {
                "query": text,
                "problems": problems,
                "lessons": lessons,
                "choosable": request.GET.get("choose") == "1",
            },
        )


# --- the problem page and its actions -----------------------------------------------------------


class ProblemDetailView(PermissionRequiredMixin, View):
    permission = "supervision.view_problem"
    template_name = "supervision/problem_detail.html"

    def get(self, request, pk: int):
        return render(request, self.template_name, context(request, _visible(request, pk)))


def _visible(request, pk: int) -> Problem:
    return get_object_or_404(
        Problem.objects.visible_to(request.user).select_related(
            "unit",
            "section",
            "solver",
            "raised_by",
            "decided_by",
            "verified_by",
            "same_as",
            "task",
            "indicator",
            "project",
            "archived_by",
        ),
        pk=pk,
    )


def context(request, problem: Problem, **forms) -> dict:
    user = request.user
    editable = _editable(user, problem)
    pending = problem.status == ProblemStatus.PENDING
    can_decide = pending and editable and services.can_decide(user, problem)
    can_verify = (
        problem.status == ProblemStatus.DECIDED
        and editable
        and user.has_perm("supervision.verify_problem")
    )
    repeats = list(
        problem.repeats.filter(archived_at__isnull=True)
        .select_related("raised_by", "section")
        .order_by("raised_on", "id")
    )
    similar = similar_problems(user, problem.search_text, 5, exclude_id=problem.pk)
    if problem.same_as_id:
        similar = [p for p in similar if p.pk != problem.same_as_id]
    version = {"version": problem.version}
    lessons = list(problem.lessons.filter(archived_at__isnull=True).order_by("-created_at"))
    own_lessons = {lesson.pk for lesson in lessons}
    return {
        "title": problem.title,
        "problem": problem,
        # Problems are the unit's shared memory, its tasks are not: name the task only to its readers.
        "task_visible": problem.task_id is not None
        and Task.objects.visible_to(user).filter(pk=problem.task_id).exists(),
        "original": problem.same_as,
        "events": Event.objects.filter(problem=problem).select_related("actor", "person"),
        "rungs": Escalation.objects.filter(problem=problem)
        .select_related("to_person")
        .order_by("level", "opened_at"),
        "repeats": repeats,
        "similar": similar,
        "similar_lessons": [
            lesson
            for lesson in similar_lessons(user, problem.search_text, 3)
            if lesson.pk not in own_lessons
        ]
        if user.has_perm("supervision.view_lesson")
        else [],
        "lessons": lessons,
        "can_edit": editable and pending,
        "can_link": editable and pending,
        "can_decide": can_decide,
        "can_verify": can_verify,
        "can_archive": editable,
        "can_write_lesson": problem.status in DECIDED
        and problem.archived_at is None
        and user.has_perm("supervision.add_lesson"),
        "decide_form": forms.get("decide_form")
        or (DecideForm(initial=version) if can_decide else None),
        "link_form": forms.get("link_form")
        or (LinkForm(initial=version) if editable and pending else None),
        "verify_form": forms.get("verify_form")
        or (VerifyForm(initial=version) if can_verify else None),
        "archive_form": ArchiveForm(initial=version) if editable else None,
    }


class _ActionView(PermissionRequiredMixin, View):
    """POST an action of the problem page; bad input re-renders the page (400) keeping what was typed."""

    form_class = None
    form_name = ""

    def post(self, request, pk: int):
        problem = _visible(request, pk)
        if not _editable(request.user, problem):
            raise PermissionDenied
        form = self.make_form(request, problem)
        if form.is_valid():
            problem.version = form.cleaned_data["version"]
            try:
                with transaction.atomic():
                    self.act(request, problem, form.cleaned_data)
            except StaleEditError as error:
                form.add_error(None, str(error.message))
            except BusinessRuleError as error:
                form.add_error(None, error.message)
            else:
                return redirect("supervision:problem_detail", pk=problem.pk)
            problem = _visible(request, pk)
        return render(
            request,
            ProblemDetailView.template_name,
            context(request, problem, **{self.form_name: form}),
            status=400,
        )

    def make_form(self, request, problem):
        return self.form_class(request.POST)


class ProblemDecideView(_ActionView):
    permission = "supervision.decide_problem"
    form_class = DecideForm
    form_name = "decide_form"

    def act(self, request, problem, data):
        services.decide(
            request.user, problem, data["decision"], data["decided_on"], data["meeting_ref"]
        )
        messages.success(request, _("The decision is recorded."))


class ProblemLinkView(_ActionView):
    permission = "supervision.change_problem"
    form_name = "link_form"

    def make_form(self, request, problem):
        return LinkForm(request.POST, user=request.user, problem=problem)

    def act(self, request, problem, data):
        linked = services.link_to_earlier(request.user, problem, data["earlier"])
        messages.success(
            request,
            _("Linked to the earlier decision of “%(title)s”.") % {"title": linked.same_as.title},
        )


class ProblemVerifyView(_ActionView):
    permission = "supervision.verify_problem"
    form_class = VerifyForm
    form_name = "verify_form"

    def act(self, request, problem, data):
        services.verify(request.user, problem, data["implementation"])
        messages.success(request, _("The implementation is verified."))


# --- edit and archive ---------------------------------------------------------------------------


class ProblemUpdateView(ObjectUpdateView):
    """Correct a problem while it waits for a decision; after that the record stands."""

    permission = "supervision.change_problem"
    queryset = Problem.objects.filter(archived_at__isnull=True)
    form_class = ProblemForm

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.status != ProblemStatus.PENDING:
            messages.error(request, _("A decided problem can no longer be edited."))
            return redirect(self.object)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.status != ProblemStatus.PENDING:
            messages.error(request, _("A decided problem can no longer be edited."))
            return redirect(self.object)
        return super().post(request, *args, **kwargs)


class ProblemArchiveView(ObjectArchiveView):
    permission = "supervision.change_problem"
    queryset = Problem.objects.all()


urlpatterns = [
    path("problems/", ProblemListView.as_view(), name="problem_list"),
    path("problems/add/", ProblemCreateView.as_view(), name="problem_add"),
    path("problems/similar/", ProblemSimilarView.as_view(), name="problem_similar"),
    path("problems/<int:pk>/", ProblemDetailView.as_view(), name="problem_detail"),
    path("problems/<int:pk>/edit/", ProblemUpdateView.as_view(), name="problem_edit"),
    path("problems/<int:pk>/decide/", ProblemDecideView.as_view(), name="problem_decide"),
    path("problems/<int:pk>/link/", ProblemLinkView.as_view(), name="problem_link"),
    path("problems/<int:pk>/verify/", ProblemVerifyView.as_view(), name="problem_verify"),
    path("problems/<int:pk>/archive/", ProblemArchiveView.as_view(), name="problem_archive"),
]
