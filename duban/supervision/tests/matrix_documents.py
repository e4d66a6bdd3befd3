"""Permission-matrix rows for this part of supervision (merged by tests/matrix.py)."""

ROUTES: dict = {}


def build(org) -> dict:
    return {}
