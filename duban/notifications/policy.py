"""Pure time and text helpers of the notification transports (no Django import: fast to test)."""

from __future__ import annotations

import datetime as dt


def quiet_until(
    local: dt.datetime, start: dt.time | None, end: dt.time | None
) -> dt.datetime | None:
    """The end of the quiet window `local` falls in, or None when it is outside (or none is set).

    The window may cross midnight (22:00–07:30): 23:00 is quiet until 07:30 the next morning, 06:00
    until 07:30 the same morning. `local` is an aware time in the bureau's zone; so is the result.
    """
    if start is None or end is None or start == end:
        return None
    now = local.timetz().replace(tzinfo=None)
    day = local.date()
    if start < end:
        inside = start <= now < end
        end_day = day
    elif now >= start:
        inside, end_day = True, day + dt.timedelta(days=1)
    else:
        inside, end_day = now < end, day
    if not inside:
        return None
    return dt.datetime.combine(end_day, end, tzinfo=local.tzinfo)


def backoff(attempts: int) -> dt.timedelta:
    """Wait after the n-th failed attempt: 1, 2, 4, 8, 16 … minutes."""
    return dt.timedelta(minutes=2 ** max(attempts - 1, 0))


def split_utf8(text: str, limit: int) -> list[str]:
    """Split `text` into parts of at most `limit` UTF-8 bytes, at line ends where possible and
    never inside a character."""
    if limit < 4:
        raise ValueError("limit must leave room for one character")
    if len(text.encode()) <= limit:
        return [text]
    parts: list[str] = []
    current, size = [], 0
    for line in text.splitlines(keepends=True):
        line_size = len(line.encode())
        if size + line_size <= limit:
            current.append(line)
            size += line_size
            continue
        if current:
            parts.append("".join(current))
            current, size = [], 0
        if line_size <= limit:
            current, size = [line], line_size
            continue
        for char in line:  # one line longer than the limit: cut between characters
            char_size = len(char.encode())
            if size + char_size > limit:
                parts.append("".join(current))
                current, size = [], 0
            current.append(char)
            size += char_size
    if current:
        parts.append("".join(current))
    return parts
