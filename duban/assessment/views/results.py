"""公布结果: entering the assessor's announced totals and ranks, and the ranking over the periods."""

from __future__ import annotations

from collections import Counter, defaultdict

from django import forms
from django.contrib import messages
from django.core.validators import MaxValueValidator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from duban.assessment import results
from duban.assessment.models import (
    Indicator,
    Period,
    PublishedIndicatorScore,
    PublishedResult,
    Scheme,
)
from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.core.forms import StyledFormMixin
from duban.core.views import PermissionRequiredMixin
from duban.org.scoping import scope_for


class _RankedRowForm(StyledFormMixin, forms.Form):
    """A line with a hidden key, the version the editor saw, a number and a rank up to the units."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    rank = forms.IntegerField(label=gettext_lazy("Rank"), min_value=1, required=False)

    def __init__(self, *args, max_rank: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["rank"]
        field.max_value = max_rank
        field.validators.append(MaxValueValidator(max_rank))
        field.widget.attrs.update(
            {"max": max_rank, "class": f"{field.widget.attrs['class']} w-auto"}
        )


class ResultRowForm(_RankedRowForm):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    total = forms.DecimalField(
        label=gettext_lazy("Total score"),
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("total") is None
            and cleaned.get("rank") is not None
            and "total" not in self.errors
        ):
            self.add_error("total", _("Enter the total with the rank."))
        return cleaned


class IndicatorScoreForm(_RankedRowForm):
    indicator = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.DecimalField(
        label=gettext_lazy("Score"), max_digits=8, decimal_places=2, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("score") is None
            and cleaned.get("rank") is not None
            and "score" not in self.errors
        ):
            self.add_error("score", _("Enter the score with the rank."))
        return cleaned


class _KeyedFormSet(forms.BaseFormSet):
    """One form per known row (unit or indicator) in a fixed order, which the POST must keep."""

    key = ""

    def __init__(self, *args, keys: list[int], **kwargs):
        self.keys = keys
        super().__init__(*args, **kwargs)

    def clean(self):
        # The hidden key of a line is valid even when the line's numbers are not.
        posted = [form.cleaned_data.get(self.key) for form in self.forms]
        if posted != self.keys:
            raise forms.ValidationError(_("The list changed since the page was opened; reload it."))


class _ResultFormSet(_KeyedFormSet):
    key = "unit"

    def __init__(
        self, *args, names: dict[int, str], existing: dict[int, PublishedResult], **kwargs
    ):
        self.names = names
        self.existing = existing
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        # Ranks are compared over the lines that are otherwise valid, so a duplicate shows at once
        # with the other mistakes rather than after they are fixed.
        lines = [(form, _result_input(form)) for form in self.forms if not form.errors]
        ranks = results.effective_ranks([row for _form, row in lines], self.existing)
        holders = Counter(ranks.values())
        for form, row in lines:
            if row.total is None or row.rank is None or holders[row.rank] < 2:
                continue
            others = [self.names[u] for u, r in ranks.items() if r == row.rank and u != row.unit_id]
            form.add_error(
                "rank",
                _("Rank %(r)d is also held by %(u)s.") % {"r": row.rank, "u": "、".join(others)},
            )


class _IndicatorScoreFormSet(_KeyedFormSet):
    key = "indicator"


# Hundreds of units or indicators at most; the limits only stop a forged management form.
_LIMITS = {"extra": 0, "max_num": 5000, "absolute_max": 5000}
ResultFormSet = forms.formset_factory(ResultRowForm, formset=_ResultFormSet, **_LIMITS)
IndicatorScoreFormSet = forms.formset_factory(
    IndicatorScoreForm, formset=_IndicatorScoreFormSet, **_LIMITS
)


def _result_input(form) -> results.ResultInput:
    data = form.cleaned_data
    return results.ResultInput(
        data["unit"], data.get("total"), data.get("rank"), data.get("version")
    )


def _score_input(form) -> results.IndicatorScoreInput:
    data = form.cleaned_data
    return results.IndicatorScoreInput(
        data["indicator"], data.get("score"), data.get("rank"), data.get("version")
    )


class ResultsEditView(PermissionRequiredMixin, View):
    """The assessor's notice for one period: every unit's total and rank, then our indicators."""

    permission = "assessment.add_publishedresult"
    template_name = "assessment/results/results_edit.html"

    def load(self, pk: int, period_code: str) -> None:
        user = self.request.user
        self.scheme = get_object_or_404(
            Scheme.objects.visible_to(user).filter(archived_at__isnull=True), pk=pk
        )
        self.periods = list(Period.objects.filter(scheme=self.scheme).order_by("end"))
        self.period = next((p for p in self.periods if p.code == period_code), None)
        if self.period is None:
            raise Http404(_("No such period."))
        self.units = list(self.scheme.units.order_by("path", "id"))
        self.existing = {r.unit_id: r for r in PublishedResult.objects.filter(period=self.period)}
        self.own_unit_id = scope_for(user).own_unit_id
        self.own_assessed = any(u.pk == self.own_unit_id for u in self.units)
        self.leaves = (
            list(
                Indicator.objects.filter(scheme=self.scheme, archived_at__isnull=True)
                .exclude(method="")
                .select_related("parent")
                .order_by("sort_order", "code")
            )
            if self.own_assessed
            else []
        )
        own = self.existing.get(self.own_unit_id)
        self.scores = (
            {s.indicator_id: s for s in PublishedIndicatorScore.objects.filter(result=own)}
            if own
            else {}
        )

    def formsets(self, data=None):
        max_rank = max(len(self.units), 1)
        unit_rows = ResultFormSet(
            data,
            prefix="units",
            keys=[u.pk for u in self.units],
            names={u.pk: str(u) for u in self.units},
            existing=self.existing,
            initial=[_initial(u.pk, "unit", self.existing.get(u.pk), "total") for u in self.units],
            form_kwargs={"max_rank": max_rank},
        )
        score_rows = IndicatorScoreFormSet(
            data,
            prefix="scores",
            keys=[i.pk for i in self.leaves],
            initial=[
                _initial(i.pk, "indicator", self.scores.get(i.pk), "score") for i in self.leaves
            ],
            form_kwargs={"max_rank": max_rank},
        )
        return unit_rows, score_rows

    def render(self, unit_rows, score_rows, status=200):
        context = {
            "title": _("Published results: %(p)s") % {"p": self.period.name},
            "scheme": self.scheme,
            "period": self.period,
            "periods": self.periods,
            "unit_rows": unit_rows,
            "score_rows": score_rows,
            "unit_lines": [
                {
                    "unit": u,
                    "form": f,
                    "saved": self.existing.get(u.pk),
                    "own": u.pk == self.own_unit_id,
                }
                for u, f in zip(self.units, unit_rows.forms, strict=False)
            ],
            "score_lines": [
                {"indicator": i, "form": f, "saved": self.scores.get(i.pk)}
                for i, f in zip(self.leaves, score_rows.forms, strict=False)
            ],
            "own_assessed": self.own_assessed,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk: int, period_code: str):
        self.load(pk, period_code)
        return self.render(*self.formsets())

    def post(self, request, pk: int, period_code: str):
        self.load(pk, period_code)
        unit_rows, score_rows = self.formsets(request.POST)
        if not (unit_rows.is_valid() and score_rows.is_valid()):
            return self.render(unit_rows, score_rows, status=400)
        rows = [_result_input(f) for f in unit_rows.forms]
        score_inputs = [_score_input(f) for f in score_rows.forms]
        own_form = next(
            (
                f
                for f, u in zip(unit_rows.forms, self.units, strict=True)
                if u.pk == self.own_unit_id
            ),
            None,
        )
        if (
            own_form is not None
            and any(s.score is not None for s in score_inputs)
            and own_form.cleaned_data.get("total") is None
            and self.own_unit_id not in self.existing
        ):
            own_form.add_error("total", _("Enter our total to save the scores of the indicators."))
            return self.render(unit_rows, score_rows, status=400)
        try:
            summary = results.save_results(
                self.scheme, self.period, rows, score_inputs, request.user
            )
        except StaleEditError as error:
            unit_rows._non_form_errors.append(str(error.message))
            return self.render(unit_rows, score_rows, status=409)
        except BusinessRuleError as error:
            unit_rows._non_form_errors.append(error.message)
            return self.render(unit_rows, score_rows, status=400)
        messages.success(
            request,
            _(
                "Saved: %(c)d new and %(u)d changed results, %(s)d new and %(t)d changed indicator scores."
            )
            % {
                "c": summary.created,
                "u": summary.updated,
                "s": summary.scores_created,
                "t": summary.scores_updated,
            },
        )
        if summary.kept or summary.scores_kept:
            messages.info(
                request,
                _(
                    "%(n)d line(s) saved before were left blank and kept as they were: a published "
                    "result is never deleted. Type the corrected values to change them."
                )
                % {"n": summary.kept + summary.scores_kept},
            )
        return redirect(reverse("assessment:results_edit", args=[self.scheme.pk, self.period.code]))


def _initial(pk: int, key: str, saved, value_field: str) -> dict:
    initial = {key: pk}
    if saved is not None:
        initial.update(
            {value_field: getattr(saved, value_field), "rank": saved.rank, "version": saved.version}
        )
    return initial


class RankingView(PermissionRequiredMixin, View):
    """Every period's published table of units by rank, ours highlighted, and our rank over time."""

    permission = "assessment.view_publishedresult"
    template_name = "assessment/results/ranking.html"

    def get(self, request, pk: int):
        user = request.user
        scheme = get_object_or_404(
            Scheme.objects.visible_to(user).select_related("assessor"), pk=pk
        )
        own_unit_id = scope_for(user).own_unit_id
        periods = list(Period.objects.filter(scheme=scheme).order_by("end"))
        unit_count = scheme.units.count()
        by_period = defaultdict(list)
        for result in (
            PublishedResult.objects.visible_to(user).filter(scheme=scheme).select_related("unit")
        ):
            by_period[result.period_id].append(result)
        scores = defaultdict(list)
        for score in (
            PublishedIndicatorScore.objects.filter(
                result__scheme=scheme, result__unit_id=own_unit_id
            )
            .select_related("indicator", "result")
            .order_by("indicator__sort_order", "indicator__code")
        ):
            scores[score.result.period_id].append(score)
        tables = []
        for period in periods:
            rows = sorted(
                by_period.get(period.id, []),
                key=lambda r: (r.rank is None, r.rank or 0, -r.total, str(r.unit)),
            )
            if not rows:
                continue
            own = next((r for r in rows if r.unit_id == own_unit_id), None)
            tables.append(
                {"period": period, "rows": rows, "own": own, "scores": scores.get(period.id, [])}
            )
        ranks = [t["own"].rank if t["own"] else None for t in tables]
        chart = {
            "periods": [t["period"].name for t in tables],
            "ranks": ranks,
            "units": max([unit_count, 1, *[r for r in ranks if r]]),
            "name": _("Rank"),
            "label": _("No. {value}"),
        }
        context = {
            "title": _("Ranking: %(s)s") % {"s": scheme.name},
            "scheme": scheme,
            "tables": tables,
            "own_unit_id": own_unit_id,
            "unit_count": unit_count,
            "chart": chart,
            "has_rank": any(ranks),
            "missing": [p for p in periods if p.id not in by_period],
        }
        return render(request, self.template_name, context)


urlpatterns = [
    path(
        "schemes/<int:pk>/results/<str:period_code>/",
        ResultsEditView.as_view(),
        name="results_edit",
    ),
    path("schemes/<int:pk>/ranking/", RankingView.as_view(), name="ranking"),
]
