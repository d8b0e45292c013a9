"""Phrases the kinds' explanations share (``rules show``, the catalogue): conditions and scopes in Chinese."""

from __future__ import annotations

from typing import Any

from ..conditions import Condition, show_value
from ..rules import Selector

__all__ = ["EVERY", "conditions_text", "scope_text"]

EVERY = {"month": "每月", "quarter": "每季度", "half-year": "每半年", "year": "每年"}


def conditions_text(conds: list[Condition], ledger: str, params: dict[str, Any]) -> str:
    shown = {name: show_value(value) for name, value in params.items()}
    return "，且".join(c.describe(ledger, shown) for c in conds)


def scope_text(selector: Selector, params: dict[str, Any]) -> str:
    return f"（限于{conditions_text(selector.when, selector.ledger, params)}的记录）" if selector.when else ""
