"""The battle map costs the same number of queries at 300 and at 3,000 activities."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duban.core.testing import count_queries
from duban.projects.bench import build_portfolio
from duban.projects.models import Activity, BaselineActivity


@pytest.mark.parametrize("name", ["projects:battlemap", "projects:battlemap_xlsx"])
def test_query_count_does_not_grow_with_the_activities(org, client_for, name):
    def build(projects: int, first: int) -> None:
        build_portfolio(
            unit=org.bureau,
            section=org.section_a,
            leader=org.person("leader"),
            approver=org.users["leader"],
            projects=projects,
            first=first,
        )

    client = client_for("director")
    url = reverse(name)
    build(10, 1)
    assert Activity.objects.count() == 300
    client.get(url)  # warm the calendar and the session
    small = count_queries(lambda: client.get(url))
    build(90, 11)
    assert Activity.objects.count() == 3_000 and BaselineActivity.objects.count() == 3_000
    response = client.get(url)
    assert response.status_code == 200
    large = count_queries(lambda: client.get(url))
    assert small == large
    if name == "projects:battlemap":
        chart = response.context["chart"]
        assert len(chart["projects"]) == 100
        assert sum(len(p["acts"]) for p in chart["projects"]) == 3_000
