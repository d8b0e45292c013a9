"""Type hints are checked, not decorative: mypy over the package, with the config in pyproject.toml."""

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
