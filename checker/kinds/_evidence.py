"""What deadline and periodic rules share: a subject with a due date, and evidence that meets it.

The subject is a fact the rule makes for itself (a trigger record with its due date computed
on the working-day calendar, or a period), so the engine only compares integers. The engine
finds two relations: evidence in time (``timely``) and any evidence at all (``linked``); the
set difference that makes a gap is taken here, in Python (notes r15: no negation in the engine).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field, field_validator

from .. import engine
from ..context import Context, Matches
from ..dates import from_daynum
from ..facts import DUE, EARLIEST, KEY
from ..findings import Finding, Status
from ..records.base import ledger_title
from ..rules import FieldPath, RuleBase, Selector
from ..validation import Invalid

__all__ = ["EvidenceSelector", "applicable_keys", "evidence_oracle", "evidence_plans", "judge_due", "timely_pairs"]


class EvidenceSelector(Selector):
    """The records that discharge an obligation, and the date that counts for each."""

    zh = "证据记录：履行义务的台账记录及其计日字段"
    field_paths: ClassVar[tuple[FieldPath, ...]] = (FieldPath(("date",)),)

    date: str | None = Field(default=None, description="证据记录的日期字段，默认为该台账的主日期")
    label: str | None = Field(default=None, description="结论说明里对证据的称呼，如 合法性审核、报送区政府；默认为台账名称")

    @field_validator("when")
    @classmethod
    def _no_cross_fields(cls, value: list[Any]) -> list[Any]:
        if any(c.other is not None for c in value):
            raise Invalid("other-not-allowed", "证据筛选条件不能比较同一记录的两个字段（other）")
        return value

    @property
    def evidence_date(self) -> str:
        return self.date or self.date_field

    @property
    def what(self) -> str:
        return self.label or ledger_title(self.ledger)


def evidence_plans(
    rule: RuleBase,
    subject: Selector | None,
    subject_type: str,
    evidence: EvidenceSelector,
    link_tests: list[engine.Test],
    subject_date: str | None,
    as_of_day: int,
    names: tuple[str | None, str, str] = ("applicable", "timely", "linked"),
) -> list[Any]:
    """Plans ``applicable`` [s] and ``linked`` [s, e] (``timely`` from it, in Python); ``link_tests`` join e to s.

    Evidence counts only if its own date is known by the as-of date: a record can be on file
    (its main date passed) while the date that discharges the obligation is still to come.
    ``names`` renames the three plans (a second kind of evidence of one rule); ``None`` leaves
    ``applicable`` out, as does a subject with no ``when``.
    """
    applicable: list[list[engine.Pattern]] = []
    linked: list[list[engine.Pattern]] = []
    for seg in rule.segments():
        dates = seg.date_tests(subject_date) if subject_date else []
        subjects = (
            subject.patterns("s", seg.params, extra=dates, fact_type=subject_type)
            if subject
            else [[engine.pattern("s", [engine.is_type(subject_type)])]]
        )
        applicable += subjects
        known = [*link_tests, engine.compare(evidence.evidence_date, "<=", as_of_day)]
        for ev in evidence.patterns("e", seg.params, extra=known):
            for s in subjects:
                linked.append([*s, *ev])
    applicable_name, _, linked_name = names
    if subject is None or not subject.when:
        applicable_name = None  # every subject applies (see ``applicable_keys``): no firing per subject to list them
    # ``timely`` is not asked of the engine: it is ``linked`` with the evidence's date on or before the
    # subject's due day, compared in Python (``timely_pairs``), so each linked pair fires once, not twice.
    return [
        *([engine.ActionPlan(rule.action(applicable_name), applicable, ("s",))] if applicable_name else []),
        engine.ActionPlan(rule.action(linked_name), linked, ("s", "e")),
    ]


def evidence_oracle(
    rule: RuleBase,
    subject: Selector | None,
    subject_facts: list[dict[str, Any]],
    evidence: EvidenceSelector,
    evidence_facts: list[dict[str, Any]],
    linked_to: Any,
    subject_date: str | None,
    as_of_day: int,
    names: tuple[str | None, str, str] = ("applicable", "timely", "linked"),
) -> Matches:
    """The same three relations by brute force; ``linked_to(s, e)`` is the join in Python."""
    applicable, timely, linked = (rule.action(n) if n else None for n in names)
    out: Matches = {n: set() for n in (applicable, timely, linked) if n}
    for s in subject_facts:
        params = rule.params_at(from_daynum(s[subject_date or "end"]))
        if subject is not None and not subject.passes(s, params):
            continue
        if applicable:
            out[applicable].add((s[KEY],))
        for e in evidence_facts:
            day = e.get(evidence.evidence_date)
            if day is None or day > as_of_day:
                continue
            if linked_to(s, e) and evidence.passes(e, params):
                out[str(linked)].add((s[KEY], e[KEY]))
                if s.get(EARLIEST, day) <= day <= s[DUE]:
                    out[str(timely)].add((s[KEY], e[KEY]))
    return out


def applicable_keys(rule: RuleBase, matches: Matches, subjects: dict[str, dict[str, Any]]) -> set[str]:
    """The subjects that apply: as the engine (or the oracle) found them, or every subject when
    the rule has nothing to select them by and so did not ask the engine."""
    name = rule.action("applicable")
    return {m[0] for m in matches[name]} if name in matches else set(subjects)


def timely_pairs(
    rule: RuleBase, ctx: Context, matches: Matches, evidence: EvidenceSelector, subjects: dict[str, dict[str, Any]],
    names: tuple[str | None, str, str] = ("applicable", "timely", "linked"),
) -> set[tuple[str, ...]]:
    """(subject, evidence) pairs with the evidence in time: the oracle's own answer, or the linked
    pairs whose evidence date is on or before the subject's due day (both integers)."""
    _, timely_name, linked_name = names
    if rule.action(timely_name) in matches:
        return matches[rule.action(timely_name)]
    day = {f[KEY]: f[evidence.evidence_date] for f in ctx.facts.get(evidence.ledger, []) if evidence.evidence_date in f}
    return {(s, e) for s, e in matches[rule.action(linked_name)] if subjects[s].get(EARLIEST, day[e]) <= day[e] <= subjects[s][DUE]}


