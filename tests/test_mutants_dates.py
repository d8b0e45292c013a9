"""Tests that kill the mutants of checker/dates.py that survived the time tests (issue 11, item 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel, ValidationError

from checker.dates import Day, from_daynum, parse_day, to_daynum

D = dt.date


class _Dated(BaseModel):
    on: Day | None = None


def test_day_numbers_count_from_1970_01_01() -> None:
    # The engine compares these integers; the epoch is part of the contract, not a detail.
    assert to_daynum(D(1970, 1, 1)) == 0
    assert to_daynum(D(2020, 1, 1)) == 18262
    assert from_daynum(0) == D(1970, 1, 1) and from_daynum(-1) == D(1969, 12, 31)


def test_a_datetime_becomes_its_date() -> None:
    value = parse_day(dt.datetime(2020, 9, 20, 23, 59))
    assert value == D(2020, 9, 20) and type(value) is dt.date


@pytest.mark.parametrize(("number", "day"), [(20200920, D(2020, 9, 20)), (19000101, D(1900, 1, 1)), (29991231, D(2999, 12, 31))])
def test_an_eight_digit_number_is_read_as_a_date(number: int, day: dt.date) -> None:
    assert parse_day(number) == day


@pytest.mark.parametrize("number", [19000100, 29991232, 43952, 5])
def test_other_numbers_are_left_to_the_model(number: int) -> None:
    # Not a yyyymmdd in range: passed on unchanged (an Excel serial is read by the cell reader).
    assert parse_day(number) == number


def test_a_timestamp_with_a_t_or_a_space_keeps_its_day() -> None:
    assert parse_day("2020-09-20T08:30:00") == D(2020, 9, 20)
    assert parse_day("2020-09-20 08:30:00") == D(2020, 9, 20)


@pytest.mark.parametrize("value", [12.5, ["2020-09-20"], {"a": 1}])
def test_a_value_that_is_no_date_is_refused_not_taken_as_missing(value: object) -> None:
    assert parse_day(value) == value
    with pytest.raises(ValidationError):
        _Dated(on=value)  # type: ignore[arg-type]
    assert _Dated(on=None).on is None
