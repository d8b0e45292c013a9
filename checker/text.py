"""The one cleaning of text that reaches a terminal or a document.

Text from ledgers and rule files (a clerk's remark, a file name) is shown on terminals and
written into Word, Excel and HTML reports. Control characters in it could move the cursor,
rewrite what a terminal shows (``\\x1b[2J``, ``\\r``), reorder what a reader sees (bidi
overrides: "Trojan source"), or make the XML of a .docx/.xlsx invalid so the report cannot be
written at all. :func:`printable` replaces each of them with a visible escape instead of
dropping it, so an inspector sees that something was there and what.

The escapes are Python's: ``\\x1b`` for code points up to U+00FF, ``\\u202e`` above. They are
for reading, not reversible: a literal backslash in the text is left as it is.

Where text leaves the program (each calls one of these, nowhere else):

* the terminal: ``checker.render.as_table`` and every message (``Problem.__str__``);
* JSON (``check --format json``, ``check-many``'s lines): :func:`json_safe`, which writes the
  same characters as JSON escapes (``\\u001b``), so the data is unchanged for a JSON reader
  and nothing raw reaches a terminal the JSON is printed on;
* the reports (Word, Excel, HTML, Markdown, PDF): :func:`cleaned` over the whole report model,
  once, in ``checker.report.render``;
* the exported ledgers (``ledgers export``): :func:`xml_safe` on each cell.
"""

from __future__ import annotations

import dataclasses
import re
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["cleaned", "json_safe", "printable", "xml_safe"]

T = TypeVar("T")


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_C0 = [c for c in range(0x20) if c not in (0x09, 0x0A)]  # tab and newline are layout, kept
_DEL_C1 = list(range(0x7F, 0xA0))  # DEL and the C1 controls (0x9b is a one-byte CSI on some terminals)
_SURROGATES = list(range(0xD800, 0xE000))  # not characters; cannot be written as UTF-8
# Bidirectional embeddings, overrides and isolates: invisible, they reorder how the following
# text is displayed. Nothing in Chinese administrative text needs them.
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
# Not characters, and forbidden by XML 1.0 (the only others it forbids are C0 and surrogates).
_XML_NONCHARACTERS = [0xFFFE, 0xFFFF]

_PRINTABLE = {c: _escape(c) for c in (*_C0, *_DEL_C1, *_SURROGATES, *_BIDI)}
_XML_SAFE = {**_PRINTABLE, **{c: _escape(c) for c in _XML_NONCHARACTERS}}


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes; Chinese, punctuation, tab and newline untouched.

    Replaced: C0 controls except tab and newline (so ``\\r`` too), DEL, C1 controls, lone
    surrogates, and the bidirectional override, embedding and isolate controls.
    """
    return text.translate(_PRINTABLE)


def xml_safe(text: str) -> str:
    """:func:`printable`, and also U+FFFE and U+FFFF: every character left is allowed by XML 1.0.

    python-docx and openpyxl refuse (or write unreadable files for) characters XML forbids;
    use this for any text put into a .docx or .xlsx.
    """
    return text.translate(_XML_SAFE)


# json.dumps(ensure_ascii=False) already escapes C0 controls; what it leaves raw of the rest.
_JSON_UNSAFE = re.compile("[" + "".join(f"\\u{c:04x}" for c in (*_DEL_C1, *_BIDI)) + "\ud800-\udfff]")


def json_safe(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with every character
    :func:`printable` replaces written as a JSON escape (``\\u202e``) instead.

    Lossless: a JSON reader gets the very same strings back. Such characters can only stand
    inside JSON strings (the syntax is ASCII), where ``\\uXXXX`` is always allowed; a lone
    surrogate, which cannot be encoded as UTF-8, becomes an escape too.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def cleaned(value: T) -> T:
    """A copy of ``value`` with :func:`xml_safe` applied to every string in it.

    Goes through dataclasses (frozen too), pydantic models, lists, tuples, sets and dict keys
    and values; other values (numbers, dates, enums) are kept. For a document model about to
    be rendered: every renderer then gets clean text, whichever field it prints.
    """
    return _cleaned(value)  # type: ignore[no-any-return]


def _cleaned(value: Any) -> Any:
    if isinstance(value, Enum):  # before str: a str-valued enum (a status) stays itself
        return value
    if isinstance(value, str):
        return value.translate(_XML_SAFE)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _cleaned(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: _cleaned(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_cleaned(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return type(value)(_cleaned(v) for v in value)
    if isinstance(value, dict):
        return {_cleaned(k): _cleaned(v) for k, v in value.items()}
    return value

