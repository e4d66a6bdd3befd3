"""Working-day calendar for mainland China: statutory holidays, 调休 make-up days, admin overrides.

Deadlines in a government bureau are counted in working days (工作日), and the State Council moves
them around every year: holidays fall on weekdays, and some weekends become make-up workdays (调休
上班). This module answers "is this a working day?" and does working-day arithmetic on top of three
sources, in order of precedence:

1. administrator overrides (typed in from the State Council notice, or local decisions);
2. the ``chinesecalendar`` package, which covers a fixed range of years (2004-2026 in 1.11.0);
3. a Monday-to-Friday guess for any year nobody has vouched for, marked ``FALLBACK`` so the UI can
   warn that a deadline in such a year may still move.

It is deliberately free of Django: the web layer builds a ``Calendar`` from database rows, and the
scheduler uses it in tight loops, so every range query is answered by bisecting a per-year sorted
list of working-day ordinals instead of walking day by day.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import chinese_calendar

__all__ = [
    "EPOCH",
    "MAX_DATE",
    "MIN_DATE",
    "Calendar",
    "DayInfo",
    "DayKind",
    "DayOverride",
    "DaySource",
]

# Supported range. Far enough either way for archived records and 20-year plans, close enough that
# a typo such as year 20260 fails loudly instead of silently building thousands of years of data.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2200, 12, 31)

# workday_index() counts working days from here. It must never change once indices have been
# stored, because indices are only comparable when computed against the same epoch. It is a
# 1 January so that the per-year offsets need no correction for a partial first year.
EPOCH = date(2000, 1, 1)

# The package has no public range constant; it derives its own range from the holiday table
# exactly like this (see chinese_calendar.utils._validate_date), so we stay in step on upgrade.
_PACKAGE_FIRST_YEAR = min(chinese_calendar.holidays).year
_PACKAGE_LAST_YEAR = max(chinese_calendar.holidays).year

# The package's own Chinese names are terse ("清明", "中秋") or very long (the 2015 commemoration);
# users expect the names printed in the State Council notices.
_PREFERRED_CHINESE = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "national_day": "国庆节",
    "mid_autumn_festival": "中秋节",
    "anti_fascist_70th_day": "抗战胜利70周年纪念日",
}

# The package's tables map date -> English name (the Holiday enum's value); translate once here.
# A holiday added by a future package version still gets the package's own Chinese name.
_CHINESE_BY_ENGLISH = {
    member.value: _PREFERRED_CHINESE.get(member.name, member.chinese)
    for member in chinese_calendar.Holiday
}

_WEEKEND_NAME = "周末"
_MAKEUP_SUFFIX = "调休上班"
_UNNAMED_HOLIDAY = "节假日"


@dataclass(frozen=True)
class DayOverride:
    """One day an administrator entered; it beats the package data for that day."""

    day: date
    is_workday: bool
    name: str  # e.g. "春节" or "春节调休上班"


class DayKind(StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup"


class DaySource(StrEnum):
    """Where the answer for a day comes from, so the UI can flag guesses."""

    OFFICIAL = "official"  # the chinesecalendar package
    ADMIN = "admin"  # an override, or a year the administrator declared complete
    FALLBACK = "fallback"  # Monday-to-Friday guess for a year nobody has vouched for


@dataclass(frozen=True)
class DayInfo:
    day: date
    is_workday: bool
    kind: DayKind
    name: str
    source: DaySource


@dataclass(frozen=True)
class _YearData:
    """Immutable per-year cache entry: sorted working-day ordinals plus a set for O(1) lookups."""

    ordinals: tuple[int, ...]
    ordinal_set: frozenset[int]


class Calendar:
    """Working-day calendar combining admin overrides, package data and a Mon-Fri fallback.

    Per-year data is built lazily and cached. Cache entries are immutable and deterministic, and are
    published with ``dict.setdefault``, so two threads filling the same year at once merely do the
    work twice and agree on the result; no lock is needed.
    """

    def __init__(
        self, overrides: Iterable[DayOverride] = (), complete_years: Iterable[int] = ()
    ) -> None:
        self._overrides = _index_overrides(overrides)
        self._complete_years = frozenset(complete_years)
        self._years: dict[int, _YearData] = {}
        # _year_offsets[y] = working days in [EPOCH, Jan 1 of y); negative before EPOCH.
        self._year_offsets: dict[int, int] = {EPOCH.year: 0}

    # --- single days -------------------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        _check_date(d)
        return d.toordinal() in self._year(d.year).ordinal_set

    def day_info(self, d: date) -> DayInfo:
        """Everything the month page shows about one day, with the name in Chinese."""
        _check_date(d)
        override = self._overrides.get(d)
        if override is not None:
            return _override_info(override)
        if _in_package(d.year):
            return _package_info(d)
        source = DaySource.ADMIN if d.year in self._complete_years else DaySource.FALLBACK
        return _plain_info(d, source)

    def month(self, year: int, month: int) -> list[DayInfo]:
        """All days of one month, for the month page."""
        first = date(year, month, 1)
        next_first = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return [self.day_info(first + timedelta(days=i)) for i in range((next_first - first).days)]

    # --- completeness ------------------------------------------------------------------------

    def is_official(self, year: int) -> bool:
        """True when the package carries the State Council's arrangement for this year."""
        return _in_package(year)

    def is_complete(self, year: int) -> bool:
        """True when every day of the year is known, not guessed."""
        return _in_package(year) or year in self._complete_years

    def incomplete_years(self, start: date, end: date) -> list[int]:
        """Years in [start.year, end.year] whose days are guessed, so a deadline there may move."""
        return [year for year in range(start.year, end.year + 1) if not self.is_complete(year)]

    # --- arithmetic --------------------------------------------------------------------------

    def workdays_between(self, start: date, end: date) -> int:
        """Working days d with start <= d <= end; 0 when end < start."""
        _check_date(start)
        _check_date(end)
        if end < start:
            return 0
        return self._count_through(end) - self.workday_index(start)

    def add_workdays(self, d: date, n: int) -> date:
        """Move n working days from d.

        n >= 1: the n-th working day strictly after d; n <= -1: the |n|-th working day strictly
        before d; n == 0: d itself if it is a working day, else the next working day (the usual
        reading of "due on a day off" in the office).
        """
        _check_date(d)
        if n >= 1:
            return self.workday_at(self._count_through(d) + n - 1)
        # workday_index(d) counts working days before d, so the day at index(d) is d or the next
        # working day, and index(d) - k is the k-th working day before d.
        return self.workday_at(self.workday_index(d) + n)

    def workday_index(self, d: date) -> int:
        """Consecutive number of a working day: working days in [EPOCH, d).

        Negative before EPOCH. For a non-working day this equals the index of the next working day,
        which lets the scheduler snap a day off forward without a special case.
        """
        _check_date(d)
        return self._count_before(d)

    def workday_at(self, index: int) -> date:
        """The working day whose workday_index() is index (inverse of workday_index)."""
        year = self._guess_year(index)
        while index < self._year_offset(year):
            year -= 1
            _check_year(year, index)
        while index >= self._year_offset(year) + len(self._year(year).ordinals):
            year += 1
            _check_year(year, index)
        ordinals = self._year(year).ordinals
        return date.fromordinal(ordinals[index - self._year_offset(year)])

    # --- holidays overview -------------------------------------------------------------------

    def upcoming_holidays(self, today: date, limit: int = 3) -> list[tuple[str, date, date]]:
        """(name, first day, last day) of the next holiday periods starting on or after today.

        A period is a run of consecutive days off that contains at least one named holiday, with
        the adjacent weekend days included, e.g. 国庆节 2026-10-01..10-07. Only periods starting in
        complete years are reported: in a guessed year the dates would be invented. The scan walks
        day by day up to the last complete year at most; this serves a page widget, not a hot path.
        """
        _check_date(today)
        result: list[tuple[str, date, date]] = []
        last_year = min(max([_PACKAGE_LAST_YEAR, *self._complete_years]), MAX_DATE.year)
        day = today
        while len(result) < limit and day.year <= last_year:
            if not self.is_complete(day.year):
                day = date(day.year + 1, 1, 1)
                continue
            if self._starts_period(day):
                period = self._holiday_period(day)
                if period is not None:
                    result.append(period)
            day += timedelta(days=1)
        return result

    # --- internals ---------------------------------------------------------------------------

    def _starts_period(self, d: date) -> bool:
        """A day off whose previous day is a working day (or the first supported day)."""
        if self.is_workday(d):
            return False
        return d == MIN_DATE or self.is_workday(d - timedelta(days=1))

    def _holiday_period(self, first: date) -> tuple[str, date, date] | None:
        """The run of days off starting at first, if it contains a named holiday."""
        names: list[str] = []
        has_holiday = False
        last = first
        day = first
        while day <= MAX_DATE and not self.is_workday(day):
            info = self.day_info(day)
            if info.kind is DayKind.HOLIDAY:
                has_holiday = True
                if info.name and info.name not in names:
                    names.append(info.name)
            last = day
            day += timedelta(days=1)
        if not has_holiday:
            return None
        # 2025: 10/1-10/8 is "国庆节、中秋节", the wording the State Council notice uses.
        return ("、".join(names) or _UNNAMED_HOLIDAY, first, last)

    def _count_before(self, d: date) -> int:
        """Working days in [EPOCH, d)."""
        ordinals = self._year(d.year).ordinals
        return self._year_offset(d.year) + bisect.bisect_left(ordinals, d.toordinal())

    def _count_through(self, d: date) -> int:
        """Working days in [EPOCH, d]."""
        ordinals = self._year(d.year).ordinals
        return self._year_offset(d.year) + bisect.bisect_right(ordinals, d.toordinal())

    def _year(self, year: int) -> _YearData:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        ordinals = tuple(self._build_year(year))
        data = _YearData(ordinals=ordinals, ordinal_set=frozenset(ordinals))
        return self._years.setdefault(year, data)

    def _build_year(self, year: int) -> list[int]:
        """Sorted working-day ordinals of one year; the only place that walks days."""
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        return [o for o in range(first, last + 1) if self._is_workday_uncached(date.fromordinal(o))]

    def _is_workday_uncached(self, d: date) -> bool:
        override = self._overrides.get(d)
        if override is not None:
            return override.is_workday
        if _in_package(d.year):
            return _package_is_workday(d)
        return d.weekday() < 5

    def _year_offset(self, year: int) -> int:
        """Working days in [EPOCH, Jan 1 of year), negative before EPOCH; filled outward, cached."""
        cached = self._year_offsets.get(year)
        if cached is not None:
            return cached
        offset = 0
        if year > EPOCH.year:
            for y in range(EPOCH.year, year):
                offset += len(self._year(y).ordinals)
                self._year_offsets.setdefault(y + 1, offset)
        else:
            for y in range(EPOCH.year - 1, year - 1, -1):
                offset -= len(self._year(y).ordinals)
                self._year_offsets.setdefault(y, offset)
        return offset

    def _guess_year(self, index: int) -> int:
        """A year near the one holding index (~250 working days a year), to keep stepping short."""
        guess = EPOCH.year + index // 250
        return max(MIN_DATE.year, min(MAX_DATE.year, guess))


