"""How a ledger's column is read: which clerk's-cell parser a field needs, chosen from its model.

One place decides, for YAML, CSV and Excel ledgers and for rule examples alike, how a raw cell
becomes a field's value: dates (``parse_date_cell``: Excel serials and date cells too), amounts
(``parse_amount``, in the column's unit), yes/no (``parse_bool``), lists (``split_list``), staff by
id or by name (``staff_ref``), whole numbers, and text (NFKC, ids Excel turned into numbers
written back as text). The models' own validators (at most two decimals, not negative, a period
label, a choice from a list) run afterwards, on the parsed values.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

from pydantic.fields import FieldInfo

from .cells import (
    CellError,
    is_blank,
    is_placeholder,
    normalise_text,
    parse_amount,
    parse_bool,
    parse_date_cell,
    split_list,
    staff_ref,
)

__all__ = ["Column", "Form", "form_of", "parse_cell"]

EXPECT_INT = "整数（如 3）"


class Form(str, Enum):
    """What kind of value a column holds, as far as reading its cells is concerned."""

    date = "date"
    amount = "amount"
    yes_no = "yes_no"
    whole = "whole"
    number = "number"
    text = "text"
    staff = "staff"
    ids = "ids"
    """A list of ids or staff, separated by 、 , ; / or spaces."""
    phrases = "phrases"
    """A list of free-text items (titles of laws, topics), whose spaces belong to the items."""
    choice = "choice"
    other = "other"


@dataclass(frozen=True)
class Column:
    form: Form
    optional: bool


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``| None`` and ``Annotated[...]`` metadata, and whether None was allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                return annotation, optional
            annotation = args[0]
        else:
            return annotation, optional


_COLUMNS: dict[int, tuple[FieldInfo, Column]] = {}


def form_of(info: FieldInfo) -> Column:
    """How the cells of the column for this field are read (worked out once per field)."""
    known = _COLUMNS.get(id(info))
    if known is not None and known[0] is info:
        return known[1]
    column = _form_of(info)
    _COLUMNS[id(info)] = (info, column)
    return column


def _form_of(info: FieldInfo) -> Column:
    annotation, optional = _unwrap(info.annotation)
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    staff = extra.get("references") == "staff"
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, Sequence):
        (item,) = typing.get_args(annotation)[:1] or (str,)
        free_text = item is str and not staff and not extra.get("references")
        return Column(Form.ids if not free_text or extra.get("id_list") else Form.phrases, optional)
    if origin is Literal:
        return Column(Form.choice, optional)
    if annotation is bool:
        return Column(Form.yes_no, optional)
    if annotation is dt.date:
        return Column(Form.date, optional)
    if annotation is Decimal:
        return Column(Form.amount, optional)
    if annotation is int:
        return Column(Form.whole, optional)
    if annotation is float:
        return Column(Form.number, optional)
    if annotation is str:
        return Column(Form.staff if staff else Form.text, optional)
    return Column(Form.other, optional)


def _as_text(cell: Any) -> Any:
    """Text as written: a number Excel made of an id (1001, 1001.0) back to its digits."""
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (int, float, Decimal)):
        return str(cell)
    if isinstance(cell, str):
        return normalise_text(cell)
    return cell


def _plain(amount: Decimal) -> Decimal:
    """An amount as it is written plainly: 30000 rather than 30000.00, 5000.5 rather than 5000.50."""
    if amount == amount.to_integral_value():
        return amount.quantize(Decimal(1))
    return amount.normalize()


EXPECT_NUMBER = "数字（如 3 或 1.5）"
_SURROGATE = re.compile("[\ud800-\udfff]")


MAX_NUMBER = 10**12
"""Largest count or number a ledger cell may hold (as ``cells.MAX_AMOUNT`` for amounts)."""
MIN_FRACTION = 1e-4
"""Smallest non-zero number: below it Python writes the number with an exponent (1e-05), which
the rule engine cannot read (it drops that record and every later one without a word)."""


def _in_range(value: float, cell: Any, expected: str) -> float:
    if abs(value) > MAX_NUMBER:
        raise CellError(expected, cell, "数值过大（超过一万亿），请核对单位和数位")
    if value and abs(value) < MIN_FRACTION:
        raise CellError(expected, cell, "数值过小（非零数值的绝对值应不小于 0.0001），请核对")
    return value


def _number(cell: Any) -> float:
    if isinstance(cell, bool):
        raise CellError(EXPECT_NUMBER, cell, "是/否值不是数字")
    if isinstance(cell, (int, float, Decimal)):
        if isinstance(cell, float) and not math.isfinite(cell):
            raise CellError(EXPECT_NUMBER, cell, "不是有效数值")
        return _in_range(float(cell), cell, EXPECT_NUMBER)
    if isinstance(cell, str):
        text = normalise_text(cell)
        for unit in ("学时", "小时", "课时", "天", "人"):
            text = text.removesuffix(unit)
        try:
            value = float(text.replace(",", ""))
        except ValueError:
            raise CellError(EXPECT_NUMBER, cell, "不是数字") from None
        if math.isfinite(value):
            return _in_range(value, cell, EXPECT_NUMBER)
    raise CellError(EXPECT_NUMBER, cell, "不是有效数值")


def _whole(cell: Any) -> int:
    if isinstance(cell, bool):
        raise CellError(EXPECT_INT, cell, "是/否值不是数字")
    if isinstance(cell, int):
        return int(_in_range(cell, cell, EXPECT_INT))
    if isinstance(cell, (float, Decimal)) and math.isfinite(cell) and cell == int(cell):
        return int(_in_range(int(cell), cell, EXPECT_INT))
    if isinstance(cell, str):
        text = normalise_text(cell).removesuffix("人").removesuffix("个").removesuffix("份").replace(",", "")
        if text.lstrip("-").isdigit() and len(text) <= 15:
            return int(text)
    raise CellError(EXPECT_INT, cell, "不是整数")


def parse_cell(
    info: FieldInfo, cell: Any, *, unit: str = "元", staff: Sequence[tuple[str, str]] | None = None
) -> Any:
    """The field's value from one raw cell, or ``None`` for an empty cell (a required field then
    fails as missing). Raises ``CellError`` for a cell that cannot be what the column holds.

    ``staff`` is the profile's (id, name) pairs, for columns of staff named by name; without it
    staff cells are read as ids and the reference check names any that are unknown.
    """
    column = form_of(info)
    kind = type(cell)
    if kind is str and cell.isascii() and column.form in (Form.text, Form.choice):
        return cell.strip() or None  # the common case, without the general path's NFKC
    if kind is dt.date and column.form is Form.date:
        return cell
    bad = _SURROGATE.search(cell) if kind is str and not cell.isascii() else None
    if bad is not None:
        # Not a character: it cannot be written as UTF-8 (JSON, reports) and the engine refuses it
        # far from here, naming no file. Refused as this cell, with its file, row and field.
        raise CellError("文字", cell, f"含有不成对的 UTF-16 代理码位 \\u{ord(bad.group()):04x}（不是有效字符），请删除或改正")
    if cell is None or (kind is str and is_blank(cell)):
        return None
    if column.optional and column.form in (Form.date, Form.amount, Form.staff, Form.whole, Form.number) and is_placeholder(cell):
        return None
    form = column.form
    if form is Form.date:
        return parse_date_cell(cell)
    if form is Form.amount:
        return _plain(parse_amount(cell, unit=unit))
    if form is Form.yes_no:
        return parse_bool(cell)
    if form is Form.whole:
        return _whole(cell)
    if form is Form.number:
        return _number(cell)
    if form is Form.staff:
        return staff_ref(cell, staff) if staff is not None else _as_text(cell)
    if form is Form.ids:
        items = split_list(cell)
        if not items:
            return None  # an empty list is a blank cell: a required list then fails as not filled in
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if staff is not None and extra.get("references") == "staff":
            return [staff_ref(item, staff) for item in items]
        return items
    if form is Form.phrases:
        return split_list(cell, whitespace=False) or None
    if form in (Form.text, Form.choice):
        return _as_text(cell)
    return cell
