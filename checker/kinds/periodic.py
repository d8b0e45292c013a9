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
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from .. import engine
from ..conditions import field_label
from ..context import Context, Matches
from ..dates import MonthDay, on_month_day, to_daynum
from ..facts import DUE, KEY, TYPE
from ..findings import Finding
from ..params import Days, Quantity, resolve
from ..periods import Period, PeriodUnit, parse_period, periods_overlapping
from ..records import LEDGERS
from ..records.base import ledger_title
from ..rules import FieldPath, RuleBase, StrictModel
from ..validation import Invalid
from ..workdays import add_calendar_days, add_working_days
from . import kind
from ._evidence import EvidenceSelector, evidence_oracle, evidence_plans, judge_due
from ._explain import EVERY, scope_text
from ._staff import PerStaff


class Due(StrictModel):
    """When a period's evidence is due: N days after the period ends, or a fixed day of the period's year or the next."""

    zh = "到期日：期末后若干天，或每年的固定日期（MM-DD）"
    quantity_keys: ClassVar[dict[str, str]] = {"param": "days_after_end", "month_day_param": "month_day"}

    days_after_end: Quantity(Days, "期末后天数") | None = Field(default=None, description="期末后天数，或 {param: 参数名}")  # type: ignore[valid-type]
    working: bool = Field(default=False, description="天数按工作日计")
    extend_past_rest_days: bool = Field(
        default=True,
        description="按日历日计的期限最后一日为法定休假日的，顺延至休假日后第一个工作日（民法典第二百零三条）；false 为不顺延",
    )
    month_day: Quantity(MonthDay, "固定日期 MM-DD") | None = Field(default=None, description="固定日期 MM-DD（如 03-01），或 {param: 参数名}")  # type: ignore[valid-type]
    next_year: bool = Field(default=False, description="固定日期在期间次年（如次年 3 月 1 日前报告上年工作）")

    @model_validator(mode="after")
    def _one(self) -> Due:
        if self.days_after_end is not None and self.month_day is not None:
            raise Invalid("operand-count", "只能给出一种到期方式，却给了 days_after_end、month_day")
        return self


class Occasion(StrictModel):
    """A dated occasion in each period (e.g. 12-04 宪法日): evidence dated within its window discharges it."""

    zh = "固定日期活动：每年某月某日前后开展的活动，分别判断"

    name: str = Field(description="名称，如 宪法日")
    month_day: MonthDay = Field(description="日期 MM-DD")
    days_before: Days = Field(default=0, description="提前多少天开展也算数")
    days_after: Days = Field(default=0, description="推后多少天开展也算数（到期日为当日加此天数）")

    def day_in(self, year: int) -> dt.date:
        return on_month_day(self.month_day, year)


