"""Permission-matrix rows of the problem registry and the lesson library (merged by tests/matrix.py).

Problems and lessons are the unit's shared memory: everyone in the unit reads them. A problem of
section A is changed by section A (its chief and staff), its leader, the director and the office —
staff of section C read it but get 404/403 on every change. Deciding needs decide_problem (chiefs,
leaders, the director, the office), verifying verify_problem (leaders, the director, the office).
The POSTs here send incomplete forms: 400 where the persona may act, 403/404 where not.
"""

from duban.core.testing import api, expect

READ = expect(200, 403)
API_READ = api(200, 403)

ROUTES: dict = {
    "supervision:problem_list": ("get", lambda o: "/supervision/problems/", READ),
    "supervision:problem_add": ("get", lambda o: "/supervision/problems/add/", READ),
    "supervision:problem_similar": (
        "get",
        lambda o: "/supervision/problems/similar/?q=加装电梯住户反对",
        READ,
    ),
    "supervision:problem_detail": (
        "get",
        lambda o: f"/supervision/problems/{o['problem_x'].pk}/",
        READ,
    ),
    "supervision:problem_edit": (
        "get",
        lambda o: f"/supervision/problems/{o['problem_x'].pk}/edit/",
        expect(200, 403, staff_c=404),
    ),
    "supervision:problem_decide": (
        "post",
        lambda o: f"/supervision/problems/{o['problem_x'].pk}/decide/",
        expect(400, 403, staff_a=403, staff_c=403),
        {"version": 1},
    ),
    "supervision:problem_link": (
        "post",
        lambda o: f"/supervision/problems/{o['problem_x'].pk}/link/",
        expect(400, 403, staff_c=403),
        {"version": 1},
    ),
    "supervision:problem_verify": (
        "post",
        lambda o: f"/supervision/problems/{o['problem_decided_x'].pk}/verify/",
        expect(400, 403, chief_a=403, staff_a=403, staff_c=403),
        {"version": 1},
    ),
    "supervision:problem_archive": (
        "post",
        lambda o: f"/supervision/problems/{o['problem_x'].pk}/archive/",
        expect(302, 403, staff_c=404),
    ),
    "supervision:lesson_list": ("get", lambda o: "/supervision/lessons/", READ),
    "supervision:lesson_add": ("get", lambda o: "/supervision/lessons/add/", READ),
    "supervision:lesson_detail": (
        "get",
        lambda o: f"/supervision/lessons/{o['lesson_x'].pk}/",
        READ,
    ),
    "supervision:lesson_edit": (
        "get",
        lambda o: f"/supervision/lessons/{o['lesson_x'].pk}/edit/",
        expect(200, 403, staff_c=404),
    ),
    "supervision:lesson_archive": (
        "post",
        lambda o: f"/supervision/lessons/{o['lesson_x'].pk}/archive/",
        expect(302, 403, staff_c=404),
    ),
    "problem-list": ("get", lambda o: "/api/v1/supervision/problems/", API_READ),
    "problem-detail": (
        "get",
        lambda o: f"/api/v1/supervision/problems/{o['problem_x'].pk}/",
        API_READ,
    ),
    "problem-similar": (
        "get",
        lambda o: "/api/v1/supervision/problems/similar/?q=加装电梯住户反对",
        API_READ,
    ),
    "problem-decide": (
        "post",
        lambda o: f"/api/v1/supervision/problems/{o['problem_x'].pk}/decide/",
        api(400, 403, staff_a=403, staff_c=403),
        {"version": 1},
    ),
    "problem-link": (
        "post",
        lambda o: f"/api/v1/supervision/problems/{o['problem_x'].pk}/link/",
        api(400, 403, staff_c=403),
        {"version": 1},
    ),
    "problem-verify": (
        "post",
        lambda o: f"/api/v1/supervision/problems/{o['problem_decided_x'].pk}/verify/",
        api(400, 403, chief_a=403, staff_a=403, staff_c=403),
        {"version": 1},
    ),
    "lesson-list": ("get", lambda o: "/api/v1/supervision/lessons/", API_READ),
    "lesson-detail": (
        "get",
        lambda o: f"/api/v1/supervision/lessons/{o['lesson_x'].pk}/",
        API_READ,
    ),
}


def build(org) -> dict:
    from duban.supervision.similar import LESSONS, PROBLEMS
    from duban.supervision.tests.factories import make_decided_problem, make_lesson, make_problem

    PROBLEMS.clear()
    LESSONS.clear()
    return {
        "problem_x": make_problem(org, "幸福小区加装电梯低层住户反对"),
        "problem_decided_x": make_decided_problem(
            org, "城东大道雨后积水", "由市政股牵头疏通雨水管网，6月底前完成"
        ),
        "lesson_x": make_lesson(org, "加装电梯协调经验", tags="电梯 老旧小区"),
    }
