"""The one cleaning of text that reaches a terminal or a document.

Text from ledgers and rule files (a clerk's remark, a file name) is shown on terminals and
written into Word, Excel and HTML reports. Control characters in it could move the cursor,
rewrite what a terminal shows (``\\x1b[2J``, ``\\r``), reorder what a reader sees (bidi
overrides: "Trojan source"), or make the XML of a .docx/.xlsx invalid so the report cannot be
written at all. :func:`printable` replaces each of them with a visible escape instead of
dropping it, so an inspector sees that something was there and what.

The escapes are Python's: ``\\x1b`` for code points up to U+00FF, ``\\u202e`` above. They are
for reading, not reversible: a literal backslash in the text is left as it is.
"""

from __future__ import annotations

__all__ = ["printable", "xml_safe"]


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
