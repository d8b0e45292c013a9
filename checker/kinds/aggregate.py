"""aggregate: a count, share, sum or mix over a period must reach a threshold.

The engine selects the records in scope and those that count towards each measure; the
arithmetic per period (how many, what share, which laws were covered) is done here. With
``per_staff`` the measures are taken for each staff member holding a role, over the records
that name the member in ``per_staff.field`` (a staff id or a list of them, e.g. attendees);
such findings are keyed "<staff id>@<period>".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, TypeAdapter, ValidationError, model_validator

from ..conditions import Condition, field_label, show_value
from ..context import Context, Matches
from ..dates import from_daynum
from ..engine import ActionPlan
from ..facts import KEY
from ..findings import Finding, Status
from ..params import ParamRef, Quantity, resolve
from ..periods import PeriodUnit, periods_overlapping
from ..records.base import ledger_title
from ..rules import FieldPath, RuleBase, Selector, StrictModel
from ..validation import Invalid
from . import kind
from ._explain import EVERY, conditions_text, scope_text
from ._staff import PerStaff

Threshold = Annotated[float, Field(ge=0, le=1e9)]
THRESHOLDS: dict[str, tuple[Any, str]] = {
    "count": (Annotated[int, Field(ge=0, le=1_000_000)], "计数下限（整数）"),
    "distinct": (Annotated[int, Field(ge=0, le=1_000_000)], "种数下限（整数）"),
    "share": (Annotated[float, Field(ge=0, le=1)], "占比下限（0–1）"),
    "sum": (Threshold, "求和下限"),
}
"""What ``at_least`` must be for each measure type, whether written or a parameter's value: a
share above 1 or a count of half a session can never be met, so every period would be a gap."""


class Measure(StrictModel):
    """One thing to reach over the period.

    - ``count``: records that pass ``when``, at least ``at_least``;
    - ``share``: of the records in scope, the share that pass ``when``, at least ``at_least`` (0–1);
    - ``sum``: the sum of ``field`` over records that pass ``when``, at least ``at_least``;
    - ``distinct``: how many different values ``field`` takes (list items count one by one) over
      records that pass ``when``, at least ``at_least`` (e.g. kinds of publicity channel);
    - ``includes``: every item of ``all_of`` appears in the list ``field`` of some record.
    """

    zh = "指标：count 计数、share 占比、sum 求和、distinct 不同取值种数、includes 涵盖全部指定项"
    renamed: ClassVar[dict[str, str]] = {"where": "when"}
    quantity_keys: ClassVar[dict[str, str]] = {"at_least_param": "at_least", "all_of_param": "all_of"}

    name: str = Field(description="指标的中文名称")
    type: Literal["count", "share", "sum", "distinct", "includes"] = Field(description="指标类型")
    when: list[Condition] = Field(default_factory=list, description="计入该指标的记录须满足的条件")
    field: str | None = Field(default=None, description="sum、distinct、includes 所用字段")
    at_least: Quantity(Threshold, "下限") | None = Field(default=None, description="下限，或 {param: 参数名}")  # type: ignore[valid-type]
    all_of: Quantity(list[str], "必须涵盖的项") | None = Field(default=None, description="includes：必须涵盖的项，或 {param: 参数名}")  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _shape(self) -> Measure:
        if self.type == "includes":
            if self.all_of is None or self.field is None:
                raise Invalid("measure-shape", "includes 需要 field 与 all_of")
        else:
            if self.at_least is None:
                raise Invalid("measure-shape", f"{self.type} 需要 at_least")
            if not isinstance(self.at_least, ParamRef):  # a parameter's values: checked by rules lint
                expected, meaning = THRESHOLDS[self.type]
                try:
                    TypeAdapter(expected).validate_python(self.at_least)
                except ValidationError:
                    raise Invalid("out-of-range", f"{self.type} 的 at_least 应为{meaning}，实为 {self.at_least:g}") from None
            if self.type in ("sum", "distinct") and self.field is None:
                raise Invalid("measure-shape", f"{self.type} 需要 field")
        return self

    def threshold(self, params: dict[str, Any]) -> Any:
        if self.type == "includes":
            return list(resolve(self.all_of, params))
        return resolve(self.at_least, params)


@kind("aggregate", "年度汇总")
class AggregateRule(RuleBase):
    field_paths = (
        FieldPath(("measures", "*", "field"), "records"),
        FieldPath(("measures", "*", "when", "*"), "records", condition=True),
        FieldPath(("per_staff", "field"), "records"),
    )
    skeleton = """params:
  min_sessions:
    - from: 2020-01-01
      value: 2
      source: （待填写：取值依据；本单位政策请注明）
