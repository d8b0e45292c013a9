"""The rule language: what every rule has, whatever its kind.

A rule is one legal obligation as data: its id (from OBLIGATIONS.md), the clause it comes
from, dated parameters, and the cases that show it working. The kind-specific part (what
records it looks at and how) lives in ``checker/kinds``; each kind is one class registered
once, carrying everything the program knows about it (see ``KIND_PARTS``), and the kinds
together form a discriminated union on ``kind``.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise, product
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, Field, field_validator

from . import engine
from .conditions import Condition, add_working_keys
from .context import Context, Matches
from .dates import Day, from_daynum, to_daynum
from .facts import KEY
from .findings import Finding, JudgedStatus, Status
from .params import ParamRef, ParamValue, value_in_force
from .records.base import LEDGERS, StrictModel
from .validation import Invalid, suggest

if TYPE_CHECKING:
    from .engine import ActionPlan

__all__ = [
    "KIND_PARTS",
    "SEVERITY_ZH",
    "Citation",
    "Example",
    "FieldPath",
    "RuleBase",
    "RuleVersion",
    "Segment",
    "Selector",
    "missing_parts",
    "models_in",
    "models_reachable",
    "param_refs",
]

SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
"""How reports and explanations name a rule's severity."""

FAR_PAST = dt.date(1900, 1, 1)
FAR_FUTURE = dt.date(2999, 12, 31)


class Citation(StrictModel):
    """Where an obligation comes from. ``policy: true`` marks the bureau's or locality's own rule, not law."""

    zh = "依据：法律、法规或规范性文件及条款；本单位政策须标明 policy: true"

    source: str = Field(description="法律、法规或规范性文件名称，如《中华人民共和国行政处罚法》")
    article: str | None = Field(default=None, description="条款，如 第四十二条")
    quote: str | None = Field(default=None, description="原文摘录")
    policy: bool = Field(default=False, description="为本单位或地方政策而非法律时填 true")
    law: str | None = Field(
        default=None,
        description="所引法律在 rules/laws/ 中的文件名（不含 .yaml），如 statistics-law；"
        "填写后须同时填 version 和 article，原文摘录须与所存条文逐字一致（不计空白）",
    )
    version: str | None = Field(default=None, description="所引法律的版本标签，如 \"2024\"（见 rules/laws/ 该法文件的 versions）")
    paraphrase: bool = Field(default=False, description="摘录为大意、并非原文时填 true：不核对原文，显示时不加引号并注明（大意）")

    def text(self) -> str:
        """The citation as every report, catalogue and explanation prints it: a quote is a whole sentence.

        A paraphrase is shown as a summary, marked （大意） and without quotation marks."""
        text = self.source
        if self.article:
            text += self.article if self.source.endswith(("》", "）", ")")) else f" {self.article}"
        if self.quote:
            quote = self.quote if self.quote.endswith(("。", "！", "？", "；", "…")) else self.quote + "。"
            text += f"（大意）：{quote}" if self.paraphrase else f"：“{quote}”"
        if self.policy and "政策" not in self.source:
            text += "（本单位或地方政策，非法律规定）"
        return text


class RuleVersion(StrictModel):
    """A version of the rule in force from a date (e.g. the 2021 revision of the 行政处罚法).

    A record or period is judged by the version in force at its own date, and the finding names it.
    """

    zh = "规则版本：自生效日期起适用；每条结论注明据以判定的版本"

    version: str = Field(description="版本标识，如 2021")
    from_: Day = Field(alias="from", description="生效日期")
    citations: list[Citation] = Field(default_factory=list, description="本版本的依据（替代规则的 citations）")
    note: str | None = Field(default=None, description="与前一版本的区别")


