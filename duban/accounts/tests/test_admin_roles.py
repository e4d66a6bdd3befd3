"""三员分立: one role per account, and the administrators do no business work."""

from __future__ import annotations

from duban.accounts.models import User
from duban.accounts.roles import ADMIN_ROLES, BUSINESS_ROLES, ROLE_PERMISSIONS
from duban.core.testing import check_matrix

BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")


def test_no_admin_role_holds_a_business_permission():
    business_apps = {"org", "workcalendar"}
    for role in ADMIN_ROLES:
        for perm in ROLE_PERMISSIONS[role]:
            if perm.split(".")[1].startswith("view_") and perm.split(".")[0] in business_apps:
                assert role == "sysadmin", f"{role} may not read business data ({perm})"


def test_admin_roles_change_no_business_data():
    business_apps = {"assessment", "projects", "supervision", "evidence"}
    for role in ADMIN_ROLES:
        for perm in ROLE_PERMISSIONS[role]:
            app, codename = perm.split(".")
            if app in business_apps:
                # The one exception: the auditor reads talk records, read-only, for audit (issue 4).
                assert (role, perm) == ("auditor", "supervision.view_talk"), f"{role}: {perm}"


def test_the_three_admin_roles_share_no_permission():
    sysadmin, secadmin, auditor = (ROLE_PERMISSIONS[r] for r in ("sysadmin", "secadmin", "auditor"))
    assert not (auditor & sysadmin) and not (auditor & secadmin)
    assert "audit.view_objectchange" not in sysadmin | secadmin


def test_business_roles_cannot_reach_administration(client_for):
    expected = {**dict.fromkeys(BUSINESS, 403), "sysadmin": 200}
    for url in ("/accounts/users/", "/accounts/users/add/"):
        assert check_matrix(client_for, "get", url, expected) == []
    expected = {**dict.fromkeys(BUSINESS, 403), "secadmin": 200, "sysadmin": 403, "auditor": 403}
    assert check_matrix(client_for, "get", "/accounts/lockouts/", expected) == []


def test_sysadmin_creates_an_account_with_a_valid_password(org, client_for):
    client = client_for("sysadmin")
    weak = client.post(
        "/accounts/users/add/",
        {"username": "newbie", "name": "新人", "role": "staff", "password": "123"},
    )
    assert weak.status_code == 200 and not User.objects.filter(username="newbie").exists()
    ok = client.post(
        "/accounts/users/add/",
        {
            "username": "newbie",
            "name": "新人",
            "role": "staff",
            "is_active": "on",
            "password": "Xinren#2026",
        },
    )
    assert ok.status_code == 302
    assert User.objects.get(username="newbie").check_password("Xinren#2026")


def test_an_account_holds_exactly_one_role():
    assert len(BUSINESS_ROLES | ADMIN_ROLES) == 8
    assert User._meta.get_field("role").max_length and not hasattr(User, "groups")


def test_admin_home_is_a_desk_not_the_cockpit(client_for):
    body = client_for("auditor").get("/").content.decode()
    assert "/audit/changes/" in body and "/org/people/" not in body
