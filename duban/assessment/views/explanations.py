"""Deduction explanations (扣分说明): written by the indicator's lead section while a draft, approved
by the responsible leader or the director, marked submitted by the supervision office, and printed
as an official document for the assessor."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from duban.assessment import documents, scoreboard, services
from duban.assessment.choices import ExplanationStatus
from duban.assessment.filtersets import ExplanationFilterSet
from duban.assessment.forms_explanations import ExplanationForm
from duban.assessment.models import DeductionExplanation, Indicator, Period, Report
from duban.assessment.tables import ExplanationTable
from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.core.params import int_param
from duban.core.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    PermissionRequiredMixin,
)
from duban.org.scoping import scope_for

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATUS_BADGE = {
    ExplanationStatus.DRAFT: "bg-secondary-lt",
    ExplanationStatus.APPROVED: "bg-blue-lt",
    ExplanationStatus.SUBMITTED: "bg-green-lt",
}


class ExplanationListView(ObjectListView):
    permission = "assessment.view_deductionexplanation"
    queryset = DeductionExplanation.objects.all()
    table_class = ExplanationTable
    filterset_class = ExplanationFilterSet
    title = gettext_lazy("Deduction explanations")
    add_url_name = "assessment:explanation_add"
    add_permission = "assessment.add_deductionexplanation"


class ExplanationDetailView(ObjectDetailView):
    permission = "assessment.view_deductionexplanation"
    queryset = DeductionExplanation.objects.all()
    template_name = "assessment/explanations/explanation_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("indicator__scheme__assessor", "indicator__responsible_leader")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        explanation, user = self.object, self.request.user
        draft = explanation.status == ExplanationStatus.DRAFT
        indicator = explanation.indicator
        report = Report.objects.filter(
            indicator=explanation.indicator_id,
            period=explanation.period_id,
            unit=explanation.unit_id,
        ).first()
        context.update(
            {
                "title": str(explanation),
                "status_badge": STATUS_BADGE.get(explanation.status, ""),
                "report": report,
                # Numbers as people write them (95.5, not 95.5000), as in the Word file.
                "figures": {
                    "points": documents.number(indicator.points),
                    "target": documents.number(indicator.target),
                    "actual": documents.number(report.actual) if report else None,
                    "deduction": documents.number(explanation.expected_deduction),
                },
                "can_edit": draft
                and user.has_perm("assessment.change_deductionexplanation")
                and _in(DeductionExplanation.objects.editable_by(user), explanation),
                "can_approve": draft
                and user.has_perm("assessment.approve_deductionexplanation")
                and _in(DeductionExplanation.objects.confirmable_by(user), explanation),
                "can_submit": explanation.status == ExplanationStatus.APPROVED
                and user.has_perm("assessment.submit_deductionexplanation"),
            }
        )
        return context


def _in(queryset, obj) -> bool:
    return queryset.filter(pk=obj.pk).exists()


class ExplanationFormMixin:
    """Invalid forms answer 400, a stale edit 409, with what was typed kept on the page."""

    form_class = ExplanationForm
    queryset = DeductionExplanation.objects.all()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_invalid(self, form):
        response = super().form_invalid(form)
        stale = form.has_error(NON_FIELD_ERRORS, "stale")
        response.status_code = 409 if stale else 400
        return response


class ExplanationCreateView(ExplanationFormMixin, ObjectCreateView):
    """A new draft for the user's own unit; the indicator must be one the user reports on."""

    permission = "assessment.add_deductionexplanation"
    success_message = gettext_lazy("Explanation saved as a draft.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        unit_id = scope_for(self.request.user).own_unit_id
        if unit_id is None:
            raise Http404
        kwargs["instance"] = DeductionExplanation(unit_id=unit_id)
        return kwargs

    def get_initial(self):
        """?indicator=&period= (from an indicator or the scoreboard) fill in the points at risk."""
        initial = super().get_initial()
        user = self.request.user
        indicator = _lookup(
            Indicator.objects.reportable_by(user).leaves().select_related("scheme"),
            self.request.GET.get("indicator"),
        )
        if indicator is None:
            return initial
        initial["indicator"] = indicator.pk
        raw = self.request.GET.get("period", "")
        periods = Period.objects.filter(scheme=indicator.scheme_id)
        period = _lookup(periods, raw) or periods.filter(code=raw).first()
        if period is not None:
            initial["period"] = period.pk
            board = scoreboard.build(indicator.scheme, period, scope_for(user).own_unit_id)
            row = next((r for r in board.rows if r.indicator.pk == indicator.pk), None)
            if row is not None and row.at_risk > 0:
                initial["expected_deduction"] = row.at_risk.quantize(Decimal("0.01"))
        return initial


def _lookup(queryset, raw: str | None):
    if int_param(raw) is None:
        return None
    return queryset.filter(pk=int_param(raw)).first()


class ExplanationUpdateView(ExplanationFormMixin, ObjectUpdateView):
    """Only a draft is edited; once approved the text is what the leader approved."""

    permission = "assessment.change_deductionexplanation"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission):
            explanation = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
            if explanation.status != ExplanationStatus.DRAFT:
                messages.error(request, _("Only a draft explanation can be edited."))
                return redirect(explanation)
        return super().dispatch(request, *args, **kwargs)


