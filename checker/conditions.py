"""The comparison language of rules: tests on a record's own fields, as data.

A condition is ``{field, op, value | param | other}``. It is evaluated two ways that must
agree: compiled into durable-rules tests (``engine_tests``) and checked directly in Python
(``holds``), the oracle. Semantics: a test on a field the record lacks is false, except
``missing``; comparing with ``other`` compares two fields of the same record.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, model_validator

from .dates import from_daynum, to_daynum
from .records.base import RECORD_TYPES, StrictModel, fact_key, fact_value
from .workdays import add_working_days

__all__ = ["show_value", "add_working_keys", "working_key", "display_value", "Condition", "Scalar", "OPS", "holds", "engine_alternatives", "encode_constant"]

Scalar = str | int | float | bool | dt.date
Op = Literal["==", "!=", "<", "<=", ">", ">=", "in", "not_in", "exists", "missing", "contains", "contains_other_than"]
OPS: tuple[str, ...] = Op.__args__  # type: ignore[attr-defined]

_UNARY = {"exists", "missing"}
_LISTY = {"in", "not_in", "contains_other_than"}
_OP_ZH = {
    "==": "等于", "!=": "不等于", "<": "小于", "<=": "不大于", ">": "大于", ">=": "不少于",
    "in": "属于", "not_in": "不属于", "exists": "已填写", "missing": "未填写", "contains": "包含",
    "contains_other_than": "包含以下之外的项",
}


class Condition(StrictModel):
    """One test on a record field. ``value`` is a constant, ``param`` a rule parameter, ``other`` another field."""

    field: str = Field(description="被检查的记录字段")
    op: Op = Field(description="比较方式")
    value: Scalar | list[Scalar] | None = Field(default=None, description="常量")
    param: str | None = Field(default=None, description="规则参数名（按生效日期取值）")
    other: str | None = Field(default=None, description="同一记录的另一字段")
    offset: int | None = Field(default=None, description="与 other 合用：另一字段加上的天数或数值")
    offset_param: str | None = Field(default=None, description="与 other 合用：作为加数的参数名")
    working: bool = Field(default=False, description="与 other、offset 合用：加数按工作日计（国务院节假日安排，含调休）")

    @model_validator(mode="after")
    def _one_operand(self) -> "Condition":
        given = [n for n in ("value", "param", "other") if getattr(self, n) is not None]
        if self.op in _UNARY:
            if given:
                raise ValueError(f"op {self.op} 不带比较对象，却给了 {given[0]}")
        elif len(given) != 1:
            raise ValueError("value、param、other 三者必须且只能给一个")
        if (self.offset is not None or self.offset_param is not None) and self.other is None:
            raise ValueError("offset 只能与 other 合用")
        if self.working and self.offset is None and self.offset_param is None:
            raise ValueError("working 只能与 other 及 offset（或 offset_param）合用")
        if self.other is not None and self.op in _LISTY | {"contains"}:
            raise ValueError(f"op {self.op} 不能与 other 合用")
        if self.op in _LISTY and self.value is not None and not isinstance(self.value, list):
            raise ValueError(f"op {self.op} 的 value 应为列表")
        return self

    def params_used(self) -> set[str]:
        return {p for p in (self.param, self.offset_param) if p}

    def describe(self, rtype: str, params: dict[str, Any] | None = None) -> str:
        """The test in Chinese, for messages and for ``rules show``."""
        label = field_label(rtype, self.field)
        words = _DATE_OP_ZH if _is_date(rtype, self.field) else _OP_ZH
        if self.op in _UNARY:
            return f"{label}{_OP_ZH[self.op]}"
        if self.other is not None:
            rhs = field_label(rtype, self.other)
            add = self.offset if self.offset is not None else (params or {}).get(self.offset_param or "", self.offset_param)
            if add:
                rhs += f" 加 {add} 个工作日" if self.working else f" 加 {add}"
        elif self.param is not None:
            value = (params or {}).get(self.param, f"参数 {self.param}")
            rhs = show_value(value)
        else:
            rhs = show_value(self.value)
        if isinstance(self.value, bool) and self.op in ("==", "!="):
            return f"{label}应为{show_value(self.value if self.op == '==' else not self.value)}"
        return f"{label}{words.get(self.op, _OP_ZH[self.op])} {rhs}"


_DATE_OP_ZH = {"<": "早于", "<=": "不晚于", ">": "晚于", ">=": "不早于"}


def _is_date(rtype: str, field: str) -> bool:
    model = RECORD_TYPES.get(rtype)
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


def field_label(rtype: str, field: str) -> str:
    model = RECORD_TYPES.get(rtype)
    if model is not None:
        base = field[: -len("_count")] if field.endswith("_count") else field
        info = model.model_fields.get(base)
        if info is not None and info.title:
            return info.title + ("数" if base != field else "")
    return field


def encode_constant(rtype: str, field: str, value: Any) -> Any:
    """A rule constant in the engine's encoding: money in yuan becomes fen, dates day numbers."""
    if isinstance(value, list):
        return [encode_constant(rtype, field, v) for v in value]
    model = RECORD_TYPES.get(rtype)
    info = model.model_fields.get(field) if model else None
    if info is not None and "Decimal" in str(info.annotation) and isinstance(value, (int, float)) and not isinstance(value, bool):
        return int((Decimal(str(value)) * 100).to_integral_value())
    return fact_value(value)


