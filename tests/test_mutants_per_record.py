"""Tests that kill surviving mutants of checker/kinds/per_record.py (issue 11, item 5), through shipped rules.

The rule examples show met and gap per record; these pin down the rest: a certificate in force
from or until the very day of the action (engine and oracle), evidence of another holder or
refused by ``exists.when`` (oracle), each item of a list judged as its own subject without
``exists``, a rule left with nothing to judge (with and without records dated before the
ledgers are complete), the shapes refused (``each`` on no list, an empty ``link``, nothing
required, an empty group), lint checking the fields of ``require`` and ``any_of``, and what is
asked of the engine at all (no subject facts of its own for a plain rule, no ``met`` relation when
only ``exists`` is required, no ``applicable`` relation without ``when``).

Equivalent mutants (left alive, explained):
- in ``_exists_holds`` (the oracle's brute-force join) the four ``return False`` -> ``return None``:
  its only caller is ``any(...)``, for which None and False are the same.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from checker.cli import main
from checker.context import Context
from checker.evaluate import evaluate
from checker.examples import bureau_of
from checker.findings import Finding, Status
from checker.rulebook import DEFAULT_RULES, RULE_ADAPTER
from checker.rules import Example, RuleBase

CERTIFIED_PATH = next(DEFAULT_RULES.rglob("enforcement.certified-officers.yaml"))
TWO_PATH = next(DEFAULT_RULES.rglob("enforcement.two-officers.yaml"))
CERTIFIED = yaml.safe_load(CERTIFIED_PATH.read_text(encoding="utf-8"))
TWO = yaml.safe_load(TWO_PATH.read_text(encoding="utf-8"))
STAFF = [{"id": "P1", "name": "执法人员甲"}, {"id": "P2", "name": "执法人员乙"}]
MATCHERS = ["engine", "oracle"]


def rule_of(doc: dict[str, Any], **change: Any) -> Any:
    doc = copy.deepcopy(doc)
    doc.pop("examples", None)
    for key, value in change.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    return RULE_ADAPTER.validate_python(doc)


def example(as_of: str, records: dict[str, list[dict[str, Any]]], ledgers_from: str | None = None) -> Example:
    return Example.model_validate({"name": "t", "as_of": as_of, "ledgers_from": ledgers_from, "records": records,
                                   "staff": STAFF, "expect": {}})


def judge(rule: RuleBase, as_of: str, records: dict[str, list[dict[str, Any]]], matcher: Any = "engine",
          ledgers_from: str | None = None) -> dict[str, Finding]:
    ex = example(as_of, records, ledgers_from)
    return {str(f.subject): f for f in evaluate([rule], bureau_of(ex, "test"), ex.as_of, matcher=matcher)}


def action(aid: str, day: str, *officers: str, **more: Any) -> dict[str, Any]:
    return {"id": aid, "date": day, "action": "检查", "officers": list(officers), **more}


def cert(cid: str, holder: str, valid_from: str, valid_to: str | None = None) -> dict[str, Any]:
    return {"id": cid, "holder": holder, "valid_from": valid_from, "valid_to": valid_to}


# --- a certificate in force on the day --------------------------------------------------------


@pytest.mark.parametrize("matcher", MATCHERS)
def test_a_certificate_from_or_until_the_very_day_covers_it(matcher: str) -> None:
    found = judge(rule_of(CERTIFIED), "2020-12-31", {
        "enforcement_action": [action("A-1", "2020-05-06", "P1", "P2")],
        "enforcement_certificate": [cert("ZF-1", "P1", "2020-05-06", "2023-01-01"), cert("ZF-2", "P2", "2018-01-01", "2020-05-06")],
    }, matcher)
    assert {k: f.status for k, f in found.items()} == {"A-1/P1": Status.met, "A-1/P2": Status.met}


@pytest.mark.parametrize("matcher", MATCHERS)
def test_a_certificate_from_the_day_after_or_until_the_day_before_does_not(matcher: str) -> None:
    found = judge(rule_of(CERTIFIED), "2020-12-31", {
        "enforcement_action": [action("A-1", "2020-05-06", "P1", "P2")],
        "enforcement_certificate": [cert("ZF-1", "P1", "2020-05-07", "2023-01-01"), cert("ZF-2", "P2", "2018-01-01", "2020-05-05")],
    }, matcher)
    assert {k: f.status for k, f in found.items()} == {"A-1/P1": Status.gap, "A-1/P2": Status.gap}
    assert "未见于 2020-05-06 有效的" in found["A-1/P1"].message


@pytest.mark.parametrize("matcher", MATCHERS)
def test_evidence_of_another_holder_or_refused_by_its_when_does_not_count(matcher: str) -> None:
    exists = {**CERTIFIED["exists"], "when": [{"field": "valid_to", "op": "exists"}]}
    found = judge(rule_of(CERTIFIED, exists=exists), "2020-12-31", {
        "enforcement_action": [action("A-1", "2020-05-06", "P1", "P2")],
        "enforcement_certificate": [cert("ZF-1", "P2", "2019-01-01"), cert("ZF-2", "P2", "2019-01-01", "2022-01-01")],
    }, matcher)
    assert {k: f.status for k, f in found.items()} == {"A-1/P1": Status.gap, "A-1/P2": Status.met}
    assert found["A-1/P2"].evidence == ["A-1"]


# --- each item its own subject, and nothing to judge -------------------------------------------


def test_each_item_of_a_list_is_a_subject_without_exists_too() -> None:
    rule = rule_of(CERTIFIED, exists=None, require=[{"field": "party", "op": "==", "value": "企业甲"}])
    found = judge(rule, "2020-12-31", {"enforcement_action": [action("A-1", "2020-05-06", "P1", "P2", "P1", party="企业甲"),
                                                             action("A-2", "2020-06-06", "P2", party="企业乙")]})
    assert {k: f.status for k, f in found.items()} == {"A-1/P1": Status.met, "A-1/P2": Status.met, "A-2/P2": Status.gap}


def test_records_only_before_the_ledgers_are_complete_say_so() -> None:
    [f] = judge(rule_of(TWO), "2020-12-31", {"enforcement_action": [action("A-1", "2020-02-06", "P1", "P2")]},
                ledgers_from="2020-03-01").values()
    assert f.status is Status.not_applicable and "另有 1 项" in f.message and "早于台账起始日期" in f.message
    assert f.message.startswith("截至检查日无需评判的")


def test_no_record_at_all_is_not_applicable_without_a_note() -> None:
    [f] = judge(rule_of(TWO), "2020-12-31", {"enforcement_action": []}).values()
    assert f.status is Status.not_applicable and f.message.startswith("截至检查日无") and "早于" not in f.message


# --- shapes refused ---------------------------------------------------------------------------


@pytest.mark.parametrize("each", ["action", "no_such_field"])
def test_each_must_name_a_list_field(each: str) -> None:
    with pytest.raises(ValidationError, match="each 应为台账 enforcement_action 的列表字段"):
        rule_of(CERTIFIED, subject={"ledger": "enforcement_action", "each": each})


def test_an_empty_link_is_refused() -> None:
    with pytest.raises(ValidationError, match="link"):
        rule_of(CERTIFIED, exists={**CERTIFIED["exists"], "link": {}})


def test_something_must_be_required_and_each_group_hold_a_condition() -> None:
    with pytest.raises(ValidationError, match="require、any_of 与 exists 至少给一个"):
        rule_of(TWO, require=[])
    with pytest.raises(ValidationError, match="any_of 的每一组至少有一个条件"):
        rule_of(TWO, any_of=[[{"field": "party", "op": "exists"}], []])
    assert rule_of(TWO, require=[], any_of=[[{"field": "party", "op": "exists"}]]).any_of
    assert rule_of(CERTIFIED).exists is not None and not rule_of(CERTIFIED).require


@pytest.mark.parametrize("part", ["require", "any_of"])
def test_lint_checks_the_fields_of_require_and_any_of(part: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = TWO_PATH.read_text(encoding="utf-8")
    if part == "require":
        source = source.replace("  - field: officers_count\n", "  - field: officers_cnt\n", 1)
    else:
        source = source.replace("\nexamples:", "\nany_of:\n  - - {field: partyy, op: exists}\nexamples:", 1)
    (tmp_path / TWO_PATH.name).write_text(source, encoding="utf-8")
    assert main(["rules", "lint", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert "unknown-field" in out and ("officers_cnt" if part == "require" else "partyy") in out


# --- what is asked of the engine ------------------------------------------------------------------


def _ctx() -> Context:
    ex = example("2020-12-31", {"enforcement_action": [action("A-1", "2020-05-06", "P1")]})
    return Context.of(bureau_of(ex, "test"), ex.as_of)


def test_a_plain_rule_judges_the_ledgers_facts_and_makes_none_of_its_own() -> None:
    rule = rule_of(TWO)
    assert rule.subject_facts(_ctx()) == [] and rule.subjects_type == "enforcement_action"
    names = [p.name for p in rule.plans(_ctx())]
    assert rule.action("applicable") not in names and rule.action("met") in names  # no when: every record applies


def test_with_a_when_the_applicable_records_are_asked() -> None:
    rule = rule_of(TWO, subject={"ledger": "enforcement_action", "when": [{"field": "action", "op": "==", "value": "检查"}]})
    assert rule.action("applicable") in [p.name for p in rule.plans(_ctx())]


def test_when_only_evidence_is_required_met_is_not_asked() -> None:
    rule = rule_of(CERTIFIED)
    names = [p.name for p in rule.plans(_ctx())]
    assert rule.action("met") not in names and rule.action("evidence:0") in names
    assert len(rule.subject_facts(_ctx())) == 1  # one action, one officer: one subject fact of its own
    assert rule.subjects_type == "enforcement_action@enforcement.certified-officers"


# --- the gap's reasons and the requirement's wording -------------------------------------------------

ANY_OF = [[{"field": "party", "op": "==", "value": "企业甲"}], [{"field": "case_id", "op": "exists"}]]


def test_a_gap_names_each_failed_condition_and_its_value() -> None:
    found = judge(rule_of(TWO), "2020-12-31", {"enforcement_action": [action("A-1", "2020-05-06", "P1", "P2"),
                                                                      action("A-2", "2020-05-07", "P1")]})
    assert found["A-1"].status is Status.met
    f = found["A-2"]
    assert f.status is Status.gap and f.message == "执法行为 A-2：要求执法人员数不少于 2，实为 1"


def test_any_of_is_named_only_when_require_holds_and_no_group_does() -> None:
    rule = rule_of(TWO, any_of=ANY_OF)
    found = judge(rule, "2020-12-31", {"enforcement_action": [
        action("A-1", "2020-05-06", "P1", "P2", party="企业乙"),  # require holds, no group holds
        action("A-2", "2020-05-06", "P1", party="企业乙"),  # require fails
        action("A-3", "2020-05-06", "P1", "P2", party="企业甲"),  # require and the first group hold
    ]})
    assert found["A-1"].message == "执法行为 A-1：须满足其一：当事人等于 企业甲；或案件编号已填写"
    assert found["A-2"].message == "执法行为 A-2：要求执法人员数不少于 2，实为 1"
    assert found["A-3"].status is Status.met


def test_missing_evidence_is_named_only_when_the_record_itself_passes() -> None:
    rule = rule_of(CERTIFIED, require=[{"field": "party", "op": "==", "value": "企业甲"}])
    found = judge(rule, "2020-12-31", {"enforcement_action": [action("A-1", "2020-05-06", "P1", party="企业乙"),
                                                             action("A-2", "2020-05-06", "P2", party="企业甲")]})
    assert found["A-1/P1"].message == "执法行为 A-1/P1：要求当事人等于 企业甲，实为 企业乙"
    assert found["A-2/P2"].message == "执法行为 A-2/P2：未见于 2020-05-06 有效的行政执法证记录"


def test_missing_evidence_without_covers_names_no_day() -> None:
    rule = rule_of(CERTIFIED, exists={k: v for k, v in CERTIFIED["exists"].items() if k != "covers"})
    found = judge(rule, "2020-12-31", {"enforcement_action": [action("A-1", "2020-05-06", "P1")],
                                       "enforcement_certificate": [cert("ZF-9", "P2", "2019-01-01")]})
    assert found["A-1/P1"].message == "执法行为 A-1/P1：未见行政执法证记录"


def test_requirement_wording_of_each_part() -> None:
    at = dt.date(2020, 12, 31)

    def text(rule: RuleBase) -> str:
        return rule.requirement(rule.params_at(at))

    assert text(rule_of(TWO)) == "执法行为台账中的每一条记录都必须满足：执法人员数不少于 2。"
    assert text(rule_of(CERTIFIED)) == "执法行为台账中的每一条记录的每一项执法人员都必须满足：有相应的行政执法证，且其有效期起至有效期至覆盖该记录日期。"
    assert text(rule_of(TWO, any_of=ANY_OF)) == "执法行为台账中的每一条记录都必须满足：执法人员数不少于 2；并满足以下之一：当事人等于 企业甲；或案件编号已填写。"
    no_cover = rule_of(CERTIFIED, exists={k: v for k, v in CERTIFIED["exists"].items() if k != "covers"})
    assert text(no_cover) == "执法行为台账中的每一条记录的每一项执法人员都必须满足：有相应的行政执法证。"
