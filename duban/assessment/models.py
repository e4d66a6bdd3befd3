"""Assessment (考评指标): the county's scheme, its indicators and the points they earn.

A scheme (考核方案) is a tree of indicators: categories (一级) hold indicators (二级) which may hold
sub-indicators (三级). Leaves are scored by `duban.lib.scoring` from the reports (填报) of each period.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.assessment.choices import (
    Direction,
    ExplanationStatus,
    LetterStatus,
    Method,
    ReportStatus,
    SchemeStatus,
    ValueKind,
)
from duban.assessment.querysets import (
    ExplanationQuerySet,
    IndicatorQuerySet,
    LetterQuerySet,
    MaterialQuerySet,
    PeriodQuerySet,
    PublishedResultQuerySet,
    ReportQuerySet,
    SchemeQuerySet,
)
from duban.core.models import Archivable, BaseModel

POINTS = {"max_digits": 8, "decimal_places": 2}
VALUE = {"max_digits": 16, "decimal_places": 4}


class Scheme(BaseModel, Archivable):
    """考核方案: what the assessing body scores its units on in one year."""

    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    assessor = models.ForeignKey(
        "org.Unit",
        verbose_name=_("assessing body"),
        on_delete=models.PROTECT,
        related_name="schemes_issued",
    )
    units = models.ManyToManyField(
        "org.Unit", verbose_name=_("units assessed"), related_name="schemes", blank=True
    )
    total_points = models.DecimalField(_("total points"), **POINTS, default=Decimal("100"))
    excellent_percent = models.DecimalField(
        _("优秀 from (percent of total)"), **POINTS, default=Decimal("95")
    )
    good_percent = models.DecimalField(
        _("良好 from (percent of total)"), **POINTS, default=Decimal("85")
    )
    pass_percent = models.DecimalField(
        _("合格 from (percent of total)"), **POINTS, default=Decimal("60")
    )
    lagging_percent = models.DecimalField(
        _("lagging below (percent of points)"),
        **POINTS,
        default=Decimal("90"),
        help_text=_("An indicator projected below this share of its points is flagged as lagging."),
    )
    lagging_rank_fraction = models.DecimalField(
        _("lagging rank (bottom share of units)"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.333"),
        help_text=_(
            "An indicator ranked in this bottom share of units by the assessor is flagged."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SchemeStatus.choices, default=SchemeStatus.ACTIVE
    )
    note = models.TextField(_("note"), blank=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-year", "name"]
        permissions = [("import_scheme", _("Can import a scheme from Excel"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessment:scheme_detail", args=[self.pk])

    def thresholds(self) -> dict[str, Decimal]:
        return {
            "优秀": self.excellent_percent,
            "良好": self.good_percent,
            "合格": self.pass_percent,
        }


class Period(BaseModel):
    """考核周期: a reporting period of the scheme (Q1, H1, Q3, annual) with its deadline."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="periods"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    deadline = models.DateField(_("reporting deadline"))

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["scheme", "end"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"], name="assessment_period_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="assessment_period_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def elapsed_fraction(self) -> Decimal:
        """时间进度 at the end of the period: the share of the scheme year that has passed."""
        year_start = dt.date(self.scheme.year, 1, 1)
        year_days = (dt.date(self.scheme.year, 12, 31) - year_start).days + 1
        elapsed = (self.end - year_start).days + 1
        return max(Decimal("0.01"), min(Decimal(1), Decimal(elapsed) / Decimal(year_days)))


class Indicator(BaseModel, Archivable):
    """考核指标. A category (一级) has no method: its score is the sum of its children."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="indicators"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("level"), default=1, editable=False)
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    points = models.DecimalField(_("points"), **POINTS, validators=[MinValueValidator(0)])
    method = models.CharField(
        _("scoring method"), max_length=30, choices=Method.choices, blank=True
    )
    params = models.JSONField(_("method parameters"), default=dict, blank=True)
    rule_text = models.TextField(_("scoring rule as written (评分细则)"), blank=True)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=20, blank=True)
    target = models.DecimalField(_("target"), **VALUE, null=True, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    value_kind = models.CharField(
        _("kind of value"), max_length=20, choices=ValueKind.choices, default=ValueKind.POINT
    )
    assessor_department = models.CharField(_("assessing department"), max_length=100, blank=True)
    responsible_leader = models.ForeignKey(
        "org.Person",
        verbose_name=_("responsible leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators_led",
    )
    lead_section = models.ForeignKey(
        "org.Section",
        verbose_name=_("lead section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    cooperating_sections = models.ManyToManyField(
        "org.Section",
        verbose_name=_("cooperating sections"),
        blank=True,
        related_name="indicators_cooperating",
    )
    responsible_person = models.ForeignKey(
        "org.Person",
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators_responsible",
    )
    is_bonus = models.BooleanField(_("bonus item (加分)"), default=False)
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["scheme", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                condition=Q(archived_at__isnull=True),
                name="assessment_indicator_unique_code",
                violation_error_message=_("This scheme already has an indicator with this code."),
            ),
        ]
        indexes = [
            models.Index(fields=["scheme", "lead_section"], name="assessment_ind_scheme_section")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:indicator_detail", args=[self.pk])

    @property
    def is_category(self) -> bool:
        return not self.method

    @property
    def is_veto(self) -> bool:
        return self.method == Method.VETO

    def clean(self):
        super().clean()
        errors = {}
        if self.parent_id:
            if self.parent.scheme_id != self.scheme_id:
                errors["parent"] = _("The parent belongs to another scheme.")
            elif self.parent.level >= 3:
                errors["parent"] = _("A scheme has at most three levels.")
            elif self.parent_id == self.pk:
                errors["parent"] = _("An indicator cannot be its own parent.")
        if self.method:
            from duban.lib import scoring

            problems = scoring.validate_config(
                self.method, self.points, self.params or {}, self.target, self.direction
            )
            for field, message in problems.items():
                key = "params" if field.startswith("params") else field
                if key not in ("points", "target", "direction", "params", "method"):
                    key = "params"
                errors.setdefault(key, message)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.level = (self.parent.level + 1) if self.parent_id else 1
        super().save(*args, **kwargs)


class RequiredMaterial(BaseModel):
    """印证资料要求: a piece of evidence the assessor asks for; documents uploaded once serve it."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="materials"
    )
    name = models.CharField(_("material"), max_length=200)
    documents = models.ManyToManyField(
        "evidence.Document",
        verbose_name=_("evidence"),
        blank=True,
        related_name="assessment_materials",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        ordering = ["indicator", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.indicator.get_absolute_url()


class Report(BaseModel):
    """填报: the value of an indicator for one unit in one period, with its evidence."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    actual = models.DecimalField(_("actual value"), **VALUE, null=True, blank=True)
    # Method-specific inputs: events, milestones, items, triggered, peers (see duban.lib.scoring).
    extras = models.JSONField(_("other inputs"), default=dict, blank=True)
    narrative = models.TextField(_("work done"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    documents = models.ManyToManyField(
        "evidence.Document",
        verbose_name=_("evidence"),
        blank=True,
        related_name="assessment_reports",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["period__end", "indicator__sort_order"]
        permissions = [("confirm_report", _("Can confirm or return reports"))]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "unit"], name="assessment_one_report_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:report_edit", args=[self.pk])

    def clean(self):
        super().clean()
        if (
            self.indicator_id
            and self.period_id
            and self.period.scheme_id != self.indicator.scheme_id
        ):
            raise ValidationError(
                {"period": _("This period belongs to another scheme than the indicator.")}
            )

    @property
    def counts(self) -> bool:
        """Submitted and confirmed reports count towards the score; a draft does not yet."""
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.CONFIRMED)


class DeductionExplanation(BaseModel):
    """扣分说明: why a deduction cannot be avoided, what was done, what is asked of the assessor."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="explanations",
    )
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    expected_deduction = models.DecimalField(
        _("expected deduction (points)"), **POINTS, validators=[MinValueValidator(0)]
    )
    cause = models.TextField(_("cause"))
    measures = models.TextField(_("measures taken"))
    request = models.TextField(_("what we ask of the assessor"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ExplanationStatus.choices,
        default=ExplanationStatus.DRAFT,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = ExplanationQuerySet.as_manager()

    class Meta:
        verbose_name = _("deduction explanation")
        verbose_name_plural = _("deduction explanations")
        ordering = ["-period__end", "indicator__sort_order"]
        permissions = [
            ("approve_deductionexplanation", _("Can approve deduction explanations")),
            ("submit_deductionexplanation", _("Can mark deduction explanations as submitted")),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:explanation_detail", args=[self.pk])


class PublishedResult(BaseModel):
    """公布结果: a unit's total and rank for a period, as the assessor announced them."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="results"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="results"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    total = models.DecimalField(_("total score"), **POINTS)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    objects = PublishedResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["period", "rank", "-total"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit"], name="assessment_one_result_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}: {self.total}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:scheme_detail", args=[self.scheme_id])


class PublishedIndicatorScore(BaseModel):
    """The assessor's score and rank of one indicator for a unit in a period."""

    result = models.ForeignKey(
        PublishedResult,
        verbose_name=_("published result"),
        on_delete=models.PROTECT,
        related_name="indicator_scores",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), **POINTS)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("published indicator score")
        verbose_name_plural = _("published indicator scores")
        constraints = [
            models.UniqueConstraint(
                fields=["result", "indicator"], name="assessment_one_score_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.score}"

    def get_absolute_url(self) -> str:
        return self.indicator.get_absolute_url()


class ResponsibilityLetter(BaseModel):
    """目标责任书: a section's indicators and key tasks for the year, signed by the director and its leader."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="letters"
    )
    section = models.ForeignKey(
        "org.Section", verbose_name=_("section"), on_delete=models.PROTECT, related_name="+"
    )
    director = models.ForeignKey(
        "org.Person",
        verbose_name=_("signed for the bureau by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader = models.ForeignKey(
        "org.Person", verbose_name=_("leader in charge"), on_delete=models.PROTECT, related_name="+"
    )
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators"), blank=True, related_name="letters"
    )
    key_tasks = models.TextField(_("key tasks (one per line)"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsibility letter")
        verbose_name_plural = _("responsibility letters")
        ordering = ["scheme", "section__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "section"], name="assessment_one_letter_per_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section} · {self.scheme.year}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:letter_detail", args=[self.pk])

    def task_lines(self) -> list[str]:
        return [line.strip() for line in self.key_tasks.splitlines() if line.strip()]