def _operand(cond: Condition, rtype: str, params: dict[str, Any]) -> Any:
    raw = params[cond.param] if cond.param is not None else cond.value
    return encode_constant(rtype, cond.field, raw)


def _offset(cond: Condition, params: dict[str, Any]) -> int:
    if cond.offset_param is not None:
        return int(params[cond.offset_param])
    return cond.offset or 0


def holds(cond: Condition, fact: dict[str, Any], rtype: str, params: dict[str, Any]) -> bool:
    """The oracle: does ``fact`` pass ``cond``? Plain Python, independent of the engine."""
    key = fact_key(cond.field)
    if cond.op == "missing":
        return key not in fact
    if key not in fact:
        return False
    left = fact[key]
    if cond.op == "exists":
        return True
    if cond.other is not None:
        if fact_key(cond.other) not in fact:
            return False
        base = fact[fact_key(cond.other)]
        right: Any
        if cond.working:
            right = to_daynum(add_working_days(from_daynum(base), _offset(cond, params))[0])
        else:
            right = base + _offset(cond, params)
    else:
        right = _operand(cond, rtype, params)
    match cond.op:
        case "==":
            return bool(left == right)
        case "!=":
            return bool(left != right)
        case "<":
            return bool(left < right)
        case "<=":
            return bool(left <= right)
        case ">":
            return bool(left > right)
        case ">=":
            return bool(left >= right)
        case "in":
            return left in right
        case "not_in":
            return left not in right
        case "contains":
            return isinstance(left, list) and right in left
        case "contains_other_than":
            return isinstance(left, list) and any(item not in right for item in left)
    raise AssertionError(cond.op)


_ENGINE_OP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}


def engine_alternatives(
    cond: Condition, rtype: str, params: dict[str, Any], alias: str, self_alias: str
) -> list[dict[str, Any]]:
    """durable-rules tests for ``cond``; several alternatives mean "any of these" (never ``$or``, notes r14).

    ``alias`` names the pattern the test sits in. A comparison with ``other`` sits in a second
    pattern (``self_alias``) that binds the record's shadow copy joined on ``rid``, because a
    test that refers to its own pattern gives wrong answers (measured: ``a <= s.b`` inside
    ``s`` matched a=6, b=5) and one fact cannot bind two patterns of a rule.
    """
    f = fact_key(cond.field)
    if cond.op == "exists":
        return [{"$ex": {f: 1}}]
    if cond.op == "missing":
        return [{"$nex": {f: 1}}]
    if cond.other is not None:
        ref: Any = {self_alias: fact_key(cond.other)}
        if cond.working:
            ref = {self_alias: working_key(cond)}
        elif _offset(cond, params):
            ref = {"$add": {"$l": ref, "$r": _offset(cond, params)}}
        if cond.op == "==":
            return [{f: ref}]
        return [{_ENGINE_OP[cond.op]: {f: ref}}]
    value = _operand(cond, rtype, params)
    if cond.op == "==":
        return [{f: value}]
    if cond.op in _ENGINE_OP:
        return [{_ENGINE_OP[cond.op]: {f: value}}]
    if cond.op == "in":
        return [{f: v} for v in value]
    if cond.op == "not_in":
        return [{"$and": [{"$ex": {f: 1}}] + [{"$neq": {f: v}} for v in value]}]
    if cond.op == "contains":
        return [{"$iany": {f: {"$i": value}}}]
    if cond.op == "contains_other_than":
        return [{"$iany": {f: {"$and": [{"$neq": {"$i": v}} for v in value]}}}]
    raise AssertionError(cond.op)


def working_key(cond: Condition) -> str:
    """The fact key holding ``other`` plus the offset in working days, computed before the engine runs.

    The engine cannot count working days, so (as with deadlines' due dates) the calendar is
    applied in Python and the engine compares integers.
    """
    return f"{fact_key(cond.other or '')}+wd:{cond.offset_param or cond.offset}"


def add_working_keys(fact: dict[str, Any], conditions: list[Condition], params: dict[str, Any]) -> None:
    for cond in conditions:
        if cond.working and cond.other and fact_key(cond.other) in fact:
            due, _ = add_working_days(from_daynum(fact[fact_key(cond.other)]), _offset(cond, params))
            fact[working_key(cond)] = to_daynum(due)


def display_value(record: Any, field: str) -> str:
    """A record field as a person reads it: dates as dates, money in yuan, lists joined."""
    if field.endswith("_count") and isinstance(getattr(record, field[: -len("_count")], None), list):
        return str(len(getattr(record, field[: -len("_count")])))
    value = getattr(record, field, None)
    if value is None:
        return "未填写"
    if value == []:
        return "（空）"
    return show_value(value)
