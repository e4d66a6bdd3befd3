"""State changes shared by every app."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.exceptions import BusinessRuleError, StaleEditError
from duban.core.models import Archivable


@transaction.atomic
def archive(obj: Archivable, by, reason: str, expected_version: int | None = None) -> None:
    """Archive (归档) a row with a reason; nothing a user entered is hard-deleted."""
    if obj.is_archived:
        raise BusinessRuleError(_("This record is already archived."))
    if expected_version is not None and expected_version != obj.version:
        raise StaleEditError(obj)
    blockers = obj.archive_blockers() if hasattr(obj, "archive_blockers") else []
    if blockers:
        raise BusinessRuleError(
            _("It cannot be archived yet: %(why)s.") % {"why": "；".join(str(b) for b in blockers)}
        )
    obj.archived_at = timezone.now()
    obj.archived_by = by
    obj.archive_reason = reason
    obj.save()


@transaction.atomic
def restore(obj: Archivable) -> None:
    obj.archived_at = None
    obj.archived_by = None
    obj.archive_reason = ""
    obj.save()
