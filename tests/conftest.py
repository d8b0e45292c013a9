from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "district-bureau-2020"
TROUBLED = ROOT / "fixtures" / "troubled-bureau-2021"


@pytest.fixture(autouse=True)
def history_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every check records its run (by default into the records folder): here, into a database of
    the test's own, so that no test writes into the fixtures or sees another test's runs."""
    path = tmp_path / "history.sqlite"
    monkeypatch.setenv("COMPLIANCE_HISTORY_DB", str(path))
    return path


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed bureau's records."""
    target = tmp_path / "bureau"
    # Not the history a README run of `compliance check` may have left beside the fixture's ledgers.
    shutil.copytree(SEED, target, ignore=shutil.ignore_patterns(".compliance-history.sqlite*"))
    return target
