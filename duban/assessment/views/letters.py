"""Responsibility letters (目标责任书): a section's indicators and key tasks for the year, issued by the
supervision office, signed by the director and the leader in charge, printed for signing; the detail
page rolls the indicators' scores up into the letter's progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from duban.assessment import documents, scoreboard
from duban.assessment.choices import LetterStatus
from duban.assessment.filtersets import LetterFilterSet
from duban.assessment.forms_explanations import LetterForm
from duban.assessment.models import Indicator, Period, ResponsibilityLetter
from duban.assessment.tables import LetterTable
from duban.assessment.views.explanations import DOCX
from duban.core.params import int_param
from duban.core.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    PermissionRequiredMixin,
)

ZERO = Decimal(0)


class LetterListView(ObjectListView):
    permission = "assessment.view_responsibilityletter"
    queryset = ResponsibilityLetter.objects.all()
    table_class = LetterTable
    filterset_class = LetterFilterSet
    title = gettext_lazy("Responsibility letters")
    add_url_name = "assessment:letter_add"
    add_permission = "assessment.add_responsibilityletter"


class LetterFormMixin:
    """Invalid forms answer 400, a stale edit 409, with what was typed kept on the page."""

    form_class = LetterForm
    queryset = ResponsibilityLetter.objects.all()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 409 if form.has_error(NON_FIELD_ERRORS, "stale") else 400
        return response


class LetterCreateView(LetterFormMixin, ObjectCreateView):
    permission = "assessment.add_responsibilityletter"

    def get_initial(self):
        """?scheme=&section= (e.g. from a section's page) preselect the letter's scheme and section."""
        initial = super().get_initial()
        for name in ("scheme", "section"):
            value = self.request.GET.get(name, "")
            if int_param(value) is not None:
                initial[name] = int_param(value)
        return initial


class LetterUpdateView(LetterFormMixin, ObjectUpdateView):
    permission = "assessment.change_responsibilityletter"


@dataclass
class LetterLine:
    """One indicator of a letter with its score now and projected for the period shown."""

    indicator: Indicator
    score: Decimal | None
    projected: Decimal | None
    lagging: bool


@dataclass
class Progress:
    period: Period | None
    periods: list[Period]
    lines: list[LetterLine]
    points: Decimal = ZERO
    score: Decimal = ZERO
    projected: Decimal = ZERO

    @property
    def percent(self) -> int | None:
        """The projected share of the letter's points: how the section's year is going."""
        if not self.points:
            return None
        return round(self.projected * 100 / self.points)


def choose_period(periods: list[Period], code: str | None, today: dt.date) -> Period | None:
    """The period asked for, else the latest one ended by today, else the first."""
    if not periods:
        return None
    if code:
        for period in periods:
            if period.code == code:
                return period
        raise Http404(_("No such period."))
    ended = [p for p in periods if p.end <= today]
    return ended[-1] if ended else periods[0]


def letter_progress(letter: ResponsibilityLetter, code: str | None = None) -> Progress:
    periods = list(letter.scheme.periods.order_by("end"))
    period = choose_period(periods, code, timezone.localdate())
    indicators = list(letter.indicators.all())
    rows = {}
    if period is not None:
        board = scoreboard.build(letter.scheme, period, letter.section.unit_id)
        rows = {row.indicator.pk: row for row in board.rows}
    progress = Progress(period=period, periods=periods, lines=[])
    for indicator in indicators:
        row = rows.get(indicator.pk)
        line = LetterLine(
            indicator=indicator,
            score=row.score if row else None,
            projected=row.projected if row else None,
            lagging=bool(row and row.lagging),
        )
        progress.lines.append(line)
        if not indicator.is_bonus:
            progress.points += indicator.points
        progress.score += line.score or ZERO
        progress.projected += line.projected or ZERO
    return progress


class LetterDetailView(ObjectDetailView):
    permission = "assessment.view_responsibilityletter"
    queryset = ResponsibilityLetter.objects.all()
    template_name = "assessment/letters/letter_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("section__unit")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letter = self.object
        context["title"] = documents.letter_title(letter)
        context["progress"] = letter_progress(letter, self.request.GET.get("period"))
        context["tasks"] = letter.task_lines()
        context["signed"] = letter.status == LetterStatus.SIGNED
        return context


class LetterDocxView(PermissionRequiredMixin, View):
    permission = "assessment.view_responsibilityletter"

    def get(self, request, pk):
        letter = get_object_or_404(
            ResponsibilityLetter.objects.visible_to(request.user)
            .for_list()
            .select_related("section__unit"),
            pk=pk,
        )
        response = HttpResponse(documents.letter_docx(letter), content_type=DOCX)
        filename = documents.safe_filename(documents.letter_title(letter)) + ".docx"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["Cache-Control"] = "private, no-store"
        return response


urlpatterns = [
    path("letters/", LetterListView.as_view(), name="letter_list"),
    path("letters/add/", LetterCreateView.as_view(), name="letter_add"),
    path("letters/<int:pk>/", LetterDetailView.as_view(), name="letter_detail"),
    path("letters/<int:pk>/edit/", LetterUpdateView.as_view(), name="letter_edit"),
    path("letters/<int:pk>/docx/", LetterDocxView.as_view(), name="letter_docx"),
]
