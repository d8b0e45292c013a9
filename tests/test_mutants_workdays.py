"""Tests that kill the mutants of checker/workdays.py that survived the time tests (issue 11, item 5).

The official calendar (chinese_calendar) and the fallback for years it does not cover yet
(weekends and the fixed-date holidays, results marked provisional) are both asserted, and the
two readings of a calendar-day period (extended past rest days, or not).
"""

from __future__ import annotations

import datetime as dt

import pytest

from checker.workdays import add_calendar_days, add_working_days, calendar_covers, is_workday

D = dt.date
LAST_COVERED = max(y for y in range(2004, 2100) if calendar_covers(y))
FALLBACK_YEARS = range(2090, 2100)
"""Years no holiday notice will cover while this code lives: the fallback decides them."""


def test_the_calendar_covers_the_years_of_the_notices_only() -> None:
    assert calendar_covers(2020) is True and calendar_covers(LAST_COVERED) is True
    assert calendar_covers(LAST_COVERED + 1) is False and calendar_covers(2099) is False


def test_covered_years_follow_the_notice_not_the_weekday() -> None:
    assert is_workday(D(2020, 10, 8)) is False  # a Thursday of the National Day holiday
    assert is_workday(D(2020, 9, 27)) is True  # a Sunday made a workday (调休)


@pytest.mark.parametrize(("month", "day"), [(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)])
def test_the_fallback_keeps_the_fixed_date_holidays(month: int, day: int) -> None:
    # In a year on a weekday, the holiday is no workday; the weekdays around it (not holidays) are.
    years = [y for y in FALLBACK_YEARS if D(y, month, day).weekday() < 5]
    assert years
    for year in years:
        assert is_workday(D(year, month, day)) is False
    ordinary = [d for y in FALLBACK_YEARS for d in (D(y, month, 15), D(y, month, 20)) if d.weekday() < 5]
    assert ordinary and all(is_workday(d) for d in ordinary)


def test_the_fallback_rests_on_saturday_and_sunday_only() -> None:
    week = [D(2099, 3, 2) + dt.timedelta(days=i) for i in range(7)]  # Monday 2099-03-02 to Sunday
    assert [d.weekday() for d in week] == list(range(7))
    assert [is_workday(d) for d in week] == [True] * 5 + [False] * 2


def test_working_days_past_the_last_notice_are_provisional() -> None:
    start = D(LAST_COVERED, 12, 1)
    due, provisional = add_working_days(start, 40)  # runs into the year with no notice
    assert due.year == LAST_COVERED + 1 and provisional is True
    assert add_working_days(D(2020, 9, 16), 7)[1] is False
    assert add_working_days(D(2099, 3, 2), 0) == (D(2099, 3, 2), True)


def test_working_days_count_backwards_for_a_negative_n() -> None:
    assert add_working_days(D(2099, 3, 9), -1) == (D(2099, 3, 6), True)  # Monday back to Friday
    assert add_working_days(D(2020, 10, 9), -1)[0] == D(2020, 9, 30)  # back over the National Day holiday


def test_a_calendar_period_ending_on_a_rest_day_runs_to_the_next_working_day() -> None:
    # 民法典 第二百零三条, the default reading: 15 days from 2020-09-16 end after the holiday.
    assert add_calendar_days(D(2020, 9, 16), 15) == (D(2020, 10, 9), False)
    # The other reading, for a rule that says its period is not extended: the plain 15th day.
    assert add_calendar_days(D(2020, 9, 16), 15, extend_past_rest_days=False) == (D(2020, 10, 1), False)
    # Ending on a working day: no change either way.
    assert add_calendar_days(D(2020, 9, 1), 14) == (D(2020, 9, 15), False)


def test_a_zero_day_period_is_the_start_day_even_on_a_holiday() -> None:
    assert add_calendar_days(D(2020, 10, 1), 0) == (D(2020, 10, 1), False)


def test_a_calendar_period_into_an_uncovered_year_is_provisional() -> None:
    day, provisional = add_calendar_days(D(2099, 3, 2), 5)  # ends on a Saturday: moved to Monday
    assert (day, provisional) == (D(2099, 3, 9), True)
