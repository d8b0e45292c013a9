"""coverage: a state must hold on every day of a period (e.g. a legal adviser under contract).

The engine selects the records that can give the state (say, contracts that are in force);
which days they cover is interval arithmetic, done here on dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from ..context import Context, Matches
from ..dates import from_daynum
from ..engine import ActionPlan
from ..findings import Finding, Status
from ..periods import PeriodUnit, periods_overlapping
from ..records import RECORD_TYPES
from ..rules import RuleBase, Selector
from . import kind
from ..records.base import ledger_name

ONE_DAY = dt.timedelta(days=1)


class IntervalSelector(Selector):
    """Records that each hold the state from one date to another (inclusive; an empty end is open-ended)."""

    start: str = Field(description="起始日期字段")
    end: str = Field(description="终止日期字段（含当日；空为长期）")

    @model_validator(mode="after")
    def _fields_exist(self) -> "IntervalSelector":
        fields = RECORD_TYPES[self.record].model_fields
        for name in (self.start, self.end):
            if name not in fields:
                raise ValueError(f"台账 {self.record} 没有字段 {name!r}")
        return self


@kind("coverage", "持续覆盖")
class CoverageRule(RuleBase):
    kind: Literal["coverage"] = "coverage"
    period: PeriodUnit = Field(default=PeriodUnit.year, description="按何周期出具结论")
    intervals: IntervalSelector = Field(description="提供该状态的记录")
    at_least: int | None = Field(default=1, ge=1, description="每天至少同时有几条记录")
    at_least_param: str | None = Field(default=None, description="每天至少几条所取的参数名")

    def selectors(self) -> list[Selector]:
        return [self.intervals]

    def params_used(self) -> set[str]:
        used = {p for c in self.intervals.when for p in c.params_used()}
        return used | ({self.at_least_param} if self.at_least_param else set())

    def plans(self, ctx: Context) -> list[ActionPlan]:
        alternatives = []
        for seg in self.segments():
            alternatives += self.intervals.patterns("s", seg.params, extra=seg.date_tests(self.intervals.date_field))
        return [ActionPlan(self.action("holds"), alternatives, ("s",))]

    def oracle(self, ctx: Context, facts: dict[str, list[dict[str, Any]]]) -> Matches:
        out: Matches = {self.action("holds"): set()}
        for fact in facts.get(self.intervals.record, []):
            if self.intervals.passes(fact, self.params_at(from_daynum(fact[self.intervals.date_field]))):
                out[self.action("holds")].add((fact["rid"],))
        return out

    def _needed(self, day: dt.date) -> int:
        if self.at_least_param:
            return int(self.params_at(day)[self.at_least_param])
        return self.at_least or 1

    def judge(self, ctx: Context, matches: Matches) -> list[Finding]:
        spans = []
        for (rid,) in matches[self.action("holds")]:
            record = ctx.record(self.intervals.record, rid)
            start = getattr(record, self.intervals.start)
            end = getattr(record, self.intervals.end) or dt.date.max
            spans.append((start, end, rid))
        first_day = ctx.profile.ledgers_from
        label = ledger_name(self.intervals.record)
        out: list[Finding] = []
        horizon = ctx.as_of + dt.timedelta(days=ctx.warn_days)
        for period in periods_overlapping(self.period, first_day, ctx.as_of):
            judged_from = max(period.start, first_day)
            judged_to = min(period.end, ctx.as_of)
            holes = _holes(spans, judged_from, judged_to, self._needed)
            used = sorted({rid for s, e, rid in spans if s <= judged_to and e >= judged_from})
            version = self.version_at(period.end)
            if holes:
                days = sum((b - a).days + 1 for a, b in holes)
                shown = "、".join(_span(a, b) for a, b in holes[:5]) + ("等" if len(holes) > 5 else "")
                out.append(self.finding(
                    Status.gap, period=period.label, evidence=used, version=version, due=holes[0][0],
                    details={"uncovered_days": days, "holes": [[a.isoformat(), b.isoformat()] for a, b in holes]},
                    message=f"{period.chinese}有 {days} 天不满足（{shown}），依据{label}",
                ))
                continue
            ahead_to = min(period.end, horizon)
            ahead = _holes(spans, ctx.as_of + ONE_DAY, ahead_to, self._needed) if ahead_to > ctx.as_of else []
            if ahead:
                out.append(self.finding(
                    Status.due_soon, period=period.label, evidence=used, version=version, due=ahead[0][0],
                    message=f"自 {ahead[0][0].isoformat()} 起将不满足，现有{label}不能覆盖，请及时续签或补足",
                ))
                continue
            out.append(self.finding(
                Status.met, period=period.label, evidence=used, version=version,
                message=f"{_span(judged_from, judged_to)} 每日均满足",
            ))
        return out


def _holes(
    spans: list[tuple[dt.date, dt.date, str]], first: dt.date, last: dt.date, needed: Any
) -> list[tuple[dt.date, dt.date]]:
    """Maximal runs of days in [first, last] covered by fewer spans than ``needed(day)``."""
    holes: list[tuple[dt.date, dt.date]] = []
    day = first
    while day <= last:
        count = sum(1 for s, e, _ in spans if s <= day <= e)
        if count < needed(day):
            if holes and holes[-1][1] == day - ONE_DAY:
                holes[-1] = (holes[-1][0], day)
            else:
                holes.append((day, day))
        day += ONE_DAY
    return holes


def _span(a: dt.date, b: dt.date) -> str:
    return a.isoformat() if a == b else f"{a.isoformat()} 至 {b.isoformat()}"
