"""Command groups of the ``compliance`` command line, one module each.

Each module has ``register(subparsers)`` that adds its parser(s) and sets ``handler`` (a
function of the parsed arguments returning an exit status).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

__all__ = ["command_modules"]


def command_modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{m.name}") for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