# --- module-level helpers (pure, no calendar state) --------------------------------------------


def _index_overrides(overrides: Iterable[DayOverride]) -> dict[date, DayOverride]:
    """Overrides keyed by day; two entries for one day are an input error, not a silent pick."""
    by_day: dict[date, DayOverride] = {}
    for override in overrides:
        _check_date(override.day)
        if override.day in by_day:
            raise ValueError(f"two overrides for {override.day.isoformat()}")
        by_day[override.day] = override
    return by_day


def _check_date(d: date) -> None:
    # A datetime is a date subclass but carries a time zone question (UTC midnight is not Beijing
    # midnight); make the caller decide which calendar day they mean.
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"expected a datetime.date, got {type(d).__name__}")
    if not MIN_DATE <= d <= MAX_DATE:
        raise ValueError(
            f"{d.isoformat()} is outside the supported range "
            f"{MIN_DATE.isoformat()}..{MAX_DATE.isoformat()}"
        )


def _check_year(year: int, index: int) -> None:
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        raise ValueError(
            f"working-day index {index} is outside the supported range "
            f"{MIN_DATE.isoformat()}..{MAX_DATE.isoformat()}"
        )


def _in_package(year: int) -> bool:
    return _PACKAGE_FIRST_YEAR <= year <= _PACKAGE_LAST_YEAR


