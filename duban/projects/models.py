"""Key projects (重点项目): each under 三保 (safety, quality, schedule), scheduled backwards from its
mandated completion date (倒排工期), inspected on site, accepted, settled and handed over; next year's
reserve projects with their pre-construction approvals (前期手续).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.core.models import Archivable, BaseModel
from duban.projects.choices import (
    AcceptanceKind,
    BaselineKind,
    FindingStatus,
    FrequencyPeriod,
    InspectionFocus,
    InspectorRole,
    PrepKind,
    PrepStatus,
    ProjectLevel,
    ProjectType,
    Stage,
)
from duban.projects.querysets import (
    BaselineActivityQuerySet,
    FindingQuerySet,
    ProjectChildQuerySet,
    ProjectQuerySet,
)

MONEY = {"max_digits": 14, "decimal_places": 2}  # 万元


class Project(BaseModel, Archivable):
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="projects"
    )
    type = models.CharField(
        _("type"), max_length=20, choices=ProjectType.choices, default=ProjectType.OTHER
    )
    level = models.CharField(
        _("level"), max_length=20, choices=ProjectLevel.choices, default=ProjectLevel.COUNTY
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.PRELIMINARY
    )
    stage_reason = models.CharField(_("reason for suspension"), max_length=300, blank=True)
    owner = models.CharField(_("owner (建设单位)"), max_length=200, blank=True)
    contractor = models.CharField(_("contractor (施工单位)"), max_length=200, blank=True)
    supervisor = models.CharField(_("supervising firm (监理单位)"), max_length=200, blank=True)
    designer = models.CharField(_("design firm (设计单位)"), max_length=200, blank=True)
    address = models.CharField(_("location"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    total_investment = models.DecimalField(
        _("total investment (万元)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    annual_investment = models.DecimalField(
        _("planned investment this year (万元)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    plan_year = models.PositiveSmallIntegerField(_("plan year"), null=True, blank=True)
    funding_sources = models.CharField(_("funding sources"), max_length=300, blank=True)
    responsible_leader = models.ForeignKey(
        "org.Person",
        verbose_name=_("responsible leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_led",
    )
    lead_section = models.ForeignKey(
        "org.Section",
        verbose_name=_("lead section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    staff = models.ManyToManyField(
        "org.Person", verbose_name=_("staff"), blank=True, related_name="projects"
    )
    planned_start = models.DateField(_("planned start"))
    deadline = models.DateField(_("mandated completion date"))
    survey_done_on = models.DateField(_("survey (摸底调查) done on"), null=True, blank=True)
    survey_notes = models.TextField(_("survey findings"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        ordering = ["code"]
        permissions = [
            ("approve_baseline", _("Can approve a schedule baseline")),
            ("override_gate", _("Can advance a stage without its gate (recorded)")),
            ("import_project", _("Can import projects and plans from Excel")),
            ("verify_finding", _("Can re-check and close inspection findings")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "code"],
                condition=Q(archived_at__isnull=True),
                name="projects_unique_code",
                violation_error_message=_("Another project already uses this code."),
            ),
        ]
        indexes = [models.Index(fields=["unit", "stage"], name="projects_unit_stage")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])


class Activity(BaseModel, Archivable):
    """工序: one line of the plan. Replacing the plan archives the old lines; nothing is deleted."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="activities"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    duration = models.PositiveIntegerField(
        _("duration (working days)"), help_text=_("0 for a milestone")
    )
    finish_by = models.DateField(_("finish by"), null=True, blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=8, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True)
    percent_complete = models.DecimalField(
        _("percent complete"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["project", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code"],
                condition=Q(archived_at__isnull=True),
                name="projects_activity_unique_code",
                violation_error_message=_("This plan already has an activity with this code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("projects:project_plan", args=[self.project_id])

    @property
    def is_milestone(self) -> bool:
        return self.duration == 0


class Dependency(BaseModel):
    """Finish-to-start link with a lag in working days (may be negative)."""

    successor = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="predecessor_links",
    )
    predecessor = models.ForeignKey(
        Activity,
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        related_name="successor_links",
    )
    lag = models.IntegerField(_("lag (working days)"), default=0)

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [
            models.UniqueConstraint(
                fields=["successor", "predecessor"], name="projects_dependency_unique"
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("predecessor")), name="projects_no_self_dependency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.code} → {self.successor.code} ({self.lag:+d})"


class Baseline(BaseModel):
    """A named, immutable approved plan: the 立项批复计划 and each 调整批复 after it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="baselines"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=BaselineKind.choices, default=BaselineKind.INITIAL
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField(_("approved on"))
    document_number = models.CharField(_("approval document number"), max_length=100, blank=True)
    deadline = models.DateField(_("mandated completion date"))

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["project", "approved_on", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project_plan", args=[self.project_id])

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError("A baseline is immutable; approve a new one (调整批复) instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("A baseline is immutable and is never deleted.")


class BaselineActivity(models.Model):
    """The frozen dates of one activity in a baseline (written once, never changed)."""

    baseline = models.ForeignKey(
        Baseline, verbose_name=_("baseline"), on_delete=models.PROTECT, related_name="activities"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    duration = models.PositiveIntegerField(_("duration (working days)"))
    start = models.DateField(_("planned start"))
    finish = models.DateField(_("planned finish"))

    objects = BaselineActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("baseline activity")
        verbose_name_plural = _("baseline activities")
        constraints = [
            models.UniqueConstraint(fields=["baseline", "code"], name="projects_baseline_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.start}–{self.finish}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError("A baseline's dates are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("A baseline's dates are immutable and are never deleted.")


class MonthlyReport(BaseModel):
    """月报: investment completed in the month, 形象进度, problems and next steps."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="monthly_reports"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    investment = models.DecimalField(
        _("investment completed in the month (万元)"), **MONEY, validators=[MinValueValidator(0)]
    )
    image_progress = models.TextField(_("physical progress (形象进度)"))
    problems = models.TextField(_("problems"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["project", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="projects_one_report_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.project_id])


class InspectionRequirement(BaseModel):
    """How often a project must be inspected by a role (defaults: the leader twice a month, staff weekly)."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="inspection_requirements",
    )
    role = models.CharField(_("inspected by"), max_length=20, choices=InspectorRole.choices)
    times = models.PositiveSmallIntegerField(_("times"), validators=[MinValueValidator(1)])
    per = models.CharField(_("per"), max_length=10, choices=FrequencyPeriod.choices)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection requirement")
        verbose_name_plural = _("inspection requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "role"], name="projects_one_requirement_a_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.times}/{self.get_per_display()}"


class Inspection(BaseModel):
    """现场巡查: who went, what they looked at, what they found."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="inspections"
    )
    date = models.DateField(_("date"))
    inspectors = models.ManyToManyField(
        "org.Person", verbose_name=_("inspectors"), related_name="inspections"
    )
    focus = models.JSONField(
        _("focus"), default=list, help_text=_("Any of safety, quality, schedule, civilised.")
    )
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("site inspection")
        verbose_name_plural = _("site inspections")
        ordering = ["project", "-date", "-id"]
        indexes = [models.Index(fields=["project", "date"], name="projects_inspection_date")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("projects:inspection_detail", args=[self.pk])

    def focus_labels(self) -> list[str]:
        labels = dict(InspectionFocus.choices)
        return [str(labels.get(f, f)) for f in self.focus]


class Finding(BaseModel):
    """A finding of an inspection, tracked to rectification and re-check."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="findings"
    )
    category = models.CharField(_("category"), max_length=20, choices=InspectionFocus.choices)
    description = models.TextField(_("finding"))
    photos = models.ManyToManyField(
        "evidence.Document", verbose_name=_("photos"), blank=True, related_name="project_findings"
    )
    deadline = models.DateField(_("rectify by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    rectification = models.TextField(_("rectification"), blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("re-checked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_on = models.DateField(_("re-checked on"), null=True, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return self.description[:40]

    def get_absolute_url(self) -> str:
        return self.inspection.get_absolute_url()


class AcceptanceItem(BaseModel):
    """An item of the completion acceptance (竣工验收 and the 专项验收)."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="acceptance_items",
    )
    kind = models.CharField(_("item"), max_length=30, choices=AcceptanceKind.choices)
    required = models.BooleanField(_("required for this project"), default=True)
    done_on = models.DateField(_("passed on"), null=True, blank=True)
    documents = models.ManyToManyField(
        "evidence.Document",
        verbose_name=_("documents"),
        blank=True,
        related_name="project_acceptance_items",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("acceptance item")
        verbose_name_plural = _("acceptance items")
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="projects_one_acceptance_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_absolute_url(self) -> str:
        return reverse("projects:project_closeout", args=[self.project_id])


class Closeout(BaseModel):
    """验收、结算、决算、移交: the dates and amounts after completion, with their legal deadlines."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="closeout"
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    accepted_on = models.DateField(_("completion acceptance passed on"), null=True, blank=True)
    filed_on = models.DateField(_("acceptance filed (备案) on"), null=True, blank=True)
    contract_amount = models.DecimalField(
        _("contract amount (万元)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    settlement_submitted_on = models.DateField(
        _("settlement submitted for review on"), null=True, blank=True
    )
    settlement_amount = models.DecimalField(
        _("settlement submitted (万元)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    audited_amount = models.DecimalField(
        _("audited amount (万元)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    settled_on = models.DateField(_("settlement review finished on"), null=True, blank=True)
    final_accounts_on = models.DateField(
        _("final accounts (决算) approved on"), null=True, blank=True
    )
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    receiving_unit = models.CharField(_("receiving unit"), max_length=200, blank=True)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("close-out")
        verbose_name_plural = _("close-outs")

    def __str__(self) -> str:
        return str(self.project)

    def get_absolute_url(self) -> str:
        return reverse("projects:project_closeout", args=[self.project_id])


class StageChange(models.Model):
    """The stage timeline: every change, with the gate it passed or the director's recorded override."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    override = models.BooleanField(_("gate overridden"), default=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["project", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.from_stage} → {self.to_stage}"


class PrepStep(BaseModel):
    """One pre-construction approval (前期手续) of a reserve or preliminary project."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="prep_steps"
    )
    kind = models.CharField(_("approval"), max_length=30, choices=PrepKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=PrepStatus.choices, default=PrepStatus.NOT_STARTED
    )
    document_number = models.CharField(_("document number (文号)"), max_length=100, blank=True)
    done_on = models.DateField(_("obtained on"), null=True, blank=True)
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    duration = models.PositiveSmallIntegerField(_("usual duration (working days)"), default=20)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    blocker = models.CharField(_("what blocks it"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("pre-construction approval")
        verbose_name_plural = _("pre-construction approvals")
        ordering = ["project", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="projects_one_prep_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_absolute_url(self) -> str:
        return reverse("projects:project_pipeline", args=[self.project_id])
