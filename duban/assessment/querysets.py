"""Which assessment rows a user sees and may change.

Openness: everyone in an assessed unit reads its scheme, indicators, reports and scores. Writing is
narrower: reports and explanations belong to the indicator's lead section (or its responsible person);
confirming belongs to the responsible leader (一岗双责) and the director.
"""

from __future__ import annotations

from django.db.models import Q

from duban.core.querysets import ScopedQuerySet
from duban.org.scoping import scope_for


def _section_rule(user, prefix: str = "") -> Q:
    """Rows of indicators the user's sections lead, or that name the user as responsible person."""
    scope = scope_for(user)
    if scope.unit_wide:
        return Q(**{f"{prefix}scheme__units__in": scope.unit_ids})
    rule = Q(**{f"{prefix}lead_section__in": scope.section_ids})
    if scope.person_id:
        rule |= Q(**{f"{prefix}responsible_person": scope.person_id})
    return rule


def _leader_rule(user, prefix: str = "") -> Q:
    """Rows the user confirms: the director all of the unit's; a leader those they are responsible for."""
    scope = scope_for(user)
    if user.role == "director":
        return Q(**{f"{prefix}scheme__units__in": scope.unit_ids})
    rule = Q(**{f"{prefix}lead_section__in": scope.led_section_ids})
    if scope.person_id:
        rule |= Q(**{f"{prefix}responsible_leader": scope.person_id})
    return rule


class SchemeQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if not scope.unit_ids:
            return self.none()
        ids = self.filter(Q(units__in=scope.unit_ids) | Q(assessor__in=scope.unit_ids)).values("id")
        return self.filter(id__in=ids)

    def for_list(self):
        return self.select_related("assessor").order_by("-year", "name")


class IndicatorQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from duban.assessment.models import Scheme

        return self.filter(scheme__in=Scheme.objects.visible_to(user))

    def reportable_by(self, user):
        """Indicators the user may report on (their section leads it, or they are its responsible person)."""
        if not user.has_perm("assessment.add_report"):
            return self.none()
        ids = self.visible_to(user).filter(_section_rule(user)).values("id")
        return self.filter(id__in=ids)

    def confirmable_by(self, user):
        if not user.has_perm("assessment.confirm_report"):
            return self.none()
        ids = self.visible_to(user).filter(_leader_rule(user)).values("id")
        return self.filter(id__in=ids)

    def leaves(self):
        return self.exclude(method="")

    def for_list(self):
        return self.select_related(
            "scheme", "parent", "responsible_leader", "lead_section", "responsible_person"
        ).order_by("scheme", "sort_order", "code")


class ReportQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from duban.assessment.models import Indicator

        scope = scope_for(user)
        return self.filter(
            unit__in=scope.unit_ids, indicator__in=Indicator.objects.visible_to(user)
        )

    def editable_by(self, user):
        from duban.assessment.models import Indicator

        return self.visible_to(user).filter(indicator__in=Indicator.objects.reportable_by(user))

    def confirmable_by(self, user):
        from duban.assessment.models import Indicator

        return self.visible_to(user).filter(indicator__in=Indicator.objects.confirmable_by(user))

    def for_list(self):
        return self.select_related(
            "indicator",
            "indicator__lead_section",
            "indicator__responsible_leader",
            "period",
            "unit",
            "submitted_by",
        )


class ExplanationQuerySet(ReportQuerySet):
    def for_list(self):
        return self.select_related(
            "indicator", "indicator__lead_section", "period", "unit", "approved_by"
        )


class PeriodQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from duban.assessment.models import Scheme

        return self.filter(scheme__in=Scheme.objects.visible_to(user))


class MaterialQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from duban.assessment.models import Indicator

        return self.filter(indicator__in=Indicator.objects.visible_to(user))


class PublishedResultQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from duban.assessment.models import Scheme

        return self.filter(scheme__in=Scheme.objects.visible_to(user))

    def for_list(self):
        return self.select_related("scheme", "period", "unit")


class LetterQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from duban.assessment.models import Scheme

        scope = scope_for(user)
        return self.filter(
            scheme__in=Scheme.objects.visible_to(user), section__unit__in=scope.unit_ids
        )

    def for_list(self):
        return self.select_related("scheme", "section", "director", "leader").prefetch_related(
            "indicators"
        )
