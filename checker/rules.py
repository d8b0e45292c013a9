"""The rule language: what every rule has, whatever its kind.

A rule is one legal obligation as data: its id (from OBLIGATIONS.md), the clause it comes
from, dated parameters, and the cases that show it working. The kind-specific part (what
records it looks at and how) lives in ``checker/kinds``; each kind is one class registered
once, and the kinds together form a discriminated union on ``kind``.
"""

from __future__ import annotations

import datetime as dt
from itertools import product
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from .conditions import Condition, Scalar, add_working_keys, engine_alternatives, holds
from .context import Context, Matches
from .dates import Day, from_daynum, to_daynum
from .findings import Finding, Status
from .records.base import RECORD_TYPES, StrictModel

from .engine import SELF_SUFFIX

if TYPE_CHECKING:
    from .engine import ActionPlan

__all__ = ["SEVERITY_ZH", "Citation", "ParamValue", "RuleVersion", "Example", "Selector", "RuleBase", "Segment"]

SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
"""How reports and explanations name a rule's severity."""

FAR_PAST = dt.date(1900, 1, 1)
FAR_FUTURE = dt.date(2999, 12, 31)


class Citation(StrictModel):
    """Where an obligation comes from. ``policy: true`` marks the bureau's or locality's own rule, not law."""

    source: str = Field(description="法律、法规或规范性文件名称，如《中华人民共和国行政处罚法》")
    article: str | None = Field(default=None, description="条款，如 第四十二条")
    quote: str | None = Field(default=None, description="原文摘录")
    policy: bool = Field(default=False, description="为本单位或地方政策而非法律时填 true")


class ParamValue(StrictModel):
    """One value of a parameter, in force from a date until the next value's date."""

    from_: Day = Field(alias="from", description="生效日期")
    value: Scalar | list[Scalar] = Field(description="取值")
    source: str | None = Field(default=None, description="取值依据")


class RuleVersion(StrictModel):
    """A version of the rule in force from a date (e.g. the 2021 revision of the 行政处罚法).

    A record or period is judged by the version in force at its own date, and the finding names it.
    """

    version: str = Field(description="版本标识，如 2021")
    from_: Day = Field(alias="from", description="生效日期")
    citations: list[Citation] = Field(default_factory=list, description="本版本的依据（替代规则的 citations）")
    note: str | None = Field(default=None, description="与前一版本的区别")


class Example(StrictModel):
    """A named case: records in, the rule's findings out. Fails on a missing or an unexpected finding."""

    name: str = Field(description="用一句话说明案例，如 两名执法人员的检查符合要求")
    as_of: Day = Field(description="检查日期")
    ledgers_from: Day | None = Field(default=None, description="台账起始日期，默认 as_of 当年 1 月 1 日")
    staff: list[dict[str, Any]] = Field(default_factory=list, description="人员（同 profile.yaml 的 staff）")
    records: dict[str, list[dict[str, Any]]] = Field(default_factory=dict, description="按台账类型列出的记录")
    expect: dict[str, Status] = Field(description="期望的结论：主体编号或期间 → 状态")


class Selector(StrictModel):
    """Which records of one ledger a rule looks at."""

    record: str = Field(description="台账类型，如 fine")
    when: list[Condition] = Field(default_factory=list, description="筛选条件（全部满足）")

    @field_validator("record")
    @classmethod
    def _known_record(cls, value: str) -> str:
        if value not in RECORD_TYPES:
            from .validation import suggest

            hint = suggest(value, RECORD_TYPES)
            raise ValueError(f"未知的台账类型 {value!r}" + (f"（是否应为 {hint}？）" if hint else ""))
        return value

    @property
    def date_field(self) -> str:
        return RECORD_TYPES[self.record].date_field

    def fields_named(self) -> set[str]:
        return {c.field for c in self.when} | {c.other for c in self.when if c.other}

    def passes(self, fact: dict[str, Any], params: dict[str, Any], conditions: list[Condition] | None = None) -> bool:
        """Oracle: does the fact pass ``when`` (and the extra conditions)?"""
        return all(holds(c, fact, self.record, params) for c in [*self.when, *(conditions or [])])

    def patterns(
        self,
        alias: str,
        params: dict[str, Any],
        conditions: list[Condition] | None = None,
        extra: list[dict[str, Any]] | None = None,
        rtype: str | None = None,
    ) -> list[list[dict[str, Any]]]:
        """Engine patterns for this selector: alternatives, each a list of one or two patterns.

        The second pattern appears only for field-to-field comparisons: it binds the record's
        shadow copy (see ``checker.engine.SELF_SUFFIX``), since one fact cannot bind two patterns.
        ``rtype`` overrides the fact type, for the per-rule subject facts the kinds make.
        """
        conds = [*self.when, *(conditions or [])]
        own = [c for c in conds if c.other is None]
        cross = [c for c in conds if c.other is not None]
        self_alias = alias + "_self"
        own_choices = product(*[engine_alternatives(c, self.record, params, alias, alias) for c in own])
        cross_tests = [engine_alternatives(c, self.record, params, self_alias, alias)[0] for c in cross]
        out: list[list[dict[str, Any]]] = []
        for choice in own_choices:
            tests = [{"rtype": rtype or self.record}, *choice, *(extra or [])]
            patterns = [{alias: {"$and": tests}}]
            if cross_tests:
                patterns.append(
                    {self_alias: {"$and": [{"rtype": (rtype or self.record) + SELF_SUFFIX}, {"rid": {alias: "rid"}}, *cross_tests]}}
                )
            out.append(patterns)
        return out


