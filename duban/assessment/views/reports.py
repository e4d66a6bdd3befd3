"""Reports (填报): the section fills in a period's value, submits it; the responsible leader confirms
or returns it with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from duban.assessment import services
from duban.assessment.choices import ReportStatus
from duban.assessment.filtersets import ReportFilterSet
from duban.assessment.forms import ReportForm, ReturnForm
from duban.assessment.models import Indicator, Period, Report
from duban.assessment.tables import ReportTable
from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.core.views import ObjectListView, PermissionRequiredMixin, scope_choices
from duban.org.scoping import scope_for

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportListView(ObjectListView):
    permission = "assessment.view_report"
    queryset = Report.objects.all()
    table_class = ReportTable
    filterset_class = ReportFilterSet
    title = gettext_lazy("Reports")


class ReportView(PermissionRequiredMixin, View):
    """One indicator, one period, the user's unit: the form while it is a draft, the record after."""

    permission = "assessment.view_report"

    def dispatch(self, request, *args, **kwargs):
        # Rights first (403), then the rows (404): an administrator learns nothing about the data.
        if request.user.is_authenticated and request.user.has_perm(self.permission):
            self.load(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, request, **kwargs):
        user = request.user
        self.indicator = get_object_or_404(
            Indicator.objects.visible_to(user).leaves().select_related("scheme"), pk=kwargs["pk"]
        )
        self.period = get_object_or_404(Period, scheme=self.indicator.scheme, code=kwargs["code"])
        self.unit_id = scope_for(user).own_unit_id
        if self.unit_id is None:
            raise Http404
        self.report = Report.objects.filter(
            indicator=self.indicator, period=self.period, unit_id=self.unit_id
        ).first() or Report(indicator=self.indicator, period=self.period, unit_id=self.unit_id)
        self.can_edit = (
            user.has_perm("assessment.change_report")
            and Indicator.objects.reportable_by(user).filter(pk=self.indicator.pk).exists()
            and self.report.status in EDITABLE
        )
        self.can_confirm = (
            self.report.pk is not None
            and self.report.status == ReportStatus.SUBMITTED
            and Indicator.objects.confirmable_by(user).filter(pk=self.indicator.pk).exists()
        )

    def form(self, data=None):
        form = ReportForm(data, instance=self.report, indicator=self.indicator)
        scope_choices(form, self.request.user)
        if not self.can_edit:
            for field in form.fields.values():
                field.disabled = True
        return form

    def render_page(self, form, return_form=None, status=200):
        score = None
        if self.report.pk is not None and self.report.status in (
            ReportStatus.SUBMITTED,
            ReportStatus.CONFIRMED,
        ):
            from duban.assessment.scoreboard import _score
            from duban.lib import scoring

            try:
                score = _score(self.indicator, self.report, self.report.actual, self.period.end)
            except scoring.ScoringError:
                score = None
        return render(
            self.request,
            "assessment/report_form.html",
            {
                "title": _("Report: %(i)s · %(p)s")
                % {"i": self.indicator.name, "p": self.period.name},
                "indicator": self.indicator,
                "period": self.period,
                "report": self.report,
                "form": form,
                "can_edit": self.can_edit,
                "can_confirm": self.can_confirm,
                "score": score,
                "linked_documents": list(self.report.documents.all()) if self.report.pk else [],
                "return_form": return_form or ReturnForm(initial={"version": self.report.version}),
            },
            status=status,
        )

    def get(self, request, pk, code):
        return self.render_page(self.form())

    def post(self, request, pk, code):
        action = request.POST.get("action", "save")
        if action in ("confirm", "return"):
            return self.decide(action)
        if not self.can_edit:
            raise Http404
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            with transaction.atomic():
                report = form.save()
                if action == "submit":
                    services.submit_report(report, request.user)
        except StaleEditError as error:
            form.add_error(None, str(error.message))
            return self.render_page(form, status=409)
        except BusinessRuleError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.render_page(form, status=400)
        messages.success(
            request,
            _("Submitted for confirmation.") if action == "submit" else _("Saved as draft."),
        )
        return redirect(reverse("assessment:report", args=[pk, code]))

    def decide(self, action):
        if not self.can_confirm:
            raise Http404
        form = ReturnForm(
            self.request.POST if action == "return" else {**self.request.POST.dict(), "reason": "-"}
        )
        if not form.is_valid():
            return self.render_page(self.form(), return_form=form, status=400)
        try:
            if action == "confirm":
                services.confirm_report(
                    self.report, self.request.user, form.cleaned_data["version"]
                )
                messages.success(self.request, _("Confirmed."))
            else:
                services.return_report(
                    self.report,
                    self.request.user,
                    form.cleaned_data["reason"],
                    form.cleaned_data["version"],
                )
                messages.success(self.request, _("Returned to the section."))
        except (StaleEditError, BusinessRuleError) as error:
            messages.error(self.request, str(error.message))
        return redirect(reverse("assessment:report", args=[self.indicator.pk, self.period.code]))


@login_required
def report_by_pk(request, pk: int):
    if not request.user.has_perm("assessment.view_report"):
        raise PermissionDenied
    report = get_object_or_404(
        Report.objects.visible_to(request.user).select_related("period"), pk=pk
    )
    return redirect(reverse("assessment:report", args=[report.indicator_id, report.period.code]))


urlpatterns = [
    path("reports/", ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", report_by_pk, name="report_edit"),
    path("indicators/<int:pk>/report/<str:code>/", ReportView.as_view(), name="report"),
]
