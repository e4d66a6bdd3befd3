"""Template filters shared by every page."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def num(value, places: int = 4):
    """A measured value as people write it: 94.1 not 94.1000, 1800 not 1.8E+3, at most `places` decimals."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places)))
    except (InvalidOperation, ValueError):
        return value
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
