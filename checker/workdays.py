"""Working days on China's official calendar, make-up workdays (调休) included.

``chinese_calendar`` carries the State Council's yearly holiday notices. For a year it does
not cover yet we fall back to weekends and the fixed-date holidays, and say the result is
provisional: the real notice may move a deadline.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

import chinese_calendar

__all__ = ["add_calendar_days", "add_working_days", "calendar_covers", "is_workday"]

# Fixed-date statutory holidays; the lunar ones (春节, 清明, 端午, 中秋) cannot be placed without the notice.
_FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}


@cache
def calendar_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=65536)
def is_workday(day: dt.date) -> bool:
    if calendar_covers(day.year):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS


def add_working_days(start: dt.date, n: int) -> tuple[dt.date, bool]:
    """The n-th working day after ``start`` (before it if n < 0; ``start`` itself is day 0), and whether it is provisional.

    "Within 7 working days of the decision" means by the 7th working day after the decision day.
    """
    day = start
    provisional = not calendar_covers(day.year)
    step = dt.timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining > 0:
        day += step
        provisional = provisional or not calendar_covers(day.year)
        if is_workday(day):
            remaining -= 1
    return day, provisional


def add_calendar_days(start: dt.date, n: int, *, extend_past_rest_days: bool = True) -> tuple[dt.date, bool]:
    """The last day of a period of ``n`` calendar days from ``start``, and whether it is provisional.

    The start day is not counted (民法典 第二百零一条: 开始的当日不计入), so the period ends on
    ``start + n``. If that day is a 法定休假日, the period runs to the first working day after it
    (第二百零三条: 以法定休假日结束的次日为期间的最后一日): 15 days from 2020-09-16 end on
    2020-10-09, after the National Day holiday. The rulebook reads 法定休假日 as every day that is
    not a working day on the State Council's calendar (weekends and holidays, make-up workdays
    being working days); ``extend_past_rest_days=False`` is the other reading, for a rule that
    says its period is not extended.
    """
    day = start + dt.timedelta(days=n)
    if not extend_past_rest_days or n <= 0:
        return day, False
    provisional = not calendar_covers(day.year)
    while not is_workday(day):
        day += dt.timedelta(days=1)
        provisional = provisional or not calendar_covers(day.year)
    return day, provisional
