"""The rule kinds. Each is one pydantic model with everything about it, in one module, registered once.

Every module of this package not starting with ``_`` is imported, and its ``@kind`` classes
registered; a class that lacks a part (``checker.rules.KIND_PARTS``) is refused at import time,
so a half-added kind can never silently fall back to a default.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, TypeVar

from ..rules import RuleBase, missing_parts

__all__ = ["KINDS", "IncompleteKind", "kind"]

KINDS: dict[str, type[RuleBase]] = {}

K = TypeVar("K", bound=type[RuleBase])


class IncompleteKind(RuntimeError):
    """A rule kind lacks a part every kind must have: a programming error, caught at start-up."""


def kind(name: str, title: str) -> Any:
    def register(cls: K) -> K:
        if name in KINDS:
            raise IncompleteKind(f"kind {name} registered twice")
        cls.kind_name = name
        cls.kind_title = title
        missing = missing_parts(cls)
        if missing:
            raise IncompleteKind(f"kind {name} ({cls.__name__}) lacks: {', '.join(missing)}")
        KINDS[name] = cls
        return cls

    return register


for _module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")
