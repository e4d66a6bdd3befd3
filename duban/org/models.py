"""The organisation: units (a tree), their sections (股室), people and leaders in charge (分管领导).

This app is the scoping root: `duban.org.scoping.scope_for(user)` reads it to decide what each user sees.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.core.models import Archivable, BaseModel
from duban.org.choices import UnitKind
from duban.org.querysets import (
    LeaderAssignmentQuerySet,
    PersonQuerySet,
    SectionQuerySet,
    UnitQuerySet,
)

code_validator = RegexValidator(r"^[A-Za-z0-9_-]+$", _("Use letters, digits, '-' or '_' only."))
phone_validator = RegexValidator(r"^[0-9+\- ]{5,20}$", _("Enter a valid phone number."))


class Unit(BaseModel, Archivable):
    """A unit (单位): an assessing body such as 县考核办, or a department it assesses."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        validators=[code_validator],
        error_messages={"unique": _("Another unit already uses this code.")},
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes ("KHB/ZJJ/"): a subtree is one indexed prefix query.
    path = models.CharField(_("path"), max_length=500, editable=False, db_index=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:unit_detail", args=[self.pk])

    @property
    def depth(self) -> int:
        """0 for a root unit, 1 for a unit directly below it, and so on."""
        return self.path.count("/") - 1

    @staticmethod
    def ancestor_paths(path: str) -> list[str]:
        parts = [p for p in path.split("/") if p]
        return ["".join(f"{p}/" for p in parts[:i]) for i in range(1, len(parts))]

    def compute_path(self) -> str:
        return f"{self.parent.path if self.parent else ''}{self.code}/"

    def creates_cycle(self) -> bool:
        """True when the chosen parent is this unit or lies below it."""
        return bool(self.pk and self.parent and self.parent.path.startswith(self.path or "\0"))

    def clean(self):
        super().clean()
        if self.parent_id and (self.parent_id == self.pk or self.creates_cycle()):
            raise ValidationError(
                {"parent": _("A unit cannot be placed below itself or its own units.")}
            )
        loaded = getattr(self, "_audit_loaded", None) or {}
        if self.pk and loaded.get("code") not in (None, self.code):
            raise ValidationError({"code": _("The code of an existing unit cannot be changed.")})

    def save(self, *args, **kwargs):
        if self.parent_id and (self.parent_id == self.pk or self.creates_cycle()):
            raise ValueError("a unit cannot be its own ancestor")
        old_path = self.path
        self.path = self.compute_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()


class Section(BaseModel, Archivable):
    """A section (股室) of a unit; the usual scope of a staff member's work."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="sections"
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(
        _("office phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    duties = models.TextField(_("duties"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["unit__path", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                condition=Q(archived_at__isnull=True),
                name="org_section_unique_name_in_unit",
                violation_error_message=_("This unit already has a section with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:section_detail", args=[self.pk])

    def clean(self):
        super().clean()
        loaded = getattr(self, "_audit_loaded", None) or {}
        if self.pk and loaded.get("unit_id") not in (None, self.unit_id):
            raise ValidationError(
                {
                    "unit": _(
                        "A section cannot move to another unit; archive it and create a new one."
                    )
                }
            )

    def archive_blockers(self) -> list[str]:
        """Why the section cannot be archived yet (its people and its leader must move first)."""
        blockers = []
        people = self.people.filter(is_active=True).count()
        if people:
            blockers.append(_("%(n)d people in post still belong to it") % {"n": people})
        if self.leader_assignments.filter(end_date__isnull=True).exists():
            blockers.append(_("it still has a leader in charge"))
        return blockers

    @property
    def current_leader(self):
        """The leader in charge today; list querysets prefetch `current_assignments`."""
        assignments = getattr(self, "current_assignments", None)
        if assignments is None:
            assignments = list(self.leader_assignments.current().select_related("leader"))
        return assignments[0].leader if assignments else None


class Person(BaseModel):
    """A member of staff (干部职工). Leaving is recorded as inactive, never as a deletion."""

    name = models.CharField(_("full name"), max_length=50)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    position = models.CharField(_("position"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    is_active = models.BooleanField(_("in post"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="person",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("import_person", _("Can import people from Excel"))]
        ordering = ["unit__path", "section__sort_order", "sort_order", "id"]
        indexes = [
            # the people list filters by unit and section, active first
            models.Index(fields=["unit", "section", "is_active"], name="org_person_unit_section"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:person_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.section_id and self.unit_id and self.section.unit_id != self.unit_id:
            errors["section"] = _("This section belongs to another unit.")
        if self.section_id and self.section.is_archived:
            errors["section"] = _("This section is archived.")
        if self.user_id and not self.user.is_business:
            errors["user"] = _(
                "Administrator accounts (三员) are not linked to people: they do no business work."
            )
        if not self.is_active and self.pk:
            led = [
                a.section.name
                for a in self.led_assignments.filter(end_date__isnull=True).select_related(
                    "section"
                )
            ]
            if led:
                errors["is_active"] = _(
                    "This person still leads %(sections)s; change the leader in charge first."
                ) % {"sections": "、".join(led)}
        if errors:
            raise ValidationError(errors)


class LeaderAssignment(BaseModel):
    """A leader in charge (分管领导) of a section for a period; history is kept, never overwritten."""

    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        related_name="leader_assignments",
    )
    leader = models.ForeignKey(
        Person,
        verbose_name=_("leader in charge"),
        on_delete=models.PROTECT,
        related_name="led_assignments",
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = LeaderAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("leader-in-charge assignment")
        verbose_name_plural = _("leader-in-charge assignments")
        ordering = ["section", "-start_date"]
        constraints = [
            # A section has one leader in charge at a time: one open assignment per section.
            models.UniqueConstraint(
                fields=["section"],
                condition=Q(end_date__isnull=True),
                name="org_one_open_leader_per_section",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="org_assignment_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section} — {self.leader}"

    def get_absolute_url(self) -> str:
        return self.section.get_absolute_url()
