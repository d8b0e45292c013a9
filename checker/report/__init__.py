"""The gap report: a model built once from a check and the rulebook, and one renderer per format.

``build_report`` decides the content; each renderer module registers its format once
(``@report_format``): Word (the main format, edited before the Party group meets), a
self-contained HTML page, Markdown, or the rectification ledger (整改台账) as an Excel sheet.
Every module of this package is imported, so a new format is one new module.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..text import cleaned
from .formats import FORMATS, ReportFormat
from .model import OUTLINE, GapItem, GapSection, Report, build_report, outline_heading

__all__ = [
    "FORMATS",
    "OUTLINE",
    "GapItem",
    "GapSection",
    "Report",
    "ReportFormat",
    "build_report",
    "outline_heading",
    "render",
]

for _module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")


def render(report: Report, fmt: str) -> bytes:
    """The report in one format. Every text of the model is cleaned of control characters here,
    once for all formats (``checker.text``): a clerk's ESC or a lone surrogate can neither reach
    a reader raw nor make python-docx or openpyxl refuse to write."""
    return FORMATS[fmt].to_bytes(cleaned(report))
