"""The problem and lesson API: the similar-problem search, create, the decide/link/verify actions,
their error codes, and scoping across units."""

from __future__ import annotations

import pytest

from duban.core.testing import count_queries
from duban.supervision.choices import ProblemStatus
from duban.supervision.models import Lesson, Problem
from duban.supervision.similar import LESSONS, PROBLEMS
from duban.supervision.tests.factories import make_decided_problem, make_lesson, make_problem

SIMILAR = "/api/v1/supervision/problems/similar/"


@pytest.fixture(autouse=True)
def _fresh_indexes():
    PROBLEMS.clear()
    LESSONS.clear()
    yield
    PROBLEMS.clear()
    LESSONS.clear()


@pytest.fixture
def peer_problem(org):
    """A problem of the peer unit (发改局), worded like one of the bureau's."""
    return Problem.objects.create(
        unit=org.peer,
        section=org.section_d,
        title="老旧小区改造中居民不同意加装电梯",
        decision="外单位的决定",
        status=ProblemStatus.DECIDED,
    )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "电梯", "limit": "0"},
        {"q": "电梯", "limit": "51"},
        {"q": "电梯", "limit": "五"},
    ],
)
def test_similar_refuses_a_missing_query_or_a_bad_limit(org, client_for, params):
    response = client_for("staff_a").get(SIMILAR, params)
    assert response.status_code == 400
    body = response.json()
    field = "q" if "q" not in params or not params["q"].strip() else "limit"
    assert list(body) == [field]
    assert body[field]


def test_similar_answers_best_first_with_decisions(org, client_for):
    earlier = make_decided_problem(
        org, "老旧小区改造中居民不同意加装电梯", "按三分之二业主同意原则推进"
    )
    make_problem(org, "幸福小区加装电梯施工影响通行")
    make_problem(org, "城东大道雨后积水")
    response = client_for("staff_c").get(SIMILAR, {"q": "加装电梯部分住户反对怎么办", "limit": 5})
    assert response.status_code == 200
    results = response.json()["results"]
    assert {
        "id": earlier.pk,
        "title": "老旧小区改造中居民不同意加装电梯",
        "score": next(r["score"] for r in results if r["id"] == earlier.pk),
        "status": "decided",
        "decision": "按三分之二业主同意原则推进",
    } in results
    assert set(results[0]) == {"id", "title", "score", "status", "decision"}
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    assert "城东大道雨后积水" not in [r["title"] for r in results]


def test_similar_never_shows_the_peer_units_problems(org, client_for, peer_problem):
    make_decided_problem(org, "加装电梯低层住户反对", "协商补偿")
    for persona in ("staff_a", "director", "office"):
        results = client_for(persona).get(SIMILAR, {"q": peer_problem.title}).json()["results"]
        assert peer_problem.pk not in [r["id"] for r in results]
        assert results  # the bureau's own problem is found


def test_the_peer_units_problem_is_neither_listed_nor_readable(org, client_for, peer_problem):
    client = client_for("director")
    listed = client.get("/api/v1/supervision/problems/").json()["results"]
    assert peer_problem.pk not in [p["id"] for p in listed]
    assert client.get(f"/api/v1/supervision/problems/{peer_problem.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/supervision/problems/{peer_problem.pk}/decide/",
        {"decision": "x", "decided_on": "2026-06-03", "version": peer_problem.version},
    )
    assert response.status_code == 404


def test_create_raises_in_the_callers_unit(org, client_for):
    response = client_for("staff_a").post(
        "/api/v1/supervision/problems/",
        {"title": "塔吊未经检测即投入使用", "section": org.section_a.pk},
    )
    assert response.status_code == 201, response.json()
    problem = Problem.objects.get(pk=response.json()["id"])
    assert problem.unit == org.bureau
    assert problem.raised_by == org.person("staff_a")
    assert response.json()["status"] == "pending"


def test_create_refuses_a_section_of_another_unit(org, client_for):
    response = client_for("staff_a").post(
        "/api/v1/supervision/problems/", {"title": "问题", "section": org.section_d.pk}
    )
    assert response.status_code == 400
    assert "section" in response.json()
    assert not Problem.objects.exists()


