"""Dates as clerks write them, working days with make-up workdays, and periods."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.dates import from_daynum, parse_day, to_daynum
from checker.periods import Period, PeriodUnit, parse_period, periods_overlapping
from checker.workdays import add_working_days, calendar_covers, is_workday

D = dt.date


@pytest.mark.parametrize("text", ["2020-09-20", "2020/9/20", "2020.9.20", "2020年9月20日", "20200920", " 2020-09-20 ", "2020-09-20 00:00:00"])
def test_clerks_date_spellings(text: str) -> None:
    assert parse_day(text) == D(2020, 9, 20)


@pytest.mark.parametrize("text", ["2020-02-30", "2020/13/1", "明天", "20-9-2020"])
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_day(text)


@given(st.dates(min_value=D(1971, 1, 1), max_value=D(2999, 1, 1)))
def test_day_numbers_round_trip_and_keep_order(day: dt.date) -> None:
    assert from_daynum(to_daynum(day)) == day
    assert to_daynum(day + dt.timedelta(days=1)) == to_daynum(day) + 1


def test_make_up_workdays_count() -> None:
    # 2020: National Day and Mid-Autumn 10-01..10-08 off, Sunday 09-27 and Saturday 10-10 worked.
    assert is_workday(D(2020, 9, 27)) and is_workday(D(2020, 10, 10))
    assert not is_workday(D(2020, 10, 5))
    # A decision of Monday 2020-09-28: 7 working days are 09-29, 09-30, 10-09, 10-10, 10-12, 10-13, 10-14.
    assert add_working_days(D(2020, 9, 28), 7) == (D(2020, 10, 14), False)
    # 2021: 10-01..10-07 off, Saturday 10-09 worked: 09-30, 10-08, 10-09, 10-11, 10-12, 10-13, 10-14.
    assert is_workday(D(2021, 10, 9)) and not is_workday(D(2021, 10, 10))
    assert add_working_days(D(2021, 9, 29), 7) == (D(2021, 10, 14), False)


def test_working_days_backwards() -> None:
    # Three working days before Friday 2020-10-09, across the National Day holiday: 09-30, 09-29, 09-28.
    assert add_working_days(D(2020, 10, 9), -3) == (D(2020, 9, 28), False)
    assert add_working_days(D(2020, 10, 9), 0) == (D(2020, 10, 9), False)


def test_uncovered_year_falls_back_and_is_provisional() -> None:
    year = next(y for y in range(2025, 2100) if not calendar_covers(y))
    due, provisional = add_working_days(D(year, 1, 5), 5)
    assert provisional and due.weekday() < 5
    assert not is_workday(D(year, 10, 1))


def test_periods() -> None:
    q = Period.containing(PeriodUnit.quarter, D(2020, 8, 15))
    assert (q.label, q.start, q.end, q.chinese) == ("2020Q3", D(2020, 7, 1), D(2020, 9, 30), "2020年第三季度")
    assert Period.containing(PeriodUnit.half, D(2020, 8, 15)).chinese == "2020年下半年"
    assert [p.label for p in periods_overlapping(PeriodUnit.quarter, D(2019, 11, 1), D(2020, 4, 1))] == ["2019Q4", "2020Q1", "2020Q2"]
    assert parse_period("2020Q4") == Period.containing(PeriodUnit.quarter, D(2020, 12, 31))
    assert parse_period("2020-13") is None and parse_period("Q3") is None
