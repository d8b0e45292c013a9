"""periodic: once per period (month, quarter, half-year, year), evidence by a due date."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from ..context import Context, Matches
from ..dates import to_daynum
from ..engine import ActionPlan
from ..findings import Finding
from ..periods import Period, PeriodUnit, parse_period, periods_overlapping
from ..rules import RuleBase, Selector, StrictModel
from ..workdays import add_working_days
from . import kind
from ._evidence import DUE, EvidenceSelector, evidence_oracle, evidence_plans, judge_due
from .per_record import ctx_label


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


@kind("periodic", "定期履行")
class PeriodicRule(RuleBase):
    kind: Literal["periodic"] = "periodic"
    period: PeriodUnit = Field(description="周期：month、quarter、half-year、year")
    evidence: EvidenceSelector = Field(description="履行义务的证据记录")
    period_field: str | None = Field(default=None, description="证据中写明所属期间的字段（如 quarter）；不填则按证据日期落在期间内")
    due: Due = Field(default_factory=Due, description="到期日；不填为期末")

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

    def periods(self, ctx: Context) -> list[Period]:
        """Periods already begun whose evidence falls due on or after the start of the ledgers."""
        first = ctx.profile.ledgers_from.replace(year=ctx.profile.ledgers_from.year - 1, day=1)
        return [
            p for p in periods_overlapping(self.period, first, ctx.as_of)
            if p.start <= ctx.as_of and self.due_of(p)[0] >= ctx.profile.ledgers_from
        ]

    def subject_facts(self, ctx: Context) -> list[dict[str, Any]]:
        return [
            {"rtype": self.subject_rtype, "rid": p.label, "label": p.label, "start": to_daynum(p.start),
             "end": to_daynum(p.end), DUE: to_daynum(self.due_of(p)[0])}
            for p in self.periods(ctx)
        ]

    def _link_tests(self) -> list[dict[str, Any]]:
        if self.period_field:
            return [{self.period_field: {"s": "label"}}]
        d = self.evidence.evidence_date
        return [{"$gte": {d: {"s": "start"}}}, {"$lte": {d: {"s": "end"}}}]

    def plans(self, ctx: Context) -> list[ActionPlan]:
        return evidence_plans(self, None, self.subject_rtype, self.evidence, self._link_tests(), "end")

    def oracle(self, ctx: Context, facts: dict[str, list[dict[str, Any]]]) -> Matches:
        d = self.evidence.evidence_date

        def linked(s: dict[str, Any], e: dict[str, Any]) -> bool:
            if self.period_field:
                return e.get(self.period_field) == s["label"]
            return d in e and s["start"] <= e[d] <= s["end"]

        return evidence_oracle(self, None, facts.get(self.subject_rtype, []), self.evidence,
                               facts.get(self.evidence.record, []), linked, "end")

    def judge(self, ctx: Context, matches: Matches) -> list[Finding]:
        subjects = {f["rid"]: f for f in self.subject_facts(ctx)}
        if not subjects:
            return self.not_applicable("检查期间内没有已开始的周期")
        label = ctx_label(self.evidence.record)

        def describe(rid: str) -> tuple[Any, ...]:
            period = parse_period(rid)
            assert period is not None
            _, provisional = self.due_of(period)
            return None, rid, self.version_at(period.end), provisional, f"{period.chinese}的{label}"

        return judge_due(self, ctx, matches, self.evidence, subjects, describe)


