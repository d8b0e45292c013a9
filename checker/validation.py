"""Pydantic errors rendered for people: Chinese, located, with the nearest valid name suggested."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .yamlsrc import position_of

__all__ = ["Invalid", "known_fields", "problems_from", "suggest"]


class Invalid(ValueError):
    """A model's own check failed: the message for people, a stable code, and the nearest valid name.

    Raised inside pydantic validators; ``problems_from`` finds it in the error and keeps all three.
    """

    def __init__(self, code: str, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.suggestion = suggestion


def suggest(name: str, known: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def known_fields(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def _model_at(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """Follow an error location through nested models to the model that owns its last key."""
    current = model
    for step in loc[:-1]:
        if current is None:
            return None
        field = current.model_fields.get(str(step)) if isinstance(step, str) else None
        if field is None:
            continue
        current = _inner_model(field.annotation)
    return current


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


_CODES = {
    "missing": "missing-field",
    "extra_forbidden": "unknown-key",
    "literal_error": "invalid-choice",
    "enum": "invalid-choice",
    "union_tag_invalid": "unknown-kind",
    "union_tag_not_found": "missing-field",
    "string_pattern_mismatch": "bad-format",
    "too_short": "too-few",
    "too_long": "too-many",
    "greater_than_equal": "out-of-range",
    "greater_than": "out-of-range",
    "less_than_equal": "out-of-range",
    "less_than": "out-of-range",
}
"""Stable problem codes for pydantic's error types; type errors are all ``wrong-type``."""

_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为金额数字",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "date_from_datetime_parsing": "应为日期",
    "date_parsing": "应为日期",
    "date_type": "应为日期",
    "greater_than_equal": "数值过小",
    "greater_than": "数值过小",
    "less_than_equal": "数值过大",
    "less_than": "数值过大",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字（不能是无穷大或非数）",
    "bool_type": "应为 true 或 false",
    "int_from_float": "应为整数",
    "string_pattern_mismatch": "格式不符",
    "string_too_short": "不能为空",
    "too_short": "项数不足",
    "too_long": "项数过多",
    "union_tag_invalid": "取值不在允许范围内",
    "union_tag_not_found": "缺少区分字段",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
}


def problems_from(
    exc: ValidationError,
    file: str,
    doc: Any = None,
    model: type[BaseModel] | None = None,
    record: str | None = None,
    loc_prefix: tuple[Any, ...] = (),
) -> list[Problem]:
    """One Problem per pydantic error, with the line and column found in ``doc``."""
    out: list[Problem] = []
    for err in _merge_union_branches(_quantity_branch(exc.errors(include_url=False))):
        loc = tuple(err["loc"])
        line, column = position_of(doc, loc) if doc is not None else (None, None)
        field = ".".join(str(s) for s in loc_prefix + loc) or None
        kind = err["type"]
        message = _MESSAGES.get(kind, "")
        code = _CODES.get(kind, "wrong-type" if kind.endswith(("_type", "_parsing")) or kind == "union_type" else "invalid-value")
        hint: str | None = None
        ctx = err.get("ctx") or {}
        if kind == "extra_forbidden":
            owner = _model_at(model, loc)
            hint = suggest(str(loc[-1]), known_fields(owner)) if owner else None
        elif kind in ("literal_error", "enum"):
            message += f"：可选 {_choices(str(ctx.get('expected', '')))}，实为 {err.get('input')!r}"
        elif kind == "union_type":
            message = f"类型不符：应为{'、'.join(ctx['members'])}之一" + _found(err.get("input"))
        elif kind == "string_pattern_mismatch" and field and field.split(".")[-1] == "id":
            message += f"：应为小写字母、数字和连字符，以点分段（如 enforcement.two-officers），实为 {err.get('input')!r}"
        elif kind in ("too_short", "too_long"):
            limit = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
            message += f"：{'至少' if kind == 'too_short' else '至多'} {limit} 项，实为 {ctx.get('actual_length')} 项"
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            bound = next(iter(ctx.values()), "")
            relation = {"greater_than_equal": "不小于", "greater_than": "大于", "less_than_equal": "不大于", "less_than": "小于"}[kind]
            message += f"：应{relation} {bound}" + _found(err.get("input"))
        elif kind == "union_tag_invalid":
            message += f"：可选 {ctx.get('expected_tags', '')}，实为 {ctx.get('tag', '')!r}"
        elif kind == "value_error":
            error = ctx.get("error")
            message = str(error if error is not None else err["msg"])
            if isinstance(error, Invalid):
                code, hint = error.code, error.suggestion
        elif kind == "missing":
            pass
        else:
            message = (message or err["msg"]) + _found(err.get("input"))
        out.append(Problem(file, message or err["msg"], line, column, record, field, code=code, suggestion=hint))
    return out


