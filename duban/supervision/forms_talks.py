"""Forms and the filter of talk records (提醒谈话/约谈/诫勉谈话).

The rules a talk record obeys (`talk_errors`, `follow_up_errors`) are shared by the pages and the API,
so both refuse the same input with the same Chinese message. One FilterSet serves the list, its Excel
export and the API.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban.accounts.roles import Role
from duban.core.filtersets import ScopedFilterSet
from duban.core.forms import StyledFormMixin, VersionedModelForm
from duban.org.models import Person
from duban.org.scoping import scope_for
from duban.supervision.choices import TalkKind
from duban.supervision.models import Talk


class FollowUpState(models.TextChoices):
    DUE = "due", _("Follow-up due")
    PENDING = "pending", _("Follow-up planned")
    DONE = "done", _("Followed up")
    NONE = "none", _("No follow-up planned")


# --- the rules ----------------------------------------------------------------------------------


def unit_people(unit_id: int | None):
    """Who may be talked to (and, for the director, who may have talked): the unit's people in post."""
    return (
        Person.objects.filter(unit_id=unit_id, is_active=True)
        .select_related("section")
        .order_by("section__sort_order", "sort_order", "id")
    )


def may_record_for_others(user) -> bool:
    """Only the director records a talk held by someone else of the unit."""
    return user.role == Role.DIRECTOR


def talk_errors(
    *, person, talker, date: dt.date | None, follow_up_on: dt.date | None
) -> dict[str, str]:
    """Field → message for a talk that breaks a rule (empty when it holds)."""
    errors: dict[str, str] = {}
    if person is not None and talker is not None and person.pk == talker.pk:
        errors["person"] = gettext("A person cannot record a talk with themselves.")
    if date is not None and follow_up_on is not None and follow_up_on < date:
        errors["follow_up_on"] = gettext(
            "The follow-up date cannot be before the date of the talk (%(date)s)."
        ) % {"date": f"{date:%Y-%m-%d}"}
    if date is not None and date > timezone.localdate():
        errors["date"] = gettext("A talk cannot be recorded before it took place.")
    return errors


