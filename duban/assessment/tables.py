import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from duban.assessment.models import (
    DeductionExplanation,
    Indicator,
    Report,
    ResponsibilityLetter,
    Scheme,
)
from duban.core.tables import BaseTable


class SchemeTable(BaseTable):
    name = tables.Column(linkify=True)
    assessor = tables.Column()

    class Meta(BaseTable.Meta):
        model = Scheme
        fields = ("year", "name", "assessor", "total_points", "status")


class IndicatorTable(BaseTable):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Indicator
        fields = (
            "code",
            "name",
            "points",
            "method",
            "lead_section",
            "responsible_leader",
            "responsible_person",
        )


class ReportTable(BaseTable):
    indicator = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Report
        fields = ("indicator", "period", "actual", "status", "submitted_by", "submitted_at")


class ExplanationTable(BaseTable):
    indicator = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = DeductionExplanation
        fields = (
            "indicator",
            "period",
            "expected_deduction",
            "status",
            "approved_by",
            "submitted_at",
        )


class LetterTable(BaseTable):
    section = tables.Column(linkify=lambda record: record.get_absolute_url())
    indicator_count = tables.Column(verbose_name=_("Indicators"), orderable=False, empty_values=())

    class Meta(BaseTable.Meta):
        model = ResponsibilityLetter
        fields = (
            "section",
            "scheme",
            "director",
            "leader",
            "indicator_count",
            "signed_on",
            "status",
        )

    def render_indicator_count(self, record):
        return len(record.indicators.all())
