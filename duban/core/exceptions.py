from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class StaleEditError(Exception):
    """Raised when a row changed between the moment an editor loaded it and the moment they saved."""

    message = _(
        "This record was changed by someone else after you opened it. Reload it and try again."
    )

    def __init__(self, instance: object) -> None:
        super().__init__(str(self.message))
        self.instance = instance


class BusinessRuleError(Exception):
    """A request that breaks a rule of the domain; the message is shown to the user as is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
