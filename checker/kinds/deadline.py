"""deadline: every triggering record needs an evidence record within N calendar or working days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import Field

from .. import engine
from ..conditions import Condition, field_label
from ..context import Context, Matches
from ..dates import from_daynum, to_daynum
from ..facts import DUE, EARLIEST, KEY, TYPE, fact_key
from ..findings import Finding, Status
from ..params import Days, Quantity, resolve
from ..records import LEDGERS
from ..records.base import ledger_title
from ..rules import FieldPath, RuleBase, Selector, StrictModel
from ..workdays import add_calendar_days, add_working_days
from . import kind
from ._evidence import EvidenceSelector, applicable_keys, evidence_oracle, evidence_plans, judge_due, timely_pairs
from ._explain import conditions_text, scope_text


class Extension(StrictModel):
    """A longer time limit for triggers that meet conditions (e.g. a case whose extension was approved)."""

    zh = "延长期限：触发记录满足条件时（如经批准延期）适用的较长期限"
    quantity_keys: ClassVar[dict[str, str]] = {"param": "days"}

    when: list[Condition] = Field(min_length=1, description="触发记录满足这些条件时适用延长的期限")
    days: Quantity(Days, "延长后的期限天数") = Field(description="延长后的期限天数，或 {param: 参数名}")  # type: ignore[valid-type]


class Within(StrictModel):
    """How long the bureau has: a number of calendar or working days from a date of the trigger."""

    zh = "期限：天数或参数，按日历日或工作日，自触发记录的某一日期起算"
    quantity_keys: ClassVar[dict[str, str]] = {"param": "days"}

    days: Quantity(Days, "期限天数") = Field(description="期限天数，或 {param: 参数名}")  # type: ignore[valid-type]
    working: bool = Field(default=False, description="true 为工作日（按国务院节假日安排，含调休）")
    extend_past_rest_days: bool = Field(
        default=True,
        description="按日历日计的期限最后一日为法定休假日的，顺延至休假日后第一个工作日（民法典第二百零三条）；false 为不顺延",
    )
    from_: str | None = Field(default=None, alias="from", description="起算日期字段，默认为触发记录的主日期")
    if_unrecorded: Quantity(Literal["assume", "unknown"], "起算日期未记载时的处理") | None = Field(  # type: ignore[valid-type]
        default=None,
        description="起算日期字段（from）未填写时：assume 按触发记录的主日期起算，结论注明为推定（未记载…，按…起算）；"
        "unknown 为无法判断（默认）。法律可作两种理解的，以 {param: 参数名} 取值并在参数中注明 reading",
    )
    extended: Extension | None = Field(default=None, description="满足条件时适用的较长期限（如经批准延期）")


class TimedBy(EvidenceSelector):
    """Records that show whether the obligation was met in time, where there are any (a party's payment of a fine).

    A fine's fifteen days bind the party's payment at the bank, not the bank's entry in the
    treasury: where the payment is recorded, its date and amount judge the time, and the
    evidence (the treasury entry) is judged by its amount alone. Where none is recorded, the
    evidence's own date judges the time, as without ``timed_by``.
    """

    zh = "按期的依据：另一台账中对应触发记录的记录（如当事人缴款）；有对应记录时以其日期和金额判断是否按期，证据只核对金额是否足额"
    field_paths: ClassVar[tuple[FieldPath, ...]] = (
        FieldPath(("date",)),
        FieldPath(("link", "<key>")),
        FieldPath(("link", "<value>"), "trigger", not_fields=("id",)),
        FieldPath(("totals", "<key>")),
        FieldPath(("totals", "<value>"), "trigger", not_fields=("id",)),
    )

    link: dict[str, str] = Field(min_length=1, description="该台账字段 → 触发记录字段（id 指触发记录编号）")
    totals: dict[str, str] = Field(default_factory=dict, description="按期记录的该字段之和须等于触发记录字段，如 amount: amount")


@kind("deadline", "限期办理")
class DeadlineRule(RuleBase):
    field_paths = (
        FieldPath(("link", "<key>"), "evidence"),
        FieldPath(("link", "<value>"), "trigger", not_fields=("id",)),
        FieldPath(("totals", "<key>"), "evidence"),
        FieldPath(("totals", "<value>"), "trigger", not_fields=("id",)),
        FieldPath(("within", "from"), "trigger"),
        FieldPath(("within", "extended", "when", "*"), "trigger", condition=True),
    )
    skeleton = """params:
  within_days:
    - from: 1996-10-01
      value: 15
      source: （待填写：取值依据）
trigger:                      # 触发义务的记录
  ledger: fine
evidence:                     # 履行义务的证据记录
  ledger: remittance
link:                         # 证据字段: 触发记录字段（id 指触发记录的编号）
  fine_id: id
within:                       # 期限：days 写天数或 {param: 参数名}；working: true 为工作日
  days: {param: within_days}
examples:
  - name: （待填写：如 十五日内入库，符合要求）
    as_of: 2020-12-31
    records:
      fine:
        - {id: F-1, decided_on: 2020-05-06, amount: 20000}
      remittance:
        - {id: R-1, fine_id: F-1, remitted_on: 2020-05-18, amount: 20000}
    expect:
      F-1: met
  - name: （待填写：如 逾期未入库，不符合要求）
    as_of: 2020-12-31
    records:
      fine:
        - {id: F-2, decided_on: 2020-05-06, amount: 20000}
    expect:
      F-2: gap
"""

    subject_key = "trigger"

    kind: Literal["deadline"] = "deadline"
    trigger: Selector = Field(description="触发义务的记录")
    evidence: EvidenceSelector = Field(description="履行义务的证据记录")
    link: dict[str, str] = Field(min_length=1, description="证据字段 → 触发记录字段（id 指触发记录编号）")
    within: Within = Field(description="期限")
    totals: dict[str, str] = Field(default_factory=dict, description="证据字段之和须等于触发记录字段，如 amount: amount")
    timed_by: TimedBy | None = Field(
        default=None,
        description="按期的依据（如当事人缴款）：有对应记录的，以其日期判断是否按期，证据只核对是否足额；没有的，以证据日期判断",
    )

    @property
    def subjects_type(self) -> str:
        return self.subject_type(self.trigger.ledger)

    def _start_field(self) -> str:
        return self.within.from_ or LEDGERS[self.trigger.ledger].date_field

    def _start_of(self, fact: dict[str, Any]) -> tuple[int, str | None]:
        """The day number the period runs from; when the start field is empty, the trigger's own date and the reading.

        A start field left empty (a decision's service date not recorded) is never passed over
        silently. The trigger's own date comes first (a decision is served on or after the day it
        is made), so the period judged from it ends no later than the lawful one: evidence in
        time for it is in time, and a miss is only a gap under the reading ``assume``; under
        ``unknown`` (the default) it is undecided. Either way the finding says so.
        """
        start_field = self._start_field()
        if start_field in fact:
            return fact[start_field], None
        main = fact[LEDGERS[self.trigger.ledger].date_field]
        choice = "unknown"
        if self.within.if_unrecorded is not None:
            choice = str(resolve(self.within.if_unrecorded, self.params_at(from_daynum(main))))
        return main, choice

    def due_of(self, start: dt.date, trigger: dict[str, Any]) -> tuple[dt.date, bool]:
        """The due date of one trigger (a fact): its own date plus the time limit in force then.

        Computed here, not in the engine, because working days follow the State Council's
        calendar; the engine then compares integers.
        """
        params = self.params_at(start)
        spec: Within | Extension = self.within
        extended = self.within.extended
        if extended and all(c.holds(trigger, self.trigger.ledger, params) for c in extended.when):
            spec = extended
        days = int(resolve(spec.days, params))
        if self.within.working:
            return add_working_days(start, days)
        return add_calendar_days(start, days, extend_past_rest_days=self.within.extend_past_rest_days)

    def subject_facts(self, ctx: Context) -> list[dict[str, Any]]:
        out = []
        for fact in ctx.facts.get(self.trigger.ledger, []):
            start, _ = self._start_of(fact)
            due, _ = self.due_of(from_daynum(start), fact)
            if not ctx.judged(due):
                continue  # fell due before the ledgers are complete: left out, as every kind does (Context.judged)
            subject = {**fact, TYPE: self.subjects_type, DUE: to_daynum(due)}
            # Only a period counted forward from the trigger (自…之日起: a fine's remittance, a
            # decision's publicity) bars earlier evidence; an obligation due before or on the
            # trigger's day (approval before a survey starts, review before issue) is met by it.
            if to_daynum(due) > start:
                subject[EARLIEST] = fact[LEDGERS[self.trigger.ledger].date_field]
            out.append(subject)
        return out

    def _link_tests(self, link: dict[str, str] | None = None) -> list[engine.Test]:
        return [engine.compare(fact_key(efield), "==", engine.ref("s", fact_key(sfield)))
                for efield, sfield in (self.link if link is None else link).items()]

    def plans(self, ctx: Context) -> list[engine.ActionPlan]:
        date_field = LEDGERS[self.trigger.ledger].date_field
        plans = evidence_plans(self, self.trigger, self.subjects_type, self.evidence, self._link_tests(), date_field, ctx.as_of_day)
        if self.timed_by is not None:
            plans += evidence_plans(self, self.trigger, self.subjects_type, self.timed_by, self._link_tests(self.timed_by.link),
                                    date_field, ctx.as_of_day, names=_TIMED)
        return plans

    def oracle(self, ctx: Context, facts: dict[str, list[dict[str, Any]]]) -> Matches:
        def linked_by(link: dict[str, str]) -> Any:
            def linked(s: dict[str, Any], e: dict[str, Any]) -> bool:
                return all(
                    fact_key(efield) in e and e[fact_key(efield)] == s.get(fact_key(sfield), object())
                    for efield, sfield in link.items()
                )
            return linked

        date_field = LEDGERS[self.trigger.ledger].date_field
        subjects = facts.get(self.subjects_type, [])
        out = evidence_oracle(self, self.trigger, subjects, self.evidence, facts.get(self.evidence.ledger, []),
                              linked_by(self.link), date_field, ctx.as_of_day)
        if self.timed_by is not None:
            out.update(evidence_oracle(self, self.trigger, subjects, self.timed_by, facts.get(self.timed_by.ledger, []),
                                       linked_by(self.timed_by.link), date_field, ctx.as_of_day, names=_TIMED))
        return out

    def judge(self, ctx: Context, matches: Matches) -> list[Finding]:
        subjects = {f[KEY]: f for f in ctx.facts.get(self.subjects_type, [])}
        if not applicable_keys(self, matches, subjects):
            left_out = [f for f in ctx.facts.get(self.trigger.ledger, []) if f[KEY] not in subjects
                        and self.trigger.passes(f, self.params_at(from_daynum(f[LEDGERS[self.trigger.ledger].date_field])))]
            note = ctx.left_out_note(len(left_out), ledger_title(self.trigger.ledger))
            if note:
                return self.not_applicable(f"截至检查日无需评判的{ledger_title(self.trigger.ledger)}记录，本项不适用（{note}）")
            return self.not_applicable(f"截至检查日无{ledger_title(self.trigger.ledger)}记录，本项不适用")
        label = ledger_title(self.trigger.ledger)
        unrecorded: dict[str, str] = {}

        def describe(key: str) -> tuple[Any, ...]:
            record = ctx.record(self.trigger.ledger, key)
            fact = record.to_fact()
            start, choice = self._start_of(fact)
            if choice is not None:
                unrecorded[key] = choice
            _, provisional = self.due_of(from_daynum(start), fact)
            return key, None, self.version_at(record.day), provisional, f"{label} {key} 的{self.evidence.what}"

        found = judge_due(self, ctx, matches, self.evidence, subjects, describe, self.totals or None, self.trigger.ledger)
        if self.timed_by is not None:
            found = self._timed(ctx, matches, found)
        return [self._marked(f, unrecorded.get(f.subject or "")) for f in found]

    def _timed(self, ctx: Context, matches: Matches, found: list[Finding]) -> list[Finding]:
        """Findings of subjects that have ``timed_by`` records, judged by them; the others as the evidence says.

        Paid in time (and in full) and entered in full by the check date is met; paid late or
        short is a gap once the period is over; paid in time but not entered in full is a gap
        of the evidence's amount, named as such.
        """
        assert self.timed_by is not None
        timed = self.timed_by
        paid_in: dict[str, set[str]] = {}
        paid_all: dict[str, set[str]] = {}
        subjects = {f[KEY]: f for f in ctx.facts.get(self.subjects_type, [])}
        for s, e in timely_pairs(self, ctx, matches, timed, subjects, _TIMED):
            paid_in.setdefault(s, set()).add(e)
        for s, e in matches[self.action(_TIMED[2])]:
            paid_all.setdefault(s, set()).add(e)
        entered: dict[str, set[str]] = {}
        for s, e in matches[self.action("linked")]:
            entered.setdefault(s, set()).add(e)
        label = ledger_title(self.trigger.ledger)
        out = []
        for finding in found:
            key = finding.subject
            if key is None or key not in paid_all or finding.due is None:
                if key is not None and finding.status is Status.gap:
                    note = f"未见{timed.what}记录，按{field_label(self.evidence.ledger, self.evidence.evidence_date)}判断"
                    finding = finding.model_copy(update={"details": {**finding.details, "note": note}})
                out.append(finding)
                continue
            due = finding.due
            on_time, every = sorted(paid_in.get(key, set())), sorted(paid_all[key])
            short_paid = _short(ctx, timed.ledger, on_time, timed.totals, self.trigger.ledger, key)
            short_entered = _short(ctx, self.evidence.ledger, sorted(entered.get(key, set())), self.totals, self.trigger.ledger, key)
            if not entered.get(key):
                short_entered = [f"未见{self.evidence.what}记录"]
            what, stored = f"{label} {key} 的{timed.what}", f"{self.evidence.what}"
            evidence = sorted({*every, *entered.get(key, set())})
            common: dict[str, Any] = dict(subject=key, due=due, version=finding.version, provisional=finding.provisional)
            details: dict[str, Any] = {}
            paid_ok = bool(on_time) and not short_paid
            if paid_ok and not short_entered:
                status, message = Status.met, f"{what}已按期落实，{stored}已足额"
            elif ctx.as_of <= due and paid_ok:
                status = ctx.not_yet_due(due)
                message = f"{what}已按期落实，{stored}尚未足额（{'；'.join(short_entered)}），应于 {due.isoformat()} 前足额"
            elif ctx.as_of <= due:
                status = ctx.not_yet_due(due)
                notes = short_paid if on_time else []
                message = f"{what}应于 {due.isoformat()} 前落实" + (f"（目前{'；'.join(notes)}）" if notes else "")
            elif not paid_ok:
                status = Status.gap
                earliest = from_daynum(subjects[key].get(EARLIEST, to_daynum(dt.date.min)))
                late = sorted(e for e in set(every) - set(on_time) if _day(ctx, timed.ledger, timed.evidence_date, e) >= earliest)
                if late and not on_time:
                    first = min(_day(ctx, timed.ledger, timed.evidence_date, e) for e in late)
                    details["days_late"] = (first - due).days
                    message = f"{what}应于 {due.isoformat()} 前落实，实际 {first.isoformat()}，迟延 {(first - due).days} 天"
                else:
                    message = f"{what}：" + "；".join(short_paid)
            else:
                status, message = Status.gap, f"{what}已按期落实，但{stored}：" + "；".join(short_entered)
            out.append(self.finding(status, evidence=evidence, message=message, details=details, **common))
        return out

    def _marked(self, finding: Finding, unrecorded: str | None) -> Finding:
        """The finding with its last lawful day, and what an unrecorded start date leaves assumed or undecided."""
        message, details, status = finding.message, dict(finding.details), finding.status
        notes = []
        if finding.due is not None and finding.due.isoformat() not in message:  # every deadline finding names its last day
            notes.append(f"期限最后一日 {finding.due.isoformat()}")
        if "note" in details:
            notes.append(details.pop("note"))
        if unrecorded is not None:
            ledger = self.trigger.ledger
            start_label = field_label(ledger, self._start_field())
            main_label = field_label(ledger, LEDGERS[ledger].date_field)
            details["unrecorded"] = self._start_field()
            if unrecorded == "assume" or status is not Status.gap:
                notes.append(f"未记载{start_label}，按{main_label}起算")
                details["assumed_start"] = LEDGERS[ledger].date_field
            else:
                status = Status.unknown
                message = (f"未记载{start_label}，无法判断：按{main_label}起算已逾期（{message}），"
                           f"但期限自{start_label}起算，可能尚未届满")
        if notes:
            message += "（" + "；".join(notes) + "）"
        return finding.model_copy(update={"status": status, "message": message, "details": details})

    def requirement(self, params: dict[str, Any]) -> str:
        trigger, evidence = self.trigger.ledger, self.evidence.ledger
        start = self.within.from_ or LEDGERS[trigger].date_field
        days = resolve(self.within.days, params)
        unit = "个工作日（按国务院节假日安排，含调休）" if self.within.working else "天"
        links = "，".join(
            f"{field_label(evidence, e)}为该{ledger_title(trigger)}的{'编号' if s == 'id' else field_label(trigger, s)}"
            for e, s in self.link.items()
        )
        text = (f"每当出现一条{ledger_title(trigger)}{scope_text(self.trigger, params)}，须自其{field_label(trigger, start)}起 {days} {unit}内"
                f"有相应的{self.evidence.what}{scope_text(self.evidence, params)}（{links}），"
                f"以{ledger_title(evidence)}的{field_label(evidence, self.evidence.evidence_date)}为准。")
        timed = self.timed_by
        if timed is not None:
            timed_links = "，".join(
                f"{field_label(timed.ledger, e)}为该{ledger_title(trigger)}的{'编号' if s == 'id' else field_label(trigger, s)}"
                for e, s in timed.link.items()
            )
            sums = "，".join(f"{field_label(timed.ledger, e)}合计须等于{field_label(trigger, s)}" for e, s in timed.totals.items())
            text += (f"有相应的{timed.what}（{ledger_title(timed.ledger)}，{timed_links}）的，以其{field_label(timed.ledger, timed.evidence_date)}"
                     f"判断是否按期{'（' + sums + '）' if sums else ''}，{self.evidence.what}只核对至检查日是否足额；"
                     f"没有的，以{ledger_title(evidence)}的{field_label(evidence, self.evidence.evidence_date)}判断。")
        if self.within.from_:
            main = field_label(trigger, LEDGERS[trigger].date_field)
            choice = resolve(self.within.if_unrecorded, params) if self.within.if_unrecorded is not None else "unknown"
            text += (f"未记载{field_label(trigger, start)}的，按{main}起算，结论注明“未记载{field_label(trigger, start)}，按{main}起算”。"
                     if choice == "assume" else
                     f"未记载{field_label(trigger, start)}的，按{main}起算仍按期的为已落实，否则无法判断。")
        extended = self.within.extended
        if extended is not None:
            text += f"{conditions_text(extended.when, trigger, params)}的，期限为 {resolve(extended.days, params)} {unit}。"
        if self.totals:
            text += "按期的" + "，".join(
                f"{ledger_title(evidence)}{field_label(evidence, e)}合计须等于{ledger_title(trigger)}的{field_label(trigger, s)}"
                for e, s in self.totals.items()
            ) + "。"
        return text


_TIMED: tuple[str | None, str, str] = (None, "timed_in_time", "timed_linked")
"""The plans of ``timed_by`` records: in time [s, t] and any [s, t] (``applicable`` is the evidence's)."""


def _day(ctx: Context, ledger: str, field: str, rid: str) -> dt.date:
    value = getattr(ctx.record(ledger, rid), field)
    assert isinstance(value, dt.date)
    return value


def _short(ctx: Context, ledger: str, ids: list[str], totals: dict[str, str], subject_ledger: str, key: str) -> list[str]:
    """Where the records ``ids`` of ``ledger`` do not add up to what the subject requires."""
    out = []
    for field, subject_field in totals.items():
        got = sum((Decimal(getattr(ctx.record(ledger, i), field)) for i in ids), Decimal(0))
        owed = Decimal(getattr(ctx.record(subject_ledger, key), subject_field))
        if got != owed:
            out.append(f"应为 {owed}，实有 {got}，{'短缺' if got < owed else '多出'} {abs(owed - got)}")
    return out
