"""deadline: every triggering record needs an evidence record within N calendar or working days."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from ..conditions import Condition, holds
from ..context import Context, Matches
from ..dates import from_daynum, to_daynum
from ..engine import ActionPlan
from ..findings import Finding
from ..records import RECORD_TYPES
from ..records.base import fact_key
from ..rules import RuleBase, Selector, StrictModel
from ..workdays import add_working_days
from . import kind
from ._evidence import DUE, EvidenceSelector, evidence_oracle, evidence_plans, judge_due
from ..records.base import ledger_name


class Extension(StrictModel):
    """A longer time limit for triggers that meet conditions (e.g. a case whose extension was approved)."""

    when: list[Condition] = Field(min_length=1, description="触发记录满足这些条件时适用延长的期限")
    days: int | None = Field(default=None, ge=0, description="延长后的期限天数")
    param: str | None = Field(default=None, description="延长后的期限天数所取的参数名")

    @model_validator(mode="after")
    def _one(self) -> "Extension":
        if (self.days is None) == (self.param is None):
            raise ValueError("days 与 param 必须且只能给一个")
        return self


class Within(StrictModel):
    """How long the bureau has: ``days`` or a parameter, in calendar or working days, from a date of the trigger."""

    days: int | None = Field(default=None, ge=0, description="期限天数")
    param: str | None = Field(default=None, description="期限天数所取的参数名")
    working: bool = Field(default=False, description="true 为工作日（按国务院节假日安排，含调休）")
    from_: str | None = Field(default=None, alias="from", description="起算日期字段，默认为触发记录的主日期")
    extended: Extension | None = Field(default=None, description="满足条件时适用的较长期限（如经批准延期）")

    @model_validator(mode="after")
    def _one(self) -> "Within":
        if (self.days is None) == (self.param is None):
            raise ValueError("days 与 param 必须且只能给一个")
        return self


@kind("deadline", "限期办理")
class DeadlineRule(RuleBase):
    kind: Literal["deadline"] = "deadline"
    trigger: Selector = Field(description="触发义务的记录")
    evidence: EvidenceSelector = Field(description="履行义务的证据记录")
    link: dict[str, str] = Field(min_length=1, description="证据字段 → 触发记录字段（id 指触发记录编号）")
    within: Within = Field(description="期限")
    totals: dict[str, str] = Field(default_factory=dict, description="证据字段之和须等于触发记录字段，如 amount: amount")

    def selectors(self) -> list[Selector]:
        return [self.trigger, self.evidence]

    def params_used(self) -> set[str]:
        extended = self.within.extended
        conds = [*self.trigger.when, *self.evidence.when, *(extended.when if extended else [])]
        used = {p for c in conds for p in c.params_used()}
        return used | {p for p in (self.within.param, extended.param if extended else None) if p}

    @property
    def subject_rtype(self) -> str:
        return f"{self.trigger.record}@{self.id}"

    def _start_field(self) -> str:
        return self.within.from_ or RECORD_TYPES[self.trigger.record].date_field

    def due_of(self, start: dt.date, trigger: dict[str, Any]) -> tuple[dt.date, bool]:
        """The due date of one trigger (a fact): its own date plus the time limit in force then.

        Computed here, not in the engine, because working days follow the State Council's
        calendar; the engine then compares integers.
        """
        params = self.params_at(start)
        spec: Within | Extension = self.within
        extended = self.within.extended
        if extended and all(holds(c, trigger, self.trigger.record, params) for c in extended.when):
            spec = extended
        days = spec.days if spec.days is not None else int(params[spec.param or ""])
        if self.within.working:
            return add_working_days(start, days)
        return start + dt.timedelta(days=days), False

    def subject_facts(self, ctx: Context) -> list[dict[str, Any]]:
        out = []
        start_field = self._start_field()
        for fact in ctx.facts.get(self.trigger.record, []):
            if start_field not in fact:
                continue
            due, _ = self.due_of(from_daynum(fact[start_field]), fact)
            out.append(dict(fact, rtype=self.subject_rtype, **{DUE: to_daynum(due)}))
        return out

    def _link_tests(self) -> list[dict[str, Any]]:
        return [{fact_key(efield): {"s": fact_key(sfield)}} for efield, sfield in self.link.items()]

    def plans(self, ctx: Context) -> list[ActionPlan]:
        return evidence_plans(self, self.trigger, self.subject_rtype, self.evidence, self._link_tests(),
                              RECORD_TYPES[self.trigger.record].date_field, ctx.as_of_day)

    def oracle(self, ctx: Context, facts: dict[str, list[dict[str, Any]]]) -> Matches:
        def linked(s: dict[str, Any], e: dict[str, Any]) -> bool:
            return all(
                fact_key(efield) in e and e[fact_key(efield)] == s.get(fact_key(sfield), object())
                for efield, sfield in self.link.items()
            )

        return evidence_oracle(self, self.trigger, facts.get(self.subject_rtype, []), self.evidence,
                               facts.get(self.evidence.record, []), linked, RECORD_TYPES[self.trigger.record].date_field,
                               ctx.as_of_day)

    def judge(self, ctx: Context, matches: Matches) -> list[Finding]:
        subjects = {f["rid"]: f for f in ctx.facts.get(self.subject_rtype, [])}
        if not matches[self.action("applicable")]:
            return self.not_applicable(f"截至检查日无{ledger_name(self.trigger.record)}记录，本项不适用")
        label = ledger_name(self.trigger.record)

        def describe(rid: str) -> tuple[Any, ...]:
            record = ctx.record(self.trigger.record, rid)
            start = getattr(record, self._start_field())
            _, provisional = self.due_of(start, record.to_fact())
            return rid, None, self.version_at(record.day), provisional, f"{label} {rid} 的{self.evidence.what}"

        return judge_due(self, ctx, matches, self.evidence, subjects, describe, self.totals or None, self.trigger.record)