def follow_up_errors(talk: Talk, followed_up_on: dt.date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if followed_up_on is None:
        return errors
    if followed_up_on < talk.date:
        errors["followed_up_on"] = gettext(
            "The follow-up cannot be before the date of the talk (%(date)s)."
        ) % {"date": f"{talk.date:%Y-%m-%d}"}
    elif followed_up_on > timezone.localdate():
        errors["followed_up_on"] = gettext("The follow-up cannot be in the future.")
    return errors


# --- forms --------------------------------------------------------------------------------------


class TalkForm(StyledFormMixin, VersionedModelForm):
    """A talk record. The unit is the recorder's own; the talker is the recorder, except that the
    director may record a talk another person of the unit held. Linked tasks and problems are limited
    to those the recorder sees (the view scopes every choice)."""

    class Meta:
        model = Talk
        fields = [
            "kind",
            "date",
            "person",
            "talker",
            "reason",
            "tasks",
            "problems",
            "commitments",
            "follow_up_on",
        ]
        widgets = {
            "date": forms.DateInput(),
            "follow_up_on": forms.DateInput(),
            "reason": forms.Textarea(attrs={"rows": 4}),
            "commitments": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.SelectMultiple(attrs={"size": 6}),
            "problems": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = scope_for(user)
        unit_id = self.instance.unit_id or scope.own_unit_id
        people = unit_people(unit_id)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = _person_label
        if may_record_for_others(user):
            self.fields["talker"].queryset = people
            self.fields["talker"].label_from_instance = _person_label
            if not self.initial.get("talker") and scope.person_id:
                self.initial["talker"] = scope.person_id
        else:
            # Recorded by whoever talked: the field is not offered (nor accepted if posted).
            del self.fields["talker"]
        self.fields["tasks"].queryset = (
            self.fields["tasks"]
            .queryset.filter(unit_id=unit_id, archived_at__isnull=True)
            .order_by("-year", "-seq")
        )
        self.fields["problems"].queryset = (
            self.fields["problems"]
            .queryset.filter(unit_id=unit_id, archived_at__isnull=True)
            .order_by("-raised_on", "-id")
        )
        self.fields["tasks"].required = False
        self.fields["problems"].required = False
        self.fields["follow_up_on"].help_text = _(
            "On this date (or the next working day if it is a day off) whoever talked is reminded."
        )
        if not self.initial.get("date"):
            self.initial["date"] = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        talker = cleaned.get("talker") if "talker" in self.fields else self.instance_talker()
        for field, message in talk_errors(
            person=cleaned.get("person"),
            talker=talker,
            date=cleaned.get("date"),
            follow_up_on=cleaned.get("follow_up_on"),
        ).items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def instance_talker(self):
        if self.instance.talker_id:
            return self.instance.talker
        scope = scope_for(self.user)
        return Person(pk=scope.person_id) if scope.person_id else None


def _person_label(person: Person) -> str:
    section = getattr(person, "section", None)
    return f"{person.name}（{section.name}）" if section else person.name


class TalkFollowUpForm(StyledFormMixin, VersionedModelForm):
    """记录跟进结果: what came of the talk, and when it was followed up."""

    class Meta:
        model = Talk
        fields = ["follow_up_result", "followed_up_on"]
        widgets = {
            "follow_up_result": forms.Textarea(attrs={"rows": 3}),
            "followed_up_on": forms.DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_result"].required = True
        self.fields["followed_up_on"].required = True
        if not self.initial.get("followed_up_on"):
            self.initial["followed_up_on"] = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        for field, message in follow_up_errors(
            self.instance, cleaned.get("followed_up_on")
        ).items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


# --- the filter (list, export, API) -------------------------------------------------------------


def follow_up_filter(queryset, state: str, today: dt.date | None = None):
    today = today or timezone.localdate()
    if state == FollowUpState.DUE:
        return queryset.filter(follow_up_on__lte=today, followed_up_on__isnull=True)
    if state == FollowUpState.PENDING:
        return queryset.filter(follow_up_on__isnull=False, followed_up_on__isnull=True)
    if state == FollowUpState.DONE:
        return queryset.filter(followed_up_on__isnull=False)
    if state == FollowUpState.NONE:
        return queryset.filter(follow_up_on__isnull=True, followed_up_on__isnull=True)
    return queryset


class TalkFilterSet(ScopedFilterSet):
    """Filters over the rows the user may see. The search runs inside them: it never finds a talk the
    user may not open. Archived records are left out unless asked for."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=TalkKind.choices, empty_label=_("All")
    )
    person = django_filters.ModelChoiceFilter(
        label=_("Person talked to"), queryset=Person.objects.none(), empty_label=_("All")
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=forms.DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="date", lookup_expr="lte", widget=forms.DateInput()
    )
    follow_up = django_filters.ChoiceFilter(
        label=_("Follow-up"),
        choices=FollowUpState.choices,
        method="filter_follow_up",
        empty_label=_("All"),
    )
    archived = django_filters.BooleanFilter(
        label=_("Include archived records"),
        method="filter_archived",
        widget=forms.CheckboxInput(),
    )

    class Meta:
        model = Talk
        fields = ["q", "kind", "person", "date_from", "date_to", "follow_up", "archived"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        # The people offered are those of the talks the user sees, nobody else (the auditor too).
        visible = Talk.objects.visible_to(user) if user is not None else Talk.objects.none()
        self.filters["person"].queryset = Person.objects.filter(
            pk__in=visible.values("person")
        ).order_by("name")

    @property
    def qs(self):
        queryset = super().qs
        if self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("archived"):
            return queryset
        return queryset.filter(archived_at__isnull=True)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(person__name__icontains=value)
            | Q(talker__name__icontains=value)
            | Q(reason__icontains=value)
            | Q(commitments__icontains=value)
            | Q(follow_up_result__icontains=value)
        )

    def filter_follow_up(self, queryset, name, value):
        return follow_up_filter(queryset, value)

    def filter_archived(self, queryset, name, value):
        return queryset  # applied in `qs`, so that an unticked box (or no filter) hides them
