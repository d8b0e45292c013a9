"""What every ledger record is, and the registry that maps a ledger name to its model.

A bureau's records are a folder: ``profile.yaml`` plus one ledger file per record type,
named after the type (``fine.yaml`` holds fines). Each ledger is a list of records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ..dates import Day, to_daynum

__all__ = ["Record", "RECORD_TYPES", "ledger", "Yuan", "Day", "StrictModel", "fact_value", "fact_key", "YearLabel", "PeriodLabel", "references", "ledger_name"]


class StrictModel(BaseModel):
    """Every model forbids unknown keys: a misspelt field must fail, never vanish."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _two_decimals(value: Decimal) -> Decimal:
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"金额最多两位小数，实为 {value}")
    return value


Yuan = Annotated[Decimal, Field(ge=0), AfterValidator(_two_decimals)]
"""An amount of money in yuan, to the fen. The engine sees integer fen (notes: money as integer fen)."""


def _label_text(value: Any) -> Any:
    """A year typed without quotes in YAML (2020) arrives as a number; a period label is text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _is_period(value: str) -> str:
    from ..periods import parse_period

    period = parse_period(value)
    if period is None:
        raise ValueError(f"期间应写作 2020、2020H1、2020Q3 或 2020-07，实为 {value!r}")
    return period.label


YearLabel = Annotated[str, BeforeValidator(_label_text), Field(pattern=r"^\d{4}$")]
"""A year as a period label, e.g. "2020"."""

PeriodLabel = Annotated[str, BeforeValidator(_label_text), AfterValidator(_is_period)]
"""Any period label: 2020, 2020H1, 2020Q3, 2020-07."""


class Record(StrictModel):
    """One line of a ledger (台账). ``id`` is the clerk's own number for it, unique in its ledger."""

    record_type: ClassVar[str]
    label: ClassVar[str]
    date_field: ClassVar[str]
    """The date that places the record in time: records after the as-of date are not yet known."""

    id: str = Field(title="编号", min_length=1)

    @property
    def day(self) -> dt.date:
        value = getattr(self, self.date_field)
        assert isinstance(value, dt.date)
        return value

    def to_fact(self) -> dict[str, Any]:
        """The record as a flat engine fact: dates as day numbers, money as fen, no None values.

        ``rid`` carries the record id because the engine's own ``id`` must never be read in a
        condition (notes r07); each list field also yields ``<field>_count``.
        """
        fact: dict[str, Any] = {"rtype": self.record_type, "rid": self.id}
        for name in type(self).model_fields:
            if name == "id":
                continue
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                fact[name] = [fact_value(v) for v in value]
                fact[f"{name}_count"] = len(value)
            else:
                fact[name] = fact_value(value)
        return fact


def fact_key(field: str) -> str:
    """The fact key of a record field: a record's ``id`` travels as ``rid``, because the engine's
    own ``id`` must never be read in a condition (notes r07: wrong matches, segfaults)."""
    return "rid" if field == "id" else field


def fact_value(value: Any) -> Any:
    """The engine's encoding of one value; rule constants go through the same function."""
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.date):
        return to_daynum(value)
    if isinstance(value, Decimal):
        return int((value * 100).to_integral_value())
    return value


RECORD_TYPES: dict[str, type[Record]] = {}


def references(model: type[Record]) -> dict[str, str]:
    """The fields of a record type that name another record: field -> ledger (or "staff" for the profile's staff).

    Declared on the field as ``json_schema_extra={"references": "<ledger>"}``.
    """
    out: dict[str, str] = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        target = extra.get("references")
        if isinstance(target, str):
            out[name] = target
    return out


def ledger_name(rtype: str) -> str:
    """A ledger's name as a sentence uses it: 罚没款 rather than 罚没款台账."""
    return RECORD_TYPES[rtype].label.removesuffix("台账")

R = TypeVar("R", bound=type[Record])


def ledger(name: str, label: str, date_field: str) -> Any:
    """Register a record type under its ledger name (the file stem of its ledger)."""

    def register(cls: R) -> R:
        if name in RECORD_TYPES:
            raise RuntimeError(f"ledger {name} registered twice")
        if date_field not in cls.__pydantic_fields__:
            raise RuntimeError(f"{cls.__name__}.{date_field} is not a field")
        cls.record_type = name
        cls.label = label
        cls.date_field = date_field
        RECORD_TYPES[name] = cls
        return cls

    return register
