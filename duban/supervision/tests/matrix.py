"""The permission matrix rows of supervision (merged into core/tests/test_permission_matrix.py).

Each part keeps its rows in its own module; `build(org)` of each adds the objects its URLs use.
"""

from duban.core.testing import api
from duban.supervision.tests import matrix_documents, matrix_problems, matrix_talks, matrix_tasks

PARTS = (matrix_tasks, matrix_problems, matrix_talks, matrix_documents)

# The task API: section A's task is seen by its section, its leader, the director and the office.
TASK_API = {
    "task-list": ("get", lambda o: "/api/v1/supervision/tasks/", api(200, 403)),
    "task-detail": (
        "get",
        lambda o: f"/api/v1/supervision/tasks/{o['api_task'].pk}/",
        api(200, 403, staff_c=404),
    ),
}

ROUTES: dict = dict(TASK_API)
for _part in PARTS:
    ROUTES.update(_part.ROUTES)


def build(org) -> dict:
    from duban.supervision.tests.factories import make_task

    objects: dict = {"api_task": make_task(org, "矩阵用督办事项")}
    for part in PARTS:
        objects.update(part.build(org))
    return objects
