"""per-record: every record of a type must satisfy a condition (e.g. each enforcement action).

Two refinements:

- ``subject.each``: judge every item of a list field separately (each officer on an action);
  the subject key is "<record id>/<item>" and the item is the field ``item`` of the subject;
- ``exists``: some record of another ledger must be linked to the subject and, with
  ``covers``, be in force on the subject's date (a certificate valid on the day of the action);
- ``any_of``: besides ``require``, at least one of several groups of conditions must hold
  (a case decided within 90 days, or within 180 with an approved extension). Each group is
  compiled as its own engine rule and the answers united (``$or`` duplicates, notes r14).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from ..conditions import Condition, display_value, holds
from ..context import Context, Matches
from ..dates import from_daynum
from ..engine import ActionPlan
from ..findings import Finding, Status
from ..records import RECORD_TYPES
from ..records.base import fact_key, ledger_name
from ..rules import RuleBase, Selector, StrictModel
from . import kind

ITEM = "item"


class SubjectSelector(Selector):
    each: str | None = Field(default=None, description="逐项判断的列表字段（如 officers），每项为一个对象，字段名 item")

    @model_validator(mode="after")
    def _each_is_list(self) -> "SubjectSelector":
        if self.each is not None:
            info = RECORD_TYPES[self.record].model_fields.get(self.each)
            if info is None or "list" not in str(info.annotation):
                raise ValueError(f"each 应为台账 {self.record} 的列表字段，实为 {self.each!r}")
        return self


class Covers(StrictModel):
    start: str = Field(description="证据的起始日期字段")
    end: str = Field(description="证据的终止日期字段（空为长期有效）")


class Exists(Selector):
    """Some record of ``record``, linked to the subject, must exist (and be in force on the subject's date)."""

    link: dict[str, str] = Field(min_length=1, description="证据字段 → 对象字段（item 指逐项判断的项，id 指记录编号）")
    covers: Covers | None = Field(default=None, description="证据的有效期须覆盖对象记录的日期")

    @model_validator(mode="after")
    def _no_cross(self) -> "Exists":
        if any(c.other is not None for c in self.when):
            raise ValueError("exists 的筛选条件不能比较同一记录的两个字段（other）")
        return self


@kind("per-record", "逐条记录")
class PerRecordRule(RuleBase):
    kind: Literal["per-record"] = "per-record"
    subject: SubjectSelector = Field(description="适用的记录")
    require: list[Condition] = Field(default_factory=list, description="每条记录必须满足的条件（全部满足）")
    exists: Exists | None = Field(default=None, description="必须存在的关联记录")
    any_of: list[list[Condition]] = Field(default_factory=list, description="另须满足其中至少一组条件（每组内全部满足）")

    @model_validator(mode="after")
    def _something_required(self) -> "PerRecordRule":
        if not self.require and self.exists is None and not self.any_of:
            raise ValueError("require、any_of 与 exists 至少给一个")
        if any(not group for group in self.any_of):
            raise ValueError("any_of 的每一组至少有一个条件")
        return self

    def selectors(self) -> list[Selector]:
        return [self.subject, *([self.exists] if self.exists else [])]

    def conditions_on(self, selector: Selector) -> list[Condition]:
        if selector is self.subject:
            return [*self.subject.when, *self.require, *(c for g in self.any_of for c in g)]
        return list(selector.when)

    def params_used(self) -> set[str]:
        conds = [*self.subject.when, *self.require, *(c for g in self.any_of for c in g), *(self.exists.when if self.exists else [])]
        return {p for c in conds for p in c.params_used()}

    @property
    def _own_facts(self) -> bool:
        """Exploded or joined subjects get facts of their own; plain ones use the ledger's facts."""
        return self.subject.each is not None or self.exists is not None

    @property
    def subject_rtype(self) -> str:
        return f"{self.subject.record}@{self.id}" if self._own_facts else self.subject.record

    def subject_facts(self, ctx: Context) -> list[dict[str, Any]]:
        if not self._own_facts:
            return []
        out = []
        for fact in ctx.facts.get(self.subject.record, []):
            base = dict(fact, rtype=self.subject_rtype, record=fact["rid"])
            if self.subject.each is None:
                out.append(base)
                continue
            for item in fact.get(self.subject.each, []):
                out.append(dict(base, rid=f"{fact['rid']}/{item}", **{ITEM: item}))
        return out

    def _needed_fields(self) -> list[str]:
        return sorted({c.field for c in self.require if c.op != "missing"} | {c.other for c in self.require if c.other})

    def _exists_tests(self) -> list[list[dict[str, Any]]]:
        """Join tests of the evidence pattern; an open-ended ``covers.end`` is a second alternative."""
        assert self.exists is not None
        date_field = self.subject.date_field
        link = [{fact_key(e): {"s": fact_key(s)}} for e, s in self.exists.link.items()]
        if self.exists.covers is None:
            return [link]
        start = {"$lte": {self.exists.covers.start: {"s": date_field}}}
        bounded = {"$gte": {self.exists.covers.end: {"s": date_field}}}
        open_ended = {"$nex": {self.exists.covers.end: 1}}
        return [[*link, start, bounded], [*link, start, open_ended]]

    def plans(self, ctx: Context) -> list[ActionPlan]:
        applicable, met, joined = [], [], []
        unknown: dict[str, list[list[dict[str, Any]]]] = {f: [] for f in self._needed_fields()}
        rtype = self.subject_rtype
        for seg in self.segments():
            dates = seg.date_tests(self.subject.date_field)
            subjects = self.subject.patterns("s", seg.params, extra=dates, rtype=rtype)
            applicable += subjects
            for group in self.any_of or [[]]:
                met += self.subject.patterns("s", seg.params, [*self.require, *group], extra=dates, rtype=rtype)
            for field in unknown:
                unknown[field] += self.subject.patterns(
                    "s", seg.params, [Condition(field=field, op="missing")], extra=dates, rtype=rtype
                )
            if self.exists is not None:
                for tests in self._exists_tests():
                    for ev in self.exists.patterns("e", seg.params, extra=tests):
                        joined += [[*s, *ev] for s in subjects]
        plans = [ActionPlan(self.action("applicable"), applicable, ("s",)), ActionPlan(self.action("met"), met, ("s",))]
        plans += [ActionPlan(self.action(f"unknown:{f}"), alts, ("s",)) for f, alts in unknown.items()]
        if self.exists is not None:
            plans.append(ActionPlan(self.action("exists"), joined, ("s",)))
        return plans

    def oracle(self, ctx: Context, facts: dict[str, list[dict[str, Any]]]) -> Matches:
        out: Matches = {p.name: set() for p in self.plans(ctx)}
        date_field = self.subject.date_field
        evidence = facts.get(self.exists.record, []) if self.exists else []
        for fact in facts.get(self.subject_rtype, []):
            params = self.params_at(from_daynum(fact[date_field]))
            if not self.subject.passes(fact, params):
                continue
            key = (fact["rid"],)
            out[self.action("applicable")].add(key)
            if self.subject.passes(fact, params, self.require) and (
                not self.any_of or any(self.subject.passes(fact, params, g) for g in self.any_of)
            ):
                out[self.action("met")].add(key)
            for field in self._needed_fields():
                if field not in fact:
                    out[self.action(f"unknown:{field}")].add(key)
            if self.exists is not None and any(self._exists_holds(fact, e, params) for e in evidence):
                out[self.action("exists")].add(key)
        return out

    def _exists_holds(self, s: dict[str, Any], e: dict[str, Any], params: dict[str, Any]) -> bool:
        assert self.exists is not None
        for efield, sfield in self.exists.link.items():
            if fact_key(efield) not in e or e[fact_key(efield)] != s.get(fact_key(sfield), object()):
                return False
        if not self.exists.passes(e, params):
            return False
        covers = self.exists.covers
        if covers is not None:
            day = s[self.subject.date_field]
            if covers.start not in e or e[covers.start] > day:
                return False
            if covers.end in e and e[covers.end] < day:
                return False
        return True

    def judge(self, ctx: Context, matches: Matches) -> list[Finding]:
        applicable = {m[0] for m in matches[self.action("applicable")]}
        if not applicable:
            return self.not_applicable(f"截至检查日无{ledger_name(self.subject.record)}记录，本项不适用")
        met = {m[0] for m in matches[self.action("met")]}
        if self.exists is not None:
            met &= {m[0] for m in matches[self.action("exists")]}
        missing: dict[str, list[str]] = {}
        for field in self._needed_fields():
            for (rid,) in matches[self.action(f"unknown:{field}")]:
                missing.setdefault(rid, []).append(field)
        record_of = {f["rid"]: f.get("record", f["rid"]) for f in ctx.facts.get(self.subject_rtype, [])}
        out: list[Finding] = []
        for rid in sorted(applicable):
            record = ctx.record(self.subject.record, record_of[rid])
            common: dict[str, Any] = dict(subject=rid, evidence=[record.id], version=self.version_at(record.day))
            if rid in met:
                out.append(self.finding(Status.met, message="符合要求", **common))
            elif rid in missing:
                fields = "、".join(missing[rid])
                out.append(self.finding(Status.unknown, message=f"{ledger_name(self.subject.record)} {rid} 缺少 {fields}，无法判断", **common))
            else:
                out.append(self.finding(Status.gap, message=self._explain(record, rid), **common))
        return out

    def _explain(self, record: Any, rid: str) -> str:
        params = self.params_at(record.day)
        fact = record.to_fact()
        failed = [c for c in self.require if not holds(c, fact, self.subject.record, params)]
        reasons = [f"要求{c.describe(self.subject.record, params)}，实为 {display_value(record, c.field)}" for c in failed]
        if not failed and self.any_of and not any(all(holds(c, fact, self.subject.record, params) for c in g) for g in self.any_of):
            options = "；或".join("且".join(c.describe(self.subject.record, params) for c in g) for g in self.any_of)
            reasons.append(f"须满足其一：{options}")
        if self.exists is not None and not failed:
            when = f"于 {record.day.isoformat()} 有效的" if self.exists.covers else ""
            what = ledger_name(self.exists.record)
            reasons.append(f"未见{when}{what}" + ("" if what.endswith("记录") else "记录"))
        return f"{ledger_name(self.subject.record)} {rid}：" + "；".join(reasons)
