from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def character_classes(password: str) -> int:
    """How many of the four classes (lower, upper, digit, symbol) a password uses."""
    classes = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c.isdigit() for c in password),
        any(not (c in string.ascii_letters or c.isdigit()) for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    """等保 composition rule: at least N of lower case, upper case, digits and symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return (
            ngettext(
                "The password must use at least %(n)d of: lower-case letters, upper-case letters, digits, symbols.",
                "The password must use at least %(n)d of: lower-case letters, upper-case letters, digits, symbols.",
                self.min_classes,
            )
            % {"n": self.min_classes}
            if self.min_classes
            else _("No composition rule.")
        )
