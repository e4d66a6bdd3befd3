"""Uploading evidence: checked by content, stored once, versioned (最多报一次).

Pages and the API both call `upload`; neither holds its own copy of these rules.
"""

from __future__ import annotations

import hashlib
import os
from typing import NamedTuple

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from duban.core.exceptions import BusinessRuleError
from duban.evidence.models import Blob, Document, Version
from duban.lib import filetypes
from duban.org.models import Section
from duban.org.scoping import scope_for

# The largest evidence file accepted (the product rule: ≤ 50 MB).
MAX_BYTES = 50 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024


class UploadResult(NamedTuple):
    document: Document
    version: Version
    reused: bool  # True: the same file was already this unit's document; nothing new was stored


def writable_sections(user):
    """Sections a user may file evidence under: their own (and led) ones; every one if unit-wide."""
    scope = scope_for(user)
    if not user.has_perm("evidence.add_document"):
        return Section.objects.none()
    return (
        Section.objects.active()
        .filter(unit_id__in=scope.unit_ids)
        .filter(scope.business_filter(section_field="pk", unit_field="unit"))
        .select_related("unit")
        .order_by("unit__path", "sort_order", "id")
    )


def upload(
    user,
    file: UploadedFile,
    title: str = "",
    section: Section | None = None,
    description: str = "",
    document: Document | None = None,
    note: str = "",
) -> UploadResult:
    """Store `file` as a new document, or as the next version of `document`.

    The same bytes are stored once (one `Blob` per SHA-256). Without `document`, a file that is
    already the current version of an active document of the same unit is not filed twice: that
    document is returned with `reused=True`.
    """
    kind = check_file(file)
    sha256 = file_hash(file)
    original_name = clean_name(file.name or "")
    unit_id = _target_unit(user, section) if document is None else None
    with transaction.atomic():
        blob, stored_now = _blob_for(file, sha256, kind)
        try:
            if document is None:
                return _new_document(
                    user, blob, original_name, unit_id, section, title, description, note
                )
            return _new_version(user, blob, original_name, document, note)
        except BaseException:
            if stored_now:
                # The rows roll back; take the freshly written file with them.
                blob.file.storage.delete(blob.file.name)
            raise


def check_file(file: UploadedFile) -> filetypes.FileKind:
    """Size and kind, both from the file itself; a Chinese message says what is accepted."""
    if file.size is None or file.size == 0:
        raise BusinessRuleError(_("The file is empty."), field="file")
    if file.size > MAX_BYTES:
        raise BusinessRuleError(
            _("The file is too large: at most %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    kind = filetypes.sniff_file(file)
    if kind is None:
        raise BusinessRuleError(
            _(
                "This kind of file is not accepted. Upload a PDF, OFD, Word or Excel file, "
                "or an image (JPEG, PNG, GIF, WebP, BMP, TIFF)."
            ),
            field="file",
        )
    return kind


def file_hash(file: UploadedFile) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks(CHUNK_BYTES):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def clean_name(name: str) -> str:
    """The file's own name without any folder a browser sent, short enough to keep its extension."""
    name = os.path.basename(name.replace("\\", "/")).strip() or "file"
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[: 255 - len(ext)] + ext
    return name


def _target_unit(user, section: Section | None) -> int:
    scope = scope_for(user)
    if section is not None:
        if not writable_sections(user).filter(pk=section.pk).exists():
            raise BusinessRuleError(
                _("You cannot file evidence under this section."), field="section"
            )
        return section.unit_id
    if scope.unit_wide and scope.own_unit_id and user.has_perm("evidence.add_document"):
        return scope.own_unit_id
    raise BusinessRuleError(_("Choose the section the evidence belongs to."), field="section")


def _blob_for(file: UploadedFile, sha256: str, kind: filetypes.FileKind) -> tuple[Blob, bool]:
    """The stored file with this content, storing it now if it is new (returns whether it was)."""
    existing = Blob.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing, False
    blob = Blob(sha256=sha256, size=file.size, kind=kind.code, mime=kind.mime)
    blob.file.save(sha256, file, save=False)
    try:
        with transaction.atomic():
            blob.save()
    except IntegrityError:
        # Someone stored the same bytes a moment ago: use theirs, drop ours.
        blob.file.storage.delete(blob.file.name)
        return Blob.objects.get(sha256=sha256), False
    return blob, True


def _new_document(
    user, blob, original_name, unit_id, section, title, description, note
) -> UploadResult:
    existing = (
        Document.objects.filter(
            unit_id=unit_id, archived_at__isnull=True, current_version__blob=blob
        )
        .for_detail()
        .order_by("created_at", "id")
        .first()
    )
    if existing is not None:
        return UploadResult(existing, existing.current_version, True)
    document = Document.objects.create(
        title=(title or "").strip() or os.path.splitext(original_name)[0] or original_name,
        description=description or "",
        unit_id=unit_id,
        section=section,
        created_by=user,
    )
    version = Version.objects.create(
        document=document,
        number=1,
        blob=blob,
        original_name=original_name,
        uploaded_by=user,
        note=note or "",
    )
    document.current_version = version
    document.save(update_fields=["current_version", "updated_at"])
    return UploadResult(document, version, False)


def _new_version(user, blob, original_name, document, note) -> UploadResult:
    # Lock the document so two uploads at once get numbers n+1 and n+2, not both n+1.
    document = Document.objects.editable_by(user).select_for_update().filter(pk=document.pk).first()
    if document is None:
        raise BusinessRuleError(_("You cannot change this document."))
    if document.is_archived:
        raise BusinessRuleError(_("This document is archived."))
    if document.current_version and document.current_version.blob_id == blob.pk:
        raise BusinessRuleError(
            _("This file is already the current version of the document."), field="file"
        )
    last = document.versions.aggregate(n=Max("number"))["n"] or 0
    version = Version.objects.create(
        document=document,
        number=last + 1,
        blob=blob,
        original_name=original_name,
        uploaded_by=user,
        note=note or "",
    )
    document.current_version = version
    document.save(update_fields=["current_version", "updated_at"])
    return UploadResult(document, version, False)
