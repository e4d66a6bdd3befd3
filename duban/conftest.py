"""Fixed personas for every module's tests (STYLE.md), and the helpers the permission matrix uses.

The organisation: 考核办 (assessor) above 住建局 (the bureau) with sections A, B and C, and a peer unit
发改局 with section D. The leader leads A and B; other personas sit in A or C.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client

from duban.accounts.roles import Role
from duban.org.choices import UnitKind
from duban.org.tests import factories as f

PERSONAS = (
    "director",
    "leader",
    "chief_a",
    "staff_a",
    "staff_c",
    "office",
    "auditor",
    "sysadmin",
    "secadmin",
)


@dataclass
class Org:
    assessor: object
    bureau: object
    peer: object
    section_a: object
    section_b: object
    section_c: object
    section_d: object
    users: dict
    peer_person: object

    def person(self, persona: str):
        return self.users[persona].person


@pytest.fixture
def org(db) -> Org:
    assessor = f.make_unit("某县考核办", "KHB", kind=UnitKind.ASSESSOR)
    bureau = f.make_unit("某县住房和城乡建设局", "ZJJ", parent=assessor)
    peer = f.make_unit("某县发展和改革局", "FGJ", parent=assessor)
    a, b, c = (f.make_section(bureau, n) for n in ("股室A", "股室B", "股室C"))
    d = f.make_section(peer, "股室D")
    users = {
        "director": f.make_member("director", Role.DIRECTOR, bureau),
        "leader": f.make_member("leader", Role.LEADER, bureau),
        "chief_a": f.make_member("chief_a", Role.CHIEF, bureau, a),
        "staff_a": f.make_member("staff_a", Role.STAFF, bureau, a),
        "staff_c": f.make_member("staff_c", Role.STAFF, bureau, c),
        "office": f.make_member("office", Role.OFFICE, bureau, a),
        "auditor": f.make_user("auditor", Role.AUDITOR),
        "sysadmin": f.make_user("sysadmin", Role.SYSADMIN),
        "secadmin": f.make_user("secadmin", Role.SECADMIN),
    }
    leader = users["leader"].person
    f.make_assignment(a, leader)
    f.make_assignment(b, leader)
    peer_person = f.make_person(peer, d, name="外单位人员")
    return Org(assessor, bureau, peer, a, b, c, d, users, peer_person)


@pytest.fixture
def client_for(org):
    """client_for("staff_a") → a Client signed in as that persona; "anonymous" → not signed in."""
    clients: dict[str, Client] = {}

    def get(persona: str) -> Client:
        if persona not in clients:
            client = Client()
            if persona != "anonymous":
                client.force_login(org.users[persona])
            clients[persona] = client
        return clients[persona]

    return get


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # PBKDF2 at 10^6 rounds costs ~0.3 s a login; tests measure behaviour, not hashing cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_triggers_survive_flush(request):
    """Transactional tests end with a flush, which the append-only triggers would refuse."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        yield
        return
    from duban.audit import triggers

    request.getfixturevalue("transactional_db")
    triggers.install(connection)
    yield
    triggers.remove(connection)


# Headless Chromium fixtures (`browser`, `page`) for the browser tests of every module.
from duban.core.browser_testing import browser, page  # noqa: E402, F401