class Example(StrictModel):
    """A named case: records in, the rule's findings out. Fails on a missing or an unexpected finding."""

    zh = "案例：输入的台账记录、检查日期和期望结论；缺少或多出结论都算失败"

    name: str = Field(description="用一句话说明案例，如 两名执法人员的检查符合要求")
    as_of: Day = Field(description="检查日期")
    ledgers_from: Day | None = Field(default=None, description="台账起始日期，默认 as_of 当年 1 月 1 日")
    staff: list[dict[str, Any]] = Field(default_factory=list, description="人员（同 profile.yaml 的 staff）")
    records: dict[str, list[dict[str, Any]]] = Field(default_factory=dict, description="按台账列出的记录")
    not_provided: list[str] = Field(
        default_factory=list, description="未提交的台账（检验缺少台账时结论为 unknown）；未列出的台账视为已提交"
    )
    expect: dict[str, JudgedStatus] = Field(description="期望的结论：主体编号或期间 → 状态")


@dataclass(frozen=True)
class FieldPath:
    """Where a rule names a record field, and whose ledger that field is in.

    ``path`` steps are keys; ``*`` is every item of a list, ``<key>`` every key of a mapping and
    ``<value>`` every value. ``ledger_of`` is the selector key whose ledger holds the field (empty:
    the selector the path is declared on). A ``condition`` path leads to conditions, whose
    ``field`` and ``other`` are both checked (and may name ``<list>_count``, never ``id``);
    ``not_fields`` are names allowed that are not fields (``id`` for the record id).
    """

    path: tuple[str, ...]
    ledger_of: str = ""
    condition: bool = False
    not_fields: tuple[str, ...] = ()


class Selector(StrictModel):
    """Which records of one ledger a rule looks at."""

    zh = "记录筛选：规则查看哪一台账的哪些记录"
    renamed: ClassVar[dict[str, str]] = {"record": "ledger"}
    field_paths: ClassVar[tuple[FieldPath, ...]] = ()
    """Fields this selector names on its own ledger, beyond the conditions of ``when``."""

    ledger: str = Field(description="台账，如 fine")
    when: list[Condition] = Field(default_factory=list, description="筛选条件（全部满足）")

    @field_validator("ledger")
    @classmethod
    def _known_ledger(cls, value: str) -> str:
        if value not in LEDGERS:
            raise Invalid("unknown-ledger", f"未知的台账类型 {value!r}", suggest(value, LEDGERS))
        return value

    @property
    def date_field(self) -> str:
        return LEDGERS[self.ledger].date_field

    def passes(self, fact: dict[str, Any], params: dict[str, Any], conditions: list[Condition] | None = None) -> bool:
        """Oracle: does the fact pass ``when`` (and the extra conditions)?"""
        return all(c.holds(fact, self.ledger, params) for c in [*self.when, *(conditions or [])])

    def patterns(
        self,
        alias: str,
        params: dict[str, Any],
        conditions: list[Condition] | None = None,
        extra: list[engine.Test] | None = None,
        fact_type: str | None = None,
    ) -> list[list[engine.Pattern]]:
        """Engine patterns for this selector: alternatives, each a list of one or two patterns.

        The second pattern appears only for field-to-field comparisons: it binds the record's
        shadow copy (see ``checker.engine.SELF_SUFFIX``), since one fact cannot bind two patterns.
        ``fact_type`` overrides the fact type, for the per-rule subject facts the kinds make.
        """
        conds = [*self.when, *(conditions or [])]
        own = [c for c in conds if c.other is None]
        cross = [c for c in conds if c.other is not None]
        self_alias = alias + "_self"
        own_choices = product(*[c.engine_tests(self.ledger, params, alias, alias) for c in own])
        cross_tests = [c.engine_tests(self.ledger, params, self_alias, alias)[0] for c in cross]
        typ = fact_type or self.ledger
        out: list[list[engine.Pattern]] = []
        for choice in own_choices:
            patterns = [engine.pattern(alias, [engine.is_type(typ), *choice, *(extra or [])])]
            if cross_tests:
                join = engine.compare(KEY, "==", engine.ref(alias, KEY))
                patterns.append(engine.pattern(self_alias, [engine.is_type(typ + engine.SELF_SUFFIX), join, *cross_tests]))
            out.append(patterns)
        return out


class Segment(StrictModel):
    """A stretch of time with one set of parameter values and one rule version."""

    start: dt.date
    end: dt.date  # exclusive
    params: dict[str, Any]
    version: str | None = None

    def date_tests(self, field: str) -> list[engine.Test]:
        tests: list[engine.Test] = []
        if self.start > FAR_PAST:
            tests.append(engine.compare(field, ">=", to_daynum(self.start)))
        if self.end < FAR_FUTURE:
            tests.append(engine.compare(field, "<", to_daynum(self.end)))
        return tests