def _package_is_workday(d: date) -> bool:
    # Same rule as chinese_calendar.is_workday, without its per-call validation cost.
    if d in chinese_calendar.workdays:
        return True
    return d.weekday() < 5 and d not in chinese_calendar.holidays


def _chinese_name(english: str) -> str:
    return _CHINESE_BY_ENGLISH.get(english, english)


def _override_info(override: DayOverride) -> DayInfo:
    if override.is_workday:
        kind = DayKind.MAKEUP_WORKDAY if override.day.weekday() >= 5 else DayKind.WORKDAY
    else:
        kind = DayKind.HOLIDAY
    return DayInfo(override.day, override.is_workday, kind, override.name, DaySource.ADMIN)


def _package_info(d: date) -> DayInfo:
    makeup = chinese_calendar.workdays.get(d)
    if makeup is not None:
        name = _chinese_name(makeup) + _MAKEUP_SUFFIX
        return DayInfo(d, True, DayKind.MAKEUP_WORKDAY, name, DaySource.OFFICIAL)
    holiday = chinese_calendar.holidays.get(d)
    if holiday is not None:
        return DayInfo(d, False, DayKind.HOLIDAY, _chinese_name(holiday), DaySource.OFFICIAL)
    return _plain_info(d, DaySource.OFFICIAL)


def _plain_info(d: date, source: DaySource) -> DayInfo:
    if d.weekday() >= 5:
        return DayInfo(d, False, DayKind.WEEKEND, _WEEKEND_NAME, source)
    return DayInfo(d, True, DayKind.WORKDAY, "", source)
