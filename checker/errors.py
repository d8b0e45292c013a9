"""Typed errors for bad input. The command line turns these into messages and exit status 2."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .text import printable

__all__ = ["InputError", "Level", "Problem", "column_letter"]

Level = Literal["error", "warning"]
LEVEL_ZH: dict[str, str] = {"error": "错误", "warning": "警告"}


def column_letter(number: int) -> str:
    """Excel's name of a 1-based column number: 1 -> A, 27 -> AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we know.

    ``code`` is stable (scripts and the broken-rule corpus match on it); ``suggestion`` is the
    nearest valid name, kept apart from the message so that each renderer words it once.
    A warning never stops a run; an error does.
    """

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    record: str | None = None
    field: str | None = None
    code: str = ""
    level: Level = "error"
    suggestion: str | None = None
    sheet: str | None = None
    """The worksheet of an Excel ledger."""
    header: str | None = None
    """The column's header as the clerk wrote it (``line`` is then the row, ``column`` its number)."""

    @property
    def cell(self) -> str:
        """Where in a table, as a clerk finds it: 工作表「罚没款台账」C5「金额（元）」; "" outside tables."""
        if self.header is None and self.sheet is None:
            return ""
        parts = []
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        place = f"{column_letter(self.column)}{self.line if self.line is not None else ''}" if self.column is not None else ""
        if self.header:
            place += f"「{self.header}」"
        if place:
            parts.append(place)
        return " ".join(parts)

    @property
    def text(self) -> str:
        """The message with its suggestion, as people read it."""
        return self.message + (f"（是否应为 {self.suggestion}？）" if self.suggestion else "")

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.cell:
            parts.append(self.cell)
        if self.record:
            parts.append(f"记录 {self.record}")
        if self.field:
            parts.append(f"字段 {self.field}")
        # Messages quote what the input holds (a record id, a file name): shown, never obeyed.
        return printable(": ".join(parts) + f": {self.text}")


@dataclass
class InputError(Exception):
    """Bad rules or records: carries every problem found, not only the first."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
