"""Tests that kill surviving mutants of checker/kinds/deadline.py (issue 11, item 5), through the shipped rules.

The rule examples cover met and gap; these cover the other outcomes of a deadline with
``timed_by`` (a fine paid by the party, entered in the treasury): paid late, paid short, paid in
time but entered short, not yet due, no payment record; the default reading of a calendar-day
period that ends on a holiday; and the parts of a deadline rule that may not be left empty.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from checker.evaluate import evaluate
from checker.examples import bureau_of
from checker.findings import Finding, Status
from checker.rulebook import DEFAULT_RULES, RULE_ADAPTER, check_rule_paths, load_rule_file
from checker.rules import Example, RuleBase

TREASURY = DEFAULT_RULES / "1.4-enforcement" / "fines.to-treasury.yaml"
RULE = load_rule_file(TREASURY)
DOC = yaml.safe_load(TREASURY.read_text(encoding="utf-8"))
NOT_YET = (Status.due_soon, Status.pending)

# Served 2020-05-12: fifteen days end on 2020-05-27 (a Wednesday).
FINE = {"id": "F-1", "decided_on": "2020-05-06", "served_on": "2020-05-12", "amount": 8000}
DECISION = {"id": "PD-1", "decided_on": "2020-05-06", "party": "企业甲"}


def paid(on: str, amount: int = 8000, n: int = 1) -> dict[str, Any]:
    return {"id": f"JK-{n}", "decision_id": "PD-1", "fine_id": "F-1", "amount": amount, "channel": "指定银行",
            "paid_on": on, "handed_in_on": on, "banked_on": on}


def remitted(on: str, amount: int = 8000, n: int = 1) -> dict[str, Any]:
    return {"id": f"R-{n}", "fine_id": "F-1", "remitted_on": on, "amount": amount}


def judge(as_of: str, *, payments: list[dict[str, Any]] | None = None, remittances: list[dict[str, Any]] | None = None,
          fine: dict[str, Any] | None = None, rule: RuleBase = RULE) -> Finding:
    records: dict[str, Any] = {"penalty_decision": [DECISION], "fine": [fine or FINE], "remittance": remittances or []}
    if payments is not None:
        records["fine_payment"] = payments
    example = Example.model_validate({"name": "t", "as_of": as_of, "records": records, "expect": {}})
    found = evaluate([rule], bureau_of(example, "test"), example.as_of)
    [finding] = [f for f in found if f.subject == (fine or FINE)["id"]]
    return finding


def test_paid_in_time_and_entered_in_full_is_met() -> None:
    f = judge("2020-12-31", payments=[paid("2020-05-20")], remittances=[remitted("2020-06-30")])
    assert f.status is Status.met and "已足额" in f.message


def test_paid_a_day_late_is_a_gap_counted_in_days() -> None:
    f = judge("2020-12-31", payments=[paid("2020-05-28")], remittances=[remitted("2020-05-28")])
    assert f.status is Status.gap and f.details["days_late"] == 1 and "迟延 1 天" in f.message
    assert f.due == dt.date(2020, 5, 27)


def test_paid_in_time_but_short_is_a_gap_naming_the_shortfall() -> None:
    f = judge("2020-12-31", payments=[paid("2020-05-20", 5000)], remittances=[remitted("2020-05-21", 5000)])
    assert f.status is Status.gap and "短缺 3000" in f.message and "days_late" not in f.details


def test_paid_in_time_in_full_but_entered_short_is_a_gap_of_the_entry() -> None:
    f = judge("2020-12-31", payments=[paid("2020-05-20")], remittances=[remitted("2020-05-21", 5000)])
    assert f.status is Status.gap and "已按期落实，但" in f.message and "短缺 3000" in f.message


def test_paid_in_time_but_not_yet_entered_in_full_waits_for_the_due_day() -> None:
    f = judge("2020-05-22", payments=[paid("2020-05-20")], remittances=[remitted("2020-05-21", 5000)])
    assert f.status in NOT_YET and "尚未足额" in f.message


def test_a_payment_in_two_parts_in_time_adds_up() -> None:
    f = judge("2020-12-31", payments=[paid("2020-05-14", 3000, 1), paid("2020-05-27", 5000, 2)], remittances=[remitted("2020-05-28")])
    assert f.status is Status.met


def test_not_paid_before_the_due_day_is_not_yet_due() -> None:
    f = judge("2020-05-20", payments=[paid("2020-05-30")], remittances=[])
    assert f.status in NOT_YET and "2020-05-27 前落实" in f.message


def test_without_a_payment_record_the_treasury_date_judges_and_the_finding_says_so() -> None:
    f = judge("2020-12-31", payments=[], remittances=[remitted("2020-06-10")])
    assert f.status is Status.gap and "未见当事人缴款记录" in f.message


def test_a_calendar_period_ending_in_a_holiday_runs_past_it_unless_the_rule_says_not() -> None:
    # Served 2020-09-16: the fifteenth day is 2020-10-01, National Day; the period runs to 2020-10-09.
    fine = {**FINE, "served_on": "2020-09-16"}
    late_holiday = [remitted("2020-10-09")]
    assert judge("2020-12-31", fine=fine, remittances=late_holiday).status is Status.met
    doc = copy.deepcopy(DOC)
    doc["within"]["extend_past_rest_days"] = False
    strict = RULE_ADAPTER.validate_python(doc)
    assert judge("2020-12-31", fine=fine, remittances=late_holiday, rule=strict).status is Status.gap


@pytest.mark.parametrize("where", [("link",), ("timed_by", "link"), ("within", "extended", "when")])
def test_a_link_or_an_extension_condition_list_may_not_be_empty(where: tuple[str, ...]) -> None:
    doc = copy.deepcopy(DOC)
    if where[-1] == "when":
        doc["within"]["extended"] = {"when": [], "days": 30}
    else:
        node = doc
        for step in where[:-1]:
            node = node[step]
        node[where[-1]] = {}
    with pytest.raises(ValidationError):
        RULE_ADAPTER.validate_python(doc)


def test_fields_of_an_extension_condition_are_checked_as_trigger_fields(tmp_path: Path) -> None:
    doc = copy.deepcopy(DOC)
    doc["within"]["extended"] = {"when": [{"field": "category", "op": "==", "value": "罚款"}], "days": 30}
    good = tmp_path / "good" / TREASURY.name
    good.parent.mkdir()
    good.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    checked, problems = check_rule_paths([good])
    assert not checked[0].errors and not [p for p in problems if p.level == "error"]
    doc["within"]["extended"]["when"][0]["field"] = "no_such_field"
    bad = tmp_path / "bad" / TREASURY.name
    bad.parent.mkdir()
    bad.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    checked, _ = check_rule_paths([bad])
    assert any("no_such_field" in p.message for p in checked[0].errors)


def test_paid_more_than_owed_is_a_gap_naming_the_excess() -> None:
    f = judge("2020-12-31", payments=[paid("2020-05-20", 9000)], remittances=[remitted("2020-05-21", 9000)])
    assert f.status is Status.gap and "多出 1000" in f.message and "期限最后一日 2020-05-27" in f.message


def test_the_requirement_reads_the_rule_as_written() -> None:
    """What ``rules show`` prints: the period, its unit and start, the timing records, the sums, the unrecorded start."""
    text = RULE.requirement(RULE.params_at(dt.date(2020, 12, 31)))
    assert "自其送达日期起 15 天内" in text and "个工作日" not in text
    assert "有相应的当事人缴款" in text and "以其缴款日期判断是否按期（金额（元）合计须等于金额（元））" in text
    assert "未记载送达日期的，按决定日期起算，结论注明" in text
    assert text.endswith("按期的上缴国库金额（元）合计须等于罚没款的金额（元）。")
    pushed = load_rule_file(DEFAULT_RULES / "1.1-functions" / "credit.penalty-pushed.yaml")
    text = pushed.requirement(pushed.params_at(dt.date(2020, 12, 31)))
    assert "起 7 个工作日（按国务院节假日安排，含调休）内" in text and "当事人缴款" not in text and "合计" not in text
    doc = copy.deepcopy(DOC)
    doc["params"]["service_date_unrecorded"][0]["value"] = "unknown"
    strict = RULE_ADAPTER.validate_python(doc)
    assert "按决定日期起算仍按期的为已落实，否则无法判断" in strict.requirement(strict.params_at(dt.date(2020, 12, 31)))


def _alone(as_of: str, fines: list[dict[str, Any]], ledgers_from: str | None = None) -> Finding:
    records: dict[str, Any] = {"penalty_decision": [DECISION], "fine": fines, "remittance": [], "fine_payment": []}
    example = Example.model_validate({"name": "t", "as_of": as_of, "ledgers_from": ledgers_from, "records": records, "expect": {}})
    [finding] = evaluate([RULE], bureau_of(example, "test"), example.as_of)
    return finding


def test_a_fine_due_before_the_ledgers_are_complete_is_left_out_and_named() -> None:
    f = _alone("2020-12-31", [FINE], ledgers_from="2020-07-01")
    assert f.status is Status.not_applicable and f.message.startswith("截至检查日无需评判的")
    assert "另有 1 项" in f.message and "早于台账起始日期" in f.message


def test_no_fine_at_all_is_not_applicable_without_a_note() -> None:
    f = _alone("2020-12-31", [])
    assert f.status is Status.not_applicable and f.message.startswith("截至检查日无") and "早于" not in f.message
