"""Supervision (督办): supervised tasks that escalate up a chain of people, problems decided once, the
lessons kept from them, and the confidential record of reminder and admonition talks.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.models import Archivable, BaseModel
from duban.supervision.choices import (
    ACTIVE_STATUSES,
    EscalationReason,
    EventKind,
    ExtensionStatus,
    FeedbackCycle,
    LessonKind,
    Level,
    ProblemStatus,
    Quadrant,
    Source,
    TalkKind,
    TaskStatus,
    Weekday,
)
from duban.supervision.querysets import (
    EscalationQuerySet,
    LessonQuerySet,
    ProblemQuerySet,
    TalkQuerySet,
    TaskChildQuerySet,
    TaskQuerySet,
)

WORKDAYS = [MinValueValidator(1), MaxValueValidator(60)]


class Policy(BaseModel):
    """The supervision office's settings for a unit: the number prefix and the escalation ladder."""

    unit = models.OneToOneField(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="supervision_policy",
    )
    number_prefix = models.CharField(_("number prefix"), max_length=20, default="督办")
    warn_before = models.PositiveSmallIntegerField(
        _("warn the owner this many working days before the deadline"),
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    leader_overdue = models.PositiveSmallIntegerField(
        _("to the leader when overdue by (working days)"), default=1, validators=WORKDAYS
    )
    leader_feedback_overdue = models.PositiveSmallIntegerField(
        _("to the leader when a progress report is late by (working days)"),
        default=2,
        validators=WORKDAYS,
    )
    leader_problem_open = models.PositiveSmallIntegerField(
        _("to the leader when a problem on the task is open for (working days)"),
        default=3,
        validators=WORKDAYS,
    )
    leader_on_second_extension = models.BooleanField(
        _("to the leader when a second extension is requested"), default=True
    )
    director_overdue = models.PositiveSmallIntegerField(
        _("to the director when overdue by (working days)"), default=5, validators=WORKDAYS
    )
    director_level1_open = models.PositiveSmallIntegerField(
        _("to the director when level 1 is unresolved for (working days)"),
        default=3,
        validators=WORKDAYS,
    )
    problem_leader_after = models.PositiveSmallIntegerField(
        _("a problem goes to the leader after waiting (working days)"),
        default=3,
        validators=WORKDAYS,
    )
    problem_director_after = models.PositiveSmallIntegerField(
        _("a problem goes to the director after waiting at the leader (working days)"),
        default=3,
        validators=WORKDAYS,
    )

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        errors = {}
        if self.director_overdue is not None and self.leader_overdue is not None:
            if self.director_overdue < self.leader_overdue:
                errors["director_overdue"] = _(
                    "The director is reached later than the leader: give at least as many working "
                    "days as for the leader."
                )
        if errors:
            raise ValidationError(errors)

    class Meta:
        verbose_name = _("supervision policy")
        verbose_name_plural = _("supervision policies")

    def __str__(self) -> str:
        return str(self.unit)

    @classmethod
    def for_unit(cls, unit_id: int) -> Policy:
        """The unit's policy; the defaults (unsaved) until the office edits it."""
        return cls.objects.filter(unit_id=unit_id).first() or cls(unit_id=unit_id)


class Task(BaseModel, Archivable):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="tasks"
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    seq = models.PositiveIntegerField(_("number"), editable=False)
    # The prefix the number was issued with (the policy's at registration): a 文号 never changes.
    prefix = models.CharField(_("number prefix"), max_length=20, default="督办", editable=False)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_ref = models.CharField(
        _("source reference"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the meeting minutes number or the instruction's document number"),
    )
    indicator = models.ForeignKey(
        "assessment.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("key project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    lead_section = models.ForeignKey(
        "org.Section",
        verbose_name=_("lead section"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    cooperating_sections = models.ManyToManyField(
        "org.Section",
        verbose_name=_("cooperating sections"),
        blank=True,
        related_name="cooperating_tasks",
    )
    owner = models.ForeignKey(
        "org.Person",
        verbose_name=_("owner (承办人)"),
        on_delete=models.PROTECT,
        related_name="tasks_owned",
    )
    responsible_leader = models.ForeignKey(
        "org.Person",
        verbose_name=_("responsible leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks_led",
    )
    important = models.BooleanField(_("important"), default=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    assigned_on = models.DateField(_("assigned on"), default=timezone.localdate)
    deadline = models.DateField(_("deadline"))
    deadline_workdays = models.PositiveSmallIntegerField(
        _("deadline in working days from assignment"), null=True, blank=True
    )
    feedback_cycle = models.CharField(
        _("progress report cycle"),
        max_length=10,
        choices=FeedbackCycle.choices,
        default=FeedbackCycle.NONE,
    )
    feedback_weekday = models.PositiveSmallIntegerField(
        _("weekly report due by"), choices=Weekday.choices, default=Weekday.FRIDAY
    )
    feedback_due = models.DateField(_("next progress report due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    stop_reason = models.CharField(_("reason for stopping"), max_length=300, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    submitted_on = models.DateField(_("completion submitted on"), null=True, blank=True)
    completed_on = models.DateField(pgettext_lazy("task", "completed on"), null=True, blank=True)
    result = models.TextField(_("completion summary"), blank=True)
    extension_count = models.PositiveSmallIntegerField(_("extensions granted"), default=0)
    # Kept by the escalation scan and the services, so lists filter and sort without computing.
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), default=0, editable=False
    )
    coordination_requested_on = models.DateField(
        _("director's coordination requested on"), null=True, blank=True, editable=False
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervised task")
        verbose_name_plural = _("supervised tasks")
        ordering = ["-year", "-seq"]
        permissions = [
            ("review_task", _("Can review the completion of a supervised task")),
            ("approve_extension", _("Can approve an extension")),
            ("import_task", _("Can import supervised tasks from Excel")),
            ("change_policy", _("Can edit the escalation policy")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "seq"], name="supervision_task_number"),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "deadline"], name="supervision_task_status"),
            models.Index(fields=["lead_section", "status"], name="supervision_task_section"),
            models.Index(fields=["escalation_level", "status"], name="supervision_task_level"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:task_detail", args=[self.pk])

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        errors = {}
        if self.unit_id:
            for name in ("lead_section", "owner", "responsible_leader"):
                value = getattr(self, name, None) if getattr(self, f"{name}_id") else None
                if value is not None and value.unit_id != self.unit_id:
                    errors[name] = _("This belongs to another unit.")
        if self.project_id and self.unit_id and self.project.unit_id != self.unit_id:
            errors["project"] = _("This belongs to another unit.")
        if (
            self.indicator_id
            and self.unit_id
            and not self.indicator.scheme.units.filter(pk=self.unit_id).exists()
        ):
            errors["indicator"] = _("This indicator does not assess this unit.")
        if self.lead_section_id and self.lead_section.is_archived:
            errors["lead_section"] = _("This section is archived.")
        if self.owner_id and not self.owner.is_active:
            errors["owner"] = _("This person is no longer in post.")
        if self.deadline and self.assigned_on and self.deadline < self.assigned_on:
            errors["deadline"] = _("The deadline cannot be before the day of assignment.")
        if self.assigned_on and not 2000 <= self.assigned_on.year <= 2100:
            errors["assigned_on"] = _("Enter a date between 2000 and 2100.")
        if self.deadline and not 2000 <= self.deadline.year <= 2100:
            errors["deadline"] = _("Enter a date between 2000 and 2100.")
        if errors:
            raise ValidationError(errors)

    @property
    def number(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.seq}号"

    @property
    def quadrant(self) -> int:
        if self.important:
            return Quadrant.IMPORTANT_URGENT if self.urgent else Quadrant.IMPORTANT
        return Quadrant.URGENT if self.urgent else Quadrant.ROUTINE

    def get_quadrant_display(self) -> str:
        return Quadrant(self.quadrant).label

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def overdue_end(self, today: dt.date) -> dt.date | None:
        """The last day that counts towards lateness: today while the owner still works on it, the
        day completion was submitted or finished otherwise; none for a stopped task."""
        if self.status in ACTIVE_STATUSES:
            return today
        if self.status == TaskStatus.REVIEW:
            return self.submitted_on or today
        if self.status == TaskStatus.DONE:
            return self.submitted_on or self.completed_on
        return None

    def overdue_workdays(self, calendar, today: dt.date) -> int:
        """Working days d with deadline < d <= today (or the day completion was submitted)."""
        end = self.overdue_end(today)
        if end is None or end <= self.deadline:
            return 0
        return calendar.workdays_between(self.deadline + dt.timedelta(days=1), end)

    def feedback_overdue_workdays(self, calendar, today: dt.date) -> int:
        if not self.is_active or self.feedback_due is None or today <= self.feedback_due:
            return 0
        return calendar.workdays_between(self.feedback_due + dt.timedelta(days=1), today)

    def workdays_left(self, calendar, today: dt.date) -> int:
        """Working days after today up to and including the deadline (0 on the day, or once late)."""
        return calendar.workdays_between(today + dt.timedelta(days=1), self.deadline)

    def in_warning_window(self, calendar, today: dt.date, warn_before: int) -> bool:
        """临期: due within `warn_before` working days (a Sunday deadline counts like the Friday)."""
        return (
            bool(warn_before)
            and today <= self.deadline
            and (self.workdays_left(calendar, today) <= warn_before)
        )

    def colour(self, calendar, today: dt.date, warn_before: int = 2) -> str | None:
        """Green, yellow (deadline within the warning window) or red (overdue); none once closed."""
        from duban.supervision.choices import Colour

        if not self.is_active:
            return None
        if today > self.deadline:
            return Colour.RED
        if self.in_warning_window(calendar, today, warn_before):
            return Colour.YELLOW
        return Colour.GREEN


class Event(models.Model):
    """One line of a task's or a problem's timeline; written by the services, never edited."""

    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    problem = models.ForeignKey(
        "Problem",
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("text"), blank=True)

    objects = TaskChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False) | Q(problem__isnull=False),
                name="supervision_event_has_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class ProgressReport(BaseModel):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(
        _("percent complete"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    author = models.ForeignKey(
        "org.Person",
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    documents = models.ManyToManyField(
        "evidence.Document", verbose_name=_("evidence"), blank=True, related_name="+"
    )

    objects = TaskChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.task.number} {self.reported_on}"


class ExtensionRequest(BaseModel):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="extensions"
    )
    ordinal = models.PositiveSmallIntegerField(_("extension number"))
    requested_by = models.ForeignKey(
        "org.Person", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    old_deadline = models.DateField(_("deadline before"))
    new_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    approver = models.ForeignKey(
        "org.Person",
        verbose_name=_("to be approved by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)

    objects = TaskChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["task", "ordinal"]
        constraints = [
            # One request waits at a time, so two approvals can never both move the deadline.
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="supervision_one_pending_extension",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} #{self.ordinal}"


class Escalation(models.Model):
    """One rung of the ladder reached by a task or a problem; open until its cause is resolved.

    At most one open row per subject and level (database constraint): this is how two workers running
    the scan at once never escalate, or notify, the same item twice.
    """

    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    problem = models.ForeignKey(
        "Problem",
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    level = models.PositiveSmallIntegerField(
        pgettext_lazy("escalation", "level"), choices=Level.choices
    )
    reason = models.CharField(_("reason"), max_length=30, choices=EscalationReason.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    to_person = models.ForeignKey(
        "org.Person",
        verbose_name=_("escalated to"),
        null=True,
        on_delete=models.PROTECT,
        related_name="escalations_received",
    )
    opened_on = models.DateField(_("since"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-level", "opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False, problem__isnull=True)
                | Q(task__isnull=True, problem__isnull=False),
                name="supervision_escalation_one_subject",
            ),
            models.UniqueConstraint(
                fields=["task", "level"],
                condition=Q(resolved_at__isnull=True, task__isnull=False),
                name="supervision_one_open_task_escalation",
            ),
            models.UniqueConstraint(
                fields=["problem", "level"],
                condition=Q(resolved_at__isnull=True, problem__isnull=False),
                name="supervision_one_open_problem_escalation",
            ),
        ]
        indexes = [
            models.Index(fields=["to_person", "resolved_at"], name="supervision_escalation_to"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} → {self.to_person}"

    @property
    def subject(self):
        return self.task or self.problem


class Problem(BaseModel, Archivable):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="problems"
    )
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    indicator = models.ForeignKey(
        "assessment.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("key project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    section = models.ForeignKey(
        "org.Section",
        verbose_name=_("section to solve it"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    solver = models.ForeignKey(
        "org.Person",
        verbose_name=_("who must solve it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems_to_solve",
    )
    raised_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("raised by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="problems_raised",
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProblemStatus.choices,
        default=ProblemStatus.PENDING,
    )
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), default=0, editable=False
    )
    same_as = models.ForeignKey(
        "self",
        verbose_name=_("same as the earlier problem"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems_decided",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    meeting_ref = models.CharField(_("meeting reference"), max_length=200, blank=True)
    verified_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems_verified",
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    implementation = models.TextField(_("how it was implemented"), blank=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-raised_on", "-id"]
        permissions = [
            ("decide_problem", _("Can record the decision on a problem")),
            ("verify_problem", _("Can verify that a decision was implemented")),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="supervision_problem_status"),
            models.Index(fields=["updated_at"], name="supervision_problem_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:problem_detail", args=[self.pk])

    @property
    def search_text(self) -> str:
        return f"{self.title} {self.description}"


class Lesson(BaseModel, Archivable):
    """经验做法/教训: written from a decided problem or a finished task, so nobody falls in twice."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="lessons"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LessonKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what we learned"))
    tags = models.CharField(
        _("tags"), max_length=200, blank=True, help_text=_("separated by commas or spaces")
    )
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("from the problem"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("from the task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    section = models.ForeignKey(
        "org.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    author = models.ForeignKey(
        "org.Person",
        verbose_name=_("written by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="lessons_written",
    )

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:lesson_detail", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.replace("，", ",").replace(",", " ").split() if t]


class Talk(BaseModel, Archivable):
    """提醒谈话/约谈/诫勉谈话. Confidential: see TalkQuerySet.visible_to."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="talks"
    )
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person talked to"),
        on_delete=models.PROTECT,
        related_name="talks_received",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=TalkKind.choices)
    talker = models.ForeignKey(
        "org.Person",
        verbose_name=_("talked by"),
        on_delete=models.PROTECT,
        related_name="talks_given",
    )
    reason = models.TextField(_("reason"))
    tasks = models.ManyToManyField(
        Task, verbose_name=_("related tasks"), blank=True, related_name="talks"
    )
    problems = models.ManyToManyField(
        Problem, verbose_name=_("related problems"), blank=True, related_name="talks"
    )
    commitments = models.TextField(_("the person's commitments"), blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    follow_up_result = models.TextField(_("follow-up result"), blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)

    objects = TalkQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk record")
        verbose_name_plural = _("talk records")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person} {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:talk_detail", args=[self.pk])
