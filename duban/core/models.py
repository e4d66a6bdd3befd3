"""Base models every domain app builds on.

- `Audited`: remembers the values a row was loaded with, so the change log can write before/after.
- `Versioned`: optimistic locking — an edit made from a stale copy is refused, never silently applied.
- `Archivable`: what a user entered is archived with a reason, never hard-deleted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.exceptions import StaleEditError


class Audited(models.Model):
    """Marks a model for the change log and keeps the values it was loaded with."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Raw loaded values are cheap to keep; they are serialised only when the row is saved.
        instance._audit_loaded = dict(zip(field_names, values, strict=True))
        return instance


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """An UPDATE succeeds only if the row still has the version the editor saw."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    # Saves that touch only these fields are bookkeeping, not edits: they neither check nor bump.
    VERSION_EXEMPT_FIELDS = frozenset({"last_login", "updated_at"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        exempt = update_fields is not None and set(update_fields) <= self.VERSION_EXEMPT_FIELDS
        self._expected_version = None
        if not self._state.adding and not exempt:
            self._expected_version = self.version
            self.version = self.version + 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        try:
            super().save(*args, **kwargs)
        except StaleEditError:
            self.version = self._expected_version
            raise

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        expected = getattr(self, "_expected_version", None)
        if expected is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        updated = base_qs.filter(pk=pk_val, version=expected)._update(values) > 0
        if not updated and base_qs.filter(pk=pk_val).exists():
            raise StaleEditError(self)
        return updated


class Archivable(models.Model):
    """Rows are archived (归档) with a reason instead of being deleted."""

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archived by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    archive_reason = models.CharField(
        _("archive reason"), max_length=200, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def delete(self, *args: Any, **kwargs: Any):
        raise TypeError(f"{type(self).__name__} is archived, never deleted; use archive().")


class BaseModel(Audited, TimeStamped, Versioned):
    """The usual base for a domain row: audited, time-stamped, version-checked."""

    class Meta:
        abstract = True


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job (an import, a report) belongs to the person who started it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(created_by=user)

    def for_list(self):
        return self.select_related("created_by")

    def for_detail(self):
        return self.for_list()


class Job(models.Model):
    """Long work (imports, documents) run by the worker, with progress the page can poll."""

    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    input_file = models.FileField(_("input file"), upload_to="jobs/in/%Y/%m/", blank=True)
    output_file = models.FileField(_("output file"), upload_to="jobs/out/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))