def _found(value: Any) -> str:
    if isinstance(value, Decimal):  # an amount as written (-5), not Python's Decimal('-5')
        return f"，实为 {value}"
    return f"，实为 {value!r}" if not isinstance(value, (dict, list)) else ""


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as a Chinese list: a、b、c."""
    quoted = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    return "、".join(quoted) if quoted else expected


_MEMBER_ZH = {"str": "文字", "int": "整数", "float": "数字", "bool": "true/false", "date": "日期", "decimal": "金额数字"}


def _member_name(step: Any) -> str | None:
    """The Chinese name of a union member as pydantic puts it in an error location, or None."""
    if not isinstance(step, str):
        return None
    if step in _MEMBER_ZH:
        return _MEMBER_ZH[step]
    if step.startswith("list["):
        return "列表"
    if step.startswith("dict["):
        return "映射（键: 值）"
    return None


_VALIDATOR_STEP = re.compile(r"^function-(before|after|wrap|plain)\[")


def _quantity_branch(errors: list[Any]) -> list[Any]:
    """For "a value or {param: name}", only the branch the writer meant: a mapping meant the parameter.

    pydantic reports a failing union once per member, each under the member's name in the path
    (``ParamRef``, ``function-before[...]``); those names are nobody's field, so they are dropped.
    """
    refs = {tuple(e["loc"][: e["loc"].index("ParamRef")]) for e in errors if "ParamRef" in e["loc"]}
    out = []
    for err in errors:
        loc = tuple(err["loc"])
        owner = next((ref for ref in refs if loc[: len(ref)] == ref and len(loc) > len(ref)), None)
        if owner is not None:
            if (loc[len(owner)] == "ParamRef") != _input_is_mapping(errors, owner):
                continue
            loc = owner + loc[len(owner) + 1:]
        loc = tuple(step for step in loc if not (isinstance(step, str) and _VALIDATOR_STEP.match(step)))
        out.append({**err, "loc": loc})
    return out


def _input_is_mapping(errors: list[Any], owner: tuple[Any, ...]) -> bool:
    """Whether the value written at ``owner`` was a mapping (as the ParamRef branch saw it)."""
    for err in errors:
        loc = tuple(err["loc"])
        if loc[: len(owner) + 1] == (*owner, "ParamRef") and len(loc) == len(owner) + 1:
            return isinstance(err.get("input"), dict)
        if loc[: len(owner) + 1] == (*owner, "ParamRef"):
            return True  # an error inside the mapping: it was one
    return False


def _merge_union_branches(errors: list[Any]) -> list[Any]:
    """One error for a value that fits no member of a union (``str | int | list[...]``), not one per member.

    pydantic reports each member's type error separately, at the same place; a person needs
    one message listing what would have been accepted.
    """
    out: list[Any] = []
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        member = _member_name(loc[-1]) if loc else None
        is_type_error = err["type"].endswith(("_type", "_parsing")) or err["type"] == "value_error"
        if member is None or not is_type_error:
            out.append(err)
            continue
        group = groups.get(loc[:-1])
        if group is None:
            group = {"type": "union_type", "loc": loc[:-1], "msg": err["msg"], "input": err.get("input"), "ctx": {"members": []}}
            groups[loc[:-1]] = group
            out.append(group)
        if member not in group["ctx"]["members"]:
            group["ctx"]["members"].append(member)
    return [e if e["type"] != "union_type" or len(e["ctx"]["members"]) > 1 else _single(e, errors) for e in out]


def _single(group: dict[str, Any], errors: list[Any]) -> Any:
    """A "union" that had only one failing member is that member's own error."""
    return next(e for e in errors if tuple(e["loc"])[:-1] == group["loc"] and _member_name(tuple(e["loc"])[-1]))