class RuleBase(StrictModel):
    """Fields every rule has. Subclasses (the kinds) add what they look at and how they judge.

    A kind is complete when it has every part of ``KIND_PARTS``; ``checker.kinds.kind`` refuses
    to register one that lacks any.
    """

    kind_name: ClassVar[str]
    kind_title: ClassVar[str]
    skeleton: ClassVar[str] = ""
    """The body of a ``rules new`` skeleton of this kind: a working rule, commented, with （待填写…） to replace."""
    field_paths: ClassVar[tuple[FieldPath, ...]] = ()
    """Where the kind names record fields outside its selectors (``require``, ``link``, ``measures``…)."""
    renamed: ClassVar[dict[str, str]] = {"where": "heading"}
    subject_key: ClassVar[str | None] = None
    """The selector whose records are this kind's subjects, one finding each (``trigger``), if any."""

    id: str = Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$", description="规则编号（见 OBLIGATIONS.md），稳定不变")
    title: str = Field(description="义务的中文名称")
    heading: str = Field(description="出处：年度报告提纲的标题序号，如 一(四)4")
    citations: list[Citation] = Field(min_length=1, description="依据")
    severity: Literal["high", "medium", "low"] = Field(default="medium", description="严重程度")
    owner: str = Field(description="责任科室，如 法规科")
    remedy: str = Field(description="整改措施")
    rectify_within_days: int | None = Field(
        default=None, ge=1, le=366,
        description="整改时限：自检查日起的天数；不写则按严重程度取报告设置（report.yaml 的 deadlines）或默认值",
    )
    description: str | None = Field(default=None, description="补充说明")
    params: dict[str, list[ParamValue]] = Field(default_factory=dict, description="参数：每个参数按生效日期列出取值")
    versions: list[RuleVersion] = Field(default_factory=list, description="规则版本，按生效日期")
    examples: list[Example] = Field(default_factory=list, description="案例：至少一个符合、一个不符合")

    # --- what the kind is made of ----------------------------------------------------

    @classmethod
    def selector_keys(cls) -> dict[str, type[Selector]]:
        """The kind's selector fields (``trigger``, ``evidence``…) and their selector classes, in field order."""
        out: dict[str, type[Selector]] = {}
        for name, info in cls.model_fields.items():
            found = _selector_class(info.annotation)
            if found is not None:
                out[name] = found
        return out

    @classmethod
    def all_field_paths(cls) -> list[FieldPath]:
        """Every place a rule of this kind names a record field, for the validator."""
        out: list[FieldPath] = []
        for key, selector in cls.selector_keys().items():
            out.append(FieldPath((key, "when", "*"), key, condition=True))
            out += [FieldPath((key, *p.path), p.ledger_of or key, p.condition, p.not_fields) for p in selector.field_paths]
        return out + list(cls.field_paths)

    def selectors(self) -> list[Selector]:
        found = (getattr(self, key) for key in self.selector_keys())
        return [s for s in found if isinstance(s, Selector)]

    @property
    def ledgers_read(self) -> list[str]:
        """Every ledger this rule reads, subjects first: without one of them it cannot judge."""
        return list(dict.fromkeys(s.ledger for s in self.selectors()))

    @property
    def subject_ledger(self) -> str | None:
        """The ledger whose records are this rule's subjects (a fine for its remittance), if any."""
        selector = getattr(self, self.subject_key, None) if self.subject_key else None
        return selector.ledger if isinstance(selector, Selector) else None

    # --- parameters and versions -------------------------------------------------

    def params_at(self, day: dt.date) -> dict[str, Any]:
        """Each parameter's value in force on ``day`` (the earliest value if ``day`` precedes them all)."""
        return {name: value_in_force(values, day)[0].value for name, values in self.params.items()}

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
        return [Segment(start=a, end=b, params=self.params_at(a), version=self.version_at(a)) for a, b in pairwise(bounds)]

    def params_used(self) -> set[str]:
        """Parameters the rule refers to, wherever it does (``{param: name}`` anywhere in its logic)."""
        return {ref.param for _, ref, _ in param_refs(self)}

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
            for fact_type, items in facts.items():
                if fact_type == selector.ledger or fact_type.startswith(selector.ledger + "@"):
                    for fact in items:
                        add_working_keys(fact, conds, self.params_at(from_daynum(fact[selector.date_field])))

    def plans(self, ctx: Context) -> list[ActionPlan]:
        """What the engine is asked to match for this rule."""
        raise NotImplementedError

    def oracle(self, ctx: Context, facts: dict[str, list[dict[str, Any]]]) -> Matches:
        """The same matches as ``plans`` would give, computed in plain Python."""
        raise NotImplementedError

    def judge(self, ctx: Context, matches: Matches) -> list[Finding]:
        """Findings from the matches."""
        raise NotImplementedError

    def requirement(self, params: dict[str, Any]) -> str:
        """What the rule requires, in one or two Chinese sentences, with these parameter values (``rules show``)."""
        raise NotImplementedError

    # --- helpers for the kinds ---------------------------------------------------

    def finding(self, status: Status, **kw: Any) -> Finding:
        return Finding(rule_id=self.id, status=status, heading=self.heading, title=self.title, **kw)

    def not_applicable(self, message: str) -> list[Finding]:
        return [self.finding(Status.not_applicable, message=message)]

    def action(self, name: str) -> str:
        return f"{self.id}|{name}"

    def subject_type(self, ledger: str) -> str:
        """The fact type of this rule's own subjects made from ``ledger``'s records."""
        return f"{ledger}@{self.id}"


