"""Indicator pages: the rule, the people, reports over time, evidence, explanations, 评分试算."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from duban.assessment import scoreboard
from duban.assessment.choices import Method
from duban.assessment.filtersets import IndicatorFilterSet
from duban.assessment.forms import IndicatorForm, ScorePreviewForm
from duban.assessment.models import (
    DeductionExplanation,
    Indicator,
    Report,
    RequiredMaterial,
)
from duban.assessment.tables import IndicatorTable
from duban.assessment.views.schemes import current_period
from duban.core.views import (
    ObjectCreateView,
    ObjectListView,
    ObjectUpdateView,
    PermissionRequiredMixin,
)
from duban.evidence.models import Document
from duban.lib import scoring
from duban.org.scoping import scope_for


class IndicatorListView(ObjectListView):
    permission = "assessment.view_indicator"
    queryset = Indicator.objects.leaves()
    table_class = IndicatorTable
    filterset_class = IndicatorFilterSet
    title = gettext_lazy("Indicators")


class MyIndicatorListView(IndicatorListView):
    """我的指标: what the user reports on, and what they confirm as the responsible leader."""

    title = gettext_lazy("My indicators")
    permission = "assessment.add_report"

    def get_queryset(self):
        user = self.request.user
        mine = Indicator.objects.reportable_by(user) | Indicator.objects.confirmable_by(user)
        return mine.leaves().filter(archived_at__isnull=True).for_list()


class IndicatorCreateView(ObjectCreateView):
    permission = "assessment.add_indicator"
    queryset = Indicator.objects.all()
    form_class = IndicatorForm
    template_name = "assessment/indicator_form.html"

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("scheme"):
            initial["scheme"] = self.request.GET["scheme"]
        return initial


class IndicatorUpdateView(ObjectUpdateView):
    permission = "assessment.change_indicator"
    queryset = Indicator.objects.all()
    form_class = IndicatorForm
    template_name = "assessment/indicator_form.html"


class IndicatorDetailView(PermissionRequiredMixin, View):
    permission = "assessment.view_indicator"

    def get(self, request, pk: int):
        indicator = get_object_or_404(Indicator.objects.visible_to(request.user).for_list(), pk=pk)
        scheme = indicator.scheme
        unit_id = scope_for(request.user).own_unit_id
        period = current_period(scheme, request.GET.get("period"), unit_id)
        board = scoreboard.build(scheme, period, unit_id)
        row = next(r for r in board.rows if r.indicator.pk == indicator.pk)
        reports = {
            r.period_id: r
            for r in Report.objects.filter(indicator=indicator, unit_id=unit_id).select_related(
                "period", "submitted_by", "confirmed_by"
            )
        }
        timeline = []
        for p in board.periods:
            report = reports.get(p.id)
            score = None
            if report is not None and report.counts and not indicator.is_category:
                try:
                    score = scoreboard._score(indicator, report, report.actual, p.end).score
                except scoring.ScoringError:
                    score = None
            timeline.append({"period": p, "report": report, "score": score})
        materials = list(
            RequiredMaterial.objects.filter(indicator=indicator).prefetch_related(
                Prefetch(
                    "documents",
                    queryset=Document.objects.visible_to(request.user).filter(
                        unit_id=unit_id, archived_at__isnull=True
                    ),
                )
            )
        )
        context = {
            "title": str(indicator),
            "indicator": indicator,
            "scheme": scheme,
            "period": period,
            "row": row,
            "timeline": timeline,
            "materials": materials,
            "documents": Document.objects.visible_to(request.user).filter(archived_at__isnull=True)
            if _can_report(request.user, indicator)
            else None,
            "explanations": DeductionExplanation.objects.visible_to(request.user)
            .filter(indicator=indicator)
            .select_related("period"),
            "can_report": _can_report(request.user, indicator),
            "method_label": scoring.METHODS.get(indicator.method, _("Category: sum of its items")),
            "params": [
                (
                    spec.label,
                    _param_display(
                        spec.name, (indicator.params or {}).get(spec.name, spec.default)
                    ),
                )
                for spec in scoring.PARAMS.get(indicator.method, [])
            ],
            "preview_form": ScorePreviewForm(),
            "chart": {
                "periods": [t["period"].name for t in timeline],
                "actual": [
                    float(t["report"].actual)
                    if t["report"] and t["report"].actual is not None
                    else None
                    for t in timeline
                ],
                "score": [float(t["score"]) if t["score"] is not None else None for t in timeline],
                "target": float(indicator.target) if indicator.target is not None else None,
            },
        }
        return render(request, "assessment/indicator_detail.html", context)


def _param_display(name: str, value):
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return scoring.PARAM_CHOICES.get(name, {}).get(value, value)


def _can_report(user, indicator) -> bool:
    return Indicator.objects.reportable_by(user).filter(pk=indicator.pk).exists()


class ScorePreviewView(PermissionRequiredMixin, View):
    """评分试算 on the indicator page: the indicator's method with the value the leader types."""

    permission = "assessment.view_indicator"

    def post(self, request, pk: int):
        indicator = get_object_or_404(Indicator.objects.visible_to(request.user).leaves(), pk=pk)
        form = ScorePreviewForm(request.POST)
        result = error = None
        if form.is_valid():
            extras = _preview_extras(
                indicator, form.cleaned_data, scope_for(request.user).own_unit_id
            )
            try:
                result = scoring.score(
                    indicator.method,
                    indicator.points,
                    indicator.params or {},
                    indicator.target,
                    indicator.direction,
                    extras,
                    form.cleaned_data.get("actual"),
                )
            except scoring.ScoringError as failure:
                error = "；".join(failure.errors.values())
        return render(
            request,
            "assessment/partials/preview_result.html",
            {"form": form, "result": result, "error": error, "indicator": indicator},
        )


