"""checker.text: control characters shown as escapes, everything else untouched."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from checker.text import printable, xml_safe

# XML 1.0, production [2] Char.
XML_CHAR = re.compile("[\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


def test_chinese_and_punctuation_untouched() -> None:
    text = "《中华人民共和国行政处罚法》第四十二条：执法人员不得少于两人，“重大”执法决定须经法制审核！\n\t（一）、【二】…—～·"
    assert printable(text) == text
    assert xml_safe(text) == text


def test_terminal_escape_shown_not_executed() -> None:
    assert printable("备注\x1b[2J清屏") == "备注\\x1b[2J清屏"


def test_each_class_of_control() -> None:
    assert printable("a\x00b") == "a\\x00b"
    assert printable("行一\r行二") == "行一\\x0d行二"  # CR could overwrite a terminal line
    assert printable("\x07\x08\x0b\x0c\x1f") == "\\x07\\x08\\x0b\\x0c\\x1f"
    assert printable("x\x7fy") == "x\\x7fy"  # DEL
    assert printable("\x80\x9b\x9f") == "\\x80\\x9b\\x9f"  # C1, 0x9b is a one-byte CSI
    assert printable("\ud800\udfff") == "\\ud800\\udfff"  # lone surrogates
    assert printable("合规\u202e规合") == "合规\\u202e规合"  # right-to-left override
    assert printable("\u2066x\u2069") == "\\u2066x\\u2069"


def test_tab_and_newline_kept() -> None:
    assert printable("甲\t乙\n丙") == "甲\t乙\n丙"


def test_visible_neighbours_kept() -> None:
    """The characters either side of each replaced range are ordinary and stay."""
    for ch in (" ", "~", "\xa0", "é", "\u2029", "\u202f", "\u2065", "\u206a", "\ud7ff", "\ue000", "😀"):
        assert printable(ch) == ch


def test_xml_safe_also_removes_noncharacters() -> None:
    assert printable("\ufffe\uffff") == "\ufffe\uffff"
    assert xml_safe("\ufffe\uffff") == "\\ufffe\\uffff"
    assert xml_safe("表\x0c格") == "表\\x0c格"


@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF)))
def test_xml_safe_output_is_valid_xml_text(text: str) -> None:
    out = xml_safe(text)
    assert XML_CHAR.fullmatch(out)
    out.encode("utf-8")  # no surrogates left: this would raise


@given(st.text())
def test_printable_is_idempotent_and_leaves_no_controls(text: str) -> None:
    out = printable(text)
    assert printable(out) == out
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]", out)
