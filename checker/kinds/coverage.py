"""coverage: a state must hold on every day of a period (e.g. a legal adviser under contract).

The engine selects the records that can give the state (say, contracts that are in force);
which days they cover is interval arithmetic, done here on dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, model_validator

from ..conditions import field_label
from ..context import Context, Matches
from ..dates import from_daynum
from ..engine import ActionPlan
from ..facts import KEY
from ..findings import Finding, Status
from ..params import Quantity, resolve
from ..periods import PeriodUnit, periods_overlapping
from ..records import LEDGERS
from ..records.base import StrictModel, ledger_title
from ..rules import FieldPath, RuleBase, Selector
from ..validation import Invalid
from . import kind
from ._explain import EVERY, scope_text

ONE_DAY = dt.timedelta(days=1)

AtLeast = Annotated[int, Field(ge=1, le=1000)]


class KindFilter(StrictModel):
    """Which kinds of record count (a certificate's kind, say), and what a record whose kind is not recorded does."""

    zh = "按种类计数：只计入哪些种类的记录，种类未记载的如何处理"

    field: str = Field(description="种类字段，如 kind")
    counts: Quantity(list[str], "计入的种类") = Field(description="计入的种类，或 {param: 参数名}")  # type: ignore[valid-type]
    if_unrecorded: Quantity(Literal["assume", "unknown"], "种类未记载时的处理") = Field(  # type: ignore[valid-type]
        default="unknown",
        description="种类未记载的记录：assume 推定计入并在结论中注明；unknown 不计入，因此不足的为无法判断（确定不足的仍为问题）",
    )


class IntervalSelector(Selector):
    """Records that each hold the state from one date to another (inclusive; an empty end is open-ended)."""

    zh = "区间记录：每条记录从起始日期到终止日期提供该状态"
    field_paths = (FieldPath(("start",)), FieldPath(("end",)), FieldPath(("signed",)), FieldPath(("person",)),
                   FieldPath(("kinds", "field")))

    start: str = Field(description="起始日期字段")
    end: str = Field(description="终止日期字段（含当日；空为长期）")
    signed: str | None = Field(
        default=None,
        description="签订日期字段（可省略）：记录自签订之日起才提供该状态，期限倒签到签订日之前的部分不算",
    )

    person: str | None = Field(
        default=None,
        description="人员编号字段（可省略）：按人计数（同一人两条记录同日有效只算一人），且只计在岗期间（profile 的 joined 至 left）",
    )

    kinds: KindFilter | None = Field(
        default=None,
        description="按种类计数（可省略）：只计入 counts 所列种类的记录，如只计统计执法证；种类未记载的按 if_unrecorded",
    )

    @model_validator(mode="after")
    def _fields_exist(self) -> IntervalSelector:
        fields = LEDGERS[self.ledger].model_fields
        for name in (self.start, self.end, self.signed, self.person, self.kinds.field if self.kinds else None):
            if name is not None and name not in fields:
                raise Invalid("unknown-field", f"台账 {self.ledger} 没有字段 {name!r}")
        return self


@kind("coverage", "持续覆盖")
class CoverageRule(RuleBase):
    quantity_keys: ClassVar[dict[str, str]] = {"at_least_param": "at_least"}
    skeleton = """period: year                  # 按何周期出具结论
intervals:                    # 每条记录从 start 到 end（含当日）提供该状态
  ledger: legal_adviser_contract
  start: start
  end: end
at_least: 1                   # 每天至少同时有几条记录（或写 {param: 参数名}）
examples:
  - name: （待填写：如 合同首尾相接，全年有法律顾问）
    as_of: 2020-12-31
    records:
      legal_adviser_contract:
        - {id: C-1, firm: 某律师事务所, adviser: 顾问甲, signed_on: 2019-12-20, start: 2020-01-01, end: 2020-12-31}
    expect:
      "2020": met
  - name: （待填写：如 合同中断两周，有空档期）
    as_of: 2020-12-31
    records:
      legal_adviser_contract:
        - {id: C-1, firm: 某律师事务所, adviser: 顾问甲, signed_on: 2019-12-20, start: 2020-01-01, end: 2020-06-30}
        - {id: C-2, firm: 某律师事务所, adviser: 顾问甲, signed_on: 2020-07-10, start: 2020-07-15, end: 2021-07-14}
    expect:
      "2020": gap
"""

    kind: Literal["coverage"] = "coverage"
    period: PeriodUnit = Field(default=PeriodUnit.year, description="按何周期出具结论")
    intervals: IntervalSelector = Field(description="提供该状态的记录")
    at_least: Quantity(AtLeast, "每天至少几条") = Field(default=1, description="每天至少同时有几条记录，或 {param: 参数名}")  # type: ignore[valid-type]

    def plans(self, ctx: Context) -> list[ActionPlan]:
        alternatives = []
        for seg in self.segments():
            alternatives += self.intervals.patterns("s", seg.params, extra=seg.date_tests(self.intervals.date_field))
        return [ActionPlan(self.action("holds"), alternatives, ("s",))]

    def oracle(self, ctx: Context, facts: dict[str, list[dict[str, Any]]]) -> Matches:
        out: Matches = {self.action("holds"): set()}
        for fact in facts.get(self.intervals.ledger, []):
            if self.intervals.passes(fact, self.params_at(from_daynum(fact[self.intervals.date_field]))):
                out[self.action("holds")].add((fact[KEY],))
        return out

    def _needed(self, day: dt.date) -> int:
        return int(resolve(self.at_least, self.params_at(day)))

    def requirement(self, params: dict[str, Any]) -> str:
        ledger = self.intervals.ledger
        signed = (f"与{field_label(ledger, self.intervals.signed)}中较晚者" if self.intervals.signed else "")
        person = (f"；按{field_label(ledger, self.intervals.person)}计人数，同一人只算一人，且只计其在岗期间"
                  if self.intervals.person else "")
        kinds = self.intervals.kinds
        if kinds is not None:
            kinds_label = field_label(ledger, kinds.field)
            unrecorded = ("推定计入并注明" if resolve(kinds.if_unrecorded, params) == "assume" else "不计入，因此不足的为无法判断")
            person += f"；只计{kinds_label}为{'、'.join(resolve(kinds.counts, params))}的记录，未记载{kinds_label}的{unrecorded}"
        return (f"每一天都须至少有 {resolve(self.at_least, params)} 条有效的{ledger_title(ledger)}{scope_text(self.intervals, params)}"
                f"（自{field_label(ledger, self.intervals.start)}{signed}起至{field_label(ledger, self.intervals.end)}止，含当日；"
                f"终止日期为空表示长期有效{person}），{EVERY[self.period.value]}出具一次结论；一天不满足即为问题。")

    def judge(self, ctx: Context, matches: Matches) -> list[Finding]:
        spans: list[Span] = []
        staff = {member.id: member for member in ctx.profile.staff}
        kinds = self.intervals.kinds
        for (rid,) in matches[self.action("holds")]:
            record = ctx.record(self.intervals.ledger, rid)
            start = getattr(record, self.intervals.start)
            end = getattr(record, self.intervals.end) or dt.date.max
            signed = getattr(record, self.intervals.signed) if self.intervals.signed else None
            if signed is not None and signed > start:
                start = signed  # a renewal signed late and written back to the old contract's end covers nothing before it was signed
            who = rid
            if self.intervals.person:
                who = str(getattr(record, self.intervals.person))
                member = staff.get(who)
                if member is not None:  # a person counts only while in post: joined .. left, both inclusive
                    start = max(start, member.joined or start)
                    end = min(end, member.left or end)
            if start > end:
                continue
            spans.append((start, end, rid, who, getattr(record, kinds.field) if kinds else None))
        first_day = ctx.first_judged_day  # each day is due on itself: days before ledgers_from are left out (Context.judged)
        label = ledger_title(self.intervals.ledger)
        out: list[Finding] = []
        horizon = ctx.as_of + dt.timedelta(days=ctx.warn_days)
        for period in periods_overlapping(self.period, first_day, ctx.as_of):
            judged_from = max(period.start, first_day)
            judged_to = min(period.end, ctx.as_of)
            params = self.params_at(judged_to)
            # Records of a kind that does not count are left out; those whose kind is not recorded
            # may count (``maybe``): a day short even with them is a gap, one short only without them
            # is met as an assumption or unknown, as the rule's reading says. Never silently either.
            counted = set(resolve(kinds.counts, params)) if kinds else set()
            sure = [sp for sp in spans if not kinds or sp[4] in counted]
            maybe = [sp for sp in spans if kinds and sp[4] is None]
            holes = _holes(sure + maybe, judged_from, judged_to, self._needed)
            used = sorted({sp[2] for sp in sure + maybe if sp[0] <= judged_to and sp[1] >= judged_from})
            version = self.version_at(period.end)
            if holes:
                days = sum((b - a).days + 1 for a, b in holes)
                shown = "、".join(_span(a, b) for a, b in holes[:5]) + ("等" if len(holes) > 5 else "")
                out.append(self.finding(
                    Status.gap, period=period.label, evidence=used, version=version, due=holes[0][0],
                    details={"uncovered_days": days, "holes": [[a.isoformat(), b.isoformat()] for a, b in holes]},
                    message=f"{period.chinese}有 {days} 天不满足（{shown}），依据{label}{_kinds_note(self, counted, maybe, judged_from, judged_to)}",
                ))
                continue
            short = _holes(sure, judged_from, judged_to, self._needed) if maybe else []
            unrecorded = sorted({sp[2] for sp in maybe if sp[0] <= judged_to and sp[1] >= judged_from})
            assumed, details = "", {}
            if short and kinds is not None:
                what = field_label(self.intervals.ledger, kinds.field)
                shown = "、".join(_span(a, b) for a, b in short[:5]) + ("等" if len(short) > 5 else "")
                details = {"unrecorded_kind": unrecorded, "short_without_them": [[a.isoformat(), b.isoformat()] for a, b in short]}
                if resolve(kinds.if_unrecorded, params) != "assume":
                    out.append(self.finding(
                        Status.unknown, period=period.label, evidence=used, version=version, details=details,
                        message=(f"无法判断：{'、'.join(unrecorded)} 未记载{what}，不计入时 {shown} 不满足，"
                                 f"计入时每日均满足；只计{'、'.join(sorted(counted))}，请补记{what}"),
                    ))
                    continue
                details["assumed_kind"] = True
                assumed = (f"；其中 {shown} 须计入未记载{what}的{'、'.join(unrecorded)}：推定其为"
                           f"{'或'.join(sorted(counted))}，请补记{what}后复核")
            ahead_to = min(period.end, horizon)
            ahead = _holes(sure + maybe, ctx.as_of + ONE_DAY, ahead_to, self._needed) if ahead_to > ctx.as_of else []
            if ahead:
                out.append(self.finding(
                    Status.due_soon, period=period.label, evidence=used, version=version, due=ahead[0][0], details=details,
                    message=f"自 {ahead[0][0].isoformat()} 起将不满足，现有{label}不能覆盖，请及时续签或补足{assumed}",
                ))
                continue
            out.append(self.finding(
                Status.met, period=period.label, evidence=used, version=version, details=details,
                message=f"{_span(judged_from, judged_to)} 每日均满足{assumed}",
            ))
        return out


Span = tuple[dt.date, dt.date, str, str, Any]
"""A record's days: first, last, the record id, who it counts as (the record or its person), its kind."""


def _kinds_note(rule: CoverageRule, counted: set[str], maybe: list[Span], first: dt.date, last: dt.date) -> str:
    """What a gap of a rule counting by kind counted: only the kinds that count, even the unrecorded ones."""
    kinds = rule.intervals.kinds
    if kinds is None:
        return ""
    note = f"（只计{'、'.join(sorted(counted))}"
    unrecorded = sorted({sp[2] for sp in maybe if sp[0] <= last and sp[1] >= first})
    if unrecorded:
        note += f"；未记载{field_label(rule.intervals.ledger, kinds.field)}的{'、'.join(unrecorded)}已计入，仍不足"
    return note + "）"


def _holes(spans: list[Span], first: dt.date, last: dt.date, needed: Any) -> list[tuple[dt.date, dt.date]]:
    """Maximal runs of days in [first, last] on which fewer distinct holders (the last element of
    a span: the record, or the person it belongs to) than ``needed(day)`` are covered."""
    holes: list[tuple[dt.date, dt.date]] = []
    day = first
    while day <= last:
        count = len({sp[3] for sp in spans if sp[0] <= day <= sp[1]})
        if count < needed(day):
            if holes and holes[-1][1] == day - ONE_DAY:
                holes[-1] = (holes[-1][0], day)
            else:
                holes.append((day, day))
        day += ONE_DAY
    return holes


def _span(a: dt.date, b: dt.date) -> str:
    return a.isoformat() if a == b else f"{a.isoformat()} 至 {b.isoformat()}"