def _preview_extras(indicator: Indicator, data: dict, unit_id: int | None) -> dict:
    """The unit's own latest inputs (peers, milestones) with the value the leader typed on top."""
    latest = (
        Report.objects.filter(indicator=indicator, unit_id=unit_id)
        .exclude(extras={})
        .order_by("-period__end")
        .first()
    )
    extras = dict(latest.extras) if latest and isinstance(latest.extras, dict) else {}
    if data.get("events") is not None:
        extras["events"] = data["events"]
    if indicator.method == Method.MILESTONE_DEDUCTION:
        milestones = []
        for m in extras.get("milestones", []):
            try:
                milestones.append(
                    {
                        "due": dt.date.fromisoformat(m["due"]),
                        "done": dt.date.fromisoformat(m["done"]) if m.get("done") else None,
                    }
                )
            except (KeyError, TypeError, ValueError):
                continue
        extras["milestones"] = milestones
        extras["as_of"] = max((m["due"] for m in milestones), default=dt.date.today())
    if indicator.method == Method.BONUS_CAPPED and data.get("actual") is not None:
        extras["items"] = [str(data["actual"])]
    if indicator.method == Method.VETO:
        extras["triggered"] = bool(data.get("actual"))
    extras.setdefault("peers", [])
    return extras


class MaterialLinkView(PermissionRequiredMixin, View):
    """Let an uploaded document serve a required material (uploaded once, used everywhere)."""

    permission = "evidence.change_document"

    def post(self, request, pk: int):
        material = get_object_or_404(
            RequiredMaterial.objects.select_related("indicator"),
            pk=pk,
            indicator__in=Indicator.objects.reportable_by(request.user),
        )
        document = get_object_or_404(
            Document.objects.visible_to(request.user), pk=request.POST.get("document") or 0
        )
        if request.POST.get("action") == "unlink":
            material.documents.remove(document)
            messages.success(
                request, _("The document no longer serves “%(m)s”.") % {"m": material.name}
            )
        else:
            material.documents.add(document)
            messages.success(
                request,
                _("“%(d)s” now serves “%(m)s”.") % {"d": document.title, "m": material.name},
            )
        return redirect(material.indicator)


urlpatterns = [
    path("indicators/", IndicatorListView.as_view(), name="indicator_list"),
    path("mine/", MyIndicatorListView.as_view(), name="my_indicators"),
    path("indicators/add/", IndicatorCreateView.as_view(), name="indicator_add"),
    path("indicators/<int:pk>/", IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/<int:pk>/edit/", IndicatorUpdateView.as_view(), name="indicator_edit"),
    path("indicators/<int:pk>/preview/", ScorePreviewView.as_view(), name="indicator_preview"),
    path("materials/<int:pk>/link/", MaterialLinkView.as_view(), name="material_link"),
]
