"""The lesson library (经验教训库): good practices and lessons learned, written from a decided problem
or a finished task, tagged, searchable by meaning, and shown next to similar problems."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

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
from duban.supervision.choices import LessonKind, TaskStatus
from duban.supervision.forms_problems import DECIDED, LessonFilterSet, LessonForm
from duban.supervision.models import Lesson, Problem, Task
from duban.supervision.similar import similar_lessons, similar_problems
from duban.supervision.tables_problems import LessonTable


class LessonListView(ObjectListView):
    permission = "supervision.view_lesson"
    queryset = Lesson.objects.filter(archived_at__isnull=True)
    table_class = LessonTable
    filterset_class = LessonFilterSet
    title = gettext_lazy("Lesson library")
    add_url_name = "supervision:lesson_add"
    add_permission = "supervision.add_lesson"

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        # Lessons are shared with the unit, their source tasks are not: one query names the readable.
        table.visible_task_ids = set(
            Task.objects.visible_to(self.request.user)
            .filter(pk__in=self.object_list.values("task_id"))
            .values_list("pk", flat=True)
        )
        return table


def _source(request) -> tuple[Problem | None, Task | None]:
    """?problem=<pk> or ?task=<pk>: the source the lesson is written from, if the user may see it."""
    user = request.user
    problem = task = None
    value = int_param(request.GET.get("problem"))
    if value is not None:
        problem = Problem.objects.visible_to(user).filter(pk=value).first()
    value = int_param(request.GET.get("task"))
    if value is not None:
        task = Task.objects.visible_to(user).filter(pk=value).first()
    return problem, task


class LessonCreateView(ObjectCreateView):
    permission = "supervision.add_lesson"
    queryset = Lesson.objects.all()
    form_class = LessonForm
    success_message = gettext_lazy("The lesson is saved.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and scope_for(request.user).own_unit_id is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        scope = scope_for(self.request.user)
        kwargs["instance"] = Lesson(unit_id=scope.own_unit_id, author_id=scope.person_id)
        kwargs["user"] = self.request.user
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("section", scope.own_section_id)
        problem, task = _source(self.request)
        if problem is not None:
            initial["problem"] = problem.pk
            if problem.status in DECIDED:
                initial.update(
                    kind=LessonKind.PRACTICE,
                    title=problem.title,
                    body=_("Problem: %(problem)s\nDecision: %(decision)s\n")
                    % {"problem": problem.title, "decision": problem.decision}
                    + (
                        _("Implemented: %(how)s\n") % {"how": problem.implementation}
                        if problem.implementation
                        else ""
                    ),
                    section=problem.section_id,
                )
        elif task is not None:
            initial["task"] = task.pk
            if task.status == TaskStatus.DONE:
                initial.update(
                    kind=LessonKind.PRACTICE,
                    title=task.title,
                    body=_("Task: %(title)s\nWhat was done: %(result)s\n")
                    % {"title": task.title, "result": task.result},
                    section=task.lead_section_id,
                )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        problem, task = _source(self.request)
        context["source_problem"], context["source_task"] = problem, task
        if problem is not None and problem.status not in DECIDED:
            context["source_refused"] = True
        if task is not None and task.status != TaskStatus.DONE:
            context["source_refused"] = True
        return context

    template_name = "supervision/lesson_form.html"


class LessonUpdateView(ObjectUpdateView):
    permission = "supervision.change_lesson"
    queryset = Lesson.objects.filter(archived_at__isnull=True)
    form_class = LessonForm
    template_name = "supervision/lesson_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


class LessonDetailView(PermissionRequiredMixin, View):
    permission = "supervision.view_lesson"
    template_name = "supervision/lesson_detail.html"

    def get(self, request, pk: int):
        lesson = get_object_or_404(
            Lesson.objects.visible_to(request.user).select_related(
                "unit", "section", "author", "problem", "task", "archived_by"
            ),
            pk=pk,
        )
        user = request.user
        editable = (
            user.has_perm("supervision.change_lesson")
            and lesson.archived_at is None
            and Lesson.objects.editable_by(user).filter(pk=lesson.pk).exists()
        )
        text = f"{lesson.title} {lesson.body}"
        return render(
            request,
            self.template_name,
            {
                "title": lesson.title,
                "lesson": lesson,
                "task_visible": lesson.task_id is not None
                and Task.objects.visible_to(user).filter(pk=lesson.task_id).exists(),
                "editable": editable,
                "archive_form": ArchiveForm(initial={"version": lesson.version})
                if editable
                else None,
                "similar": similar_problems(user, text, 5)
                if user.has_perm("supervision.view_problem")
                else [],
                "similar_lessons": similar_lessons(user, text, 5, exclude_id=lesson.pk),
            },
        )


class LessonArchiveView(ObjectArchiveView):
    permission = "supervision.change_lesson"
    queryset = Lesson.objects.all()


urlpatterns = [
    path("lessons/", LessonListView.as_view(), name="lesson_list"),
    path("lessons/add/", LessonCreateView.as_view(), name="lesson_add"),
    path("lessons/<int:pk>/", LessonDetailView.as_view(), name="lesson_detail"),
    path("lessons/<int:pk>/edit/", LessonUpdateView.as_view(), name="lesson_edit"),
    path("lessons/<int:pk>/archive/", LessonArchiveView.as_view(), name="lesson_archive"),
]
