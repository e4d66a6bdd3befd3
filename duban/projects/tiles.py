"""The cockpit's key-project tiles: projects behind, negative float, under-inspected sites,
investment against 时间进度, and acceptance and settlement deadlines due. A fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from duban.projects import operations, services
from duban.projects.choices import Stage
from duban.projects.models import Project
from duban.projects.schedule import load_plans


def project_tiles(user) -> dict:
    if not user.has_perm("projects.view_project"):
        return {}
    today = timezone.localdate()
    visible = Project.objects.visible_to(user).filter(archived_at__isnull=True)
    building = list(
        services.with_progress(visible.filter(stage=Stage.CONSTRUCTION), today).select_related(
            "responsible_leader"
        )
    )
    if not building and not visible.exists():
        return {}
    plans = load_plans(building, as_of=today)
    behind = []
    planned = completed = Decimal(0)
    for project in building:
        schedule = plans[project.pk].schedule
        if schedule is not None and schedule.project_float < 0:
            behind.append((project, schedule.project_float))
        if project.annual_investment:
            planned += project.annual_investment
            completed += project.year_investment or 0
    behind.sort(key=lambda pair: pair[1])
    return {
        "projects": {
            "building": len(building),
            "behind": behind[:5],
            "behind_count": len(behind),
            "investment": services.investment(planned or None, completed, today),
            "under_inspected": operations.under_inspected(today, visible)[:5],
            "deadlines": operations.closeout_deadlines_due(today, visible)[:5],
        }
    }
