from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "district-bureau-2020"
TROUBLED = ROOT / "fixtures" / "troubled-bureau-2021"


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed bureau's records."""
    target = tmp_path / "bureau"
    shutil.copytree(SEED, target)
    return target
