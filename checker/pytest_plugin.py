"""Collects every rule file's examples as pytest items, so plain ``pytest`` runs them.

A failure prints the rule file, the example's name, and each expected and actual finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .errors import InputError
from .examples import run_example
from .interpretations import INTERPRETATIONS_FILE
from .rulebook import NOT_RULES, RULE_SUFFIXES, RULEBOOK_FILE, load_rule_file
from .rules import Example, RuleBase


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if (file_path.suffix.lower() in RULE_SUFFIXES and file_path.name not in (RULEBOOK_FILE, INTERPRETATIONS_FILE) and "rules" in file_path.parts
            and not set(file_path.parts) & set(NOT_RULES)):
        return RuleFile.from_parent(parent, path=file_path)
    return None


class RuleFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            rule = load_rule_file(self.path)
        except InputError as exc:
            yield BrokenRule.from_parent(self, name="load", error=str(exc))
            return
        for example in rule.examples:
            yield RuleExample.from_parent(self, name=example.name, rule=rule, example=example)


class BrokenRule(pytest.Item):
    def __init__(self, *, error: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.error = error

    def runtest(self) -> None:
        raise RuleExampleFailure(self.error)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return str(excinfo.value)


class RuleExampleFailure(Exception):
    pass


class RuleExample(pytest.Item):
    def __init__(self, *, rule: RuleBase, example: Example, **kw: Any) -> None:
        super().__init__(**kw)
        self.rule = rule
        self.example = example

    def runtest(self) -> None:
        outcome = run_example(self.rule, self.example, str(self.path))
        if not outcome.passed:
            raise RuleExampleFailure("\n".join(outcome.differences()))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return f"{self.path}: {self.rule.id}: 案例「{self.example.name}」\n{excinfo.value}"

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.rule.id}: {self.example.name}"
