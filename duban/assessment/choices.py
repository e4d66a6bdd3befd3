from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    CLOSED = "closed", _("Closed")


class Method(models.TextChoices):
    """Scoring methods of the engine in `duban.lib.scoring` (a category has none: it adds up)."""

    COMPLETION_LINEAR = "completion_linear", _("By completion rate, plus and minus")
    BINARY = "binary", _("Full points if achieved, none if not")
    DEDUCT_PER_EVENT = "deduct_per_event", _("Deduction per event")
    MILESTONE_DEDUCTION = "milestone_deduction", _("Deduction per missed milestone")
    RANKING_PROPORTIONAL = "ranking_proportional", _("Proportional to the best unit")
    BONUS_CAPPED = "bonus_capped", _("Bonus points, capped")
    VETO = "veto", _("Veto (一票否决)")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class ValueKind(models.TextChoices):
    CUMULATIVE = "cumulative", _("Cumulative (e.g. investment completed)")
    POINT = "point", _("Point in time (e.g. a rate)")
    COUNT = "count", _("Count of events")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CONFIRMED = "confirmed", _("Confirmed")
    RETURNED = "returned", _("Returned")


class ExplanationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by the leader")
    SUBMITTED = "submitted", _("Submitted to the assessor")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
