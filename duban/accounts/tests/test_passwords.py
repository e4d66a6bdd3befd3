"""Password policy (等保): at least 8 characters and 3 of 4 classes; both configurable."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from duban.accounts.validators import CharacterClassValidator, character_classes
from duban.org.tests.factories import PASSWORD


@pytest.mark.parametrize(
    "password, classes",
    [("abcdefgh", 1), ("abcdEFGH", 2), ("abcdEF12", 3), ("abC1!xyz", 4), ("密码密码12ab", 3)],
)
def test_character_classes(password, classes):
    assert character_classes(password) == classes


@pytest.mark.parametrize("password", ["Ab1!", "abcdefgh1", "ABCDEFGH!"])
def test_weak_passwords_are_refused(db, password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_strong_password_passes(db):
    validate_password("Zhujian#2026")


def test_the_rule_is_configurable():
    CharacterClassValidator(min_classes=2).validate("abcdEFGH")
    with pytest.raises(ValidationError):
        CharacterClassValidator(min_classes=4).validate("abcdEF12")


def test_password_change_checks_the_policy_and_keeps_the_session(org, client_for):
    client = client_for("staff_a")
    weak = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert weak.status_code == 200 and "至少" in weak.content.decode()
    ok = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Zhujian#2026",
            "new_password2": "Zhujian#2026",
        },
    )
    assert ok.status_code == 302
    assert client.get("/").status_code == 200
    user = org.users["staff_a"]
    user.refresh_from_db()
    assert user.check_password("Zhujian#2026")
