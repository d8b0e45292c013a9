"""Facts: records and rule subjects as the engine sees them (flat dicts of integers and text).

Dates become day numbers and money integer fen (notes r11: no date strings, no big floats).
Three keys are the evaluation's own, marked by a leading underscore so that no ledger field can
collide with them: the fact's type, the key a match reports for it, and a subject's due day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .dates import to_daynum

__all__ = ["DUE", "ITEM", "KEY", "RID", "TYPE", "fact_key", "fact_value"]

TYPE = "_type"
"""A fact's type: a ledger name, ``<ledger>@<rule id>`` for a rule's own subjects, or a shadow type."""
KEY = "_key"
"""What a match reports for a fact: its record id, or the rule's subject key (2020Q3, A-1/P1)."""
RID = "rid"
"""The record id. Never the engine's own ``id``, which must not be read in a condition (notes r07)."""
ITEM = "_item"
"""On a per-item subject (``each``), the item it judges (an officer's id)."""
DUE = "_due"
"""On a subject with a deadline, its last day as a day number."""
EARLIEST = "_earliest"
"""On a deadline's subject, the first day its evidence may bear: the trigger's own date (a remittance
before the fine was imposed, publicity before the decision, is impossible by the law's own
counting, 自决定作出之日起). Evidence dated earlier never counts; the finding names it."""


def fact_key(field: str) -> str:
    """The fact key of a record field as a rule names it: ``id`` is ``rid``, ``item`` the judged item."""
    return {"id": RID, "item": ITEM}.get(field, field)


def fact_value(value: Any) -> Any:
    """The engine's encoding of one value; rule constants go through the same function."""
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.date):
        return to_daynum(value)
    if isinstance(value, Decimal):
        return int((value * 100).to_integral_value())
    return value
