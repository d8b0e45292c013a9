"""periodic: once per period (month, quarter, half-year, year), evidence by a due date.

Two refinements make one rule give several findings per period:

- ``per_staff``: one subject per staff member holding a role (every leading cadre takes the
  annual law exam); the evidence must name that member in ``per_staff.field``;
- ``occasions``: one subject per dated occasion in the period (4.15, 9.20, 12.4), each due on
  its own day (plus ``days_after``); evidence counts if dated within the occasion's window.

Subject keys: the period label (2020Q3), or "<staff id or occasion>@<period>".
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from ..context import Context, Matches
from ..dates import to_daynum
from ..engine import ActionPlan
from ..findings import Finding
from ..periods import Period, PeriodUnit, parse_period, periods_overlapping
from ..records import RECORD_TYPES
from ..rules import RuleBase, Selector, StrictModel
from ..workdays import add_working_days
from . import kind
from ._evidence import DUE, EvidenceSelector, evidence_oracle, evidence_plans, judge_due
from ._staff import PerStaff


class Due(StrictModel):
    """When a period's evidence is due: N days after the period ends, or a fixed day of the period's year or the next."""

    days_after_end: int | None = Field(default=None, ge=0, description="期末后天数")
    param: str | None = Field(default=None, description="期末后天数所取的参数名")
    working: bool = Field(default=False, description="天数按工作日计")
    month_day: str | None = Field(default=None, pattern=r"^\d{2}-\d{2}$", description="固定日期 MM-DD，如 03-01")
    month_day_param: str | None = Field(default=None, description="固定日期 MM-DD 所取的参数名")
    next_year: bool = Field(default=False, description="固定日期在期间次年（如次年 3 月 1 日前报告上年工作）")

    @model_validator(mode="after")
    def _one(self) -> "Due":
        given = [n for n in ("days_after_end", "param", "month_day", "month_day_param") if getattr(self, n) is not None]
        if len(given) > 1:
            raise ValueError(f"只能给出一种到期方式，却给了 {'、'.join(given)}")
        return self

    def params_used(self) -> set[str]:
        return {p for p in (self.param, self.month_day_param) if p}


class Occasion(StrictModel):
    """A dated occasion in each period (e.g. 12-04 宪法日): evidence dated within its window discharges it."""

    name: str = Field(description="名称，如 宪法日")
    month_day: str = Field(pattern=r"^\d{2}-\d{2}$", description="日期 MM-DD")
    days_before: int = Field(default=0, ge=0, description="提前多少天开展也算数")
    days_after: int = Field(default=0, ge=0, description="推后多少天开展也算数（到期日为当日加此天数）")

    def day_in(self, year: int) -> dt.date:
        month, day = (int(x) for x in self.month_day.split("-"))
        return dt.date(year, month, day)


@kind("periodic", "定期履行")
class PeriodicRule(RuleBase):
    kind: Literal["periodic"] = "periodic"
    period: PeriodUnit = Field(description="周期：month、quarter、half-year、year")
    evidence: EvidenceSelector = Field(description="履行义务的证据记录")
    period_field: str | None = Field(default=None, description="证据中写明所属期间的字段（如 quarter）；不填则按证据日期落在期间内")
    due: Due = Field(default_factory=Due, description="到期日；不填为期末")
    per_staff: PerStaff | None = Field(default=None, description="对担任某角色的每名人员分别判断")
    occasions: list[Occasion] = Field(default_factory=list, description="期间内的固定日期活动，分别判断")
    occasion_field: str | None = Field(default=None, description="与 occasions 合用：证据中写明活动名称的字段（可不填）")

    @model_validator(mode="after")
    def _shape(self) -> "PeriodicRule":
        if self.occasions and self.period is not PeriodUnit.year:
            raise ValueError("occasions 只能用于 period: year")
        if self.occasions and (self.period_field or self.due != Due()):
            raise ValueError("occasions 自带到期日与日期窗口，不能再给 period_field 或 due")
        if self.occasion_field and not self.occasions:
            raise ValueError("occasion_field 须与 occasions 合用")
        if self.per_staff:
            info = RECORD_TYPES[self.evidence.record].model_fields.get(self.per_staff.field)
            if info is None or "list" in str(info.annotation):
                raise ValueError(f"per_staff.field 应为台账 {self.evidence.record} 中写明单个人员编号的字段")
        return self

    def selectors(self) -> list[Selector]:
        return [self.evidence]

    def params_used(self) -> set[str]:
        return {p for c in self.evidence.when for p in c.params_used()} | self.due.params_used()

    @property
    def subject_rtype(self) -> str:
        return f"period@{self.id}"

    def due_of(self, period: Period) -> tuple[dt.date, bool]:
        params = self.params_at(period.end)
        spec = self.due
        month_day = spec.month_day or (str(params[spec.month_day_param]) if spec.month_day_param else None)
        if month_day:
            month, day = (int(x) for x in month_day.split("-"))
            return dt.date(period.end.year + (1 if spec.next_year else 0), month, day), False
        days = spec.days_after_end if spec.days_after_end is not None else (int(params[spec.param]) if spec.param else 0)
        if spec.working:
            return add_working_days(period.end, days)
        return period.end + dt.timedelta(days=days), False

    def subject_facts(self, ctx: Context) -> list[dict[str, Any]]:
        """Every (period, staff member or occasion) to judge, as the engine's subject facts."""
        first = ctx.profile.ledgers_from.replace(year=ctx.profile.ledgers_from.year - 1, day=1)
        out: list[dict[str, Any]] = []
        for p in periods_overlapping(self.period, first, ctx.as_of):
            if p.start > ctx.as_of:
                continue
            base = {"rtype": self.subject_rtype, "label": p.label, "start": to_daynum(p.start), "end": to_daynum(p.end)}
            if self.occasions:
                for occ in self.occasions:
                    day = occ.day_in(p.start.year)
                    due = day + dt.timedelta(days=occ.days_after)
                    if due < ctx.profile.ledgers_from:
                        continue
                    out.append(dict(base, rid=f"{occ.name}@{p.label}", who=occ.name, occasion=occ.name,
                                    win_start=to_daynum(day - dt.timedelta(days=occ.days_before)),
                                    win_end=to_daynum(due), **{DUE: to_daynum(due)}))
                continue
            due, _ = self.due_of(p)
            if due < ctx.profile.ledgers_from:
                continue
            extra = {"win_start": base["start"], "win_end": base["end"], DUE: to_daynum(due)}
            if self.per_staff:
                for member in self.per_staff.members(ctx.profile, p):
                    out.append(dict(base, rid=f"{member.id}@{p.label}", who=member.id, staff=member.id, **extra))
            else:
                out.append(dict(base, rid=p.label, **extra))
        return out

    def _link_tests(self) -> list[dict[str, Any]]:
        d = self.evidence.evidence_date
        tests: list[dict[str, Any]] = []
        if self.period_field:
            tests.append({self.period_field: {"s": "label"}})
        else:
            tests += [{"$gte": {d: {"s": "win_start"}}}, {"$lte": {d: {"s": "win_end"}}}]
        if self.per_staff:
            tests.append({self.per_staff.field: {"s": "staff"}})
        if self.occasion_field:
            tests.append({self.occasion_field: {"s": "occasion"}})
        return tests

    def plans(self, ctx: Context) -> list[ActionPlan]:
        return evidence_plans(self, None, self.subject_rtype, self.evidence, self._link_tests(), "end", ctx.as_of_day)

    def oracle(self, ctx: Context, facts: dict[str, list[dict[str, Any]]]) -> Matches:
        d = self.evidence.evidence_date

        def linked(s: dict[str, Any], e: dict[str, Any]) -> bool:
            if self.period_field:
                if e.get(self.period_field) != s["label"]:
                    return False
            elif not (d in e and s["win_start"] <= e[d] <= s["win_end"]):
                return False
            if self.per_staff and e.get(self.per_staff.field) != s["staff"]:
                return False
            if self.occasion_field and e.get(self.occasion_field) != s["occasion"]:
                return False
            return True

        return evidence_oracle(self, None, facts.get(self.subject_rtype, []), self.evidence,
                               facts.get(self.evidence.record, []), linked, "end", ctx.as_of_day)

    def judge(self, ctx: Context, matches: Matches) -> list[Finding]:
        subjects = {f["rid"]: f for f in ctx.facts.get(self.subject_rtype, [])}
        if not subjects:
            return self.not_applicable("检查期间内没有需要判断的周期" + ("或人员" if self.per_staff else ""))
        label = self.evidence.what
        names = {s.id: s.name for s in ctx.profile.staff}

        def describe(rid: str) -> tuple[Any, ...]:
            fact = subjects[rid]
            period = parse_period(fact["label"])
            assert period is not None
            provisional = False if self.occasions else self.due_of(period)[1]
            who = fact.get("who")
            shown = f"{period.chinese}{names.get(who, who) if who else ''}的{label}"
            return who, fact["label"], self.version_at(period.end), provisional, shown

        return judge_due(self, ctx, matches, self.evidence, subjects, describe)
