"""Which evidence a user sees and may change.

Everyone in a unit reads its evidence (a document serves every indicator and report that needs it);
writing — new versions, archiving — belongs to the document's section, and unit-wide to the director
and the supervision office.
"""

from __future__ import annotations

from duban.core.querysets import ScopedQuerySet
from duban.org.scoping import scope_for


class DocumentQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.all_units:
            return self
        return self.filter(unit_id__in=scope.unit_ids)

    def editable_by(self, user):
        scope = scope_for(user)
        return self.visible_to(user).filter(
            scope.business_filter(section_field="section", unit_field="unit")
        )

    def for_list(self):
        return self.select_related(
            "section",
            "created_by",
            "current_version__blob",
            "current_version__uploaded_by",
        )

    def for_detail(self):
        return self.for_list().select_related("unit", "archived_by")


class VersionQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.all_units:
            return self
        return self.filter(document__unit_id__in=scope.unit_ids)

    def for_list(self):
        return self.select_related("blob", "uploaded_by", "document")


class BlobQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """A stored file is seen through the documents whose versions use it."""
        from duban.evidence.models import Version

        return self.filter(id__in=Version.objects.visible_to(user).values("blob_id"))
