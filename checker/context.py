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

    @property
    def first_judged_day(self) -> dt.date:
        """The first day an obligation may fall due and be judged: the profile's ``ledgers_from``."""
        return self.profile.ledgers_from

    def judged(self, due: dt.date) -> bool:
        """Whether an obligation falling due on ``due`` is judged at all. The one reading of
        ``ledgers_from`` for every kind (issue 10): the ledgers are complete only from that day, so
        what fell due before it is left out (neither gap nor met, no finding); what falls due on
        or after it is judged. A per-record obligation (an action's two officers) falls due on the
        record's own date, a deadline on its last lawful day, a period on its due date, a
        coverage day on that day."""
        return due >= self.profile.ledgers_from

    def left_out_note(self, count: int, what: str) -> str:
        """The words naming what ``judged`` left out, for a rule left with nothing to judge."""
        return (f"另有 {count} 项{what}应于台账起始日期 {self.profile.ledgers_from.isoformat()} 前完成，"
                "早于台账起始日期，不予评判") if count else ""

    def not_yet_due(self, due: dt.date) -> Status:
        """The status of an obligation whose deadline has not passed and that is not yet met."""
        return Status.due_soon if (due - self.as_of).days <= self.warn_days else Status.pending