@kind("periodic", "定期履行")
class PeriodicRule(RuleBase):
    field_paths = (
        FieldPath(("per_staff", "field"), "evidence"),
        FieldPath(("period_field",), "evidence"),
        FieldPath(("occasion_field",), "evidence"),
    )
    skeleton = """params:
  report_within_days:
    - from: 2017-01-01
      value: 15
      source: （待填写：取值依据）
versions:                     # 规则版本（可删去）：新制度施行时追加一项，结论注明据以判定的版本
  - version: "2017"
    from: 2017-01-01
    note: （待填写：该版本依据的制度）
period: quarter               # 周期：month、quarter、half-year、year
evidence:
  ledger: interference_report
period_field: quarter         # 证据中写明所属期间的字段；删去则按证据日期落在期间内
due:                          # 到期日：days_after_end（期末后天数），或 month_day: "03-01"（可加 next_year: true）；均可写 {param: 参数名}
  days_after_end: {param: report_within_days}
examples:
  - name: （待填写：如 第一季度按期报送，符合要求）
    as_of: 2020-04-30
    ledgers_from: 2020-01-16
    records:
      interference_report:
        - {id: I-1, quarter: 2020Q1, reported_on: 2020-04-08, recorded_count: 0}
    expect:
      2020Q1: met
      2020Q2: pending
  - name: （待填写：如 第二季度未报送，不符合要求）
    as_of: 2020-07-31
    ledgers_from: 2020-04-16
    records:
      interference_report: []
    expect:
      2020Q2: gap
      2020Q3: pending
"""

    kind: Literal["periodic"] = "periodic"
    period: PeriodUnit = Field(description="周期：month、quarter、half-year、year")
    evidence: EvidenceSelector = Field(description="履行义务的证据记录")
    period_field: str | None = Field(default=None, description="证据中写明所属期间的字段（如 quarter）；不填则按证据日期落在期间内")
    due: Due = Field(default_factory=Due, description="到期日；不填为期末")
    per_staff: PerStaff | None = Field(default=None, description="对担任某角色的每名人员分别判断")
    occasions: list[Occasion] = Field(default_factory=list, description="期间内的固定日期活动，分别判断")
    occasion_field: str | None = Field(default=None, description="与 occasions 合用：证据中写明活动名称的字段（可不填）")

    @model_validator(mode="after")
    def _shape(self) -> PeriodicRule:
        if self.occasions and self.period is not PeriodUnit.year:
            raise Invalid("occasions-not-yearly", "occasions 只能用于 period: year")
        if self.occasions and (self.period_field or self.due != Due()):
            raise Invalid("occasions-with-due", "occasions 自带到期日与日期窗口，不能再给 period_field 或 due")
        if self.occasion_field and not self.occasions:
            raise Invalid("occasion-field-alone", "occasion_field 须与 occasions 合用")
        if self.per_staff:
            info = LEDGERS[self.evidence.ledger].model_fields.get(self.per_staff.field)
            if info is None or "list" in str(info.annotation):
                raise Invalid("per-staff-field", f"per_staff.field 应为台账 {self.evidence.ledger} 中写明单个人员编号的字段")
        return self

    @property
    def subjects_type(self) -> str:
        return f"period@{self.id}"

    def due_of(self, period: Period) -> tuple[dt.date, bool]:
        params = self.params_at(period.end)
        spec = self.due
        month_day = resolve(spec.month_day, params)
        if month_day:
            return on_month_day(str(month_day), period.end.year + (1 if spec.next_year else 0)), False
        days = int(resolve(spec.days_after_end, params) or 0)
        if spec.working:
            return add_working_days(period.end, days)
        return add_calendar_days(period.end, days, extend_past_rest_days=spec.extend_past_rest_days)

    def subject_facts(self, ctx: Context) -> list[dict[str, Any]]:
        """Every (period, staff member or occasion) to judge, as the engine's subject facts."""
        first = ctx.profile.ledgers_from.replace(year=ctx.profile.ledgers_from.year - 1, day=1)
        out: list[dict[str, Any]] = []
        for p in periods_overlapping(self.period, first, ctx.as_of):
            if p.start > ctx.as_of:
                continue
            base = {TYPE: self.subjects_type, "label": p.label, "start": to_daynum(p.start), "end": to_daynum(p.end)}
            if self.occasions:
                for occ in self.occasions:
                    day = occ.day_in(p.start.year)
                    due = day + dt.timedelta(days=occ.days_after)
                    if not ctx.judged(due):  # due before the ledgers are complete: left out (Context.judged)
                        continue
                    out.append(dict(base, who=occ.name, occasion=occ.name,
                                    win_start=to_daynum(day - dt.timedelta(days=occ.days_before)),
                                    win_end=to_daynum(due), **{KEY: f"{occ.name}@{p.label}", DUE: to_daynum(due)}))
                continue
            due, _ = self.due_of(p)
            if not ctx.judged(due):  # due before the ledgers are complete: left out (Context.judged)
                continue
            extra = {"win_start": base["start"], "win_end": base["end"], DUE: to_daynum(due)}
            if self.per_staff:
                for member in self.per_staff.members(ctx.profile, p):
                    out.append(dict(base, who=member.id, staff=member.id, **extra, **{KEY: f"{member.id}@{p.label}"}))
            else:
                out.append(dict(base, **extra, **{KEY: p.label}))
        return out

    def _link_tests(self) -> list[engine.Test]:
        d = self.evidence.evidence_date
        tests: list[engine.Test] = []
        if self.period_field:
            tests.append(engine.compare(self.period_field, "==", engine.ref("s", "label")))
        else:
            tests += [engine.compare(d, ">=", engine.ref("s", "win_start")), engine.compare(d, "<=", engine.ref("s", "win_end"))]
        if self.per_staff:
            tests.append(engine.compare(self.per_staff.field, "==", engine.ref("s", "staff")))
        if self.occasion_field:
            tests.append(engine.compare(self.occasion_field, "==", engine.ref("s", "occasion")))
        return tests

    def plans(self, ctx: Context) -> list[engine.ActionPlan]:
        return evidence_plans(self, None, self.subjects_type, self.evidence, self._link_tests(), "end", ctx.as_of_day)

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
            return not (self.occasion_field and e.get(self.occasion_field) != s["occasion"])

        return evidence_oracle(self, None, facts.get(self.subjects_type, []), self.evidence,
                               facts.get(self.evidence.ledger, []), linked, "end", ctx.as_of_day)

    def judge(self, ctx: Context, matches: Matches) -> list[Finding]:
        subjects = {f[KEY]: f for f in ctx.facts.get(self.subjects_type, [])}
        if not subjects:
            return self.not_applicable("检查期间内没有需要判断的周期" + ("或人员" if self.per_staff else ""))
        label = self.evidence.what
        names = {s.id: s.name for s in ctx.profile.staff}

        def describe(key: str) -> tuple[Any, ...]:
            fact = subjects[key]
            period = parse_period(fact["label"])
            assert period is not None
            provisional = False if self.occasions else self.due_of(period)[1]
            who = fact.get("who")
            shown = f"{period.chinese}{names.get(who, who) if who else ''}的{label}"
            return who, fact["label"], self.version_at(period.end), provisional, shown

        return judge_due(self, ctx, matches, self.evidence, subjects, describe)

    def requirement(self, params: dict[str, Any]) -> str:
        evidence = self.evidence.ledger
        due = self.due
        month_day = resolve(due.month_day, params)
        unit = "个工作日" if due.working else "天"
        if month_day:
            month, day = str(month_day).split("-")
            when = f"于{'次年' if due.next_year else '当年'} {int(month)} 月 {int(day)} 日前"
        elif due.days_after_end is not None:
            when = f"于期末后 {resolve(due.days_after_end, params)} {unit}内"
        else:
            when = "于期末前"
        if self.occasions:
            days = "、".join(
                f"{int(o.month_day[:2])} 月 {int(o.month_day[3:])} 日{o.name}"
                + (f"（前 {o.days_before} 天至后 {o.days_after} 天内均可）" if o.days_before or o.days_after else "")
                for o in self.occasions
            )
            return f"每年在以下日期各开展一次{self.evidence.what}{scope_text(self.evidence, params)}：{days}；分别判断，逾期未开展的为问题。"
        belongs = (f"以{field_label(evidence, self.period_field)}标明所属期间" if self.period_field
                   else f"以{field_label(evidence, self.evidence.evidence_date)}落在该期间内为准")
        who = (f"担任“{self.per_staff.role}”的每名人员（以{field_label(evidence, self.per_staff.field)}区分）"
               if self.per_staff else "")
        return (f"{EVERY[self.period.value]}{who}都须有{self.evidence.what}{scope_text(self.evidence, params)}，{when}完成"
                f"（{belongs}；按{ledger_title(evidence)}的{field_label(evidence, self.evidence.evidence_date)}判断是否按期）。")