def judge_due(
    rule: RuleBase,
    ctx: Context,
    matches: Matches,
    evidence: EvidenceSelector,
    subjects: dict[str, dict[str, Any]],
    describe: Any,
    totals: dict[str, str] | None = None,
    subject_ledger: str | None = None,
) -> list[Finding]:
    """Met, gap, due soon or pending for each applicable subject.

    ``describe(key)`` gives (subject, period, version, provisional, what) for messages;
    ``totals`` demands that the timely evidence adds up to the subject's amount (fines).
    """
    applicable = sorted(applicable_keys(rule, matches, subjects))
    timely: dict[str, set[str]] = {}
    linked: dict[str, set[str]] = {}
    for s, e in timely_pairs(rule, ctx, matches, evidence, subjects):
        timely.setdefault(s, set()).add(e)
    for s, e in matches[rule.action("linked")]:
        linked.setdefault(s, set()).add(e)
    out: list[Finding] = []
    for key in applicable:
        fact = subjects[key]
        due = from_daynum(fact[DUE])
        subject, period, version, provisional, what = describe(key)
        common: dict[str, Any] = dict(subject=subject, period=period, due=due, version=version, provisional=provisional)
        in_time = sorted(timely.get(key, set()))
        early = _early(ctx, evidence, fact, linked.get(key, set()) - set(in_time))
        # Evidence dated before its trigger is impossible (a remittance before the fine): never
        # counted, and named so that the clerk corrects the ledger.
        early_note = (f"（另有 {len(early)} 条记录的日期早于该事项本身的日期 {from_daynum(fact[EARLIEST]).isoformat()}，"
                      f"不计入，请核对台账：{'、'.join(early)}）") if early else ""
        # Amounts are compared only when some evidence came in time: no evidence is "missing", not "short".
        shortfalls = _shortfalls(ctx, evidence, fact, in_time, totals, subject_ledger) if totals and in_time else []
        if in_time and not shortfalls:
            out.append(rule.finding(Status.met, evidence=in_time, message=f"{what}已按期落实{early_note}", **common))
            continue
        late = sorted(linked.get(key, set()) - set(in_time) - set(early))
        evidence_ids = sorted({*in_time, *late})
        if ctx.as_of <= due:
            note = "；".join(shortfalls)
            out.append(
                rule.finding(ctx.not_yet_due(due), evidence=evidence_ids,
                             message=f"{what}应于 {due.isoformat()} 前落实" + (f"（目前{note}）" if note else "") + early_note,
                             **common)
            )
            continue
        details: dict[str, Any] = {}
        if shortfalls:
            message = f"{what}：" + "；".join(shortfalls)
        elif late:
            first = min(_date_of(ctx, evidence, e) for e in late)
            details["days_late"] = (first - due).days
            message = f"{what}应于 {due.isoformat()} 前落实，实际 {first.isoformat()}，迟延 {(first - due).days} 天"
        else:
            details["days_overdue"] = (ctx.as_of - due).days
            message = f"{what}应于 {due.isoformat()} 前落实，截至 {ctx.as_of.isoformat()} 未见记录（已逾期 {(ctx.as_of - due).days} 天）"
        if early:
            details["early_evidence"] = early
        out.append(rule.finding(Status.gap, evidence=evidence_ids, message=message + early_note, details=details, **common))
    return out


def _early(ctx: Context, evidence: EvidenceSelector, subject: dict[str, Any], linked: set[str]) -> list[str]:
    """Linked evidence dated before the subject's own date (``EARLIEST``), by id."""
    if EARLIEST not in subject:
        return []
    first = from_daynum(subject[EARLIEST])
    return sorted(e for e in linked if _date_of(ctx, evidence, e) < first)


def _date_of(ctx: Context, evidence: EvidenceSelector, rid: str) -> dt.date:
    value = getattr(ctx.record(evidence.ledger, rid), evidence.evidence_date)
    assert isinstance(value, dt.date)
    return value


def _shortfalls(
    ctx: Context, evidence: EvidenceSelector, subject: dict[str, Any], in_time: list[str],
    totals: dict[str, str], subject_ledger: str | None,
) -> list[str]:
    """Where the timely evidence does not add up to what the subject requires (e.g. a fine remitted short)."""
    out = []
    for efield, sfield in totals.items():
        paid = sum((Decimal(getattr(ctx.record(evidence.ledger, e), efield)) for e in in_time), Decimal(0))
        owed = Decimal(getattr(ctx.record(subject_ledger, subject[KEY]), sfield)) if subject_ledger else Decimal(subject[sfield])
        if paid != owed:
            out.append(f"应为 {owed}，按期实有 {paid}，{'短缺' if paid < owed else '多出'} {abs(owed - paid)}")
    return out

