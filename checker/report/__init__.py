"""The gap report: a model built once from a check and the rulebook, and one renderer per format.

``build_report`` decides the content; ``RENDERERS`` lay it out as Word (the main format,
edited before the Party group meets), a self-contained HTML page, Markdown, or the
rectification ledger (整改台账) as an Excel sheet.
"""

from __future__ import annotations

from typing import Callable

from .excel import render_xlsx
from .markdown import render_markdown
from .model import DEADLINE_DAYS, OUTLINE, GapItem, GapSection, Report, build_report, outline_heading
from ..files import write_atomic
from .webpage import render_html
from .word import render_docx

__all__ = [
    "DEADLINE_DAYS",
    "OUTLINE",
    "FORMATS",
    "GapItem",
    "GapSection",
    "Report",
    "build_report",
    "outline_heading",
    "render",
    "write_atomic",
]

FORMATS: dict[str, tuple[str, Callable[[Report], bytes]]] = {
    "docx": (".docx", render_docx),
    "html": (".html", lambda r: render_html(r).encode("utf-8")),
    "markdown": (".md", lambda r: render_markdown(r).encode("utf-8")),
    "xlsx": (".xlsx", render_xlsx),
}
"""Format name → (file suffix, renderer to bytes)."""


def render(report: Report, fmt: str) -> bytes:
    return FORMATS[fmt][1](report)
