"""The outline of the annual rule-of-law report (法治政府建设情况报告) that rules cite in ``where``.

One place that reads a heading such as 一(四)2 or 二（不足一）; the catalogue and the gap
report each word the headings their own way from these names.
"""

from __future__ import annotations

import re

__all__ = ["NUMERALS", "PARTS", "SECTIONS", "heading_of", "is_known_heading", "outline_key"]

NUMERALS = "一二三四五六七八九十"

SECTIONS: dict[str, str] = {
    "一": "法治政府建设推进和落实情况",
    "二": "推进法治政府建设存在的不足和原因",
    "三": "下一步工作安排",
}
"""The seed report's three sections."""

PARTS: dict[str, str] = {
    "一(一)": "依法全面履行政府职能",
    "一(二)": "完善依法行政制度体系",
    "一(三)": "推进行政决策科学民主合法",
    "一(四)": "严格行政执法",
    "一(五)": "强化对行政权力的制约和监督",
    "一(六)": "健全矛盾纠纷化解多元化机制",
    "一(七)": "组织保障和落实",
    "一(八)": "强化法治政府建设组织领导",
}
"""The eight parts of section 一."""

_WHERE = re.compile(r"^\s*([一二三四五六七八九十]+)\s*(?:[(（]\s*([一二三四五六七八九十]+)\s*[)）])?")


def heading_of(where: str) -> tuple[str, str | None]:
    """The section and part a rule's ``where`` names: 一(四)2 → (一, 一(四)); 二（不足一） → (二, None).

    Half- and full-width brackets both count. A rule cited under several headings (一(一)3,
    一(四)2) is filed under the first; a part the outline does not have gives no part.
    """
    found = _WHERE.match(where)
    if not found:
        return "", None
    section, part = found.group(1), found.group(2)
    if part is None or f"{section}({part})" not in PARTS:
        return section, None
    return section, f"{section}({part})"


def outline_key(where: str) -> tuple[int, int, str]:
    """Sort key in outline order: section, then part, then the heading text."""
    section, part = heading_of(where)
    s = NUMERALS.index(section) + 1 if section and section in NUMERALS else 99
    p = NUMERALS.index(part[2:-1]) + 1 if part else 0
    return s, p, where


_ONE_HEADING = re.compile(r"^([一二三四五六七八九十]+)(?:[(（]([一二三四五六七八九十]+)[)）])?(?:\d+|[(（][^()（）]+[)）])?$")


def is_known_heading(heading: str) -> bool:
    """Whether every heading named (一(四)2, or several joined by 、) is one the report's outline has.

    A section must be 一, 二 or 三; a part of section 一 must be one of its eight; after it
    may come an item number (一(四)2) or a note in brackets (二（不足一）).
    """
    for one in re.split(r"[、，,；;]", heading):
        found = _ONE_HEADING.match(one.strip())
        if not found or found.group(1) not in SECTIONS:
            return False
        if found.group(1) == "一" and found.group(2) is not None and f"一({found.group(2)})" not in PARTS:
            return False
    return True
