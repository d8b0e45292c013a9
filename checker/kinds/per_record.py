"""per-record: every record of a type must satisfy a condition (e.g. each enforcement action).

Refinements:

- ``subject.each``: judge every item of a list field separately (each officer on an action);
  the subject key is "<record id>/<item>" and the item is the field ``item`` of the subject;
- ``exists``: some record of another ledger must be linked to the subject and, with
  ``covers``, be in force on the subject's date (a certificate valid on the day of the action);
- ``any_of``: besides ``require``, at least one of several groups of conditions must hold
  (a case decided within 90 days, or within 180 with an approved extension). Each group is
  compiled as its own engine rule and the answers united (``$or`` duplicates, notes r14).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, Literal

from pydantic import Field, model_validator

from .. import engine
from ..conditions import Condition, display_value, field_label
from ..context import Context, Matches
from ..dates import from_daynum, to_daynum
from ..facts import ITEM, KEY, RID, TYPE, fact_key
from ..findings import Finding, Status
from ..records import LEDGERS
from ..records.base import ledger_title
from ..rules import FieldPath, RuleBase, Selector, StrictModel
from ..validation import Invalid
from . import kind
from ._explain import conditions_text, scope_text


class SubjectSelector(Selector):
    zh = "适用记录：规则逐条判断的台账记录；each 可对列表字段逐项判断"
    field_paths = (FieldPath(("each",)),)

    each: str | None = Field(default=None, description="逐项判断的列表字段（如 officers），每项为一个对象，字段名 item")

    @model_validator(mode="after")
    def _each_is_list(self) -> SubjectSelector:
        if self.each is not None:
            info = LEDGERS[self.ledger].model_fields.get(self.each)
            if info is None or "list" not in str(info.annotation):
                raise Invalid("not-a-list", f"each 应为台账 {self.ledger} 的列表字段，实为 {self.each!r}")
        return self


class Covers(StrictModel):
    zh = "有效期：关联记录的起止日期字段，须覆盖对象记录的日期"

    start: str = Field(description="证据的起始日期字段")
    end: str = Field(description="证据的终止日期字段（空为长期有效）")


class Exists(Selector):
    """Some record of ``ledger``, linked to the subject, must exist (and be in force on the subject's date)."""

    zh = "关联记录：必须存在、与对象关联（link）且在对象日期有效（covers）的另一台账记录"
    field_paths = (FieldPath(("covers", "start")), FieldPath(("covers", "end")), FieldPath(("link", "<key>")))

    link: dict[str, str] = Field(min_length=1, description="证据字段 → 对象字段（item 指逐项判断的项，id 指记录编号）")
    covers: Covers | None = Field(default=None, description="证据的有效期须覆盖对象记录的日期")

    @model_validator(mode="after")
    def _no_cross(self) -> Exists:
        if any(c.other is not None for c in self.when):
            raise Invalid("other-not-allowed", "exists 的筛选条件不能比较同一记录的两个字段（other）")
        return self


@kind("per-record", "逐条记录")
class PerRecordRule(RuleBase):
    field_paths = (
        FieldPath(("require", "*"), "subject", condition=True),
        FieldPath(("any_of", "*", "*"), "subject", condition=True),
        FieldPath(("exists", "link", "<value>"), "subject", not_fields=("id", "item")),
    )
    skeleton = """params:                       # 参数：每个取值写明自哪天起生效；法律修改时追加一项，不删旧值
  min_officers:
    - from: 1996-10-01
      value: 2
      source: （待填写：取值依据）
subject:                      # 适用的记录：哪一台账，可加 when 条件筛选
  ledger: enforcement_action
require:                      # 每条记录必须满足的条件（全部满足）；op 可用 == != < <= > >= in not_in exists missing contains
  - field: officers_count
    op: ">="
    value: {param: min_officers}
examples:                     # 案例：至少一个符合（met）、一个不符合（gap）；expect 写 记录编号: 结论
  - name: （待填写：一句话说明，如 两名执法人员共同检查，符合要求）
    as_of: 2020-12-31
    records:
      enforcement_action:
        - {id: A-1, date: 2020-05-06, action: 检查, officers: [P1, P2]}
    staff:
      - {id: P1, name: 执法人员甲}
      - {id: P2, name: 执法人员乙}
    expect:
      A-1: met
  - name: （待填写：一句话说明，如 一名执法人员单独送达，不符合要求）
    as_of: 2020-12-31
    records:
      enforcement_action:
        - {id: A-2, date: 2020-06-10, action: 送达, officers: [P1]}
    staff:
      - {id: P1, name: 执法人员甲}
    expect:
      A-2: gap
"""

    subject_key = "subject"

    kind: Literal["per-record"] = "per-record"
    subject: SubjectSelector = Field(description="适用的记录")
    require: list[Condition] = Field(default_factory=list, description="每条记录必须满足的条件（全部满足）")
    exists: Exists | None = Field(default=None, description="必须存在的关联记录")
    any_of: list[list[Condition]] = Field(default_factory=list, description="另须满足其中至少一组条件（每组内全部满足）")

    @model_validator(mode="after")
    def _something_required(self) -> PerRecordRule:
        if not self.require and self.exists is None and not self.any_of:
            raise Invalid("nothing-required", "require、any_of 与 exists 至少给一个")
        if any(not group for group in self.any_of):
            raise Invalid("empty-group", "any_of 的每一组至少有一个条件")
        return self

    def conditions_on(self, selector: Selector) -> list[Condition]:
        if selector is self.subject:
            return [*self.subject.when, *self.require, *(c for g in self.any_of for c in g)]
        return list(selector.when)

    @property
    def _own_facts(self) -> bool:
        """Exploded or joined subjects get facts of their own; plain ones use the ledger's facts."""
        return self.subject.each is not None or self.exists is not None

    @property
    def subjects_type(self) -> str:
        return self.subject_type(self.subject.ledger) if self._own_facts else self.subject.ledger

    def subject_facts(self, ctx: Context) -> list[dict[str, Any]]:
        if not self._own_facts:
            return []
        out = []
        for fact in ctx.facts.get(self.subject.ledger, []):
            base = {**fact, TYPE: self.subjects_type}
            if self.subject.each is None:
                out.append(base)
                continue
            for item in dict.fromkeys(fact.get(self.subject.each, [])):  # a person listed twice is one subject
                out.append({**base, KEY: f"{fact[RID]}/{item}", ITEM: item})
        return out

    def _needed_fields(self) -> list[str]:
        return sorted({c.field for c in self.require if c.op != "missing"} | {c.other for c in self.require if c.other})

    def _evidence_groups(self) -> list[tuple[list[int], list[list[engine.Pattern]]]]:
        """The evidence patterns by segment, segments asking the same of the evidence grouped
        (without ``{param: …}`` in ``exists.when`` all are one group: each certificate fires once)."""
        assert self.exists is not None
        groups: dict[str, tuple[list[int], list[list[engine.Pattern]]]] = {}
        for i, seg in enumerate(self.segments()):
            patterns = self.exists.patterns("e", seg.params)
            groups.setdefault(repr(patterns), ([], patterns))[0].append(i)
        return list(groups.values())

    @property
    def _met_is_applicable(self) -> bool:
        """Nothing is required of the subject itself (only ``exists``): ``met`` would be ``applicable`` again."""
        return not self.require and not self.any_of

    @property
    def _applicable_is_all(self) -> bool:
        """No ``when``: every subject applies, so the engine is not asked to list them (a firing each)."""
        return not self.subject.when

    def plans(self, ctx: Context) -> list[engine.ActionPlan]:
        """The engine finds the subjects and the evidence each on its own; the link and ``covers``
        are joined in Python (``_linked``): a join in the engine fires once per subject × evidence
        pair that matches, and each firing costs far more than a dictionary look-up."""
        applicable, met = [], []
        unknown: dict[str, list[list[engine.Pattern]]] = {f: [] for f in self._needed_fields()}
        typ = self.subjects_type
        for seg in self.segments():
            dates = seg.date_tests(self.subject.date_field)
            applicable += self.subject.patterns("s", seg.params, extra=dates, fact_type=typ)
            if not self._met_is_applicable:
                for group in self.any_of or [[]]:
                    met += self.subject.patterns("s", seg.params, [*self.require, *group], extra=dates, fact_type=typ)
            for field in unknown:
                unknown[field] += self.subject.patterns(
                    "s", seg.params, [Condition(field=field, op="missing")], extra=dates, fact_type=typ
                )
        plans = [] if self._applicable_is_all else [engine.ActionPlan(self.action("applicable"), applicable, ("s",))]
        if not self._met_is_applicable:
            plans.append(engine.ActionPlan(self.action("met"), met, ("s",)))
        plans += [engine.ActionPlan(self.action(f"unknown:{f}"), alts, ("s",)) for f, alts in unknown.items()]
        if self.exists is not None:
            plans += [engine.ActionPlan(self.action(f"evidence:{j}"), patterns, ("e",))
                      for j, (_, patterns) in enumerate(self._evidence_groups())]
        return plans

    def oracle(self, ctx: Context, facts: dict[str, list[dict[str, Any]]]) -> Matches:
        """Brute force, every subject against every evidence record: it answers ``exists`` per
        subject itself, so the engine path's evidence sets and its indexed join are both checked."""
        out: Matches = {p.name: set() for p in self.plans(ctx)}
        out[self.action("applicable")] = set()  # by brute force even when the engine path takes every subject
        date_field = self.subject.date_field
        evidence = facts.get(self.exists.ledger, []) if self.exists else []
        if self.exists is not None:
            out[self.action("exists")] = set()
            segments = self.segments()
            for j, (indices, _) in enumerate(self._evidence_groups()):
                params = segments[indices[0]].params
                out[self.action(f"evidence:{j}")] = {(e[KEY],) for e in evidence if self.exists.passes(e, params)}
        for fact in facts.get(self.subjects_type, []):
            params = self.params_at(from_daynum(fact[date_field]))
            if not self.subject.passes(fact, params):
                continue
            key = (fact[KEY],)
            out[self.action("applicable")].add(key)
            if not self._met_is_applicable and self.subject.passes(fact, params, self.require) and (
                not self.any_of or any(self.subject.passes(fact, params, g) for g in self.any_of)
            ):
                out[self.action("met")].add(key)
            for field in self._needed_fields():
                if field not in fact:
                    out[self.action(f"unknown:{field}")].add(key)
            if self.exists is not None and any(self._exists_holds(fact, e, params) for e in evidence):
                out[self.action("exists")].add(key)
        return out

    def _linked(self, ctx: Context, matches: Matches, candidates: set[str]) -> set[str]:
        """Subject keys among ``candidates`` with evidence linked and in force on the subject's date.

        The evidence the engine found (by segment group), indexed on its link fields, so each
        subject looks up only its own (an officer's one or two certificates): linear in records.
        """
        assert self.exists is not None
        if self.action("exists") in matches:  # the oracle answered per subject
            return {m[0] for m in matches[self.action("exists")]} & candidates
        efields = [fact_key(e) for e in self.exists.link]
        sfields = [fact_key(s) for s in self.exists.link.values()]
        by_rid = {f[KEY]: f for f in ctx.facts.get(self.exists.ledger, [])}
        cuts = [to_daynum(g.start) for g in self.segments()[1:]]  # segments are consecutive: the first has no start
        index_of_segment: dict[int, dict[tuple[Any, ...], list[dict[str, Any]]]] = {}
        for j, (indices, _) in enumerate(self._evidence_groups()):
            index: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
            for (rid,) in matches[self.action(f"evidence:{j}")]:
                e = by_rid[rid]
                if all(f in e for f in efields):
                    index.setdefault(tuple(e[f] for f in efields), []).append(e)
            for i in indices:
                index_of_segment[i] = index
        covers = self.exists.covers
        date_field = self.subject.date_field
        out: set[str] = set()
        for s in ctx.facts.get(self.subjects_type, []):
            if s[KEY] not in candidates or not all(f in s for f in sfields):
                continue
            day = s[date_field]
            seg = bisect_right(cuts, day)
            for e in index_of_segment[seg].get(tuple(s[f] for f in sfields), []):
                if covers is None or (covers.start in e and e[covers.start] <= day
                                      and (covers.end not in e or e[covers.end] >= day)):
                    out.add(s[KEY])
                    break
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
        if self.action("applicable") in matches:
            applicable = {m[0] for m in matches[self.action("applicable")]}
        else:  # _applicable_is_all
            applicable = {f[KEY] for f in ctx.facts.get(self.subjects_type, [])}
        # A record's own obligations fall due on its own date: records dated before the ledgers
        # are complete are left out, as every kind does (Context.judged). A lasting state (a
        # division of duties) is judged while it lasts, so by its last day, open meaning today.
        end_field = LEDGERS[self.subject.ledger].end_field
        as_of = to_daynum(ctx.as_of)
        day_of = {f[KEY]: (f.get(end_field, as_of) if end_field else f[self.subject.date_field])
                  for f in ctx.facts.get(self.subjects_type, [])}
        before = {k for k in applicable if not ctx.judged(from_daynum(day_of[k]))}
        applicable -= before
        if not applicable:
            note = ctx.left_out_note(len(before), ledger_title(self.subject.ledger))
            if note:
                return self.not_applicable(f"截至检查日无需评判的{ledger_title(self.subject.ledger)}记录，本项不适用（{note}）")
            return self.not_applicable(f"截至检查日无{ledger_title(self.subject.ledger)}记录，本项不适用")
        met = applicable if self._met_is_applicable else {m[0] for m in matches[self.action("met")]}
        if self.exists is not None:
            met = self._linked(ctx, matches, met)
        missing: dict[str, list[str]] = {}
        for field in self._needed_fields():
            for (key,) in matches[self.action(f"unknown:{field}")]:
                missing.setdefault(key, []).append(field)
        record_of = {f[KEY]: f[RID] for f in ctx.facts.get(self.subjects_type, [])}
        out: list[Finding] = []
        for key in sorted(applicable):
            record = ctx.record(self.subject.ledger, record_of[key])
            common: dict[str, Any] = dict(subject=key, evidence=[record.id], version=self.version_at(record.day))
            if key in met:
                out.append(self.finding(Status.met, message="符合要求", **common))
            elif key in missing:
                fields = "、".join(missing[key])
                out.append(self.finding(Status.unknown, message=f"{ledger_title(self.subject.ledger)} {key} 缺少 {fields}，无法判断", **common))
            else:
                out.append(self.finding(Status.gap, message=self._explain(record, key), **common))
        return out

    def _explain(self, record: Any, key: str) -> str:
        params = self.params_at(record.day)
        fact = record.to_fact()
        ledger = self.subject.ledger
        failed = [c for c in self.require if not c.holds(fact, ledger, params)]
        reasons = [f"要求{c.describe(ledger, params)}，实为 {display_value(record, c.field)}" for c in failed]
        if not failed and self.any_of and not any(all(c.holds(fact, ledger, params) for c in g) for g in self.any_of):
            options = "；或".join("且".join(c.describe(ledger, params) for c in g) for g in self.any_of)
            reasons.append(f"须满足其一：{options}")
        if self.exists is not None and not failed:
            when = f"于 {record.day.isoformat()} 有效的" if self.exists.covers else ""
            what = ledger_title(self.exists.ledger)
            reasons.append(f"未见{when}{what}" + ("" if what.endswith("记录") else "记录"))
        return f"{ledger_title(ledger)} {key}：" + "；".join(reasons)

    def requirement(self, params: dict[str, Any]) -> str:
        ledger = self.subject.ledger
        each = f"的每一项{field_label(ledger, self.subject.each)}" if self.subject.each else ""
        parts = [conditions_text(self.require, ledger, params)] if self.require else []
        if self.any_of:
            parts.append("并满足以下之一：" + "；或".join(conditions_text(g, ledger, params) for g in self.any_of))
        if self.exists is not None:
            ev = self.exists.ledger
            cover = (f"，且其{field_label(ev, self.exists.covers.start)}至{field_label(ev, self.exists.covers.end)}覆盖该记录日期"
                     if self.exists.covers else "")
            parts.append(f"有相应的{ledger_title(ev)}{scope_text(self.exists, params)}{cover}")
        return f"{ledger_title(ledger)}台账中的每一条记录{each}{scope_text(self.subject, params)}都必须满足：{'；'.join(parts)}。"
