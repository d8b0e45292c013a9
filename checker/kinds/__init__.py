"""The rule kinds. Each is one pydantic model with its evaluator, in one module, registered once."""

from __future__ import annotations

from typing import Any, TypeVar

from ..rules import RuleBase

__all__ = ["KINDS", "kind"]

KINDS: dict[str, type[RuleBase]] = {}

K = TypeVar("K", bound=type[RuleBase])


def kind(name: str, title: str) -> Any:
    def register(cls: K) -> K:
        if name in KINDS:
            raise RuntimeError(f"kind {name} registered twice")
        cls.kind_name = name
        cls.kind_title = title
        KINDS[name] = cls
        return cls

    return register


# per-record first: the order in which messages list the kinds.
from . import per_record  # noqa: E402,F401,I001  (registers the kinds)
from . import aggregate, coverage, deadline, periodic  # noqa: E402,F401
