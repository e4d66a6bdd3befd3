"""Every page and endpoint × every persona: the expected status (DESIGN §2).

A new URL without a row here fails `test_every_route_is_in_the_matrix`, so no view can forget its rights.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import get_resolver
from django.utils.module_loading import import_string

from duban.accounts.models import Lockout
from duban.audit.models import ObjectChange
from duban.core.models import Job
from duban.core.testing import ALL, api, check_matrix, expect
from duban.workcalendar.models import CalendarDay

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
    # 印证资料: everyone in the unit reads; the owning sections write.
    "evidence:document_list": ("get", lambda o: "/evidence/", expect(200, 403)),
    "evidence:document_upload": ("get", lambda o: "/evidence/upload/", expect(200, 403)),
    "evidence:document_detail": (
        "get",
        lambda o: f"/evidence/{o['document'].pk}/",
        expect(200, 403),
    ),
    "evidence:version_upload": (
        "post",
        lambda o: f"/evidence/{o['document'].pk}/versions/",
        expect(400, 403, staff_c=404),
    ),
    "evidence:document_archive": (
        "post",
        lambda o: f"/evidence/{o['document'].pk}/archive/",
        expect(302, 403, staff_c=404),
    ),
    "evidence:version_download": (
        "get",
        lambda o: f"/evidence/versions/{o['document'].current_version_id}/download/",
        expect(200, 403),
    ),
    "document-list": ("get", lambda o: "/api/v1/evidence/documents/", api(200, 403)),
    "document-detail": (
        "get",
        lambda o: f"/api/v1/evidence/documents/{o['document'].pk}/",
        api(200, 403),
    ),
    "document-versions": (
        "get",
        lambda o: f"/api/v1/evidence/documents/{o['document'].pk}/versions/",
        api(200, 403),
    ),
    # 考评指标: everyone in the unit reads; the office sets up; sections report; leaders confirm.
    "assessment:scheme_list": ("get", lambda o: "/assessment/", expect(200, 403)),
    "assessment:scheme_add": (
        "get",
        lambda o: "/assessment/schemes/add/",
        expect(403, 403, office=200),
    ),
    "assessment:scheme_detail": (
        "get",
        lambda o: f"/assessment/schemes/{o['scheme'].pk}/",
        expect(200, 403),
    ),
    "assessment:scheme_edit": (
        "get",
        lambda o: f"/assessment/schemes/{o['scheme'].pk}/edit/",
        expect(403, 403, office=200),
    ),
    "assessment:scheme_import": (
        "get",
        lambda o: f"/assessment/schemes/{o['scheme'].pk}/import/",
        expect(403, 403, office=200),
    ),
    "assessment:scheme_import_template": (
        "get",
        lambda o: "/assessment/import-template/",
        expect(403, 403, office=200),
    ),
    "assessment:results_edit": (
        "get",
        lambda o: f"/assessment/schemes/{o['scheme'].pk}/results/H1/",
        expect(403, 403, office=200),
    ),
    "assessment:ranking": (
        "get",
        lambda o: f"/assessment/schemes/{o['scheme'].pk}/ranking/",
        expect(200, 403),
    ),
    "assessment:indicator_list": ("get", lambda o: "/assessment/indicators/", expect(200, 403)),
    "assessment:my_indicators": (
        "get",
        lambda o: "/assessment/mine/",
        expect(200, 403, office=403),
    ),
    "assessment:indicator_add": (
        "get",
        lambda o: "/assessment/indicators/add/",
        expect(403, 403, office=200),
    ),
    "assessment:indicator_detail": (
        "get",
        lambda o: f"/assessment/indicators/{o['indicator'].pk}/",
        expect(200, 403),
    ),
    "assessment:indicator_edit": (
        "get",
        lambda o: f"/assessment/indicators/{o['indicator'].pk}/edit/",
        expect(403, 403, office=200),
    ),
    "assessment:indicator_preview": (
        "post",
        lambda o: f"/assessment/indicators/{o['indicator'].pk}/preview/",
        expect(200, 403),
    ),
    "assessment:material_link": (
        "post",
        lambda o: f"/assessment/materials/{o['material'].pk}/link/",
        expect(404, 403, staff_c=404, office=404),
    ),
    "assessment:report_list": ("get", lambda o: "/assessment/reports/", expect(200, 403)),
    "assessment:report_edit": (
        "get",
        lambda o: f"/assessment/reports/{o['report'].pk}/",
        expect(302, 403),
    ),
    "assessment:report": (
        "get",
        lambda o: f"/assessment/indicators/{o['indicator'].pk}/report/H1/",
        expect(200, 403),
    ),
    "assessment:explanation_list": ("get", lambda o: "/assessment/explanations/", expect(200, 403)),
    "assessment:explanation_add": (
        "get",
        lambda o: "/assessment/explanations/add/",
        expect(200, 403, office=403),
    ),
    "assessment:explanation_detail": (
        "get",
        lambda o: f"/assessment/explanations/{o['explanation'].pk}/",
        expect(200, 403),
    ),
    "assessment:explanation_edit": (
        "get",
        lambda o: f"/assessment/explanations/{o['explanation'].pk}/edit/",
        expect(200, 403, staff_c=404, office=403),
    ),
    "assessment:explanation_approve": (
        "post",
        lambda o: f"/assessment/explanations/{o['explanation'].pk}/approve/",
        expect(403, 403, director=302, leader=302),
    ),
    "assessment:explanation_submit": (
        "post",
        lambda o: f"/assessment/explanations/{o['explanation'].pk}/submit/",
        expect(403, 403, office=302),
    ),
    "assessment:explanation_docx": (
        "get",
        lambda o: f"/assessment/explanations/{o['explanation'].pk}/docx/",
        expect(200, 403),
    ),
    "assessment:letter_list": ("get", lambda o: "/assessment/letters/", expect(200, 403)),
    "assessment:letter_add": (
        "get",
        lambda o: "/assessment/letters/add/",
        expect(403, 403, office=200),
    ),
    "assessment:letter_detail": (
        "get",
        lambda o: f"/assessment/letters/{o['letter'].pk}/",
        expect(200, 403),
    ),
    "assessment:letter_edit": (
        "get",
        lambda o: f"/assessment/letters/{o['letter'].pk}/edit/",
        expect(403, 403, office=200),
    ),
    "assessment:letter_docx": (
        "get",
        lambda o: f"/assessment/letters/{o['letter'].pk}/docx/",
        expect(200, 403),
    ),
    "api-score-preview": (
        "post",
        lambda o: "/api/v1/assessment/score-preview/",
        api(200, 403),
        {"method": "binary", "points": "5", "target": "10", "actual": "12"},
    ),
    "scheme-list": ("get", lambda o: "/api/v1/assessment/schemes/", api(200, 403)),
    "scheme-detail": (
        "get",
        lambda o: f"/api/v1/assessment/schemes/{o['scheme'].pk}/",
        api(200, 403),
    ),
    "scheme-scoreboard": (
        "get",
        lambda o: f"/api/v1/assessment/schemes/{o['scheme'].pk}/scoreboard/",
        api(200, 403),
    ),
    "indicator-list": ("get", lambda o: "/api/v1/assessment/indicators/", api(200, 403)),
    "indicator-detail": (
        "get",
        lambda o: f"/api/v1/assessment/indicators/{o['indicator'].pk}/",
        api(200, 403),
    ),
    "report-list": ("get", lambda o: "/api/v1/assessment/reports/", api(200, 403)),
    "report-detail": (
        "get",
        lambda o: f"/api/v1/assessment/reports/{o['report'].pk}/",
        api(200, 403),
    ),
    "report-submit": (
        "post",
        lambda o: f"/api/v1/assessment/reports/{o['report'].pk}/submit/",
        api(403, 403, director=400, leader=400, chief_a=400, staff_a=400, staff_c=404),
    ),
    "report-confirm": (
        "post",
        lambda o: f"/api/v1/assessment/reports/{o['report'].pk}/confirm/",
        # The director acts first; the leader then holds a stale version: 409.
        api(403, 403, director=200, leader=409),
        {"version": 1},
    ),
    "report-return": (
        "post",
        lambda o: f"/api/v1/assessment/reports/{o['report'].pk}/return/",
        api(403, 403, director=200, leader=409),
        {"version": 1, "reason": "数据口径不一致"},
    ),
    # 重点项目: everyone in the unit reads; the lead section, the project's staff and leader write.
    "projects:project_list": ("get", lambda o: "/projects/", expect(200, 403)),
    "projects:project_add": ("get", lambda o: "/projects/add/", expect(200, 403)),
    "projects:project_import": ("get", lambda o: "/projects/import/", expect(200, 403)),
    "projects:project_import_template": (
        "get",
        lambda o: "/projects/import/template/",
        expect(200, 403),
    ),
    "projects:plan_import_template": (
        "get",
        lambda o: "/projects/plan-template/",
        expect(200, 403),
    ),
    "projects:project_detail": ("get", lambda o: f"/projects/{o['project'].pk}/", expect(200, 403)),
    "projects:project_edit": (
        "get",
        lambda o: f"/projects/{o['project'].pk}/edit/",
        expect(200, 403, staff_c=404),
    ),
    "projects:project_stage": (
        "post",
        lambda o: f"/projects/{o['project'].pk}/stage/",
        expect(400, 403, staff_c=404),
    ),
    "projects:project_plan": (
        "get",
        lambda o: f"/projects/{o['project'].pk}/plan/",
        expect(200, 403),
    ),
    "projects:plan_import": (
        "get",
        lambda o: f"/projects/{o['project'].pk}/plan/import/",
        expect(200, 403, staff_c=404),
    ),
    "projects:baseline_approve": (
        "post",
        lambda o: f"/projects/{o['project'].pk}/baselines/",
        expect(403, 403, director=302, leader=302),
    ),
    "projects:activity_progress": (
        "post",
        lambda o: f"/projects/activities/{o['activity'].pk}/progress/",
        expect(302, 403, staff_c=404),
    ),
    "projects:battlemap": ("get", lambda o: "/projects/battlemap/", expect(200, 403)),
    "projects:battlemap_xlsx": (
        "get",
        lambda o: "/projects/battlemap/export.xlsx",
        expect(200, 403),
    ),
    "projects:monthly_report_add": (
        "get",
        lambda o: f"/projects/{o['project'].pk}/monthly-report/",
        expect(200, 403, staff_c=404),
    ),
    "projects:inspection_list": ("get", lambda o: "/projects/inspections/", expect(200, 403)),
    "projects:inspection_compliance": (
        "get",
        lambda o: "/projects/inspections/compliance/",
        expect(200, 403),
    ),
    "projects:inspection_detail": (
        "get",
        lambda o: f"/projects/inspections/{o['inspection'].pk}/",
        expect(200, 403),
    ),
    "projects:inspection_add": (
        "get",
        lambda o: f"/projects/{o['project'].pk}/inspections/add/",
        expect(200, 403, staff_c=404),
    ),
    "projects:requirement_edit": (
        "get",
        lambda o: f"/projects/{o['project'].pk}/inspection-frequency/",
        expect(200, 403, staff_c=404),
    ),
    "projects:finding_rectify": (
        "get",
        lambda o: f"/projects/findings/{o['finding'].pk}/rectify/",
        expect(200, 403, staff_c=404),
    ),
    "projects:finding_verify": (
        "get",
        lambda o: f"/projects/findings/{o['rectified'].pk}/verify/",
        expect(403, 403, director=200, leader=200),
    ),
    "projects:project_closeout": (
        "get",
        lambda o: f"/projects/{o['project'].pk}/closeout/",
        expect(200, 403),
    ),
    "projects:acceptance_edit": (
        "get",
        lambda o: f"/projects/{o['project'].pk}/acceptance/fire/",
        expect(200, 403, staff_c=404),
    ),
    "projects:pipeline": ("get", lambda o: "/projects/pipeline/", expect(200, 403)),
    "projects:project_pipeline": (
        "get",
        lambda o: f"/projects/{o['project'].pk}/pipeline/",
        expect(200, 403),
    ),
    "project-list": ("get", lambda o: "/api/v1/projects/", api(200, 403)),
    "project-detail": ("get", lambda o: f"/api/v1/projects/{o['project'].pk}/", api(200, 403)),
    "project-plan": ("get", lambda o: f"/api/v1/projects/{o['project'].pk}/plan/", api(200, 403)),
    "project-schedule": (
        "get",
        lambda o: f"/api/v1/projects/{o['project'].pk}/schedule/",
        api(200, 403),
    ),
    "project-baselines": (
        "get",
        lambda o: f"/api/v1/projects/{o['project'].pk}/baselines/",
        api(200, 403),
    ),
    "project-stage": (
        "post",
        lambda o: f"/api/v1/projects/{o['project'].pk}/stage/",
        api(400, 403, staff_c=404),
        {"to_stage": "completed"},
    ),
}


# Apps that keep their rows in their own module: each has ROUTES (same shape as MATRIX) and
# build(org) -> dict of the objects its URL builders use.
APP_MATRICES = (
    "duban.notifications.tests.matrix",
    "duban.supervision.tests.matrix",
)
for _module in APP_MATRICES:
    MATRIX.update(import_string(f"{_module}.ROUTES"))


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
    from duban.assessment.models import RequiredMaterial
    from duban.assessment.tests import factories as af
    from duban.evidence.tests.factories import make_document

    scheme = af.make_scheme(org)
    period = af.make_period(scheme, "H1")
    indicator = af.make_indicator(
        scheme,
        "A1",
        "开工率",
        10,
        lead_section=org.section_a,
        responsible_leader=org.person("leader"),
    )
    letter = af.make_letter(
        scheme, org.section_a, org.person("director"), org.person("leader"), [indicator]
    )
    from duban.projects.models import Finding, Inspection
    from duban.projects.tests import factories as pf

    project = pf.make_project(org, "XM-1", "测试道路", dt.date(2026, 3, 2), dt.date(2026, 12, 31))
    activity = pf.make_activity(project, "A01", 10)
    inspection = Inspection.objects.create(
        project=project, date=dt.date(2026, 6, 1), focus=["safety"]
    )
    finding = Finding.objects.create(
        inspection=inspection, category="safety", description="临边防护缺失"
    )
    rectified = Finding.objects.create(
        inspection=inspection,
        category="quality",
        description="抹灰不实",
        status="rectified",
        rectification="已返工",
        rectified_on=dt.date(2026, 6, 3),
    )
    built = {}
    for module in APP_MATRICES:
        built.update(import_string(f"{module}.build")(org))
    return {
        **built,
        "project": project,
        "activity": activity,
        "inspection": inspection,
        "finding": finding,
        "rectified": rectified,
        "scheme": scheme,
        "indicator": indicator,
        "material": RequiredMaterial.objects.create(indicator=indicator, name="台账"),
        "report": af.make_report(indicator, period, org.bureau, actual="95"),
        "explanation": af.make_explanation(indicator, period, org.bureau),
        "letter": letter,
        "document": make_document(org.users["staff_a"], org.section_a),
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
    method, url, expected, *custom = MATRIX[name]
    data = custom[0] if custom else None
    if data is None and method == "post":
        data = {"reason": "测试", "version": 1, "year": 2027, "complete": "on"}
    assert check_matrix(client_for, method, url(objects), expected, data) == []
