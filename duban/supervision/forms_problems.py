"""Forms of the problem registry (问题台账) and the lesson library (经验教训库)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.filtersets import ScopedFilterSet
from duban.core.forms import StyledFormMixin, VersionedModelForm
from duban.org.models import Person, Section
from duban.org.scoping import scope_for
from duban.supervision.choices import LessonKind, ProblemStatus, TaskStatus
from duban.supervision.models import Lesson, Problem, Task

DECIDED = (ProblemStatus.DECIDED, ProblemStatus.IMPLEMENTED)


def _unit_sections(unit_id):
    return Section.objects.filter(unit_id=unit_id, archived_at__isnull=True).order_by(
        "sort_order", "id"
    )


def _unit_people(unit_id):
    return (
        Person.objects.filter(unit_id=unit_id, is_active=True)
        .select_related("section")
        .order_by("name")
    )


class ProblemForm(StyledFormMixin, VersionedModelForm):
    """Raise (or, while it waits for a decision, correct) a problem. The unit is the author's own;
    the section and the person who must solve it are of that unit; the task, indicator and project
    are chosen among those the author may see (the view scopes them)."""

    class Meta:
        model = Problem
        fields = ["title", "description", "task", "indicator", "project", "section", "solver"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        unit_id = unit_id or self.instance.unit_id
        self.fields["section"].queryset = _unit_sections(unit_id)
        self.fields["solver"].queryset = _unit_people(unit_id)
        self.fields["task"].queryset = Task.objects.filter(
            unit_id=unit_id, archived_at__isnull=True
        )
        self.fields["task"].required = False
        self.fields["description"].required = False
        self.fields["title"].widget.attrs["autocomplete"] = "off"


class ProblemCreateForm(ProblemForm):
    """Adds the hidden choice "this is the same problem as an earlier one": on save the new problem
    takes the earlier decision instead of being discussed again."""

    same_as = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta(ProblemForm.Meta):
        fields = [*ProblemForm.Meta.fields]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # While typing, the panel beside the form shows the most similar earlier problems.
        for name in ("title", "description"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse("supervision:problem_similar"),
                    "hx-trigger": "input changed delay:300ms, keyup changed delay:300ms",
                    "hx-target": "#similar-panel",
                    "hx-include": "#id_title, #id_description",
                    "hx-vals": '{"choose": "1"}',
                    "hx-sync": "#similar-panel:replace",
                }
            )

    def clean_same_as(self):
        pk = self.cleaned_data.get("same_as")
        if not pk:
            return None
        earlier = (
            Problem.objects.visible_to(self.user)
            .filter(pk=pk, archived_at__isnull=True)
            .select_related("same_as")
            .first()
        )
        if earlier is None:
            raise forms.ValidationError(_("The earlier problem was not found."))
        if earlier.status not in DECIDED:
            raise forms.ValidationError(
                _("The earlier problem has not been decided yet; it cannot lend its decision.")
            )
        return earlier


class DecideForm(StyledFormMixin, forms.Form):
    decision = forms.CharField(
        label=pgettext_lazy("problem", "Decision"), widget=forms.Textarea(attrs={"rows": 4})
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput())
    meeting_ref = forms.CharField(
        label=_("Meeting reference"),
        max_length=200,
        required=False,
        help_text=_("e.g. the minutes of the 15th bureau meeting of 2026"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()

    def clean_decided_on(self):
        value = self.cleaned_data["decided_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A decision cannot be dated in the future."))
        if value.year < 2000:
            raise forms.ValidationError(_("Enter a date between 2000 and 2100."))
        return value


class LinkForm(StyledFormMixin, forms.Form):
    earlier = forms.IntegerField(
        label=_("Number of the earlier problem"),
        min_value=1,
        help_text=_("Its number is in its address: /supervision/problems/<number>/"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user=None, problem=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.problem = problem

    def clean_earlier(self):
        pk = self.cleaned_data["earlier"]
        earlier = (
            Problem.objects.visible_to(self.user)
            .filter(pk=pk, archived_at__isnull=True)
            .select_related("same_as")
            .first()
        )
        if earlier is None:
            raise forms.ValidationError(_("The earlier problem was not found."))
        if self.problem is not None and earlier.pk == self.problem.pk:
            raise forms.ValidationError(_("A problem cannot be the same as itself."))
        if earlier.status not in DECIDED:
            raise forms.ValidationError(
                _("The earlier problem has not been decided yet; it cannot lend its decision.")
            )
        return earlier


class VerifyForm(StyledFormMixin, forms.Form):
    implementation = forms.CharField(
        label=_("How it was implemented"), widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- lessons -------------------------------------------------------------------------------------


class LessonForm(StyledFormMixin, VersionedModelForm):
    """A lesson. Its source, when it has one, is a decided problem or a finished task; the author
    and the unit are the writer's own."""

    problem = forms.IntegerField(required=False, widget=forms.HiddenInput)
    task = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Lesson
        fields = ["kind", "title", "body", "tags", "section"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["section"].queryset = _unit_sections(self.instance.unit_id)
        if self.instance.pk is not None:
            # The source is where the lesson came from; it does not change afterwards.
            del self.fields["problem"]
            del self.fields["task"]
        else:
            self.initial.setdefault("problem", self.instance.problem_id)
            self.initial.setdefault("task", self.instance.task_id)

    def clean_problem(self):
        pk = self.cleaned_data.get("problem")
        if not pk:
            return None
        problem = Problem.objects.visible_to(self.user).filter(pk=pk).first()
        if problem is None:
            raise forms.ValidationError(_("The problem was not found."))
        if problem.status not in DECIDED:
            raise forms.ValidationError(
                _("A lesson can be written only from a decided problem or a finished task.")
            )
        return problem

    def clean_task(self):
        pk = self.cleaned_data.get("task")
        if not pk:
            return None
        task = Task.objects.visible_to(self.user).filter(pk=pk).first()
        if task is None:
            raise forms.ValidationError(_("The task was not found."))
        if task.status != TaskStatus.DONE:
            raise forms.ValidationError(
                _("A lesson can be written only from a decided problem or a finished task.")
            )
        return task

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("problem") and cleaned.get("task"):
            raise forms.ValidationError(_("A lesson comes from one problem or one task, not both."))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.instance.pk is None and hasattr(self, "cleaned_data"):
            self.instance.problem = self.cleaned_data.get("problem")
            self.instance.task = self.cleaned_data.get("task")


class LessonFilterSet(ScopedFilterSet):
    """The lesson library's filters. `q` ranks by meaning (the similarity index) and also finds
    the exact words typed."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=LessonKind.choices, empty_label=_("All")
    )
    tag = django_filters.CharFilter(label=_("Tag"), field_name="tags", lookup_expr="icontains")
    section = django_filters.ModelChoiceFilter(
        label=_("Section"),
        field_name="section",
        queryset=Section.objects.filter(archived_at__isnull=True).order_by("sort_order", "id"),
        empty_label=_("All"),
    )

    class Meta:
        model = Lesson
        fields = ["q", "kind", "tag", "section"]

    def search(self, queryset, name, value):
        from duban.supervision.similar import lesson_ids_by_similarity

        value = value.strip()
        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        ranked = [pk for pk, _score in lesson_ids_by_similarity(user, value)] if user else []
        words = Q(title__icontains=value) | Q(body__icontains=value) | Q(tags__icontains=value)
        matched = queryset.filter(Q(pk__in=ranked) | words)
        if not ranked:
            return matched
        from django.db.models import Case, IntegerField, Value, When

        rank = Case(
            *(When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)),
            default=Value(len(ranked)),
            output_field=IntegerField(),
        )
        return matched.annotate(similarity_rank=rank).order_by("similarity_rank", "-id")


def own_unit(user):
    return scope_for(user).own_unit_id
