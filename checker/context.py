"""What one evaluation knows: the as-of date, the bureau, and its records as engine facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .dates import to_daynum
from .findings import Status
from .records import Bureau, Record
from .records.profile import Profile

__all__ = ["Context", "Match", "Matches"]

Match = tuple[str, ...]
"""The record ids one engine match bound, in the order of the action's output patterns."""
Matches = dict[str, set[Match]]


@dataclass
class Context:
    as_of: dt.date
    profile: Profile
    warn_days: int = 30
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    facts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Every fact of the evaluation by type: the ledgers', then those the rules make (``<ledger>@<rule id>``)."""

    @classmethod
    def of(cls, bureau: Bureau, as_of: dt.date, warn_days: int = 30) -> Context:
        """Only what is known by ``as_of`` counts: later records are left out before anything is judged."""
        ctx = cls(as_of, bureau.profile, warn_days)
        for ledger, items in bureau.records.items():
            known = [r for r in items if r.day <= as_of]
            ctx.records[ledger] = {r.id: r for r in known}
            ctx.facts[ledger] = [r.to_fact() for r in known]
        return ctx

    @property
    def as_of_day(self) -> int:
        return to_daynum(self.as_of)

    def record(self, ledger: str, rid: str) -> Record:
        return self.records[ledger][rid]

    def not_yet_due(self, due: dt.date) -> Status:
        """The status of an obligation whose deadline has not passed and that is not yet met."""
        return Status.due_soon if (due - self.as_of).days <= self.warn_days else Status.pending
