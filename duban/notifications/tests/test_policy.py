"""Pure rules: quiet hours, back-off, splitting at UTF-8 byte limits."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from duban.notifications.policy import backoff, quiet_until, split_utf8

SH = ZoneInfo("Asia/Shanghai")
NIGHT = (dt.time(22, 0), dt.time(7, 30))


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, minute, tzinfo=SH)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(10, 23), at(11, 7, 30)),  # late evening: until tomorrow morning
        (at(10, 22), at(11, 7, 30)),  # the start itself is quiet
        (at(11, 6), at(11, 7, 30)),  # early morning: until this morning
        (at(11, 7, 30), None),  # the end itself is not quiet
        (at(11, 12), None),
        (at(10, 21, 59), None),
    ],
)
def test_quiet_hours_across_midnight(now, expected):
    assert quiet_until(now, *NIGHT) == expected


def test_quiet_hours_within_one_day_and_none():
    lunch = (dt.time(12, 0), dt.time(14, 0))
    assert quiet_until(at(10, 13), *lunch) == at(10, 14)
    assert quiet_until(at(10, 15), *lunch) is None
    assert quiet_until(at(10, 23), None, None) is None


def test_backoff_doubles_from_one_minute():
    assert [backoff(n).total_seconds() / 60 for n in range(1, 6)] == [1, 2, 4, 8, 16]


def test_split_never_exceeds_the_byte_limit_nor_cuts_a_character():
    text = "督办事项逾期提醒。" * 1000  # 27,000 bytes on one line
    parts = split_utf8(text, 4096)
    assert all(len(p.encode()) <= 4096 for p in parts)
    assert "".join(parts) == text
    assert len(parts) == 7


def test_split_prefers_line_ends():
    lines = [f"第{i}行：" + "内容" * 50 for i in range(100)]
    text = "\n".join(lines)
    parts = split_utf8(text, 2048)
    assert "".join(parts) == text
    assert all(p.endswith("\n") for p in parts[:-1])
    assert split_utf8("短消息", 2048) == ["短消息"]
