"""A bureau's records: the profile and the ledgers, loaded and validated from a folder."""

from __future__ import annotations

import importlib
import pkgutil

from .base import LEDGERS, Record, StrictModel, ledger
from .profile import Profile, StaffMember

# Every module of this package but these declares ledgers: importing it registers them.
_NOT_LEDGER_MODULES = ("base", "profile", "cells", "columns", "headers", "loading", "workbooks")
for _module in pkgutil.iter_modules(__path__):
    if _module.name not in _NOT_LEDGER_MODULES and not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")

from .loading import Bureau, LedgerAccount, UnreadRecord, load_bureau, read_ledger, read_rows  # noqa: E402 - after the ledgers register

__all__ = [
    "LEDGERS",
    "Bureau",
    "LedgerAccount",
    "Profile",
    "Record",
    "StaffMember",
    "StrictModel",
    "UnreadRecord",
    "ledger",
    "load_bureau",
    "read_ledger",
    "read_rows",
]

