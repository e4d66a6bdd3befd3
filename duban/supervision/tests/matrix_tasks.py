"""Permission-matrix rows of the task pages (merged by tests/matrix.py).

The task `task_a` belongs to section A (owner staff_a, responsible leader: the leader of A). The
workflow POSTs are sent without their version, so a persona who may act gets 400 (the form refused,
nothing changed), one who may not see the task 404, one without the permission 403.
"""

from __future__ import annotations

from duban.core.testing import expect

EMPTY: dict = {}  # a POST without data: valid routes answer 400 and change nothing

PAGE = expect(200, 403, staff_c=404)
WORK = expect(400, 403, staff_c=404)
LEADER = expect(403, 403, director=400, leader=400)
ASSIGN = expect(400, 403, staff_a=403, staff_c=403)


def _task(o, action: str = "") -> str:
    return f"/supervision/tasks/{o['task_a'].pk}/{action}"


ROUTES: dict = {
    "supervision:task_list": ("get", lambda o: "/supervision/tasks/", expect(200, 403)),
    "supervision:task_add": (
        "get",
        lambda o: "/supervision/tasks/add/",
        expect(200, 403, staff_a=403, staff_c=403),
    ),
    "supervision:task_detail": ("get", lambda o: _task(o), PAGE),
    "supervision:task_edit": (
        "get",
        lambda o: _task(o, "edit/"),
        expect(200, 403, staff_a=403, staff_c=403),
    ),
    "supervision:task_accept": ("post", lambda o: _task(o, "accept/"), WORK, EMPTY),
    "supervision:task_progress": ("post", lambda o: _task(o, "progress/"), WORK, EMPTY),
    "supervision:task_extension": ("post", lambda o: _task(o, "extension/"), WORK, EMPTY),
    "supervision:task_submit": ("post", lambda o: _task(o, "submit/"), WORK, EMPTY),
    "supervision:task_review": ("post", lambda o: _task(o, "review/"), LEADER, EMPTY),
    "supervision:task_stop": ("post", lambda o: _task(o, "stop/"), ASSIGN, EMPTY),
    "supervision:task_coordinate": ("post", lambda o: _task(o, "coordinate/"), WORK, EMPTY),
    "supervision:task_problem": ("post", lambda o: _task(o, "problem/"), WORK, EMPTY),
    "supervision:task_instruct": ("post", lambda o: _task(o, "instruct/"), WORK, EMPTY),
    "supervision:extension_decide": (
        "post",
        lambda o: f"/supervision/extensions/{o['extension_a'].pk}/decide/",
        LEADER,
        EMPTY,
    ),
    "supervision:policy": ("get", lambda o: "/supervision/policy/", expect(200, 403)),
    "supervision:my_tasks": ("get", lambda o: "/supervision/mine/", expect(200, 403)),
    "supervision:board": ("get", lambda o: "/supervision/board/", expect(200, 403)),
}


def build(org) -> dict:
    import datetime as dt

    from duban.supervision.models import ExtensionRequest
    from duban.supervision.tests.factories import make_task

    task = make_task(org, "矩阵督办事项", deadline=dt.date(2099, 12, 31))
    extension = ExtensionRequest.objects.create(
        task=task,
        ordinal=1,
        requested_by=org.person("staff_a"),
        old_deadline=task.deadline,
        new_deadline=dt.date(2100, 1, 31),
        reason="矩阵",
        approver=org.person("leader"),
    )
    return {"task_a": task, "extension_a": extension}
