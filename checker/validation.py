"""Pydantic errors rendered for people: Chinese, located, with the nearest valid name suggested."""

from __future__ import annotations

import difflib
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .yamlsrc import position_of

__all__ = ["problems_from", "suggest", "known_fields"]


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
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        line, column = position_of(doc, loc) if doc is not None else (None, None)
        field = ".".join(str(s) for s in loc_prefix + loc) or None
        kind = err["type"]
        message = _MESSAGES.get(kind, "")
        ctx = err.get("ctx") or {}
        if kind == "extra_forbidden":
            owner = _model_at(model, loc)
            hint = suggest(str(loc[-1]), known_fields(owner)) if owner else None
            message += f"（是否应为 {hint}？）" if hint else ""
        elif kind in ("literal_error", "enum"):
            message += f"：可选 {ctx.get('expected', '')}，实为 {err.get('input')!r}"
        elif kind == "union_tag_invalid":
            message += f"：可选 {ctx.get('expected_tags', '')}，实为 {ctx.get('tag', '')!r}"
        elif kind == "value_error":
            message = str(ctx.get("error", err["msg"]))
        elif kind == "missing":
            pass
        else:
            found = err.get("input")
            detail = f"，实为 {found!r}" if not isinstance(found, (dict, list)) else ""
            message = (message or err["msg"]) + detail
        out.append(Problem(file, message or err["msg"], line, column, record, field))
    return out
