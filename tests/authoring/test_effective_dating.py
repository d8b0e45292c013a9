"""Effective dating: a parameter changed from a date, rule versions, and the rulebook named in every check."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.cli import main
from checker.evaluate import evaluate
from checker.examples import bureau_of
from checker.findings import Finding, Status
from checker.rulebook import DEFAULT_RULES, RULE_ADAPTER, load_rulebook
from checker.rules import Example

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "district-bureau-2020"
CHANGE = dt.date(2021, 7, 15)

OFFICERS = """
id: dated.officers
kind: per-record
title: 执法人员人数
where: 一(四)2
citations: [{source: 《中华人民共和国行政处罚法》}]
owner: 执法监督科
remedy: 配足执法人员。
params:
  min_officers:
    - {from: 1996-10-01, value: 1}
    - {from: 2021-07-15, value: 2}
versions:
  - {version: "1996", from: 1996-10-01}
  - {version: "2021", from: 2021-07-15}
subject: {record: enforcement_action}
require:
  - {field: officers_count, op: ">=", param: min_officers}
"""

REMITTANCE = """
id: dated.remittance
kind: deadline
title: 罚款按期入库
where: 一(四)5
citations: [{source: 《中华人民共和国行政处罚法》}]
owner: 办公室
remedy: 督促入库。
params:
  days:
    - {from: 1996-10-01, value: 15}
    - {from: 2021-07-15, value: 10}
versions:
  - {version: "1996", from: 1996-10-01}
  - {version: "2021", from: 2021-07-15}
trigger: {record: fine}
evidence: {record: remittance}
link: {fine_id: id}
within: {param: days}
"""


def judge(rule_yaml: str, records: dict[str, list[dict[str, Any]]], matcher: str) -> dict[str, Finding]:
    rule = RULE_ADAPTER.validate_python(yaml.safe_load(rule_yaml))
    example = Example(name="dated", as_of=dt.date(2021, 12, 31), ledgers_from=dt.date(2021, 1, 1), records=records, expect={})
    findings = evaluate([rule], bureau_of(example, "test"), example.as_of, matcher=matcher)  # type: ignore[arg-type]
    return {f.key: f for f in findings}


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_one_officer_is_enough_before_the_change_and_not_after(matcher: str) -> None:
    day_before = (CHANGE - dt.timedelta(days=1)).isoformat()
    actions = [
        {"id": "before", "date": day_before, "action": "检查", "officers": ["P1"]},
        {"id": "on", "date": CHANGE.isoformat(), "action": "检查", "officers": ["P1"]},
        {"id": "after-two", "date": "2021-09-01", "action": "检查", "officers": ["P1", "P2"]},
    ]
    found = judge(OFFICERS, {"enforcement_action": actions}, matcher)
    assert {k: (f.status, f.version) for k, f in found.items()} == {
        "before": (Status.met, "1996"),
        "on": (Status.gap, "2021"),
        "after-two": (Status.met, "2021"),
    }
    assert "不少于 2" in found["on"].message


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_the_same_twelve_days_are_in_time_before_the_change_and_late_after(matcher: str) -> None:
    decided = [CHANGE - dt.timedelta(days=3), CHANGE + dt.timedelta(days=3)]
    fines = [{"id": f"F{i}", "decided_on": d.isoformat(), "amount": 100} for i, d in enumerate(decided)]
    remittances = [
        {"id": f"R{i}", "fine_id": f"F{i}", "remitted_on": (d + dt.timedelta(days=12)).isoformat(), "amount": 100}
        for i, d in enumerate(decided)
    ]
    found = judge(REMITTANCE, {"fine": fines, "remittance": remittances}, matcher)
    assert (found["F0"].status, found["F0"].version, found["F0"].due) == (Status.met, "1996", decided[0] + dt.timedelta(days=15))
    assert (found["F1"].status, found["F1"].version, found["F1"].due) == (Status.gap, "2021", decided[1] + dt.timedelta(days=10))
    assert found["F1"].details["days_late"] == 2


def check_json(capsys: pytest.CaptureFixture[str], rules: Path) -> dict[str, Any]:
    code = main(["check", str(FIXTURE), "--rules", str(rules), "--as-of", "2020-12-31", "--format", "json"])
    assert code in (0, 1)
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_every_check_names_the_rulebook_version_and_a_hash_of_its_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = load_rulebook(DEFAULT_RULES)
    meta = yaml.safe_load((DEFAULT_RULES / "rulebook.yaml").read_text(encoding="utf-8"))
    result = check_json(capsys, DEFAULT_RULES)
    assert result["rulebook"] == {"version": str(meta["version"]), "digest": book.digest}
    assert main(["check", str(FIXTURE), "--as-of", "2020-12-31"]) in (0, 1)
    assert f"规则库 {meta['version']} · {book.digest}" in capsys.readouterr().out

    copy = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES, copy)
    rule = next(copy.rglob("enforcement.two-officers.yaml"))
    rule.write_text(rule.read_text(encoding="utf-8").replace("severity: high", "severity: medium"), encoding="utf-8")
    assert check_json(capsys, copy)["rulebook"]["digest"] != book.digest
