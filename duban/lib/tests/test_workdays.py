"""Tests for the working-day calendar.

The 2026 facts are pinned from the State Council notice (国办发明电〔2025〕7号) rather than read back
from the package, so a bad package upgrade fails here instead of silently moving deadlines.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.lib.workdays import (
    EPOCH,
    MAX_DATE,
    MIN_DATE,
    Calendar,
    DayKind,
    DayOverride,
    DaySource,
)

CALENDAR = Calendar()
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

# Mostly years around the package range, so properties cross package, fallback and year boundaries.
nearby_dates = st.dates(min_value=date(1995, 1, 1), max_value=date(2035, 12, 31))
any_dates = st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31))
steps_forward = st.integers(min_value=1, max_value=800)
steps_back = st.integers(min_value=-800, max_value=-1)


def d(text: str) -> date:
    return date.fromisoformat(text)


def days(first: str, last: str) -> list[date]:
    start, end = d(first), d(last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def naive_count(calendar: Calendar, start: date, end: date) -> int:
    """Reference model: the day-by-day loop the library is built to avoid."""
    return sum(calendar.is_workday(day) for day in days(start.isoformat(), end.isoformat()))


# --- 2026 official facts -----------------------------------------------------------------------

HOLIDAYS_2026 = [
    ("元旦", "2026-01-01", "2026-01-03"),
    ("春节", "2026-02-15", "2026-02-23"),
    ("清明节", "2026-04-04", "2026-04-06"),
    ("劳动节", "2026-05-01", "2026-05-05"),
    ("端午节", "2026-06-19", "2026-06-21"),
    ("中秋节", "2026-09-25", "2026-09-27"),
    ("国庆节", "2026-10-01", "2026-10-07"),
]

MAKEUP_WORKDAYS_2026 = [
    ("2026-01-04", "元旦调休上班"),
    ("2026-02-14", "春节调休上班"),
    ("2026-02-28", "春节调休上班"),
    ("2026-05-09", "劳动节调休上班"),
    ("2026-09-20", "国庆节调休上班"),
    ("2026-10-10", "国庆节调休上班"),
]


@pytest.mark.parametrize(("name", "first", "last"), HOLIDAYS_2026)
def test_given_2026_statutory_holiday_when_asking_each_day_then_day_off_with_chinese_name(
    name: str, first: str, last: str
) -> None:
    for day in days(first, last):
        info = CALENDAR.day_info(day)
        assert not CALENDAR.is_workday(day), day
        assert (info.is_workday, info.kind, info.name, info.source) == (
            False,
            DayKind.HOLIDAY,
            name,
            DaySource.OFFICIAL,
        ), day


@pytest.mark.parametrize(("first", "last"), [(first, last) for _, first, last in HOLIDAYS_2026])
def test_given_2026_holiday_when_asking_days_around_it_then_they_are_not_part_of_it(
    first: str, last: str
) -> None:
    before = CALENDAR.day_info(d(first) - timedelta(days=1))
    after = CALENDAR.day_info(d(last) + timedelta(days=1))
    assert before.kind is not DayKind.HOLIDAY
    assert after.kind is not DayKind.HOLIDAY


@pytest.mark.parametrize(("day", "name"), MAKEUP_WORKDAYS_2026)
def test_given_2026_makeup_weekend_when_asking_then_workday_named_after_its_holiday(
    day: str, name: str
) -> None:
    info = CALENDAR.day_info(d(day))
    assert d(day).weekday() >= 5
    assert CALENDAR.is_workday(d(day))
    assert (info.is_workday, info.kind, info.name, info.source) == (
        True,
        DayKind.MAKEUP_WORKDAY,
        name,
        DaySource.OFFICIAL,
    )


def test_given_2026_when_asking_the_thursday_after_national_day_then_it_is_a_workday() -> None:
    # 国庆节 is 10/1-10/7; 10/8 is an ordinary Thursday, not part of the holiday.
    info = CALENDAR.day_info(d("2026-10-08"))
    assert (info.is_workday, info.kind, info.name) == (True, DayKind.WORKDAY, "")


def test_given_plain_days_when_asking_then_weekend_is_named_and_workday_is_blank() -> None:
    saturday = CALENDAR.day_info(d("2026-03-07"))
    monday = CALENDAR.day_info(d("2026-03-09"))
    assert (saturday.kind, saturday.name, saturday.is_workday) == (DayKind.WEEKEND, "周末", False)
    assert (monday.kind, monday.name, monday.is_workday) == (DayKind.WORKDAY, "", True)


def test_given_2015_commemoration_when_asking_then_short_chinese_name() -> None:
    assert CALENDAR.day_info(d("2015-09-03")).name == "抗战胜利70周年纪念日"
    assert CALENDAR.day_info(d("2015-09-06")).name == "抗战胜利70周年纪念日调休上班"


@pytest.mark.parametrize(("year", "count"), [(2024, 251), (2025, 248), (2026, 248)])
def test_given_official_year_when_counting_workdays_then_matches_notice(
    year: int, count: int
) -> None:
    assert CALENDAR.workdays_between(date(year, 1, 1), date(year, 12, 31)) == count


# --- completeness, fallback and overrides ------------------------------------------------------


def test_given_no_data_for_2027_when_asking_then_incomplete_and_monday_to_friday() -> None:
    assert CALENDAR.is_complete(2026)
    assert not CALENDAR.is_complete(2027)
    assert CALENDAR.incomplete_years(d("2026-06-01"), d("2028-03-01")) == [2027, 2028]
    assert CALENDAR.incomplete_years(d("2026-01-01"), d("2026-12-31")) == []
    weekdays_2027 = sum(day.weekday() < 5 for day in days("2027-01-01", "2027-12-31"))
    assert CALENDAR.workdays_between(d("2027-01-01"), d("2027-12-31")) == weekdays_2027
    new_year = CALENDAR.day_info(d("2027-01-01"))  # a Friday; the real 元旦 is not known yet
    assert (new_year.is_workday, new_year.source) == (True, DaySource.FALLBACK)
    assert CALENDAR.day_info(d("2027-01-02")).kind is DayKind.WEEKEND


def test_given_2027_overrides_when_asking_then_holiday_and_makeup_day_are_honoured() -> None:
    calendar = Calendar(
        overrides=[
            DayOverride(d("2027-02-10"), is_workday=False, name="春节"),
            DayOverride(d("2027-02-20"), is_workday=True, name="春节调休上班"),
        ]
    )
    holiday = calendar.day_info(d("2027-02-10"))
    makeup = calendar.day_info(d("2027-02-20"))
    assert (holiday.is_workday, holiday.kind, holiday.name, holiday.source) == (
        False,
        DayKind.HOLIDAY,
        "春节",
        DaySource.ADMIN,
    )
    assert (makeup.is_workday, makeup.kind, makeup.name, makeup.source) == (
        True,
        DayKind.MAKEUP_WORKDAY,
        "春节调休上班",
        DaySource.ADMIN,
    )
    assert calendar.day_info(d("2027-02-11")).source is DaySource.FALLBACK
    assert calendar.add_workdays(d("2027-02-09"), 1) == d("2027-02-11")
    assert calendar.add_workdays(d("2027-02-19"), 1) == d("2027-02-20")
    assert not calendar.is_complete(2027)


def test_given_2027_declared_complete_when_asking_then_complete_and_admin_sourced() -> None:
    calendar = Calendar(complete_years={2027})
    assert calendar.is_complete(2027)
    assert calendar.incomplete_years(d("2026-06-01"), d("2027-12-31")) == []
    assert calendar.day_info(d("2027-03-01")).source is DaySource.ADMIN


def test_given_overrides_in_2026_when_asking_then_they_beat_package_data() -> None:
    calendar = Calendar(
        overrides=[
            DayOverride(d("2026-10-05"), is_workday=True, name="防汛值守"),
            DayOverride(d("2026-10-10"), is_workday=False, name="国庆节"),
            DayOverride(d("2026-03-02"), is_workday=False, name="县庆"),
        ]
    )
    assert calendar.is_workday(d("2026-10-05"))
    assert calendar.day_info(d("2026-10-05")).kind is DayKind.WORKDAY
    assert calendar.day_info(d("2026-10-05")).source is DaySource.ADMIN
    assert not calendar.is_workday(d("2026-10-10"))
    assert calendar.day_info(d("2026-03-02")).name == "县庆"
    assert calendar.workdays_between(d("2026-01-01"), d("2026-12-31")) == 248 + 1 - 1 - 1
    assert CALENDAR.is_workday(d("2026-10-10"))  # the shared calendar is untouched


def test_given_two_overrides_for_one_day_when_building_then_rejected() -> None:
    override = DayOverride(d("2027-02-10"), is_workday=False, name="春节")
    with pytest.raises(ValueError, match="two overrides"):
        Calendar(overrides=[override, override])


# --- arithmetic: exact semantics ---------------------------------------------------------------


def test_given_a_workday_when_adding_zero_then_same_day() -> None:
    assert CALENDAR.add_workdays(d("2026-09-30"), 0) == d("2026-09-30")


def test_given_a_holiday_when_adding_zero_then_next_workday() -> None:
    assert CALENDAR.add_workdays(d("2026-10-01"), 0) == d("2026-10-08")


def test_given_national_day_when_stepping_one_workday_then_it_is_skipped_both_ways() -> None:
    assert CALENDAR.add_workdays(d("2026-09-30"), 1) == d("2026-10-08")
    assert CALENDAR.add_workdays(d("2026-10-08"), -1) == d("2026-09-30")
    assert CALENDAR.add_workdays(d("2026-10-01"), 1) == d("2026-10-08")
    assert CALENDAR.add_workdays(d("2026-10-01"), -1) == d("2026-09-30")
    assert CALENDAR.add_workdays(d("2026-09-30"), 3) == d("2026-10-10")  # makeup Saturday


def test_given_national_day_week_when_counting_then_only_days_after_it_count() -> None:
    # 10/8 Thu, 10/9 Fri and 10/10 (makeup Saturday).
    assert CALENDAR.workdays_between(d("2026-10-01"), d("2026-10-10")) == 3
    assert CALENDAR.workdays_between(d("2026-10-01"), d("2026-10-07")) == 0


def test_given_end_before_start_when_counting_then_zero() -> None:
    assert CALENDAR.workdays_between(d("2026-10-10"), d("2026-10-09")) == 0


def test_given_same_day_when_counting_then_one_if_workday() -> None:
    assert CALENDAR.workdays_between(d("2026-10-10"), d("2026-10-10")) == 1
    assert CALENDAR.workdays_between(d("2026-10-11"), d("2026-10-11")) == 0


def test_given_epoch_when_indexing_then_first_workday_is_zero() -> None:
    assert EPOCH == d("2000-01-01")  # stored indices depend on it never changing
    assert CALENDAR.workday_index(d("2000-01-01")) == 0  # Saturday: index of Monday 01-03
    assert CALENDAR.workday_index(d("2000-01-03")) == 0
    assert CALENDAR.workday_at(0) == d("2000-01-03")
    assert CALENDAR.workday_at(-1) == d("1999-12-31")


def test_given_holiday_when_indexing_then_index_of_next_workday() -> None:
    assert CALENDAR.workday_index(d("2026-10-01")) == CALENDAR.workday_index(d("2026-10-08"))
    assert CALENDAR.workday_index(d("2026-10-08")) == CALENDAR.workday_index(d("2026-09-30")) + 1


def test_given_dates_outside_supported_range_when_asking_then_clear_error() -> None:
    with pytest.raises(ValueError, match="outside the supported range"):
        CALENDAR.is_workday(date(1899, 12, 31))
    with pytest.raises(ValueError, match="outside the supported range"):
        CALENDAR.workdays_between(d("2026-01-01"), date(2201, 1, 1))
    with pytest.raises(ValueError, match="outside the supported range"):
        CALENDAR.add_workdays(MAX_DATE, 1)
    with pytest.raises(ValueError, match="outside the supported range"):
        CALENDAR.add_workdays(MIN_DATE, -1)


def test_given_a_datetime_when_asking_then_type_error() -> None:
    with pytest.raises(TypeError, match="datetime.date"):
        CALENDAR.is_workday(datetime(2026, 10, 1, 12, 0))  # type: ignore[arg-type]


# --- month page and holiday overview -----------------------------------------------------------


def test_given_february_2026_when_listing_month_then_every_day_in_order() -> None:
    infos = CALENDAR.month(2026, 2)
    assert [info.day for info in infos] == days("2026-02-01", "2026-02-28")
    assert infos[13].kind is DayKind.MAKEUP_WORKDAY  # 2/14
    assert infos[14].name == "春节"  # 2/15
    assert len(CALENDAR.month(2026, 12)) == 31


def test_given_september_2026_when_listing_upcoming_then_mid_autumn_then_national_day() -> None:
    assert CALENDAR.upcoming_holidays(d("2026-09-01")) == [
        ("中秋节", d("2026-09-25"), d("2026-09-27")),
        ("国庆节", d("2026-10-01"), d("2026-10-07")),
    ]


def test_given_2026_start_when_listing_upcoming_holidays_then_limit_respected() -> None:
    result = CALENDAR.upcoming_holidays(d("2026-01-01"), limit=4)
    assert [name for name, _, _ in result] == ["元旦", "春节", "清明节", "劳动节"]
    # 春节 runs Sunday 2/15 to Monday 2/23, inclusive of the weekend inside it.
    assert result[1][1:] == (d("2026-02-15"), d("2026-02-23"))


def test_given_2025_combined_holiday_when_listing_then_both_names_in_order() -> None:
    assert CALENDAR.upcoming_holidays(d("2025-09-29"), limit=1) == [
        ("国庆节、中秋节", d("2025-10-01"), d("2025-10-08"))
    ]


def test_given_holiday_weekday_next_to_weekend_when_listing_then_weekend_included() -> None:
    # The package lists only Monday 2024-06-10 as 端午节; the weekend before it belongs to the period.
    result = CALENDAR.upcoming_holidays(d("2024-06-01"), limit=1)
    assert result == [("端午节", d("2024-06-08"), d("2024-06-10"))]


def test_given_today_inside_a_holiday_when_listing_then_that_holiday_is_skipped() -> None:
    assert CALENDAR.upcoming_holidays(d("2026-10-02")) == []  # 2027 is not known yet


def test_given_complete_2027_with_overrides_when_listing_then_2027_holiday_reported() -> None:
    calendar = Calendar(
        overrides=[DayOverride(d("2027-01-01"), is_workday=False, name="元旦")],
        complete_years={2027},
    )
    assert calendar.upcoming_holidays(d("2026-10-02"), limit=1) == [
        ("元旦", d("2027-01-01"), d("2027-01-03"))
    ]


# --- concurrency -------------------------------------------------------------------------------


def test_given_threads_filling_the_cache_when_done_then_results_agree_with_serial() -> None:
    probes = [date(year, 6, 15) for year in range(1990, 2045)]
    expected = [Calendar().workday_index(day) for day in probes]
    shared = Calendar()
    results: list[list[int]] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        results.append([shared.workday_index(day) for day in reversed(probes)][::-1])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 8


# --- properties --------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(day=nearby_dates, n=steps_forward)
def test_given_any_day_when_adding_n_workdays_then_exactly_n_workdays_elapse(
    day: date, n: int
) -> None:
    result = CALENDAR.add_workdays(day, n)
    assert result > day
    assert CALENDAR.is_workday(result)
    assert CALENDAR.workdays_between(day + timedelta(days=1), result) == n


@PROPERTY_SETTINGS
@given(day=nearby_dates, n=steps_back)
def test_given_any_day_when_subtracting_n_workdays_then_exactly_n_workdays_elapse(
    day: date, n: int
) -> None:
    result = CALENDAR.add_workdays(day, n)
    assert result < day
    assert CALENDAR.is_workday(result)
    assert CALENDAR.workdays_between(result, day - timedelta(days=1)) == -n


@PROPERTY_SETTINGS
@given(day=any_dates)
def test_given_any_day_when_adding_zero_then_first_workday_on_or_after_it(day: date) -> None:
    result = CALENDAR.add_workdays(day, 0)
    assert result >= day
    assert CALENDAR.is_workday(result)
    assert CALENDAR.workdays_between(day, result - timedelta(days=1)) == 0


@PROPERTY_SETTINGS
@given(day=any_dates)
def test_given_a_workday_when_indexing_then_workday_at_inverts_it(day: date) -> None:
    index = CALENDAR.workday_index(day)
    if CALENDAR.is_workday(day):
        assert CALENDAR.workday_at(index) == day
    else:
        assert CALENDAR.workday_at(index) == CALENDAR.add_workdays(day, 0)


@PROPERTY_SETTINGS
@given(first=any_dates, second=any_dates)
def test_given_two_days_when_indexing_then_index_is_monotonic(first: date, second: date) -> None:
    early, late = sorted((first, second))
    assert CALENDAR.workday_index(early) <= CALENDAR.workday_index(late)
    if early < late and CALENDAR.is_workday(early):
        assert CALENDAR.workday_index(early) < CALENDAR.workday_index(late)
    assert CALENDAR.workday_index(late) - CALENDAR.workday_index(early) == (
        CALENDAR.workdays_between(early, late - timedelta(days=1))
    )


@PROPERTY_SETTINGS
@given(day=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_given_package_year_without_overrides_when_asking_then_agrees_with_package(
    day: date,
) -> None:
    assert CALENDAR.is_workday(day) == chinese_calendar.is_workday(day)


@PROPERTY_SETTINGS
@given(
    start=nearby_dates,
    length=st.integers(min_value=0, max_value=500),
    overridden=st.dictionaries(nearby_dates, st.booleans(), max_size=30),
    complete=st.sets(st.integers(min_value=2027, max_value=2035), max_size=3),
)
def test_given_random_overrides_when_counting_range_then_matches_day_by_day_count(
    start: date, length: int, overridden: dict[date, bool], complete: set[int]
) -> None:
    overrides = [DayOverride(day, flag, "调整") for day, flag in overridden.items()]
    calendar = Calendar(overrides=overrides, complete_years=complete)
    end = start + timedelta(days=length)
    assert calendar.workdays_between(start, end) == naive_count(calendar, start, end)
    for day, flag in overridden.items():
        assert calendar.is_workday(day) is flag
        assert calendar.day_info(day).source is DaySource.ADMIN
