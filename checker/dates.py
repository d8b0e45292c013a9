"""Dates as clerks write them, and the day numbers the engine compares.

Ledgers arrive with dates written every way (2020-09-20, 2020/9/20, 2020.9.20,
2020年9月20日, 20200920); all become ``datetime.date`` at the edge, never strings.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator

__all__ = ["EPOCH", "Day", "MonthDay", "from_daynum", "on_month_day", "parse_day", "to_daynum"]

EPOCH = dt.date(1970, 1, 1)

_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_day(value: Any) -> Any:
    """Turn any of the clerks' date spellings into a date; leave other values to pydantic."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date) or value is None:
        return value
    if isinstance(value, int) and 19000101 <= value <= 29991231:
        value = str(value)
    if isinstance(value, str):
        text = value.strip().replace("－", "-").replace("／", "/")
        if " " in text or "T" in text:
            text = re.split(r"[ T]", text, maxsplit=1)[0]
        for pattern in _PATTERNS:
            found = pattern.match(text)
            if found:
                year, month, day = (int(g) for g in found.groups())
                try:
                    return dt.date(year, month, day)
                except ValueError:
                    raise ValueError(f"没有这一天：{value!r}") from None
        raise ValueError(f"无法识别的日期：{value!r}（应写作 2020-09-20 或 2020年9月20日）")
    return value


Day = Annotated[dt.date, BeforeValidator(parse_day)]


def to_daynum(day: dt.date) -> int:
    """Days since 1970-01-01: the engine compares these integers, never date strings (notes r11)."""
    return (day - EPOCH).days


def from_daynum(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=n)


def _month_day(value: Any) -> Any:
    """A day of every year, written MM-DD: 02-30 never exists and 02-29 only in leap years, so both are refused."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}-\d{2}", value):
        raise ValueError(f"日期应写作 MM-DD（如 03-01），实为 {value!r}")
    month, day = int(value[:2]), int(value[3:])
    try:
        dt.date(2021, month, day)  # a common year: every MM-DD valid in it exists in every year
    except ValueError:
        raise ValueError(f"没有这一天：{value!r}（月日应为每年都有的日期）") from None
    return value


MonthDay = Annotated[str, BeforeValidator(_month_day)]
"""A month and day that exists in every year, such as 03-01 (due dates, occasions)."""


def on_month_day(month_day: str, year: int) -> dt.date:
    return dt.date(year, int(month_day[:2]), int(month_day[3:]))