period: year
records:                      # 纳入汇总的记录
  ledger: study_session
measures:                     # 指标：count 计数、share 占比、sum 求和、distinct 种数、includes 涵盖（全部达到才算落实）
  - name: （待填写：指标名称，如 学法场次）
    type: count
    at_least: {param: min_sessions}
examples:
  - name: （待填写：如 全年学法两次，符合要求）
    as_of: 2020-12-31
    records:
      study_session:
        - {id: S-1, date: 2020-03-05, topic: 统计法专题, laws: [统计法]}
        - {id: S-2, date: 2020-06-10, topic: 民法典学习, laws: [民法典]}
    expect:
      "2020": met
  - name: （待填写：如 全年只学一次，不符合要求）
    as_of: 2020-12-31
    records:
      study_session:
        - {id: S-1, date: 2020-03-05, topic: 统计法专题, laws: [统计法]}
    expect:
      "2020": gap
"""

    kind: Literal["aggregate"] = "aggregate"
    period: PeriodUnit = Field(default=PeriodUnit.year, description="汇总周期")
    records: Selector = Field(description="纳入汇总的记录")
    measures: list[Measure] = Field(min_length=1, description="须达到的指标（全部达到才算落实）")
    per_staff: PerStaff | None = Field(default=None, description="对担任某角色的每名人员分别汇总")

    def requirement(self, params: dict[str, Any]) -> str:
        ledger = self.records.ledger
        lines = "；".join(_measure_text(m, ledger, params) for m in self.measures)
        return f"{EVERY[self.period.value]}的{ledger_title(ledger)}{scope_text(self.records, params)}须同时达到：{lines}。期末判定。"

    def _items(self, measure: Measure) -> list[str]:
        seen: list[str] = []
        for seg in self.segments():
            for item in measure.threshold(seg.params):
                if item not in seen:
                    seen.append(item)
        return seen

    def plans(self, ctx: Context) -> list[ActionPlan]:
        scope: list[list[dict[str, Any]]] = []
        counted: dict[str, list[list[dict[str, Any]]]] = {}
        for seg in self.segments():
            dates = seg.date_tests(self.records.date_field)
            scope += self.records.patterns("s", seg.params, extra=dates)
            for i, m in enumerate(self.measures):
                if m.type == "includes":
                    for item in self._items(m):
                        cond = Condition(field=m.field or "", op="contains", value=item)
                        counted.setdefault(f"m{i}:{item}", []).extend(
                            self.records.patterns("s", seg.params, [*m.when, cond], extra=dates)
                        )
                else:
                    counted.setdefault(f"m{i}", []).extend(self.records.patterns("s", seg.params, m.when, extra=dates))
        # Ask the engine only for what selects something: with no when, the scope is every record
        # and a measure with no when counts the scope (a firing per record saved each time).
        asked = [ActionPlan(self.action("scope"), scope, ("s",))] if self.records.when else []
        return asked + [ActionPlan(self.action(name), alts, ("s",)) for name, alts in counted.items()
                        if name.startswith("m") and (":" in name or self.measures[int(name[1:])].when)]

    def _found(self, ctx: Context, matches: Matches, name: str) -> set[tuple[str, ...]]:
        """The records of ``name`` (scope, m0, m1:宪法…): the engine's (or oracle's) answer, else what a
        plan not asked stands for: a measure without when is the scope, a scope without when every record."""
        if self.action(name) in matches:
            return matches[self.action(name)]
        if name != "scope":
            return self._found(ctx, matches, "scope")
        return {(f[KEY],) for f in ctx.facts.get(self.records.ledger, [])}

    def oracle(self, ctx: Context, facts: dict[str, list[dict[str, Any]]]) -> Matches:
        # Every relation by brute force, asked of the engine or not.
        names = ["scope", *(f"m{i}:{item}" if m.type == "includes" else f"m{i}"
                            for i, m in enumerate(self.measures) for item in (self._items(m) if m.type == "includes" else [""]))]
        out: Matches = {self.action(n): set() for n in names}
        for fact in facts.get(self.records.ledger, []):
            params = self.params_at(from_daynum(fact[self.records.date_field]))
            if not self.records.passes(fact, params):
                continue
            out[self.action("scope")].add((fact[KEY],))
            for i, m in enumerate(self.measures):
                if m.type == "includes":
                    for item in self._items(m):
                        cond = Condition(field=m.field or "", op="contains", value=item)
                        if self.records.passes(fact, params, [*m.when, cond]):
                            out[self.action(f"m{i}:{item}")].add((fact[KEY],))
                elif self.records.passes(fact, params, m.when):
                    out[self.action(f"m{i}")].add((fact[KEY],))
        return out

    def judge(self, ctx: Context, matches: Matches) -> list[Finding]:
        ledger = self.records.ledger
        out: list[Finding] = []
        # A period is due at its end: those ending before ledgers_from are left out (Context.judged).
        for period in periods_overlapping(self.period, ctx.first_judged_day, ctx.as_of):
            if self.per_staff is None:
                out.append(self._judge_group(ctx, matches, period, None, None))
                continue
            field = self.per_staff.field
            for member in self.per_staff.members(ctx.profile, period):
                def names(rid: str, who: str = member.id, field: str = field) -> bool:
                    value = getattr(ctx.record(ledger, rid), field, None)
                    return who in value if isinstance(value, list) else value == who

                out.append(self._judge_group(ctx, matches, period, member.id, names, member.name))
        if not out:
            return self.not_applicable("检查期间内没有需要汇总的人员或期间")
        return out

    def _judge_group(
        self, ctx: Context, matches: Matches, period: Any, subject: str | None, belongs: Any, who: str = ""
    ) -> Finding:
        ledger = self.records.ledger
        label = ledger_title(ledger)

        def in_period(name: str) -> list[str]:
            return sorted(
                rid for (rid,) in self._found(ctx, matches, name)
                if period.start <= ctx.record(ledger, rid).day <= period.end and (belongs is None or belongs(rid))
            )

        params = self.params_at(period.end)
        scope = in_period("scope")
        results: list[tuple[Measure, bool, str]] = []
        for i, m in enumerate(self.measures):
            need = m.threshold(params)
            if m.type == "includes":
                missing = [it for it in need if not in_period(f"m{i}:{it}")]
                results.append((m, not missing, f"{m.name}：尚缺 {'、'.join(missing)}" if missing else ""))
                continue
            hits = in_period(f"m{i}")
            if m.type == "count":
                value: Any = len(hits)
                shown = f"{value} 次"
            elif m.type == "share":
                value = len(hits) / len(scope) if scope else 0.0
                shown = f"{len(hits)}/{len(scope)}（{value:.0%}）"
            elif m.type == "distinct":
                seen = sorted({v for r in hits for v in _values(getattr(ctx.record(ledger, r), m.field or ""))}, key=str)
                value = len(seen)
                shown = f"{value} 种（{'、'.join(map(str, seen)) or '无'}）"
            else:
                value = sum(Decimal(str(getattr(ctx.record(ledger, r), m.field or ""))) for r in hits)
                shown = str(value)
            ok = value >= Decimal(str(need)) if m.type == "sum" else value >= need
            need_shown = f"{need:.0%}" if m.type == "share" else str(need)
            results.append((m, ok, "" if ok else f"{m.name}：要求不少于 {need_shown}，实为 {shown}"))
        failing = [text for _, ok, text in results if not ok]
        common: dict[str, Any] = dict(
            subject=subject, period=period.label, evidence=scope, version=self.version_at(period.end), due=period.end
        )
        head = f"{period.chinese}{who}{label}"
        if ctx.as_of >= period.end:
            if failing:
                return self.finding(Status.gap, message=f"{head}：" + "；".join(failing), **common)
            return self.finding(Status.met, message=f"{head}各项指标均已达到", **common)
        if all(ok for _, ok, _ in results) and not any(m.type == "share" for m in self.measures):
            return self.finding(Status.met, message=f"{head}各项指标已提前达到", **common)
        progress = "；".join(failing) if failing else "占比类指标待期末判定"
        return self.finding(ctx.not_yet_due(period.end), message=f"期末 {period.end.isoformat()} 判定，目前 {progress}", **common)


def _measure_text(m: Measure, ledger: str, params: dict[str, Any]) -> str:
    which = f"满足{conditions_text(m.when, ledger, params)}的" if m.when else f"{ledger_title(ledger)}"
    need = m.threshold(params)
    if m.type == "count":
        return f"{m.name}：{which}记录不少于 {need} 条"
    if m.type == "share":
        return f"{m.name}：{which}记录所占比例不少于 {float(need):.0%}"
    if m.type == "sum":
        return f"{m.name}：{which}记录的{field_label(ledger, m.field or '')}合计不少于 {need}"
    if m.type == "distinct":
        return f"{m.name}：{which}记录的{field_label(ledger, m.field or '')}不少于 {need} 种"
    return f"{m.name}：{which}记录的{field_label(ledger, m.field or '')}须涵盖 {show_value(need)}"


def _values(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
