"""Fixtures for the report tests; the bureaus and rules themselves are in ``report_helpers``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from report_helpers import CLEAN_LEDGERS, GAP_LEDGERS, make_report, write_bureau, write_rules

from checker.report import Report


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    return write_rules(tmp_path)


@pytest.fixture
def gap_bureau(tmp_path: Path) -> Path:
    return write_bureau(tmp_path, "gap-bureau", GAP_LEDGERS)


@pytest.fixture
def clean_bureau(tmp_path: Path) -> Path:
    return write_bureau(tmp_path, "clean-bureau", CLEAN_LEDGERS)


@pytest.fixture
def gap_report(gap_bureau: Path, rules_dir: Path) -> Report:
    return make_report(gap_bureau, rules_dir)


@pytest.fixture
def clean_report(clean_bureau: Path, rules_dir: Path) -> Report:
    return make_report(clean_bureau, rules_dir)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    from checker.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        """Exit status, stdout, stderr; a usage error (argparse's SystemExit) gives its status too."""
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run
