"""Test helpers every module uses: the persona permission matrix and query-count checks."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.core.models import Audited


def db_fingerprint() -> dict[str, list]:
    """Every audited row's id and version (or full values): equal before and after means nothing changed."""
    result = {}
    for model in apps.get_models():
        if not issubclass(model, Audited):
            continue
        fields = ["pk", "version"] if any(f.name == "version" for f in model._meta.fields) else None
        rows = model._base_manager.order_by("pk")
        result[model._meta.label] = list(rows.values_list(*fields) if fields else rows.values())
    return result


def request(client, method: str, url: str, data=None):
    if method == "get":
        return client.get(url, data or {})
    if method in ("put", "patch"):
        return getattr(client, method)(url, data or {}, content_type="application/json")
    if url.startswith("/api/"):
        return client.post(url, data or {}, content_type="application/json")
    return client.post(url, data or {})


def check_matrix(
    client_for, method: str, url: str, expected: dict[str, int], data=None
) -> list[str]:
    """Request `url` as each persona; return the mismatches (empty when the matrix holds).

    Writes that are refused must leave the database exactly as it was.
    """
    problems = []
    for persona, status in expected.items():
        before = db_fingerprint() if method != "get" and status >= 400 else None
        response = request(client_for(persona), method, url, data)
        if response.status_code != status:
            problems.append(
                f"{persona}: {method.upper()} {url} → {response.status_code}, expected {status}"
            )
        if before is not None and db_fingerprint() != before:
            problems.append(f"{persona}: refused {method.upper()} {url} changed the database")
    return problems


def count_queries(func: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as context:
        func()
    return len(context.captured_queries)


# The permission matrix's vocabulary (core/tests/test_permission_matrix.py and the apps' matrix modules).
BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
ALL = (*BUSINESS, "auditor", "sysadmin", "secadmin", "anonymous")


def expect(business=None, sysadmin=None, secadmin=403, auditor=403, anonymous=302, **per_persona):
    """Expected status per persona for a page: `business` for the six business personas."""
    result = {p: business for p in BUSINESS}
    result.update(sysadmin=sysadmin, secadmin=secadmin, auditor=auditor, anonymous=anonymous)
    result.update(per_persona)
    return result


def api(business=None, sysadmin=None, secadmin=403, auditor=403, **per_persona):
    """The same for an API endpoint (anonymous gets 401, not a redirect to the login page)."""
    return expect(business, sysadmin, secadmin, auditor, anonymous=401, **per_persona)
