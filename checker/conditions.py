"""The comparison language of rules: tests on a record's own fields, as data.

A condition is ``{field, op, value | other}``, where ``value`` is a constant or
``{param: name}``. It is evaluated two ways that must agree: compiled into engine tests
(``engine_tests``) and checked directly in Python (``holds``), the oracle. Semantics: a test on
a field the record lacks is false, except ``missing``; comparing with ``other`` compares two
fields of the same record.

Each operator is one entry of ``OPERATORS``: its Chinese words, what operand it takes, its
oracle and its engine compilation. Adding an operator is adding an entry there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, WithJsonSchema, model_validator

from . import engine
from .dates import from_daynum, to_daynum
from .facts import fact_key, fact_value
from .params import Constant, Offset, ParamRef, Quantity, resolve
from .records.base import LEDGERS, StrictModel, distinct_count
from .validation import Invalid, suggest
from .workdays import add_calendar_days, add_working_days

__all__ = ["OPERATORS", "Condition", "Operator", "add_working_keys", "display_value", "encode_constant", "field_label", "show_value", "working_key"]


@dataclass(frozen=True)
class Operator:
    """One comparison: how it reads in Chinese, what it compares with, and how each side decides it.

    ``holds(left, right)`` is the oracle for a present field; ``compile(key, right)`` gives the
    engine tests, several meaning "any of these" (compiled as separate engine rules, never
    ``$or``, notes r14).
    """

    zh: str
    operand: Literal["none", "one", "list"]
    holds: Callable[[Any, Any], bool]
    compile: Callable[[str, Any], list[engine.Test]]
    zh_dates: str | None = None
    with_other: bool = True


def _compare(op: str) -> Callable[[str, Any], list[engine.Test]]:
    return lambda key, right: [engine.compare(key, op, right)]


OPERATORS: dict[str, Operator] = {
    "==": Operator("等于", "one", lambda a, b: bool(a == b), _compare("==")),
    "!=": Operator("不等于", "one", lambda a, b: bool(a != b), _compare("!=")),
    "<": Operator("小于", "one", lambda a, b: bool(a < b), _compare("<"), zh_dates="早于"),
    "<=": Operator("不大于", "one", lambda a, b: bool(a <= b), _compare("<="), zh_dates="不晚于"),
    ">": Operator("大于", "one", lambda a, b: bool(a > b), _compare(">"), zh_dates="晚于"),
    ">=": Operator("不少于", "one", lambda a, b: bool(a >= b), _compare(">="), zh_dates="不早于"),
    "in": Operator("属于", "list", lambda a, b: a in b, lambda key, right: [engine.compare(key, "==", v) for v in right], with_other=False),
    "not_in": Operator("不属于", "list", lambda a, b: a not in b, lambda key, right: [engine.none_of(key, right)], with_other=False),
    "exists": Operator("已填写", "none", lambda a, b: True, lambda key, right: [engine.present(key)]),
    "missing": Operator("未填写", "none", lambda a, b: False, lambda key, right: [engine.absent(key)]),
    "contains": Operator("包含", "one", lambda a, b: isinstance(a, list) and b in a,
                         lambda key, right: [engine.has_item(key, right)], with_other=False),
    "contains_other_than": Operator("包含以下之外的项", "list", lambda a, b: isinstance(a, list) and any(i not in b for i in a),
                                    lambda key, right: [engine.has_item_outside(key, right)], with_other=False),
}


def _known_op(value: str) -> str:
    if value not in OPERATORS:
        raise Invalid("invalid-choice", f"未知的比较方式 {value!r}：可选 {'、'.join(OPERATORS)}", suggest(value, OPERATORS))
    return value


Op = Annotated[str, AfterValidator(_known_op), WithJsonSchema({"type": "string", "enum": list(OPERATORS)})]


class Condition(StrictModel):
    """One test on a record field. ``value`` is a constant or a rule parameter, ``other`` another field."""

    zh = "条件：对记录某一字段的检验，比较对象为常量或参数（value）、或同一记录的另一字段（other）二者之一"
    quantity_keys: ClassVar[dict[str, str]] = {"param": "value", "offset_param": "offset"}

    field: str = Field(description="被检查的记录字段")
    op: Op = Field(description="比较方式")
    value: Constant | ParamRef | None = Field(default=None, description="常量，或 {param: 参数名}")
    other: str | None = Field(default=None, description="同一记录的另一字段")
    offset: Quantity(Offset, "加数") | None = Field(default=None, description="与 other 合用：另一字段加上的天数或数值（或 {param: 参数名}）")  # type: ignore[valid-type]
    working: Quantity(bool, "加数是否按工作日计") = Field(  # type: ignore[valid-type]
        default=False,
        description="与 other、offset 合用：true 为加数按工作日计（国务院节假日安排，含调休）；{param: 参数名} 按记录日期现行的取值切换"
        "计日方式（法律修改了计日规则时用）：true 为工作日，false 为按日历日计算的法定期间（开始的当日不计入，最后一日为法定休假日的"
        "顺延至休假日后第一个工作日，民法典第二百零一条、第二百零三条）；不填或 false 为直接加上天数",
    )

    @model_validator(mode="after")
    def _one_operand(self) -> Condition:
        operator = OPERATORS[self.op]
        given = [n for n in ("value", "other") if getattr(self, n) is not None]
        if operator.operand == "none":
            if given:
                raise Invalid("extra-operand", f"op {self.op} 不带比较对象，却给了 {given[0]}")
        elif len(given) != 1:
            raise Invalid("operand-count", "value 与 other 必须且只能给一个")
        if self.offset is not None and self.other is None:
            raise Invalid("offset-without-other", "offset 只能与 other 合用")
        if self.working is not False and self.offset is None:
            raise Invalid("working-without-offset", "working 只能与 other 及 offset 合用")
        if self.other is not None and not operator.with_other:
            raise Invalid("other-not-allowed", f"op {self.op} 不能与 other 合用")
        if operator.operand == "list" and self.value is not None and not isinstance(self.value, (list, ParamRef)):
            raise Invalid("wrong-type", f"op {self.op} 的 value 应为列表")
        return self

    @property
    def operator(self) -> Operator:
        return OPERATORS[self.op]

    def describe(self, ledger: str, params: dict[str, Any] | None = None) -> str:
        """The test in Chinese, for messages and for ``rules show``; ``params`` may hold display values."""
        label = field_label(ledger, self.field)
        operator = self.operator
        words = operator.zh_dates if operator.zh_dates and _is_date(ledger, self.field) else operator.zh
        if operator.operand == "none":
            return f"{label}{operator.zh}"
        if self.other is not None:
            rhs = field_label(ledger, self.other)
            add = self.offset if not isinstance(self.offset, ParamRef) else (params or {}).get(self.offset.param, self.offset.param)
            if add:
                counting = self._counting(params or {})
                rhs += {"working": f" 加 {add} 个工作日", "calendar": f" 加 {add} 日（末日为法定休假日的顺延）"}.get(counting, f" 加 {add}")
        elif isinstance(self.value, ParamRef):
            rhs = show_value((params or {}).get(self.value.param, f"参数 {self.value.param}"))
        else:
            rhs = show_value(self.value)
        if isinstance(self.value, bool) and self.op in ("==", "!="):
            return f"{label}应为{show_value(self.value if self.op == '==' else not self.value)}"
        return f"{label}{words} {rhs}"

    def _right(self, ledger: str, params: dict[str, Any]) -> Any:
        return encode_constant(ledger, self.field, resolve(self.value, params))

    def _offset(self, params: dict[str, Any]) -> int:
        return int(resolve(self.offset, params) or 0)

    def _counting(self, params: dict[str, Any]) -> Literal["plain", "working", "calendar"]:
        """How ``offset`` is added: plain days, working days, or a legal period in calendar days.

        A ``working`` given by parameter is a day count the law itself defines, whose reading changed
        with a version of the law (二日: calendar days under the 1996 行政处罚法, working days under the
        2021 law's 第八十五条); its ``false`` is therefore counted as the law counts calendar periods.
        """
        if isinstance(self.working, ParamRef):
            value = params.get(self.working.param)
            value = {"是": True, "否": False}.get(value, value) if isinstance(value, str) else value  # show_value's words
            if not isinstance(value, bool):
                return "plain"
            return "working" if value else "calendar"
        return "working" if self.working else "plain"

    def shifted(self, base: int, params: dict[str, Any]) -> int:
        """``other``'s day number plus the offset, counted as this condition counts days."""
        counting = self._counting(params)
        if counting == "working":
            return to_daynum(add_working_days(from_daynum(base), self._offset(params))[0])
        if counting == "calendar":
            return to_daynum(add_calendar_days(from_daynum(base), self._offset(params))[0])
        return base + self._offset(params)

    def holds(self, fact: dict[str, Any], ledger: str, params: dict[str, Any]) -> bool:
        """The oracle: does ``fact`` pass? Plain Python, independent of the engine."""
        key = fact_key(self.field)
        if self.op == "missing":
            return key not in fact
        if key not in fact:
            return False
        right: Any
        if self.other is not None:
            if fact_key(self.other) not in fact:
                return False
            right = self.shifted(fact[fact_key(self.other)], params)
        elif self.operator.operand == "none":
            right = None
        else:
            right = self._right(ledger, params)
        return self.operator.holds(fact[key], right)

    def engine_tests(self, ledger: str, params: dict[str, Any], alias: str, self_alias: str) -> list[engine.Test]:
        """Engine tests; several mean "any of these".

        ``alias`` names the pattern the test sits in. A comparison with ``other`` sits in a second
        pattern (``self_alias``) that binds the record's shadow copy joined on the record id,
        because a test that refers to its own pattern gives wrong answers (measured: ``a <= s.b``
        inside ``s`` matched a=6, b=5) and one fact cannot bind two patterns of a rule.
        """
        key = fact_key(self.field)
        if self.other is not None:
            if self.working is not False:  # counted on the calendar before the engine runs (add_working_keys)
                right: Any = engine.ref(self_alias, working_key(self))
            else:
                right = engine.ref(self_alias, fact_key(self.other), self._offset(params))
            return self.operator.compile(key, right)
        right = None if self.operator.operand == "none" else self._right(ledger, params)
        return self.operator.compile(key, right)


def _is_date(ledger: str, field: str) -> bool:
    model = LEDGERS.get(ledger)
    info = model.model_fields.get(field) if model else None
    return info is not None and "date" in str(info.annotation)


def show_value(value: Any) -> str:
    """A value as a person reads it: 是/否 for booleans, dates as dates, lists joined with 、."""
    if isinstance(value, list):
        return "、".join(show_value(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def field_label(ledger: str, field: str) -> str:
    model = LEDGERS.get(ledger)
    if model is not None:
        base = field[: -len("_count")] if field.endswith("_count") else field
        info = model.model_fields.get(base)
        if info is not None and info.title:
            return info.title + ("数" if base != field else "")
    return field


def encode_constant(ledger: str, field: str, value: Any) -> Any:
    """A rule constant in the engine's encoding: money in yuan becomes fen, dates day numbers."""
    if isinstance(value, list):
        return [encode_constant(ledger, field, v) for v in value]
    model = LEDGERS.get(ledger)
    info = model.model_fields.get(field) if model else None
    if info is not None and "Decimal" in str(info.annotation) and isinstance(value, (int, float)) and not isinstance(value, bool):
        return int((Decimal(str(value)) * 100).to_integral_value())
    return fact_value(value)


def working_key(cond: Condition) -> str:
    """The fact key holding ``other`` plus the offset in working days, computed before the engine runs.

    The engine cannot count working days, so (as with deadlines' due dates) the calendar is
    applied in Python and the engine compares integers.
    """
    offset = cond.offset.param if isinstance(cond.offset, ParamRef) else cond.offset
    mode = f"@{cond.working.param}" if isinstance(cond.working, ParamRef) else ""
    return f"{fact_key(cond.other or '')}+wd{mode}:{offset}"


def add_working_keys(fact: dict[str, Any], conditions: list[Condition], params: dict[str, Any]) -> None:
    """``params`` are those in force on the record's own date: a record is counted by the law of its day."""
    for cond in conditions:
        if cond.working is not False and cond.other and fact_key(cond.other) in fact:
            fact[working_key(cond)] = cond.shifted(fact[fact_key(cond.other)], params)


def display_value(record: Any, field: str) -> str:
    """A record field as a person reads it: dates as dates, money in yuan, lists joined."""
    if field.endswith("_count") and isinstance(getattr(record, field[: -len("_count")], None), list):
        return str(distinct_count(getattr(record, field[: -len("_count")])))
    value = getattr(record, field, None)
    if value is None:
        return "未填写"
    if value == []:
        return "（空）"
    return show_value(value)
