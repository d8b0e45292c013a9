"""Calendar periods that periodic, coverage and aggregate obligations are judged over."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

__all__ = ["Period", "PeriodUnit", "parse_period", "periods_overlapping"]


class PeriodUnit(str, Enum):
    month = "month"
    quarter = "quarter"
    half = "half-year"
    year = "year"

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "half-year": 6, "year": 12}[self.value]

    @property
    def zh(self) -> str:
        return {"month": "月", "quarter": "季度", "half-year": "半年", "year": "年"}[self.value]


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    unit: PeriodUnit
    label: str

    @classmethod
    def containing(cls, unit: PeriodUnit, day: dt.date) -> Period:
        first_month = (day.month - 1) // unit.months * unit.months + 1
        return cls.starting(unit, day.year, first_month)

    @classmethod
    def starting(cls, unit: PeriodUnit, year: int, first_month: int) -> Period:
        start = dt.date(year, first_month, 1)
        last_month = first_month + unit.months - 1
        next_start = dt.date(year + 1, 1, 1) if last_month == 12 else dt.date(year, last_month + 1, 1)
        end = next_start - dt.timedelta(days=1)
        index = (first_month - 1) // unit.months + 1
        label = {
            PeriodUnit.month: f"{year}-{first_month:02d}",
            PeriodUnit.quarter: f"{year}Q{index}",
            PeriodUnit.half: f"{year}H{index}",
            PeriodUnit.year: f"{year}",
        }[unit]
        return cls(start, end, unit, label)

    def next(self) -> Period:
        return Period.containing(self.unit, self.end + dt.timedelta(days=1))

    @property
    def chinese(self) -> str:
        y = self.start.year
        i = (self.start.month - 1) // self.unit.months
        if self.unit is PeriodUnit.month:
            return f"{y}年{self.start.month}月"
        if self.unit is PeriodUnit.quarter:
            return f"{y}年第{'一二三四'[i]}季度"
        if self.unit is PeriodUnit.half:
            return f"{y}年{'上下'[i]}半年"
        return f"{y}年"


def periods_overlapping(unit: PeriodUnit, first: dt.date, last: dt.date) -> list[Period]:
    """Every period of ``unit`` that has at least one day in [first, last]."""
    if last < first:
        return []
    out = [Period.containing(unit, first)]
    while out[-1].end < last:
        out.append(out[-1].next())
    return out


_LABEL = re.compile(r"^(\d{4})(?:(Q)([1-4])|(H)([12])|-(\d{2}))?$")


def parse_period(label: str) -> Period | None:
    """The period a label such as 2020, 2020Q3, 2020H1 or 2020-07 names; None if it names none."""
    found = _LABEL.match(str(label).strip())
    if not found:
        return None
    year = int(found.group(1))
    if found.group(2):
        return Period.starting(PeriodUnit.quarter, year, (int(found.group(3)) - 1) * 3 + 1)
    if found.group(4):
        return Period.starting(PeriodUnit.half, year, (int(found.group(5)) - 1) * 6 + 1)
    if found.group(6):
        month = int(found.group(6))
        return Period.starting(PeriodUnit.month, year, month) if 1 <= month <= 12 else None
    return Period.starting(PeriodUnit.year, year, 1)
