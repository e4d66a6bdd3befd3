"""Plain factory functions for the assessment module (STYLE.md: make_* functions, no magic)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from duban.assessment.choices import ExplanationStatus, LetterStatus, ReportStatus
from duban.assessment.models import (
    DeductionExplanation,
    Indicator,
    Period,
    Report,
    ResponsibilityLetter,
    Scheme,
)

# Default dates of the usual periods of a scheme year: (name, start, end) as month/day pairs.
_PERIODS = {
    "Q1": ("一季度", (1, 1), (3, 31)),
    "H1": ("上半年", (1, 1), (6, 30)),
    "Q3": ("前三季度", (1, 1), (9, 30)),
    "Y": ("全年", (1, 1), (12, 31)),
}


def make_scheme(org, year: int = 2026, name: str = "", **fields) -> Scheme:
    """A scheme issued by the persona fixture's assessor, assessing the bureau."""
    scheme = Scheme.objects.create(
        year=year,
        name=name or f"{year}年度县直单位目标管理绩效考核方案",
        assessor=org.assessor,
        **fields,
    )
    scheme.units.set([org.bureau])
    return scheme


def make_period(
    scheme: Scheme,
    code: str = "H1",
    start: dt.date | None = None,
    end: dt.date | None = None,
    deadline: dt.date | None = None,
    name: str = "",
) -> Period:
    default_name, start_md, end_md = _PERIODS.get(code, (code, (1, 1), (12, 31)))
    start = start or dt.date(scheme.year, *start_md)
    end = end or dt.date(scheme.year, *end_md)
    return Period.objects.create(
        scheme=scheme,
        code=code,
        name=name or default_name,
        start=start,
        end=end,
        deadline=deadline or end + dt.timedelta(days=10),
    )


def make_indicator(
    scheme: Scheme,
    code: str,
    name: str,
    points,
    method: str = "completion_linear",
    params: dict | None = None,
    target=100,
    lead_section=None,
    responsible_leader=None,
    parent: Indicator | None = None,
    **fields,
) -> Indicator:
    """A leaf indicator by default; pass method="" for a category (一级) that adds up its children."""
    if params is None:
        params = {"penalty_per_step": "1"} if method == "completion_linear" else {}
    indicator = Indicator(
        scheme=scheme,
        parent=parent,
        code=code,
        name=name,
        points=Decimal(str(points)),
        method=method,
        params=params,
        target=None if target is None else Decimal(str(target)),
        lead_section=lead_section,
        responsible_leader=responsible_leader,
        **fields,
    )
    indicator.full_clean()
    indicator.save()
    return indicator


def make_report(
    indicator: Indicator,
    period: Period,
    unit,
    actual=None,
    status: str = ReportStatus.SUBMITTED,
    **fields,
) -> Report:
    return Report.objects.create(
        indicator=indicator,
        period=period,
        unit=unit,
        actual=None if actual is None else Decimal(str(actual)),
        status=status,
        **fields,
    )


def make_explanation(
    indicator: Indicator,
    period: Period,
    unit,
    expected_deduction="1.5",
    status: str = ExplanationStatus.DRAFT,
    **fields,
) -> DeductionExplanation:
    fields.setdefault("cause", "受国家政策调整影响，项目开工时间推迟。")
    fields.setdefault("measures", "已成立工作专班，倒排工期，每周调度。")
    fields.setdefault("request", "恳请考核办酌情减免扣分。")
    return DeductionExplanation.objects.create(
        indicator=indicator,
        period=period,
        unit=unit,
        expected_deduction=Decimal(str(expected_deduction)),
        status=status,
        **fields,
    )


def make_letter(
    scheme: Scheme,
    section,
    director,
    leader,
    indicators=(),
    key_tasks: str = "",
    status: str = LetterStatus.DRAFT,
    **fields,
) -> ResponsibilityLetter:
    letter = ResponsibilityLetter.objects.create(
        scheme=scheme,
        section=section,
        director=director,
        leader=leader,
        key_tasks=key_tasks,
        status=status,
        **fields,
    )
    letter.indicators.set(indicators)
    return letter
