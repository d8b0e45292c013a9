"""Type hints and lint are checked, not decorative: mypy and ruff, with their config in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.skipif(shutil.which("mypy") is None and subprocess.run([sys.executable, "-m", "mypy", "--version"], capture_output=True).returncode != 0,
                    reason="mypy is not installed (it comes with the test extras)")
def test_mypy_is_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy", "checker"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


def test_ruff_is_clean() -> None:
    """The lint rule set chosen in pyproject.toml ([tool.ruff]) holds over the package and the tests."""
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "checker", "tests", "--output-format", "concise"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