class VersionForm(forms.Form):
    version = forms.IntegerField()


class ExplanationStepView(PermissionRequiredMixin, View):
    """POST-only step of the workflow, checked against the version the user saw."""

    step = None  # staticmethod(the service function)
    done_message = ""

    def get_queryset(self):
        return DeductionExplanation.objects.visible_to(self.request.user)

    def post(self, request, pk):
        explanation = get_object_or_404(self.get_queryset(), pk=pk)
        form = VersionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The form is missing its version; reload the page."))
            return redirect(explanation)
        try:
            self.step(explanation, request.user, form.cleaned_data["version"])
        except (StaleEditError, BusinessRuleError) as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, self.done_message)
        return redirect(explanation)


class ExplanationApproveView(ExplanationStepView):
    """The responsible leader of the indicator (or the director) approves a draft."""

    permission = "assessment.approve_deductionexplanation"
    step = staticmethod(services.approve_explanation)
    done_message = gettext_lazy("Approved. The supervision office can now submit it.")

    def get_queryset(self):
        return DeductionExplanation.objects.confirmable_by(self.request.user)


class ExplanationSubmitView(ExplanationStepView):
    """The supervision office records that the approved explanation went to the assessor."""

    permission = "assessment.submit_deductionexplanation"
    step = staticmethod(services.submit_explanation)
    done_message = gettext_lazy("Marked as submitted to the assessor.")


class ExplanationDocxView(PermissionRequiredMixin, View):
    permission = "assessment.view_deductionexplanation"

    def get(self, request, pk):
        explanation = get_object_or_404(
            DeductionExplanation.objects.visible_to(request.user).select_related(
                "indicator__scheme__assessor", "indicator__lead_section", "period", "unit"
            ),
            pk=pk,
        )
        response = HttpResponse(documents.explanation_docx(explanation), content_type=DOCX)
        filename = documents.safe_filename(documents.explanation_title(explanation)) + ".docx"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["Cache-Control"] = "private, no-store"
        return response


urlpatterns = [
    path("explanations/", ExplanationListView.as_view(), name="explanation_list"),
    path("explanations/add/", ExplanationCreateView.as_view(), name="explanation_add"),
    path("explanations/<int:pk>/", ExplanationDetailView.as_view(), name="explanation_detail"),
    path("explanations/<int:pk>/edit/", ExplanationUpdateView.as_view(), name="explanation_edit"),
    path(
        "explanations/<int:pk>/approve/",
        ExplanationApproveView.as_view(),
        name="explanation_approve",
    ),
    path(
        "explanations/<int:pk>/submit/", ExplanationSubmitView.as_view(), name="explanation_submit"
    ),
    path("explanations/<int:pk>/docx/", ExplanationDocxView.as_view(), name="explanation_docx"),
]
