"""Tests that kill the mutants of checker/periods.py that survived the period and time tests (issue 11, item 5).

Each asserts what a period is, as the rules use it: its first and last day, its label, its
Chinese name, how periods order and follow each other, and how labels are read back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from checker.periods import Period, PeriodUnit, parse_period, periods_overlapping

D = dt.date

# (unit, a day in it, first day, last day, label, Chinese name)
PERIODS = [
    (PeriodUnit.month, D(2020, 7, 15), D(2020, 7, 1), D(2020, 7, 31), "2020-07", "2020年7月"),
    (PeriodUnit.month, D(2020, 2, 29), D(2020, 2, 1), D(2020, 2, 29), "2020-02", "2020年2月"),
    (PeriodUnit.month, D(2021, 12, 31), D(2021, 12, 1), D(2021, 12, 31), "2021-12", "2021年12月"),
    (PeriodUnit.quarter, D(2020, 1, 1), D(2020, 1, 1), D(2020, 3, 31), "2020Q1", "2020年第一季度"),
    (PeriodUnit.quarter, D(2020, 5, 20), D(2020, 4, 1), D(2020, 6, 30), "2020Q2", "2020年第二季度"),
    (PeriodUnit.quarter, D(2020, 9, 30), D(2020, 7, 1), D(2020, 9, 30), "2020Q3", "2020年第三季度"),
    (PeriodUnit.quarter, D(2020, 10, 1), D(2020, 10, 1), D(2020, 12, 31), "2020Q4", "2020年第四季度"),
    (PeriodUnit.half, D(2020, 6, 30), D(2020, 1, 1), D(2020, 6, 30), "2020H1", "2020年上半年"),
    (PeriodUnit.half, D(2020, 7, 1), D(2020, 7, 1), D(2020, 12, 31), "2020H2", "2020年下半年"),
    (PeriodUnit.year, D(2020, 3, 3), D(2020, 1, 1), D(2020, 12, 31), "2020", "2020年"),
]


@pytest.mark.parametrize(("unit", "day", "start", "end", "label", "chinese"), PERIODS)
def test_a_period_has_its_days_label_and_chinese_name(unit: PeriodUnit, day: dt.date, start: dt.date, end: dt.date, label: str, chinese: str) -> None:
    period = Period.containing(unit, day)
    assert (period.start, period.end, period.unit, period.label, period.chinese) == (start, end, unit, label, chinese)
    # The label names the same period back (reports and waivers write labels).
    assert parse_period(label) == period


def test_units_have_their_month_counts_and_chinese_names() -> None:
    assert [u.months for u in PeriodUnit] == [1, 3, 6, 12]
    assert [u.zh for u in PeriodUnit] == ["月", "季度", "半年", "年"]


def test_periods_order_by_start_are_hashable_and_immutable() -> None:
    q1, q2, q3 = (Period.containing(PeriodUnit.quarter, D(2020, m, 1)) for m in (1, 4, 7))
    assert sorted([q3, q1, q2]) == [q1, q2, q3]
    assert q1 < q2 and max(q1, q3) == q3
    assert len({q1, q2, Period.containing(PeriodUnit.quarter, D(2020, 2, 2))}) == 2  # one period, one key
    with pytest.raises(dataclasses.FrozenInstanceError):
        q1.label = "x"  # type: ignore[misc]


def test_the_next_period_follows_without_gap_or_overlap() -> None:
    for unit in PeriodUnit:
        period = Period.containing(unit, D(2019, 11, 30))
        following = period.next()
        assert following.start == period.end + dt.timedelta(days=1)
        assert following.unit is unit


def test_periods_overlapping_a_single_day_is_that_days_period() -> None:
    day = D(2020, 8, 8)
    assert periods_overlapping(PeriodUnit.month, day, day) == [Period.containing(PeriodUnit.month, day)]
    assert periods_overlapping(PeriodUnit.quarter, D(2020, 3, 31), D(2020, 4, 1)) == [
        Period.containing(PeriodUnit.quarter, D(2020, 3, 1)), Period.containing(PeriodUnit.quarter, D(2020, 4, 1))]


def test_periods_overlapping_an_empty_span_is_an_empty_list() -> None:
    assert periods_overlapping(PeriodUnit.year, D(2020, 1, 2), D(2020, 1, 1)) == []


@pytest.mark.parametrize(("label", "start", "end"), [
    ("2020Q1", D(2020, 1, 1), D(2020, 3, 31)), ("2020Q4", D(2020, 10, 1), D(2020, 12, 31)),
    ("2020H1", D(2020, 1, 1), D(2020, 6, 30)), ("2020H2", D(2020, 7, 1), D(2020, 12, 31)),
    ("2020-01", D(2020, 1, 1), D(2020, 1, 31)), ("2020-12", D(2020, 12, 1), D(2020, 12, 31)), (" 2021 ", D(2021, 1, 1), D(2021, 12, 31)),
])
def test_period_labels_are_read(label: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(label)
    assert period is not None and (period.start, period.end) == (start, end)


@pytest.mark.parametrize("label", ["2020-00", "2020-13", "2020Q5", "2020Q0", "2020H3", "20", "2020-1", "Q1"])
def test_labels_that_name_no_period_are_none(label: str) -> None:
    assert parse_period(label) is None
