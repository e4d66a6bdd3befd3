"""Battle map benchmark (`duban bench`): server time and queries at 300 and 3,000 activities.

`build_portfolio` bulk-creates realistic plans (two interleaved chains with joins, milestones,
done and started work, a baseline each): the benchmark and the query-count tests see the same data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from duban.core.bench import timed
from duban.lib import scheduling
from duban.projects.choices import BaselineKind, Stage
from duban.projects.models import Activity, Baseline, BaselineActivity, Dependency, Project
from duban.workcalendar.services import current_calendar

ACTIVITIES_PER_PROJECT = 30


def build_portfolio(
    *,
    unit,
    section,
    approver,
    leader=None,
    projects: int,
    activities: int = ACTIVITIES_PER_PROJECT,
    as_of: dt.date | None = None,
    first: int = 1,
) -> list[Project]:
    """`projects` projects of `activities` activities each, numbered from `first`, in a few bulk
    inserts. Plans start 90 days before `as_of`; what the approved plan put before `as_of` is done
    (some of it late) or under way."""
    as_of = as_of or timezone.localdate()
    calendar = current_calendar()
    rows = Project.objects.bulk_create(
        Project(
            unit=unit,
            lead_section=section,
            responsible_leader=leader,
            code=f"BM-{n:04d}",
            name=f"基准测试项目{n}",
            stage=Stage.CONSTRUCTION,
            planned_start=as_of - dt.timedelta(days=90),
            deadline=as_of + dt.timedelta(days=90 + 15 * (n % 5)),
        )
        for n in range(first, first + projects)
    )
    inputs = [_plan(activities) for _ in rows]
    plans = [
        scheduling.schedule(plan, p.planned_start, p.deadline, calendar)
        for p, plan in zip(rows, inputs, strict=True)
    ]
    created = Activity.objects.bulk_create(
        _activity(project, a, result, i, as_of)
        for project, plan, schedule in zip(rows, inputs, plans, strict=True)
        for i, (a, result) in enumerate(zip(plan, schedule.activities, strict=True))
    )
    by_code = {(a.project_id, a.code): a.pk for a in created}
    Dependency.objects.bulk_create(
        Dependency(
            successor_id=by_code[project.pk, a.code],
            predecessor_id=by_code[project.pk, d.code],
            lag=d.lag,
        )
        for project, plan in zip(rows, inputs, strict=True)
        for a in plan
        for d in a.predecessors
    )
    baselines = Baseline.objects.bulk_create(
        Baseline(
            project=project,
            name="立项批复计划",
            kind=BaselineKind.INITIAL,
            approved_by=approver,
            approved_on=project.planned_start,
            deadline=project.deadline,
        )
        for project in rows
    )
    BaselineActivity.objects.bulk_create(
        BaselineActivity(
            baseline=baseline,
            code=a.code,
            name=a.name,
            duration=a.duration,
            start=result.early_start,
            finish=result.early_finish,
        )
        for baseline, plan, schedule in zip(baselines, inputs, plans, strict=True)
        for a, result in zip(plan, schedule.activities, strict=True)
    )
    return rows


def _plan(count: int) -> list[scheduling.ActivityInput]:
    """Two chains that join every fifth activity; every tenth is a milestone."""
    plan = []
    for i in range(count):
        predecessors = []
        if i >= 2:
            predecessors.append(scheduling.Dependency(f"A{i - 2:03d}"))
        if i % 5 == 4:
            predecessors.append(scheduling.Dependency(f"A{i - 1:03d}"))
        plan.append(
            scheduling.ActivityInput(
                code=f"A{i:03d}",
                name=f"工序{i}",
                duration=0 if i % 10 == 9 else 3 + (i * 7) % 12,
                predecessors=tuple(predecessors),
            )
        )
    return plan


def _activity(project, a, result, i: int, as_of: dt.date) -> Activity:
    yesterday = as_of - dt.timedelta(days=1)
    fields = {}
    if result.early_finish < as_of:  # due by now: done, every third one a few days late
        late = dt.timedelta(days=3 if i % 3 == 0 else 0)
        fields["actual_start"] = min(result.early_start, yesterday)
        fields["actual_finish"] = min(result.early_finish + late, yesterday)
        fields["percent_complete"] = Decimal(100)
    elif result.early_start < as_of:  # under way
        fields["actual_start"] = result.early_start
        fields["percent_complete"] = Decimal(40)
    return Activity(
        project=project,
        code=a.code,
        name=a.name,
        duration=a.duration,
        sort_order=(i + 1) * 10,
        **fields,
    )


def _bench_context():
    """The demo bureau's director when the demo is loaded; else a unit and a director of its own."""
    from duban.accounts.models import User
    from duban.accounts.roles import Role
    from duban.org.models import Person, Section, Unit

    user = User.objects.filter(username="director", person__isnull=False).first()
    if user is not None:
        unit = user.person.unit
    else:
        unit = Unit.objects.create(name="基准测试单位", code="BENCH-BM")
        user = User.objects.create_user("bench-director", None, name="基准", role=Role.DIRECTOR)
        Person.objects.create(unit=unit, name="基准", user=user)
    section = Section.objects.create(unit=unit, name="挂图基准股室")
    return unit, section, user


# Static URLs without the collected manifest, so the benchmark runs before `collectstatic` too.
_PLAIN_STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def battlemap_benchmark() -> list[tuple[str, float, str]]:
    """GET the battle map and its Excel sheet as the director at 300 and 3,000 activities (30 per
    project), filtered to the benchmark's own section so other demo projects do not count."""
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": _PLAIN_STATIC}):
        return _battlemap_benchmark()


def _battlemap_benchmark() -> list[tuple[str, float, str]]:
    unit, section, user = _bench_context()
    client = Client()
    client.force_login(user)
    results = []
    built = 0
    for target in (300, 3_000):
        projects = target // ACTIVITIES_PER_PROJECT
        build_portfolio(
            unit=unit,
            section=section,
            approver=user,
            projects=projects - built,
            first=built + 1,
        )
        built = projects
        for name, url, repeat in (
            ("battle map", f"/projects/battlemap/?section={section.pk}", 5),
            ("battle map Excel", f"/projects/battlemap/export.xlsx?section={section.pk}", 3),
        ):
            client.get(url)  # warm the per-process caches (calendar, content types)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            query_count = len(queries)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            ms = timed(lambda url=url: client.get(url), repeat)
            results.append(
                (f"GET {name} at {target:,} activities", ms, f"ms, {query_count} queries")
            )
    return results
