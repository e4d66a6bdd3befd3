"""Permission-matrix rows of the talk records (merged by tests/matrix.py).

A talk given by the leader to staff_a: only the director of the unit, the leader (who talked), staff_a
(talked to, read-only) and the auditor (read-only) ever see it; the chief of staff_a's own section,
another section's staff and the supervision office get a 404 as if it did not exist. Pages that
change a talk need supervision.change_talk first (403 without it), then the talk must be editable
(404 for the chief, who holds the permission but not this talk).
"""

from duban.core.testing import api, expect

# Seen by: the director, whoever talked (leader), the person talked to (staff_a), the auditor.
SEEN = {"director": 200, "leader": 200, "staff_a": 200, "auditor": 200}
# Changed by: the director and whoever talked; the chief holds change_talk but not this talk.
CHANGED = {"director": 200, "leader": 200, "chief_a": 404}

ROUTES: dict = {
    "supervision:talk_list": (
        "get",
        lambda o: "/supervision/talks/",
        expect(200, 403, auditor=200),
    ),
    "supervision:talk_add": (
        "get",
        lambda o: "/supervision/talks/add/",
        expect(403, 403, director=200, leader=200, chief_a=200),
    ),
    "supervision:talk_detail": (
        "get",
        lambda o: f"/supervision/talks/{o['talk_x'].pk}/",
        expect(404, 403, **SEEN),
    ),
    "supervision:talk_edit": (
        "get",
        lambda o: f"/supervision/talks/{o['talk_x'].pk}/edit/",
        expect(403, 403, **CHANGED),
    ),
    "supervision:talk_follow_up": (
        "get",
        lambda o: f"/supervision/talks/{o['talk_x'].pk}/follow-up/",
        expect(403, 403, **CHANGED),
    ),
    "supervision:talk_archive": (
        "post",
        lambda o: f"/supervision/talks/{o['talk_archive_x'].pk}/archive/",
        expect(403, 403, director=302, leader=302, chief_a=404),
    ),
    "talk-list": ("get", lambda o: "/api/v1/supervision/talks/", api(200, 403, auditor=200)),
    "talk-detail": (
        "get",
        lambda o: f"/api/v1/supervision/talks/{o['talk_x'].pk}/",
        api(404, 403, **SEEN),
    ),
}


def build(org) -> dict:
    from duban.supervision.tests.factories import make_talk

    return {
        "talk_x": make_talk(org, "staff_a", "leader", reason="谈话事由甲"),
        "talk_archive_x": make_talk(org, "staff_a", "leader", reason="谈话事由乙"),
    }