KIND_PARTS: dict[str, str] = {
    "plans": "engine plans (what the engine is asked to match)",
    "oracle": "the plain-Python oracle of the same matches",
    "judge": "the judge (findings from matches)",
    "requirement": "the plain-Chinese explanation for rules show",
    "skeleton": "the commented skeleton for rules new",
    "kind_title": "a Chinese title",
    "zh": "the Chinese description of each model it uses, for the schema",
}
"""What a kind must bring; a kind missing any of them is refused when the program starts."""


def missing_parts(cls: type[RuleBase]) -> list[str]:
    """The parts of ``KIND_PARTS`` that ``cls`` lacks (an empty list for a complete kind)."""
    missing = [name for name in ("plans", "oracle", "judge", "requirement") if getattr(cls, name) is getattr(RuleBase, name)]
    if not cls.skeleton.strip():
        missing.append("skeleton")
    if not getattr(cls, "kind_title", ""):
        missing.append("kind_title")
    undescribed = sorted(m.__name__ for m in models_reachable(cls) if m is not cls and not getattr(m, "zh", ""))
    if undescribed:
        missing.append("zh (" + ", ".join(undescribed) + ")")
    return missing


def models_reachable(cls: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[type[BaseModel]]:
    """Every model reachable from ``cls``'s fields (nested selectors, conditions, measures…)."""
    seen = set() if seen is None else seen
    for info in cls.model_fields.values():
        for model in models_in(info.annotation):
            if model not in seen and not issubclass(model, RuleBase):
                seen.add(model)
                models_reachable(model, seen)
    return seen


def models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The models an annotation names, through unions, lists and mappings."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from models_in(arg)


def _selector_class(annotation: Any) -> type[Selector] | None:
    return next((m for m in models_in(annotation) if issubclass(m, Selector)), None)


def param_refs(model: BaseModel, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], ParamRef, Any]]:
    """Every ``{param: name}`` in a validated rule: where it is, the reference, and the model field holding it."""
    for name, info in type(model).model_fields.items():
        if name in ("params", "versions", "examples", "citations"):
            continue
        yield from _refs_in(getattr(model, name), (*path, info.alias or name), (model, name))


def _refs_in(value: Any, path: tuple[Any, ...], owner: Any) -> Iterator[tuple[tuple[Any, ...], ParamRef, Any]]:
    if isinstance(value, ParamRef):
        yield path, value, owner
    elif isinstance(value, BaseModel):
        yield from param_refs(value, path)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _refs_in(item, (*path, i), owner)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _refs_in(item, (*path, key), owner)

