"""Meta-tests on the rulebook and the models: the habits that keep rules trustworthy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from checker import kinds, records, rules
from checker.findings import Status
from checker.kinds import KINDS
from checker.records import LEDGERS
from checker.rulebook import load_rulebook, rule_files

from .conftest import ROOT

OBLIGATIONS = Path(ROOT.parent / "shared" / "OBLIGATIONS.md")


def _models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for module in (rules, records, *[m for m in vars(kinds).values() if hasattr(m, "__file__")]):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__.startswith("checker"):
                found.append(value)
    found += list(LEDGERS.values()) + list(KINDS.values())
    return found


def test_every_model_forbids_unknown_keys() -> None:
    offenders = [m.__name__ for m in _models() if m.model_config.get("extra") != "forbid" and m.__name__ != "Finding"]
    assert not offenders


def test_rule_id_is_the_file_name() -> None:
    book = load_rulebook(ROOT / "rules")
    for rule in book.rules:
        assert book.paths[rule.id].stem == rule.id


def test_every_rule_has_a_passing_and_a_failing_example() -> None:
    for rule in load_rulebook(ROOT / "rules").rules:
        statuses = {s for e in rule.examples for s in e.expect.values()}
        assert Status.gap in statuses, f"{rule.id} has no failing example"
        assert Status.met in statuses, f"{rule.id} has no passing example"


def test_every_rule_cites_the_seed_heading_and_a_source() -> None:
    for rule in load_rulebook(ROOT / "rules").rules:
        assert rule.citations and all(c.source.strip() for c in rule.citations), rule.id


@pytest.mark.skipif(not OBLIGATIONS.exists(), reason="shared/OBLIGATIONS.md is not beside the checkout")
def test_rule_ids_come_from_the_obligations_table() -> None:
    known = set(re.findall(r"^\| `([a-z0-9.-]+)` \|", OBLIGATIONS.read_text(encoding="utf-8"), flags=re.M))
    ids = {p.stem for p in rule_files(ROOT / "rules")}
    assert ids <= known, ids - known
