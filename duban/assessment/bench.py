"""Scoreboard benchmark: server time and queries at county scale (40 indicators) and beyond (400)."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from duban.core.bench import timed


def scoreboard_benchmarks() -> list[tuple[str, float, str]]:
    from duban.accounts.models import User
    from duban.assessment.models import Indicator, Period, Report, RequiredMaterial, Scheme
    from duban.org.models import Section, Unit

    bureau = Unit.objects.get(code="ZJJ")
    scheme = Scheme.objects.create(year=2026, name="基准测试方案", assessor=bureau.parent)
    scheme.units.add(bureau)
    period = Period.objects.create(
        scheme=scheme,
        code="H1",
        name="上半年",
        start="2026-01-01",
        end="2026-06-30",
        deadline="2026-07-10",
    )
    section = Section.objects.filter(unit=bureau).first()
    client = Client()
    client.force_login(User.objects.get(username="director"))
    url = f"/assessment/schemes/{scheme.pk}/?period=H1"
    rows = []
    count = 0
    for target in (40, 400):
        for i in range(count, target):
            indicator = Indicator.objects.create(
                scheme=scheme,
                code=f"B{i:04d}",
                name=f"指标{i}",
                points=Decimal(1),
                method="completion_linear",
                params={"penalty_per_step": "1"},
                target=Decimal(100),
                lead_section=section,
            )
            RequiredMaterial.objects.create(indicator=indicator, name="台账")
            Report.objects.create(
                indicator=indicator,
                period=period,
                unit=bureau,
                actual=Decimal("97"),
                status="confirmed",
            )
        count = target
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        query_count = len(queries)
        rows.append(
            (
                f"GET scoreboard at {target} indicators",
                timed(lambda: client.get(url)),
                f"ms, {query_count} queries",
            )
        )
    return rows
