"""The API: the engine's public contract (create, replace the plan, read the schedule) and scoping."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.core.testing import check_matrix, count_queries
from duban.projects.models import Activity, Project, StageChange
from duban.projects.tests.factories import make_plan, make_project

D = dt.date
BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
ADMINS = {"auditor": 403, "sysadmin": 403, "secadmin": 403}
READ = {**dict.fromkeys(BUSINESS, 200), **ADMINS, "anonymous": 401}


def api_write(ok: int, staff_c: int = 404) -> dict:
    return {
        **dict.fromkeys(("director", "leader", "chief_a", "staff_a", "office"), ok),
        "staff_c": staff_c,
        **ADMINS,
        "anonymous": 401,
    }


@pytest.fixture
def project(org):
    project = make_project(org, "XM-1", "滨河路改造", D(2026, 9, 28), D(2026, 10, 16))
    make_plan(project, [("A", 5), ("B", 3, "A"), ("C", 0, "B"), ("D", 1, "A+1")])
    return project


def put_plan(client, project, activities):
    return client.put(
        f"/api/v1/projects/{project.pk}/plan/",
        {"activities": activities},
        content_type="application/json",
    )


# --- the contract -------------------------------------------------------------------------------


def test_post_creates_a_project_with_four_fields_and_returns_its_id(org, client_for):
    response = client_for("staff_a").post(
        "/api/v1/projects/",
        {
            "code": "XM-9",
            "name": "污水管网",
            "planned_start": "2026-03-02",
            "deadline": "2026-12-31",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["id"])
    assert (project.code, project.unit, project.lead_section) == ("XM-9", org.bureau, org.section_a)
    assert response.json()["stage"] == "preliminary"


def test_post_refuses_a_deadline_before_the_start_and_a_duplicate_code(org, client_for, project):
    client = client_for("staff_a")
    bad = client.post(
        "/api/v1/projects/",
        {"code": "XM-8", "name": "x", "planned_start": "2026-05-01", "deadline": "2026-04-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "deadline" in bad.json()
    duplicate = client.post(
        "/api/v1/projects/",
        {"code": "XM-1", "name": "x", "planned_start": "2026-05-01", "deadline": "2026-06-01"},
        content_type="application/json",
    )
    assert duplicate.status_code == 400
    assert Project.objects.count() == 1


def test_put_plan_replaces_the_plan_in_one_transaction(org, client_for, project):
    response = put_plan(
        client_for("staff_a"),
        project,
        [
            {"code": "P1", "name": "施工准备", "duration": 3, "predecessors": []},
            {
                "code": "P2",
                "name": "管网",
                "duration": 10,
                "predecessors": [{"code": "P1", "lag": 2}],
                "finish_by": "2026-11-30",
            },
        ],
    )
    assert response.status_code == 200, response.content
    active = Activity.objects.filter(project=project, archived_at=None).order_by("sort_order")
    assert [(a.code, a.duration, a.finish_by) for a in active] == [
        ("P1", 3, None),
        ("P2", 10, D(2026, 11, 30)),
    ]
    assert Activity.objects.filter(project=project, archived_at__isnull=False).count() == 4
    assert response.json()["activities"][1]["predecessors"] == [{"code": "P1", "lag": 2}]


@pytest.mark.parametrize(
    ("activities", "key", "message"),
    [
        (
            [{"code": "A", "name": "a", "duration": 1, "predecessors": [{"code": "Z", "lag": 0}]}],
            "activities[0].predecessors",
            "前置工序编码不存在：Z",
        ),
        (
            [{"code": "A", "name": "a", "duration": 1}, {"code": "A", "name": "b", "duration": 2}],
            "activities[1].code",
            "工序编码重复：A",
        ),
        (
            [
                {"code": "A", "name": "a", "duration": 1, "predecessors": [{"code": "B"}]},
                {"code": "B", "name": "b", "duration": 1, "predecessors": [{"code": "A"}]},
            ],
            "activities",
            "工序存在循环依赖：A → B → A",
        ),
        ([{"code": "A", "name": "a", "duration": -2}], "activities[0].duration", "工期不能为负数"),
        (
            [
                {"code": "A", "name": "a", "duration": 1},
                {
                    "code": "B",
                    "name": "b",
                    "duration": 1,
                    "predecessors": [{"code": "A", "lag": 1.5}],
                },
            ],
            "activities[1].predecessors",
            "搭接时间必须是整数（工作日）：A",
        ),
        (
            [
                {"code": "A", "name": "a", "duration": 1},
                {
                    "code": "B",
                    "name": "b",
                    "duration": 1,
                    "predecessors": [{"code": "A", "lag": "2"}],
                },
            ],
            "activities[1].predecessors",
            "搭接时间必须是整数（工作日）：A",
        ),
    ],
    ids=["unknown", "duplicate", "cycle", "negative", "fractional-lag", "text-lag"],
)
def test_put_plan_answers_400_in_chinese_and_changes_nothing(
    org, client_for, project, activities, key, message
):
    before = list(Activity.objects.order_by("id").values_list("id", "archived_at", "version"))
    response = put_plan(client_for("staff_a"), project, activities)
    assert response.status_code == 400
    assert response.json()[key] == [message]
    assert (
        list(Activity.objects.order_by("id").values_list("id", "archived_at", "version")) == before
    )


def test_put_plan_with_a_malformed_body_is_400_not_500(client_for, project):
    response = client_for("staff_a").put(
        f"/api/v1/projects/{project.pk}/plan/", {"plan": []}, content_type="application/json"
    )
    assert response.status_code == 400 and "activities" in response.json()


def test_get_schedule_has_the_contract_shape(client_for, project):
    response = client_for("staff_c").get(f"/api/v1/projects/{project.pk}/schedule/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "planned_start",
        "deadline",
        "project_float",
        "critical_path",
        "activities",
        "complete",
        "warnings",
    }
    assert (body["planned_start"], body["deadline"]) == ("2026-09-28", "2026-10-16")
    assert body["project_float"] == 3
    assert body["critical_path"] == ["A", "B", "C"]
    assert body["complete"] is True and body["warnings"] == []
    assert body["activities"][0] == {
        "code": "A",
        "early_start": "2026-09-28",
        "early_finish": "2026-10-09",
        "late_start": "2026-10-08",
        "late_finish": "2026-10-13",
        "total_float": 3,
        "critical": True,
    }
    assert [a["code"] for a in body["activities"]] == ["A", "B", "C", "D"]


def test_get_schedule_as_of_a_date_forecasts_from_it(client_for, project):
    body = (
        client_for("staff_a")
        .get(f"/api/v1/projects/{project.pk}/schedule/", {"as_of": "2026-10-12"})
        .json()
    )
    assert body["activities"][0]["early_start"] == "2026-10-12"
    assert body["project_float"] < 0 and body["warnings"]
    bad = client_for("staff_a").get(f"/api/v1/projects/{project.pk}/schedule/", {"as_of": "x"})
    assert bad.status_code == 400


def test_get_schedule_of_a_project_without_a_plan_is_400_in_chinese(org, client_for):
    empty = make_project(org, "E", "无计划")
    response = client_for("staff_a").get(f"/api/v1/projects/{empty.pk}/schedule/")
    assert response.status_code == 400
    assert response.json() == {"activities": ["尚未录入工序，无法排定工期"]}


def test_a_2027_schedule_is_incomplete_with_a_warning(org, client_for):
    project = make_project(org, "Y27", "明年项目", D(2027, 3, 1), D(2027, 6, 30))
    make_plan(project, [("A", 10)])
    body = client_for("staff_a").get(f"/api/v1/projects/{project.pk}/schedule/").json()
    assert body["complete"] is False
    assert body["warnings"] == ["2027年调休安排尚未录入，按周一至周五计算"]


def test_the_stage_action_goes_through_the_gate(org, client_for, project):
    url = f"/api/v1/projects/{project.pk}/stage/"
    refused = client_for("staff_a").post(
        url, {"to_stage": "construction"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "施工许可" in refused.json()["detail"]
    done = client_for("director").post(
        url,
        {"to_stage": "construction", "override": True, "reason": "专题会议决定"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["stage"] == "construction"
    assert StageChange.objects.get().override is True


def test_baselines_are_approved_by_leaders_only(org, client_for, project):
    url = f"/api/v1/projects/{project.pk}/baselines/"
    body = {"name": "立项批复计划", "document_number": "建发〔2026〕3号"}
    assert client_for("staff_a").post(url, body, content_type="application/json").status_code == 403
    created = client_for("leader").post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["kind"] == "initial"
    assert client_for("staff_c").get(url).json()[0]["name"] == "立项批复计划"


def test_an_update_needs_the_version_it_read(client_for, project):
    url = f"/api/v1/projects/{project.pk}/"
    client = client_for("staff_a")
    assert client.patch(url, {"name": "新名"}, content_type="application/json").status_code == 400
    stale = client.patch(url, {"name": "新名", "version": 99}, content_type="application/json")
    assert stale.status_code == 409
    ok = client.patch(url, {"name": "新名", "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2


# --- who may do what ----------------------------------------------------------------------------


def test_permission_matrix_of_the_api(org, client_for, project):
    pk = project.pk
    problems = []
    problems += check_matrix(client_for, "get", "/api/v1/projects/", READ)
    problems += check_matrix(client_for, "get", f"/api/v1/projects/{pk}/", READ)
    problems += check_matrix(client_for, "get", f"/api/v1/projects/{pk}/plan/", READ)
    problems += check_matrix(client_for, "get", f"/api/v1/projects/{pk}/schedule/", READ)
    problems += check_matrix(client_for, "get", f"/api/v1/projects/{pk}/baselines/", READ)
    # A write each persona may make succeeds; the refused ones change nothing (check_matrix).
    problems += check_matrix(
        client_for,
        "put",
        f"/api/v1/projects/{pk}/plan/",
        api_write(200),
        {"activities": [{"code": "A", "name": "a", "duration": 2}]},
    )
    problems += check_matrix(
        client_for,
        "post",
        f"/api/v1/projects/{pk}/stage/",
        {**api_write(400), "director": 400},
        {"to_stage": "completed"},
    )
    problems += check_matrix(
        client_for,
        "post",
        "/api/v1/projects/",
        {**dict.fromkeys(BUSINESS, 400), **ADMINS, "anonymous": 401},
        {"code": "", "name": ""},
    )
    assert problems == []


def test_staff_of_another_section_cannot_change_the_project(org, client_for, project):
    client = client_for("staff_c")
    url = f"/api/v1/projects/{project.pk}/"
    assert client.get(url).status_code == 200
    assert (
        client.patch(url, {"name": "x", "version": 1}, content_type="application/json").status_code
        == 404
    )


def test_the_responsible_leader_changes_a_project_outside_the_sections_they_lead(org, client_for):
    project = make_project(
        org, "C-1", "股室C项目", lead_section=org.section_c, responsible_leader=org.person("leader")
    )
    response = client_for("leader").patch(
        f"/api/v1/projects/{project.pk}/",
        {"name": "改名", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (
        client_for("chief_a")
        .patch(
            f"/api/v1/projects/{project.pk}/",
            {"name": "x", "version": 2},
            content_type="application/json",
        )
        .status_code
        == 404
    )


def test_api_list_query_count_is_the_same_for_10_and_1000_projects(org, client_for):
    client = client_for("director")
    staff = [org.person("staff_a"), org.person("chief_a")]

    def grow(n):
        start = Project.objects.count()
        Project.objects.bulk_create(
            Project(
                unit=org.bureau,
                code=f"B{start + i:05d}",
                name=f"项目{i}",
                planned_start=D(2026, 3, 2),
                deadline=D(2026, 12, 31),
                lead_section=org.section_a,
                responsible_leader=org.person("leader"),
            )
            for i in range(n)
        )
        through = Project.staff.through
        through.objects.bulk_create(
            through(project_id=p.pk, person_id=s.pk)
            for p in Project.objects.filter(code__gte=f"B{start:05d}")
            for s in staff
        )

    grow(10)
    client.get("/api/v1/projects/")
    small = count_queries(lambda: client.get("/api/v1/projects/", {"page_size": 500}))
    grow(990)
    large = count_queries(lambda: client.get("/api/v1/projects/", {"page_size": 500}))
    assert small == large, f"{small} queries at 10 projects, {large} at 1,000"


def test_absurd_numbers_and_repeated_links_are_a_400_not_a_broken_page(org, client_for):
    from duban.projects.tests.factories import make_project

    project = make_project(org, "XM-900", "测试")
    client = client_for("staff_a")
    url = f"/api/v1/projects/{project.pk}/plan/"
    for body in (
        {
            "activities": [
                {"code": "A", "name": "甲", "duration": 2},
                {
                    "code": "B",
                    "name": "乙",
                    "duration": 2,
                    "predecessors": [{"code": "A", "lag": 99999999999}],
                },
            ]
        },
        {"activities": [{"code": "A", "name": "甲", "duration": 100000000000}]},
        {
            "activities": [
                {"code": "A", "name": "甲", "duration": 1},
                {
                    "code": "B",
                    "name": "乙",
                    "duration": 1,
                    "predecessors": [{"code": "A", "lag": 0}, {"code": "A", "lag": 2}],
                },
            ]
        },
    ):
        response = client.put(url, body, content_type="application/json")
        assert response.status_code == 400, response.json()
    assert client.get("/projects/").status_code == 200
    assert client.get(f"/api/v1/projects/{project.pk}/schedule/").status_code in (200, 400)


def test_a_plan_put_with_a_stale_version_is_refused(org, client_for):
    from duban.projects.tests.factories import make_project

    project = make_project(org, "XM-901", "测试")
    client = client_for("staff_a")
    body = {"activities": [{"code": "A", "name": "甲", "duration": 2}], "version": project.version}
    assert (
        client.put(
            f"/api/v1/projects/{project.pk}/plan/", body, content_type="application/json"
        ).status_code
        == 200
    )
    stale = client.put(
        f"/api/v1/projects/{project.pk}/plan/", body, content_type="application/json"
    )
    assert stale.status_code == 409