class Segment(StrictModel):
    """A stretch of time with one set of parameter values and one rule version."""

    start: dt.date
    end: dt.date  # exclusive
    params: dict[str, Any]
    version: str | None = None

    def date_tests(self, field: str) -> list[dict[str, Any]]:
        tests: list[dict[str, Any]] = []
        if self.start > FAR_PAST:
            tests.append({"$gte": {field: to_daynum(self.start)}})
        if self.end < FAR_FUTURE:
            tests.append({"$lt": {field: to_daynum(self.end)}})
        return tests


class RuleBase(StrictModel):
    """Fields every rule has. Subclasses (the kinds) add what they look at and how they judge."""

    kind_name: ClassVar[str]
    kind_title: ClassVar[str]

    id: str = Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$", description="规则编号（见 OBLIGATIONS.md），稳定不变")
    title: str = Field(description="义务的中文名称")
    where: str = Field(description="出处：报告的标题序号，如 一(四)4")
    citations: list[Citation] = Field(min_length=1, description="依据")
    severity: Literal["high", "medium", "low"] = Field(default="medium", description="严重程度")
    owner: str = Field(description="责任科室，如 法规科")
    remedy: str = Field(description="整改措施")
    description: str | None = Field(default=None, description="补充说明")
    params: dict[str, list[ParamValue]] = Field(default_factory=dict, description="参数：每个参数按生效日期列出取值")
    versions: list[RuleVersion] = Field(default_factory=list, description="规则版本，按生效日期")
    examples: list[Example] = Field(default_factory=list, description="案例：至少一个符合、一个不符合")

    @model_validator(mode="after")
    def _dates_in_order(self) -> "RuleBase":
        for name, values in self.params.items():
            if not values:
                raise ValueError(f"参数 {name} 没有取值")
            days = [v.from_ for v in values]
            if days != sorted(days) or len(set(days)) != len(days):
                raise ValueError(f"参数 {name} 的生效日期应严格递增")
        days = [v.from_ for v in self.versions]
        if days != sorted(days) or len(set(days)) != len(days):
            raise ValueError("versions 的生效日期应严格递增")
        return self

    # --- parameters and versions -------------------------------------------------

    def params_at(self, day: dt.date) -> dict[str, Any]:
        """Each parameter's value in force on ``day`` (the earliest value if ``day`` precedes them all)."""
        out: dict[str, Any] = {}
        for name, values in self.params.items():
            chosen = values[0]
            for v in values:
                if v.from_ <= day:
                    chosen = v
            out[name] = chosen.value
        return out

    def version_at(self, day: dt.date) -> str | None:
        chosen = None
        for v in self.versions:
            if v.from_ <= day:
                chosen = v.version
        return chosen if chosen is not None else (self.versions[0].version if self.versions else None)

    def segments(self) -> list[Segment]:
        """Stretches of time over which parameters and version are constant."""
        cuts = sorted({v.from_ for vals in self.params.values() for v in vals[1:]} | {v.from_ for v in self.versions[1:]})
        bounds = [FAR_PAST, *cuts, FAR_FUTURE]
        return [
            Segment(start=a, end=b, params=self.params_at(a if a > FAR_PAST else FAR_PAST), version=self.version_at(a))
            for a, b in zip(bounds, bounds[1:])
        ]

    def params_used(self) -> set[str]:
        """Parameters the kind-specific part refers to; lint compares them with ``params``."""
        return set()

    def selectors(self) -> list[Selector]:
        return []

    # --- evaluation: each kind implements these -----------------------------------

    def subject_facts(self, ctx: Context) -> list[dict[str, Any]]:
        """Facts this rule makes for itself (a trigger with its due date, a period): none by default."""
        return []

    def conditions_on(self, selector: Selector) -> list[Condition]:
        """Every condition this rule tests on the records of ``selector`` (its ``when`` and more, by kind)."""
        return list(selector.when)

    def add_working_day_keys(self, facts: dict[str, list[dict[str, Any]]]) -> None:
        """Put on the facts the working-day sums that conditions with ``working: true`` compare against."""
        for selector in self.selectors():
            conds = [c for c in self.conditions_on(selector) if c.working]
            if not conds:
                continue
            for rtype, items in facts.items():
                if rtype == selector.record or rtype.startswith(selector.record + "@"):
                    for fact in items:
                        add_working_keys(fact, conds, self.params_at(from_daynum(fact[selector.date_field])))

    def plans(self, ctx: Context) -> list["ActionPlan"]:
        """What the engine is asked to match for this rule."""
        raise NotImplementedError

    def oracle(self, ctx: Context, facts: dict[str, list[dict[str, Any]]]) -> Matches:
        """The same matches as ``plans`` would give, computed in plain Python."""
        raise NotImplementedError

    def judge(self, ctx: Context, matches: Matches) -> list[Finding]:
        """Findings from the matches."""
        raise NotImplementedError

    # --- helpers for the kinds ---------------------------------------------------

    def finding(self, status: Status, **kw: Any) -> Finding:
        return Finding(rule_id=self.id, status=status, where=self.where, title=self.title, **kw)

    def not_applicable(self, message: str) -> list[Finding]:
        return [self.finding(Status.not_applicable, message=message)]

    def action(self, name: str) -> str:
        return f"{self.id}|{name}"
