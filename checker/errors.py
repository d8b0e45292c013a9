"""Typed errors for bad input. The command line turns these into messages and exit status 2."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["InputError", "Level", "Problem"]

Level = Literal["error", "warning"]
LEVEL_ZH: dict[str, str] = {"error": "错误", "warning": "警告"}


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
        if self.record:
            parts.append(f"记录 {self.record}")
        if self.field:
            parts.append(f"字段 {self.field}")
        return ": ".join(parts) + f": {self.text}"


@dataclass
class InputError(Exception):
    """Bad rules or records: carries every problem found, not only the first."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
