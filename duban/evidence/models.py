"""The evidence store (印证资料): files uploaded once and referenced by everything that needs them.

- `Blob`: one stored file per distinct content (SHA-256); the same bytes uploaded twice are stored once.
- `Document`: what people name, file under a section and link to (indicators, reports, tasks link to
  it with their own many-to-many fields); archived with a reason, never deleted.
- `Version`: each upload of a document; versions are kept, the newest is the document's current one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.models import Archivable, BaseModel
from duban.evidence.choices import FileKind
from duban.evidence.querysets import BlobQuerySet, DocumentQuerySet, VersionQuerySet


def blob_path(blob: Blob, filename: str) -> str:
    """Stored under its hash, never under the uploader's name (which stays on the version)."""
    return f"evidence/{blob.sha256[:2]}/{blob.sha256}"


class Blob(BaseModel):
    """The bytes of a file, stored once whatever the number of documents and versions using them."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    file = models.FileField(_("file"), upload_to=blob_path, max_length=200, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=FileKind.choices, editable=False)
    mime = models.CharField(_("content type"), max_length=100, editable=False)

    objects = BlobQuerySet.as_manager()

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        constraints = [
            # The store-once rule: the upload service looks a blob up by its hash before storing one.
            models.UniqueConstraint(fields=["sha256"], name="evidence_blob_unique_sha256"),
        ]

    def __str__(self) -> str:
        return self.sha256[:12]

    def delete(self, *args: Any, **kwargs: Any):
        raise TypeError("Stored evidence files are never deleted.")


class Document(BaseModel, Archivable):
    """A piece of evidence (印证资料) as people know it: a title, its section, its versions."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="documents"
    )
    section = models.ForeignKey(
        "org.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The newest version (its number, file and uploader): one join for every list row.
    current_version = models.ForeignKey(
        "evidence.Version",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the library lists a unit's active documents, newest first
            models.Index(
                fields=["unit", "archived_at", "-created_at"], name="evidence_doc_unit_list"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evidence:document_detail", args=[self.pk])

    @property
    def current_number(self) -> int:
        return self.current_version.number if self.current_version_id else 0


class Version(BaseModel):
    """One upload of a document. Kept for good: a new upload adds a version, it never replaces one."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version number"))
    blob = models.ForeignKey(
        Blob, verbose_name=_("file"), on_delete=models.PROTECT, related_name="versions"
    )
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence version")
        verbose_name_plural = _("evidence versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="evidence_version_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    def get_absolute_url(self) -> str:
        return self.document.get_absolute_url()

    def get_download_url(self) -> str:
        return reverse("evidence:version_download", args=[self.pk])

    def delete(self, *args: Any, **kwargs: Any):
        raise TypeError("Evidence versions are kept; upload a new version instead.")
