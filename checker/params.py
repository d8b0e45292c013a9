"""Rule parameters: values with effective dates, and the one way a rule writes "a number, or a parameter".

Wherever a rule gives a number of days, a threshold, a month-day or a list of laws, it may give
``{param: name}`` instead, and the value in force on the day judged is used. ``Quantity(T)``
is that type: exactly one of the two by construction, and the parameter's values are checked
against ``T`` when the rulebook is loaded (a day count of ``fifteen`` is refused there, not in
the middle of a check).
"""

from __future__ import annotations

import datetime as dt
import math
import typing
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from .dates import Day
from .records.base import StrictModel
from .validation import Invalid

__all__ = ["MAX_MAGNITUDE", "Constant", "Days", "Offset", "ParamRef", "ParamValue", "Quantity", "QuantityOf", "Scalar", "quantity_of", "resolve", "value_in_force"]

Scalar = str | int | float | bool | dt.date

MAX_MAGNITUDE = 10**12
"""Largest number a rule may write, as a parameter value or a constant it compares with: a
trillion, the bound on ledger amounts (``checker.records.cells.MAX_AMOUNT``). Beyond it a value
is a typo (``10**30``, ``1.0e+400``) that the engine's numbers could not even hold."""


def _bounded(value: Any) -> Any:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            continue
        if isinstance(item, float) and not math.isfinite(item):
            raise Invalid("out-of-range", f"应为有限的数字（不能是无穷大或非数），实为 {item}")
        if abs(item) > MAX_MAGNITUDE:
            raise Invalid("out-of-range", f"数值过大：绝对值应不超过 10^12（一万亿），实为 {item:g}")
        if item and abs(item) < 1e-4:  # written with an exponent (1e-05): the engine cannot read it
            raise Invalid("out-of-range", f"数值过小：非零数值的绝对值应不小于 0.0001，实为 {item:g}")
    return value


Constant = Annotated[Scalar | list[Scalar], AfterValidator(_bounded)]
"""A constant a rule writes (a parameter's value, a value compared with): numbers finite and within
±MAX_MAGNITUDE, whatever the use; each use then checks its own type and range (a day count 0–3660)."""

Days = Annotated[int, Field(ge=0, le=3660)]
"""A time limit in days: at most ten years, never negative."""
Offset = Annotated[int, Field(ge=-3660, le=3660)]
"""Days (or a number) added to another field: either way, at most ten years."""


class ParamRef(StrictModel):
    """Where a rule takes a value from one of its parameters."""

    zh = "参数引用：取该参数在所判断日期现行的值"

    param: str = Field(description="参数名（在本规则 params 中定义）")


@dataclass(frozen=True)
class QuantityOf:
    """Marks a field as a Quantity and says what type its parameter's values must have."""

    type: Any
    meaning: str


def Quantity(value_type: Any, meaning: str) -> Any:  # capitalised: it is used as a type
    """``value_type``, or ``{param: name}`` whose values have ``value_type``; ``meaning`` names it in messages."""
    return Annotated[value_type | ParamRef, QuantityOf(value_type, meaning)]


def quantity_of(annotation: Any, metadata: list[Any] | None = None) -> QuantityOf | None:
    """The Quantity marker of a field, found through ``| None`` and other unions."""
    for meta in metadata or []:
        if isinstance(meta, QuantityOf):
            return meta
    for arg in typing.get_args(annotation):
        if isinstance(arg, QuantityOf):
            return arg
        found = quantity_of(arg)
        if found is not None:
            return found
    return None


def resolve(quantity: Any, params: dict[str, Any]) -> Any:
    """The value a quantity stands for, with the parameters in force."""
    return params[quantity.param] if isinstance(quantity, ParamRef) else quantity


class ParamValue(StrictModel):
    """One value of a parameter, in force from a date until the next value's date."""

    zh = "参数的一个取值，自生效日期起适用，直到下一个取值的生效日期"

    from_: Day = Field(alias="from", description="生效日期")
    value: Constant = Field(description="取值")
    source: str | None = Field(default=None, description="取值依据")
    reading: str | None = Field(
        default=None, description="该取值所依据的法律理解：rules/interpretations.yaml 中的编号（法律可作两种理解时填写）"
    )


def value_in_force(values: list[ParamValue], day: dt.date) -> tuple[ParamValue, bool]:
    """The value in force on ``day``, and whether it is in force yet (the first value applies before it)."""
    chosen = None
    for v in values:
        if v.from_ <= day:
            chosen = v
    return (chosen, True) if chosen is not None else (values[0], False)
