"""The report formats, each registered once beside its renderer with everything the command needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .model import Report

__all__ = ["FORMATS", "ReportFormat", "report_format"]


@dataclass(frozen=True)
class ReportFormat:
    """One output format: its name on the command line, its file suffix, the file name used when
    ``--output`` is omitted, and whether it is text (then printed to the screen instead)."""

    name: str
    suffix: str
    default_name: str
    text: bool
    render: Callable[[Report], Any]

    def to_bytes(self, report: Report) -> bytes:
        data = self.render(report)
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)


FORMATS: dict[str, ReportFormat] = {}

R = TypeVar("R", bound=Callable[[Report], Any])


def report_format(name: str, suffix: str, default_name: str, text: bool = False) -> Callable[[R], R]:
    def register(render: R) -> R:
        if name in FORMATS:
            raise RuntimeError(f"report format {name} registered twice")
        FORMATS[name] = ReportFormat(name, suffix, default_name, text, render)
        return render

    return register
