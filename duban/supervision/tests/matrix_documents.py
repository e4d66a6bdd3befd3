"""Permission-matrix rows for the documents, the bulletin and the import (merged by tests/matrix.py)."""

from duban.core.testing import expect
from duban.supervision.tests.factories import make_task

ROUTES: dict = {
    # A task of section A: its people, the leader of A, the director and the office see it.
    "supervision:task_notice": (
        "get",
        lambda o: f"/supervision/tasks/{o['doc_task'].pk}/notice.docx",
        expect(200, 403, staff_c=404),
    ),
    "supervision:bulletin": ("get", lambda o: "/supervision/bulletin/", expect(200, 403)),
    "supervision:bulletin_docx": (
        "get",
        lambda o: "/supervision/bulletin.docx?week=2026-W26",
        expect(200, 403),
    ),
    # The import is the supervision office's.
    "supervision:task_import": (
        "get",
        lambda o: "/supervision/tasks/import/",
        expect(403, 403, office=200),
    ),
    "supervision:task_import_template": (
        "get",
        lambda o: "/supervision/tasks/import/template/",
        expect(403, 403, office=200),
    ),
}


def build(org) -> dict:
    return {"doc_task": make_task(org, "督办通知单矩阵事项")}