def test_create_same_as_an_earlier_decision(org, client_for):
    earlier = make_decided_problem(org, "渣土运输车辆沿途抛洒", "联合执法")
    pending = make_problem(org, "路灯不亮")
    client = client_for("staff_c")
    refused = client.post(
        "/api/v1/supervision/problems/",
        {"title": "路灯晚上不亮", "section": org.section_c.pk, "same_as": pending.pk},
    )
    assert refused.status_code == 400
    assert "same_as" in refused.json()
    response = client.post(
        "/api/v1/supervision/problems/",
        {"title": "拉渣土的车掉土", "section": org.section_c.pk, "same_as": earlier.pk},
    )
    assert response.status_code == 201
    assert response.json()["decision"] == "联合执法"
    assert response.json()["status"] == "decided"
    detail = client.get(f"/api/v1/supervision/problems/{earlier.pk}/").json()
    assert detail["repeat_count"] == 1


def test_decide_link_verify_through_the_api(org, client_for):
    problem = make_problem(org, "施工许可审批时限过长")
    url = f"/api/v1/supervision/problems/{problem.pk}"
    director = client_for("director")
    response = director.post(
        f"{url}/decide/",
        {
            "decision": "容缺受理",
            "decided_on": "2026-06-03",
            "meeting_ref": "局务会",
            "version": problem.version,
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "decided"
    again = director.post(
        f"{url}/decide/",
        {"decision": "再议", "decided_on": "2026-06-03", "version": response.json()["version"]},
    )
    assert again.status_code == 400
    assert again.json()["detail"]
    stale = director.post(f"{url}/verify/", {"implementation": "已执行", "version": 1})
    assert stale.status_code == 409
    verified = director.post(
        f"{url}/verify/", {"implementation": "已执行", "version": response.json()["version"]}
    )
    assert verified.status_code == 200
    assert verified.json()["status"] == "implemented"

    repeat = make_problem(org, "办施工许可证太慢")
    linked = client_for("staff_a").post(
        f"/api/v1/supervision/problems/{repeat.pk}/link/",
        {"earlier": problem.pk, "version": repeat.version},
    )
    assert linked.status_code == 200
    assert linked.json()["same_as"] == problem.pk
    assert linked.json()["decision"] == "容缺受理"


def test_staff_cannot_decide_and_other_sections_cannot_link(org, client_for):
    problem = make_problem(org, "问题")
    data = {"decision": "x", "decided_on": "2026-06-03", "version": problem.version}
    assert (
        client_for("staff_a")
        .post(f"/api/v1/supervision/problems/{problem.pk}/decide/", data)
        .status_code
        == 403
    )
    earlier = make_decided_problem(org, "早先的问题", "决定")
    response = client_for("staff_c").post(
        f"/api/v1/supervision/problems/{problem.pk}/link/",
        {"earlier": earlier.pk, "version": problem.version},
    )
    assert response.status_code == 403
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.PENDING


def test_lessons_are_created_from_decided_problems_only(org, client_for):
    decided = make_decided_problem(org, "渣土运输车辆沿途抛洒", "联合执法")
    pending = make_problem(org, "路灯不亮")
    client = client_for("staff_c")
    refused = client.post(
        "/api/v1/supervision/lessons/",
        {"kind": "lesson", "title": "教训", "body": "内容", "problem": pending.pk},
    )
    assert refused.status_code == 400
    assert "problem" in refused.json()
    response = client.post(
        "/api/v1/supervision/lessons/",
        {
            "kind": "lesson",
            "title": "渣土管理教训",
            "body": "源头管控",
            "tags": "渣土 执法",
            "problem": decided.pk,
        },
    )
    assert response.status_code == 201, response.json()
    lesson = Lesson.objects.get(pk=response.json()["id"])
    assert (lesson.unit, lesson.author, lesson.section) == (
        org.bureau,
        org.person("staff_c"),
        org.section_c,
    )
    assert response.json()["tag_list"] == ["渣土", "执法"]


def test_the_api_lists_cost_the_same_at_10_and_200_rows(org, client_for):
    client = client_for("staff_a")

    def grow(n, start):
        Problem.objects.bulk_create(
            Problem(unit=org.bureau, section=org.section_a, title=f"问题{start + i}")
            for i in range(n)
        )
        for i in range(n):
            make_lesson(org, f"经验{start + i}")

    grow(10, 0)
    for url in ("/api/v1/supervision/problems/", "/api/v1/supervision/lessons/"):
        client.get(url)
    small = [
        count_queries(lambda u=u: client.get(u, {"page_size": 500}))
        for u in ("/api/v1/supervision/problems/", "/api/v1/supervision/lessons/")
    ]
    grow(190, 10)
    large = [
        count_queries(lambda u=u: client.get(u, {"page_size": 500}))
        for u in ("/api/v1/supervision/problems/", "/api/v1/supervision/lessons/")
    ]
    assert small == large
