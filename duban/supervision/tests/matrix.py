"""The permission matrix rows of supervision (merged into core/tests/test_permission_matrix.py).

Each part keeps its rows in its own module; `build(org)` of each adds the objects its URLs use.
"""

from duban.supervision.tests import matrix_documents, matrix_problems, matrix_talks, matrix_tasks

PARTS = (matrix_tasks, matrix_problems, matrix_talks, matrix_documents)

ROUTES: dict = {}
for _part in PARTS:
    ROUTES.update(_part.ROUTES)


def build(org) -> dict:
    objects: dict = {}
    for part in PARTS:
        objects.update(part.build(org))
    return objects
