"""per-record: every record of a type must satisfy a condition (e.g. each enforcement action)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..conditions import Condition
from ..context import Context, Matches
from ..engine import ActionPlan
from ..findings import Finding, Status
from ..rules import RuleBase, Selector
from . import kind


@kind("per-record", "逐条记录")
class PerRecordRule(RuleBase):
    kind: Literal["per-record"] = "per-record"
    subject: Selector = Field(description="适用的记录")
    require: list[Condition] = Field(min_length=1, description="每条记录必须满足的条件（全部满足）")

    def selectors(self) -> list[Selector]:
        return [self.subject]

    def params_used(self) -> set[str]:
        return {p for c in [*self.subject.when, *self.require] for p in c.params_used()}

    def _needed_fields(self) -> list[str]:
        return sorted({c.field for c in self.require if c.op != "missing"} | {c.other for c in self.require if c.other})

    def plans(self, ctx: Context) -> list[ActionPlan]:
        applicable, met = [], []
        unknown: dict[str, list[list[dict[str, Any]]]] = {f: [] for f in self._needed_fields()}
        for seg in self.segments():
            dates = seg.date_tests(self.subject.date_field)
            applicable += self.subject.patterns("s", seg.params, extra=dates)
            met += self.subject.patterns("s", seg.params, self.require, extra=dates)
            for field in unknown:
                unknown[field] += self.subject.patterns(
                    "s", seg.params, [Condition(field=field, op="missing")], extra=dates
                )
        plans = [ActionPlan(self.action("applicable"), applicable, ("s",)), ActionPlan(self.action("met"), met, ("s",))]
        plans += [ActionPlan(self.action(f"unknown:{f}"), alts, ("s",)) for f, alts in unknown.items()]
        return plans

    def oracle(self, ctx: Context, facts: dict[str, list[dict[str, Any]]]) -> Matches:
        out: Matches = {p.name: set() for p in self.plans(ctx)}
        date_field = self.subject.date_field
        for fact in facts.get(self.subject.record, []):
            params = self._params_for(fact[date_field])
            if not self.subject.passes(fact, params):
                continue
            out[self.action("applicable")].add((fact["rid"],))
            if self.subject.passes(fact, params, self.require):
                out[self.action("met")].add((fact["rid"],))
            for field in self._needed_fields():
                if field not in fact:
                    out[self.action(f"unknown:{field}")].add((fact["rid"],))
        return out

    def _params_for(self, daynum: int) -> dict[str, Any]:
        from ..dates import from_daynum

        return self.params_at(from_daynum(daynum))

    def judge(self, ctx: Context, matches: Matches) -> list[Finding]:
        applicable = {m[0] for m in matches[self.action("applicable")]}
        if not applicable:
            label = ctx_label(self.subject.record)
            return self.not_applicable(f"截至检查日无{label}记录，本项不适用")
        met = {m[0] for m in matches[self.action("met")]}
        missing: dict[str, list[str]] = {}
        for field in self._needed_fields():
            for (rid,) in matches[self.action(f"unknown:{field}")]:
                missing.setdefault(rid, []).append(field)
        out: list[Finding] = []
        for rid in sorted(applicable):
            record = ctx.record(self.subject.record, rid)
            version = self.version_at(record.day)
            if rid in met:
                out.append(self.finding(Status.met, subject=rid, evidence=[rid], version=version, message="符合要求"))
            elif rid in missing:
                fields = "、".join(missing[rid])
                out.append(
                    self.finding(Status.unknown, subject=rid, evidence=[rid], version=version,
                                 message=f"{ctx_label(self.subject.record)} {rid} 缺少 {fields}，无法判断")
                )
            else:
                out.append(
                    self.finding(Status.gap, subject=rid, evidence=[rid], version=version,
                                 message=self._explain(record))
                )
        return out

    def _explain(self, record: Any) -> str:
        from ..conditions import display_value, holds

        params = self.params_at(record.day)
        fact = record.to_fact()
        failed = [c for c in self.require if not holds(c, fact, self.subject.record, params)]
        shown = "；".join(
            f"要求{c.describe(self.subject.record, params)}，实为 {display_value(record, c.field)}" for c in failed
        )
        return f"{ctx_label(self.subject.record)} {record.id}：{shown}"


def ctx_label(rtype: str) -> str:
    from ..records import RECORD_TYPES

    return RECORD_TYPES[rtype].label.removesuffix("台账")
