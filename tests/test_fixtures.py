"""The two bundled bureaus judged as their READMEs say: the seed's own two gaps, and the troubled year's list."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from functools import cache

import pytest
import yaml

from checker.evaluate import evaluate
from checker.findings import Finding, Status
from checker.records import load_bureau
from checker.rulebook import load_rulebook

from .conftest import ROOT, SEED, TROUBLED
from .test_rulebook import OBLIGATIONS


@cache
def check(folder: str, as_of: dt.date) -> tuple[Finding, ...]:
    return tuple(evaluate(load_rulebook(ROOT / "rules").rules, load_bureau(ROOT / "fixtures" / folder), as_of))


def gaps(findings: tuple[Finding, ...]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        if f.status is Status.gap:
            out[f.rule_id].add(f.key)
    return dict(out)


def test_every_obligation_has_its_rule() -> None:
    if not OBLIGATIONS.exists():
        pytest.skip("shared/OBLIGATIONS.md is not beside the checkout")
    wanted = set(re.findall(r"^\| `([a-z0-9.-]+)` \|", OBLIGATIONS.read_text(encoding="utf-8"), flags=re.M))
    assert wanted == {r.id for r in load_rulebook(ROOT / "rules").rules}


def test_seed_year_end_has_exactly_the_two_gaps_of_section_two() -> None:
    as_of = dt.date(2020, 12, 31)
    findings = check(SEED.name, as_of)
    assert set(gaps(findings)) == {"learning.breadth", "publicity.channel-mix"}
    assert gaps(findings)["learning.breadth"] == {"2020"}
    for f in findings:
        if f.status in (Status.pending, Status.due_soon):
            assert f.due and f.due > as_of, f
        assert f.status is not Status.unknown, f
    statuses = {f.rule_id: {x.status for x in findings if x.rule_id == f.rule_id} for f in findings}
    assert statuses["litigation.head-appears"] == {Status.not_applicable}
    report = [f for f in findings if f.rule_id == "annual-report.to-government" and f.period == "2020"]
    assert [(f.status, f.due) for f in report] == [(Status.pending, dt.date(2021, 3, 1))]


def test_seed_mid_year_run_judges_only_what_is_due() -> None:
    as_of = dt.date(2020, 11, 30)
    findings = check(SEED.name, as_of)
    by_key = {(f.rule_id, f.key): f.status for f in findings}
    assert by_key[("interference.quarterly-self-check", "2020Q4")] is Status.pending
    key_dates = {f.key: f.status for f in findings if f.rule_id == "pufa.key-dates" and f.period == "2020"}
    assert [s for k, s in key_dates.items() if "12" in k or "宪法" in k] == [Status.due_soon]
    assert sorted(s.value for s in key_dates.values()) == ["due_soon", "met", "met"]
    for f in findings:
        if f.status is Status.gap:
            assert f.due is None or f.due <= as_of, f


def test_troubled_year_fails_every_rule_exactly_as_listed() -> None:
    expected: dict[str, set[str]] = defaultdict(set)
    for path in sorted((TROUBLED / "expected").glob("*.yaml")):
        for rule_id, keys in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            expected[rule_id] |= {str(k) for k in keys}
    found = gaps(check(TROUBLED.name, dt.date(2021, 12, 31)))
    assert found == dict(expected)
    assert set(found) == {r.id for r in load_rulebook(ROOT / "rules").rules}


def test_troubled_readme_lists_every_expected_gap() -> None:
    readme = (TROUBLED / "README.md").read_text(encoding="utf-8")
    for path in sorted((TROUBLED / "expected").glob("*.yaml")):
        for rule_id, keys in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            for key in keys:
                assert f"| `{rule_id}` | {key} |" in readme, (rule_id, key)
