"""What every ledger record is, and the registry that maps a ledger name to its model.

A bureau's records are a folder: ``profile.yaml`` plus one ledger file per record type,
named after the type (``fine.yaml`` holds fines). Each ledger is a list of records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ..dates import Day
from ..facts import KEY, RID, TYPE, fact_value
from ..periods import parse_period

__all__ = ["LEDGERS", "Day", "PeriodLabel", "Record", "StrictModel", "YearLabel", "Yuan", "distinct_count", "ledger", "ledger_title", "references"]


class StrictModel(BaseModel):
    """Every model forbids unknown keys: a misspelt field must fail, never vanish.

    ``zh`` is what the model is, in Chinese, for the rule schema an editor shows (the docstrings
    are for programmers). ``renamed`` maps a key's former name to its current one: the old name
    still loads (``rules lint`` warns), so rule files written before a rename keep working.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    zh: ClassVar[str] = ""
    renamed: ClassVar[dict[str, str]] = {}
    quantity_keys: ClassVar[dict[str, str]] = {}
    """Former ``<x>_param: name`` keys, now written ``<x>: {param: name}``: old key → the field it feeds."""

    @model_validator(mode="before")
    @classmethod
    def _current_names(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not (cls.renamed or cls.quantity_keys):
            return data
        if not any(old in data for old in (*cls.renamed, *cls.quantity_keys)):
            return data
        out = dict(data)
        for old, new in cls.renamed.items():
            if old in out:
                if new in out:
                    raise ValueError(f"{old} 已更名为 {new}，两者不能同时出现")
                out[new] = out.pop(old)
        for old, new in cls.quantity_keys.items():
            if old in out:
                if out.get(new) is not None:
                    raise ValueError(f"{new} 与 {old} 只能给一个（{old} 已改写为 {new}: {{param: …}}）")
                name = out.pop(old)
                out[new] = {"param": name} if isinstance(name, str) else name
        return out


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

    ledger: ClassVar[str]
    """The ledger's name (``fine``): its file stem, and the name rules use."""
    label: ClassVar[str]
    date_field: ClassVar[str]
    """The date that places the record in time: records after the as-of date are not yet known."""
    end_field: ClassVar[str | None] = None
    """For a record of a state that lasts (a division of duties, a certificate, a contract), the
    field of its last day; empty means it still lasts. Such a record's obligations run through that
    day, so it is judged when it lasts into the judged period, not by its start (Context.judged)."""

    id: str = Field(title="编号", min_length=1)

    @property
    def day(self) -> dt.date:
        value = getattr(self, self.date_field)
        assert isinstance(value, dt.date)
        return value

    def to_fact(self) -> dict[str, Any]:
        """The record as a flat engine fact: dates as day numbers, money as fen, no None values.

        ``rid`` carries the record id because the engine's own ``id`` must never be read in a
        condition (notes r07); each list field also yields ``<field>_count``, the number of
        distinct entries (``distinct_count``).
        """
        fact: dict[str, Any] = {TYPE: self.ledger, KEY: self.id, RID: self.id}
        for name in type(self).model_fields:
            if name == "id":
                continue
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                fact[name] = [fact_value(v) for v in value]
                fact[f"{name}_count"] = distinct_count(value)
            else:
                fact[name] = fact_value(value)
        return fact


def distinct_count(values: list[Any] | tuple[Any, ...]) -> int:
    """How many different things a list field names: officers [P04, P04] are one person.

    Every list field of a record names persons, items or topics, and the law counts them, not the
    lines of the list (《行政处罚法》第四十二条: 执法人员不得少于两人). One reading for every rule.
    """
    return len(dict.fromkeys(values))


LEDGERS: dict[str, type[Record]] = {}
"""Every ledger by name, each registered once by ``@ledger``."""


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


def ledger_title(name: str) -> str:
    """A ledger's name as a sentence uses it: 罚没款 rather than 罚没款台账."""
    return LEDGERS[name].label.removesuffix("台账")

R = TypeVar("R", bound=type[Record])


def ledger(name: str, label: str, date_field: str, end_field: str | None = None) -> Any:
    """Register a record type under its ledger name (the file stem of its ledger)."""

    def register(cls: R) -> R:
        if name in LEDGERS:
            raise RuntimeError(f"ledger {name} registered twice")
        if date_field not in cls.__pydantic_fields__:
            raise RuntimeError(f"{cls.__name__}.{date_field} is not a field")
        if end_field is not None and end_field not in cls.__pydantic_fields__:
            raise RuntimeError(f"{cls.__name__}.{end_field} is not a field")
        cls.end_field = end_field
        cls.ledger = name
        cls.label = label
        cls.date_field = date_field
        LEDGERS[name] = cls
        return cls

    return register
