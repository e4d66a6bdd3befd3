"""Reading ids and numbers from query strings and form values without ever raising.

`str.isdigit()` is true for ① and ², which `int()` rejects, and a 30-digit id overflows the database's
integer: both used to turn a typo into a 500. Use `int_param` wherever a request value becomes an id.
"""

from __future__ import annotations

import re

_ID = re.compile(r"[0-9]{1,18}")


def int_param(value) -> int | None:
    """The value as a non-negative int if it is 1–18 ASCII digits, else None."""
    if value is None:
        return None
    text = str(value).strip()
    return int(text) if _ID.fullmatch(text) else None
