"""Every page and endpoint × every persona: the expected status (DESIGN §2).

A new URL without a row here fails `test_every_route_is_in_the_matrix`, so no view can forget its rights.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import get_resolver

from duban.accounts.models import Lockout
from duban.audit.models import ObjectChange
from duban.core.models import Job
from duban.core.testing import check_matrix
from duban.workcalendar.models import CalendarDay

BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
ALL = (*BUSINESS, "auditor", "sysadmin", "secadmin", "anonymous")


def expect(business=None, sysadmin=None, secadmin=403, auditor=403, anonymous=302, **per_persona):
    result = {p: business for p in BUSINESS}
    result.update(sysadmin=sysadmin, secadmin=secadmin, auditor=auditor, anonymous=anonymous)
    result.update(per_persona)
    return result


def api(business=None, sysadmin=None, secadmin=403, auditor=403, **per_persona):
    return expect(business, sysadmin, secadmin, auditor, anonymous=401, **per_persona)


ORG_READ = expect(200, 200)
ORG_WRITE = expect(403, 200)

# route name → (method, url builder taking the fixture objects, expected statuses)
MATRIX = {
    "cockpit:home": ("get", lambda o: "/", expect(200, 200, 200, 200)),
    "core:job_detail": ("get", lambda o: f"/jobs/{o['job'].pk}/", expect(404, 200, 404, 404)),
    "accounts:login": ("get", lambda o: "/accounts/login/", {"anonymous": 200, "staff_a": 302}),
    "accounts:logout": ("get", lambda o: "/accounts/logout/", {"anonymous": 405, "staff_a": 405}),
    "accounts:profile": ("get", lambda o: "/accounts/me/", expect(200, 200, 200, 200)),
    "accounts:password_change": (
        "get",
        lambda o: "/accounts/password/",
        expect(200, 200, 200, 200),
    ),
    "accounts:user_list": ("get", lambda o: "/accounts/users/", expect(403, 200, 200)),
    "accounts:user_add": ("get", lambda o: "/accounts/users/add/", expect(403, 200, 403)),
    "accounts:user_edit": (
        "get",
        lambda o: f"/accounts/users/{o['org'].users['staff_a'].pk}/edit/",
        expect(403, 200, 403),
    ),
    "accounts:lockout_list": ("get", lambda o: "/accounts/lockouts/", expect(403, 403, 200)),
    "accounts:unlock": (
        "post",
        lambda o: f"/accounts/lockouts/{o['lockout'].pk}/unlock/",
        expect(403, 403, 302),
    ),
    "org:unit_list": ("get", lambda o: "/org/units/", ORG_READ),
    "org:unit_add": ("get", lambda o: "/org/units/add/", ORG_WRITE),
    "org:unit_detail": ("get", lambda o: f"/org/units/{o['org'].bureau.pk}/", ORG_READ),
    "org:unit_edit": ("get", lambda o: f"/org/units/{o['org'].bureau.pk}/edit/", ORG_WRITE),
    "org:section_list": ("get", lambda o: "/org/sections/", ORG_READ),
    "org:section_add": ("get", lambda o: "/org/sections/add/", ORG_WRITE),
    "org:section_detail": ("get", lambda o: f"/org/sections/{o['org'].section_a.pk}/", ORG_READ),
    "org:section_edit": (
        "get",
        lambda o: f"/org/sections/{o['org'].section_a.pk}/edit/",
        ORG_WRITE,
    ),
    "org:section_archive": (
        "post",
        lambda o: f"/org/sections/{o['org'].section_c.pk}/archive/",
        expect(403, 302),
    ),
    "org:section_assign_leader": (
        "post",
        lambda o: f"/org/sections/{o['org'].section_c.pk}/leader/",
        expect(403, 400),
    ),
    "org:person_list": ("get", lambda o: "/org/people/", ORG_READ),
    "org:person_add": ("get", lambda o: "/org/people/add/", ORG_WRITE),
    "org:person_import": ("get", lambda o: "/org/people/import/", ORG_WRITE),
    "org:person_import_template": ("get", lambda o: "/org/people/import/template/", ORG_WRITE),
    "org:person_detail": (
        "get",
        lambda o: f"/org/people/{o['org'].person('staff_c').pk}/",
        ORG_READ,
    ),
    "org:person_edit": (
        "get",
        lambda o: f"/org/people/{o['org'].person('staff_c').pk}/edit/",
        ORG_WRITE,
    ),
    "org:assignment_list": ("get", lambda o: "/org/leaders/", ORG_READ),
    "workcalendar:month": ("get", lambda o: "/calendar/", ORG_READ),
    "workcalendar:add_days": ("post", lambda o: "/calendar/days/", expect(403, 400)),
    "workcalendar:void_day": (
        "post",
        lambda o: f"/calendar/days/{o['day'].pk}/void/",
        expect(403, 302),
    ),
    "workcalendar:set_year": ("post", lambda o: "/calendar/years/", expect(403, 302)),
    "audit:change_list": ("get", lambda o: "/audit/changes/", expect(403, 403, 403, 200)),
    "audit:change_detail": (
        "get",
        lambda o: f"/audit/changes/{o['change'].pk}/",
        expect(403, 403, 403, 200),
    ),
    "api-me": ("get", lambda o: "/api/v1/accounts/me/", api(200, 200, 200, 200)),
    "unit-list": ("get", lambda o: "/api/v1/org/units/", api(200, 200)),
    "unit-detail": ("get", lambda o: f"/api/v1/org/units/{o['org'].peer.pk}/", api(404, 200)),
    "section-list": ("get", lambda o: "/api/v1/org/sections/", api(200, 200)),
    "section-detail": (
        "get",
        lambda o: f"/api/v1/org/sections/{o['org'].section_d.pk}/",
        api(404, 200),
    ),
    "person-list": ("get", lambda o: "/api/v1/org/people/", api(200, 200)),
    "person-detail": (
        "get",
        lambda o: f"/api/v1/org/people/{o['org'].peer_person.pk}/",
        api(404, 200),
    ),
    "leaderassignment-list": ("get", lambda o: "/api/v1/org/leader-assignments/", api(200, 200)),
    "leaderassignment-detail": (
        "get",
        lambda o: (
            f"/api/v1/org/leader-assignments/{o['org'].section_a.leader_assignments.get().pk}/"
        ),
        api(200, 200),
    ),
    "api-calendar-workdays": (
        "get",
        lambda o: "/api/v1/calendar/workdays/?start=2026-01-01&end=2026-12-31",
        api(200, 200),
    ),
    "api-calendar-add": (
        "get",
        lambda o: "/api/v1/calendar/add/?date=2026-01-01&workdays=3",
        api(200, 200),
    ),
    "calendarday-list": ("get", lambda o: "/api/v1/calendar/days/", api(200, 200)),
    "calendarday-detail": ("get", lambda o: f"/api/v1/calendar/days/{o['day'].pk}/", api(200, 200)),
    "objectchange-list": ("get", lambda o: "/api/v1/audit/changes/", api(403, 403, 403, 200)),
    "objectchange-detail": (
        "get",
        lambda o: f"/api/v1/audit/changes/{o['change'].pk}/",
        api(403, 403, 403, 200),
    ),
    "api-job-detail": ("get", lambda o: f"/api/v1/jobs/{o['job'].pk}/", api(404, 200, 404, 404)),
    "api-schema": ("get", lambda o: "/api/schema/", api(200, 200, 200, 200)),
    "api-docs": ("get", lambda o: "/api/docs/", expect(200, 200, 200, 200)),
    "healthz": ("get", lambda o: "/healthz", {p: 200 for p in ALL}),
}


def route_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def test_every_route_is_in_the_matrix():
    assert route_names() - set(MATRIX) == set()
    assert set(MATRIX) - route_names() == set()


@pytest.fixture
def objects(org):
    return {
        "org": org,
        "job": Job.objects.create(
            kind="org.import_people", title="x", created_by=org.users["sysadmin"]
        ),
        "lockout": Lockout.objects.create(
            username="x", until=dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
        ),
        "day": CalendarDay.objects.create(day=dt.date(2027, 1, 1), is_workday=False, name="元旦"),
        "change": ObjectChange.objects.first(),
    }


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_route_answers_each_persona_as_expected(objects, client_for, name):
    method, url, expected = MATRIX[name]
    data = (
        {"reason": "测试", "version": 1, "year": 2027, "complete": "on"}
        if method == "post"
        else None
    )
    assert check_matrix(client_for, method, url(objects), expected, data) == []
