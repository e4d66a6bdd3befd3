"""The permission matrix rows of this app (merged into core/tests/test_permission_matrix.py)."""

ROUTES: dict = {}


def build(org) -> dict:
    return {}
