"""The interpretation register: every reading a parameter names is registered, and ``rules lint`` says so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.cli import main
from checker.interpretations import load_register
from checker.rulebook import DEFAULT_RULES, load_rulebook

REGISTER = DEFAULT_RULES / "interpretations.yaml"


def test_the_register_holds_the_readings_the_issue_names() -> None:
    readings = load_register(REGISTER).by_id()
    assert {"before-date-inclusive", "uncertified-officer-counts", "rest-day-extension"} <= set(readings)
    assert all(r.basis and r.decided_by and r.decided_on for r in readings.values())


def test_every_reading_a_parameter_names_is_registered() -> None:
    readings = load_register(REGISTER).by_id()
    used = {v.reading for rule in load_rulebook(DEFAULT_RULES).rules for vals in rule.params.values() for v in vals if v.reading}
    assert used and used <= set(readings)
    by_rule = {rule.id for rule in load_rulebook(DEFAULT_RULES).rules
               if any(v.reading == "before-date-inclusive" for vals in rule.params.values() for v in vals)}
    assert by_rule == {"annual-report.to-government", "annual-report.published"}


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["rules", "lint", *args])
    return code, capsys.readouterr().out


def test_an_unregistered_reading_fails_lint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES, copy)
    rule = next(copy.rglob("enforcement.two-officers.yaml"))
    rule.write_text(rule.read_text(encoding="utf-8").replace("reading: uncertified-officer-counts", "reading: uncertified-officer-count"),
                    encoding="utf-8")
    code, out = lint(capsys, str(copy))
    assert code == 2
    assert "unknown-reading" in out and "uncertified-officer-counts" in out and "enforcement.two-officers.yaml" in out


def test_a_malformed_register_fails_lint_with_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES, copy)
    register = copy / "interpretations.yaml"
    register.write_text(register.read_text(encoding="utf-8").replace("    decided_by: 规则库作者（待法律顾问确认）\n", "", 1),
                        encoding="utf-8")
    code, out = lint(capsys, str(copy))
    assert code == 2
    assert "interpretations.yaml" in out and "decided_by" in out
