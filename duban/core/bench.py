"""Benchmarks (`duban bench`): performance targets live here, not in timed unit tests.

Page benchmarks run in a throwaway test database, never in the bureau's data.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def timed(func: Callable[[], object], repeat: int = 5) -> float:
    """Median milliseconds of `repeat` runs after one warm-up."""
    func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def calendar_benchmarks() -> list[tuple[str, float, str]]:
    from duban.lib.workdays import Calendar

    results = []
    start, end = dt.date(2010, 1, 1), dt.date(2029, 12, 31)
    results.append(
        (
            "workdays_between over 20 years (cold calendar)",
            timed(lambda: Calendar().workdays_between(start, end), 3),
            "ms",
        )
    )
    warm = Calendar()
    warm.workdays_between(start, end)
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i % 700) for i in range(10_000)]
    results.append(
        (
            "10,000 add_workdays (warm)",
            timed(lambda: [warm.add_workdays(d, 15) for d in days], 3),
            "ms",
        )
    )
    results.append(
        (
            "10,000 workday_index (warm)",
            timed(lambda: [warm.workday_index(d) for d in days], 3),
            "ms",
        )
    )
    return results


def _grow_people(n: int) -> None:
    from duban.org.models import Person, Section, Unit

    unit = Unit.objects.get(code="ZJJ")
    sections = list(Section.objects.filter(unit=unit))
    existing = Person.objects.count()
    Person.objects.bulk_create(
        (
            Person(
                unit=unit,
                section=sections[i % len(sections)],
                name=f"测试{existing + i}",
                phone="13800000000",
            )
            for i in range(n)
        ),
        batch_size=2000,
    )


def page_benchmarks() -> list[tuple[str, float, str]]:
    """Org pages as the director at 1,000 and 10,000 people: server time and queries per request."""
    from django.utils.module_loading import import_string

    from duban.accounts.models import User
    from duban.core.management.commands.demo import BUILDERS

    for path in BUILDERS:
        import_string(path)()  # the whole demo bureau, as a county sees it
    client = Client()
    client.force_login(User.objects.get(username="director"))
    results = []
    people = 79
    for target in (1_000, 10_000):
        _grow_people(target - people)
        people = target
        for url in ("/org/people/", "/api/v1/org/people/", "/org/sections/", "/"):
            client.get(url)  # warm the per-process caches (content types, calendar)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            query_count = len(queries)  # read now: the next request resets the connection's log
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            ms = timed(lambda url=url: client.get(url))
            results.append((f"GET {url} at {target:,} people", ms, f"ms, {query_count} queries"))
    return results
