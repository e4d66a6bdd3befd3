"""State changes of assessment rows: each atomic, each checked against the row's current state."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.assessment.choices import ExplanationStatus, ReportStatus
from duban.assessment.models import DeductionExplanation, Report
from duban.core.exceptions import BusinessRuleError, StaleEditError


def _locked(model, obj, expected_version: int | None):
    row = model.objects.select_for_update().get(pk=obj.pk)
    if expected_version is not None and row.version != expected_version:
        raise StaleEditError(row)
    return row


@transaction.atomic
def submit_report(report: Report, user, expected_version: int | None = None) -> Report:
    report = _locked(Report, report, expected_version)
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise BusinessRuleError(_("Only a draft or a returned report can be submitted."))
    if report.actual is None and report.indicator.method not in (
        "deduct_per_event",
        "milestone_deduction",
        "bonus_capped",
        "veto",
    ):
        raise BusinessRuleError(_("Enter the actual value before submitting."), field="actual")
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = user
    report.submitted_at = timezone.now()
    report.return_reason = ""
    report.save()
    return report


@transaction.atomic
def confirm_report(report: Report, user, expected_version: int | None = None) -> Report:
    report = _locked(Report, report, expected_version)
    if report.status != ReportStatus.SUBMITTED:
        raise BusinessRuleError(_("Only a submitted report can be confirmed."))
    report.status = ReportStatus.CONFIRMED
    report.confirmed_by = user
    report.confirmed_at = timezone.now()
    report.save()
    return report


@transaction.atomic
def return_report(report: Report, user, reason: str, expected_version: int | None = None) -> Report:
    if not reason.strip():
        raise BusinessRuleError(_("Say why the report is returned."), field="reason")
    report = _locked(Report, report, expected_version)
    if report.status != ReportStatus.SUBMITTED:
        raise BusinessRuleError(_("Only a submitted report can be returned."))
    report.status = ReportStatus.RETURNED
    report.return_reason = reason.strip()
    report.save()
    return report


@transaction.atomic
def approve_explanation(
    explanation: DeductionExplanation, user, expected_version: int | None = None
):
    explanation = _locked(DeductionExplanation, explanation, expected_version)
    if explanation.status != ExplanationStatus.DRAFT:
        raise BusinessRuleError(_("Only a draft explanation can be approved."))
    explanation.status = ExplanationStatus.APPROVED
    explanation.approved_by = user
    explanation.approved_at = timezone.now()
    explanation.save()
    return explanation


@transaction.atomic
def submit_explanation(
    explanation: DeductionExplanation, user, expected_version: int | None = None
):
    explanation = _locked(DeductionExplanation, explanation, expected_version)
    if explanation.status != ExplanationStatus.APPROVED:
        raise BusinessRuleError(
            _("The leader must approve the explanation before it is submitted.")
        )
    explanation.status = ExplanationStatus.SUBMITTED
    explanation.submitted_at = timezone.now()
    explanation.save()
    return explanation
