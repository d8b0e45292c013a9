"""Tests that kill the mutants of checker/conditions.py that survived the kind tests and rule examples (issue 11, item 5).

The comparison language is asserted directly: what each operator decides in the oracle
(``holds``) and in the engine (they must agree), what a condition may be written with, how it
reads in Chinese, and how rule constants and record values are encoded and shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import ValidationError

from checker import engine
from checker.conditions import OPERATORS, Condition, add_working_keys, display_value, encode_constant, field_label, show_value, working_key
from checker.dates import to_daynum
from checker.engine import ActionPlan, run_plans
from checker.facts import KEY, TYPE

D = dt.date


def cond(**fields: Any) -> Condition:
    return Condition.model_validate(fields)


def engine_holds(c: Condition, ledger: str, fact: dict[str, Any], params: dict[str, Any] | None = None) -> bool:
    """The engine's answer for one fact: does any of the condition's tests match it?"""
    tests = c.engine_tests(ledger, params or {}, "r", "r#self")
    plans = [ActionPlan(f"t{i}", [[engine.pattern("r", [engine.is_type(ledger), t])]], ("r",)) for i, t in enumerate(tests)]
    got = run_plans(plans, [{TYPE: ledger, KEY: "x", **fact}])
    return any(("x",) in matches for matches in got.values())


# (condition, fact, expected): facts hold engine values (fen for money, day numbers for dates).
CASES: list[tuple[dict[str, Any], dict[str, Any], bool]] = [
    ({"field": "amount", "op": "==", "value": 100}, {"amount": 10000}, True),
    ({"field": "amount", "op": "==", "value": 100}, {"amount": 10001}, False),
    ({"field": "amount", "op": "!=", "value": 100}, {"amount": 10000}, False),
    ({"field": "amount", "op": "!=", "value": 100}, {"amount": 9999}, True),
    ({"field": "amount", "op": "<", "value": 100}, {"amount": 10000}, False),
    ({"field": "amount", "op": "<", "value": 100}, {"amount": 9999}, True),
    ({"field": "amount", "op": "<=", "value": 100}, {"amount": 10000}, True),
    ({"field": "amount", "op": "<=", "value": 100}, {"amount": 10001}, False),
    ({"field": "amount", "op": ">", "value": 100}, {"amount": 10000}, False),
    ({"field": "amount", "op": ">", "value": 100}, {"amount": 10001}, True),
    ({"field": "amount", "op": ">=", "value": 100}, {"amount": 10000}, True),
    ({"field": "amount", "op": ">=", "value": 100}, {"amount": 9999}, False),
    ({"field": "amount", "op": ">=", "value": {"param": "min"}}, {"amount": 20000}, True),
    ({"field": "amount", "op": ">=", "value": {"param": "min"}}, {"amount": 19999}, False),
    ({"field": "category", "op": "in", "value": ["罚款", "没收违法所得"]}, {"category": "罚款"}, True),
    ({"field": "category", "op": "in", "value": ["罚款", "没收违法所得"]}, {"category": "没收非法财物"}, False),
    ({"field": "category", "op": "not_in", "value": ["罚款"]}, {"category": "罚款"}, False),
    ({"field": "category", "op": "not_in", "value": ["罚款"]}, {"category": "没收非法财物"}, True),
    ({"field": "served_on", "op": "exists"}, {"served_on": 18000}, True),
    ({"field": "served_on", "op": "missing"}, {"served_on": 18000}, False),
    ({"field": "served_on", "op": "missing"}, {"amount": 1}, True),
    ({"field": "laws", "op": "contains", "value": "统计法"}, {"laws": ["统计法", "民法典"]}, True),
    ({"field": "laws", "op": "contains", "value": "统计法"}, {"laws": ["民法典"]}, False),
    ({"field": "laws", "op": "contains_other_than", "value": ["统计法"]}, {"laws": ["统计法", "民法典"]}, True),
    ({"field": "laws", "op": "contains_other_than", "value": ["统计法"]}, {"laws": ["统计法"]}, False),
    ({"field": "laws", "op": "contains_other_than", "value": ["统计法"]}, {"laws": []}, False),
]
LEDGER_OF = {"amount": "fine", "category": "fine", "served_on": "fine", "laws": "study_session"}
PARAMS = {"min": 200}


@pytest.mark.parametrize(("fields", "fact", "expected"), CASES)
def test_each_operator_decides_the_same_in_the_oracle_and_the_engine(fields: dict[str, Any], fact: dict[str, Any], expected: bool) -> None:
    c = cond(**fields)
    ledger = LEDGER_OF[c.field]
    assert c.holds(fact, ledger, PARAMS) is expected
    assert engine_holds(c, ledger, fact, PARAMS) is expected


@pytest.mark.parametrize("op", [op for op in OPERATORS if op != "missing"])
def test_a_test_on_a_field_the_record_lacks_is_false(op: str) -> None:
    operand = OPERATORS[op].operand
    value = None if operand == "none" else (["统计法"] if operand == "list" else "统计法")
    c = cond(field="laws", op=op, **({} if value is None else {"value": value}))
    assert c.holds({"topic": "x"}, "study_session", {}) is False
    assert engine_holds(c, "study_session", {"topic": "x"}) is False


def test_contains_needs_a_list_not_a_text_that_includes_the_word() -> None:
    assert cond(field="laws", op="contains", value="统计").holds({"laws": "统计法"}, "study_session", {}) is False
    assert cond(field="laws", op="contains_other_than", value=["统计"]).holds({"laws": "统计法"}, "study_session", {}) is False


def test_a_comparison_with_another_field_adds_the_offset() -> None:
    decided, notice = to_daynum(D(2020, 9, 1)), to_daynum(D(2020, 9, 2))
    c = cond(field="rights_notice_on", op="<=", other="decided_on", offset=1)
    assert c.holds({"rights_notice_on": notice, "decided_on": decided}, "penalty_decision", {}) is True
    assert c.holds({"rights_notice_on": notice + 1, "decided_on": decided}, "penalty_decision", {}) is False
    plain = cond(field="rights_notice_on", op="<", other="decided_on")
    assert plain.holds({"rights_notice_on": decided - 1, "decided_on": decided}, "penalty_decision", {}) is True
    # The other field missing: the comparison cannot hold.
    assert plain.holds({"rights_notice_on": decided - 1}, "penalty_decision", {}) is False


def test_a_working_day_offset_counts_on_the_official_calendar() -> None:
    # One working day after 2020-09-30 is 2020-10-09 (the National Day holiday in between).
    c = cond(field="legal_review_on", op="<=", other="decided_on", offset=1, working=True)
    decided = to_daynum(D(2020, 9, 30))
    assert c.holds({"legal_review_on": to_daynum(D(2020, 10, 9)), "decided_on": decided}, "penalty_decision", {}) is True
    assert c.holds({"legal_review_on": to_daynum(D(2020, 10, 10)), "decided_on": decided}, "penalty_decision", {}) is False
    fact = {"decided_on": decided}
    add_working_keys(fact, [c, cond(field="legal_review_on", op="<=", other="decided_on", offset=1)], {})
    assert fact == {"decided_on": decided, working_key(c): to_daynum(D(2020, 10, 9))}
    lacking: dict[str, Any] = {"legal_review_on": 1}
    add_working_keys(lacking, [c], {})
    assert lacking == {"legal_review_on": 1}


def test_the_working_key_names_the_field_and_the_offset() -> None:
    assert working_key(cond(field="legal_review_on", op="<=", other="decided_on", offset=3, working=True)) == "decided_on+wd:3"
    assert working_key(cond(field="legal_review_on", op="<=", other="decided_on", offset={"param": "n"}, working=True)) == "decided_on+wd:n"


@pytest.mark.parametrize(("fields", "words"), [
    ({"field": "served_on", "op": "exists", "value": 1}, "不带比较对象，却给了 value"),
    ({"field": "served_on", "op": "missing", "other": "decided_on"}, "不带比较对象，却给了 other"),
    ({"field": "amount", "op": ">=", "value": 1, "other": "x"}, "必须且只能给一个"),
    ({"field": "amount", "op": ">="}, "必须且只能给一个"),
    ({"field": "amount", "op": ">=", "value": 1, "offset": 1}, "offset 只能与 other 合用"),
    ({"field": "served_on", "op": ">=", "other": "decided_on", "working": True}, "working 只能与 other 及 offset 合用"),
    ({"field": "category", "op": "in", "other": "party"}, "不能与 other 合用"),
    ({"field": "category", "op": "not_in", "other": "party"}, "不能与 other 合用"),
    ({"field": "laws", "op": "contains", "other": "topic"}, "不能与 other 合用"),
    ({"field": "laws", "op": "contains_other_than", "other": "topic"}, "不能与 other 合用"),
    ({"field": "category", "op": "in", "value": "罚款"}, "value 应为列表"),
    ({"field": "amount", "op": "≥", "value": 1}, "未知的比较方式"),
])
def test_a_condition_written_wrong_is_refused_with_the_reason(fields: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        cond(**fields)


def test_a_list_operator_takes_a_parameter() -> None:
    c = cond(field="category", op="in", value={"param": "kinds"})
    assert c.holds({"category": "罚款"}, "fine", {"kinds": ["罚款"]}) is True


def test_the_operator_table_cannot_be_changed_in_place() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        OPERATORS["=="].zh = "x"  # type: ignore[misc]


@pytest.mark.parametrize(("fields", "ledger", "params", "text"), [
    ({"field": "decided_on", "op": "<", "value": "2020-01-01"}, "fine", None, "决定日期早于 2020-01-01"),
    ({"field": "decided_on", "op": ">=", "value": "2020-01-01"}, "fine", None, "决定日期不早于 2020-01-01"),
    ({"field": "amount", "op": "<", "value": 100}, "fine", None, "金额（元）小于 100"),
    ({"field": "amount", "op": ">=", "value": {"param": "min"}}, "fine", {"min": 200}, "金额（元）不少于 200"),
    ({"field": "amount", "op": ">=", "value": {"param": "min"}}, "fine", None, "金额（元）不少于 参数 min"),
    ({"field": "served_on", "op": "exists"}, "fine", None, "送达日期已填写"),
    ({"field": "served_on", "op": "missing"}, "fine", None, "送达日期未填写"),
    ({"field": "category", "op": "in", "value": ["罚款", "没收违法所得"]}, "fine", None, "类别属于 罚款、没收违法所得"),
    ({"field": "major", "op": "==", "value": True}, "penalty_decision", None, "是否重大执法决定应为是"),
    ({"field": "major", "op": "!=", "value": True}, "penalty_decision", None, "是否重大执法决定应为否"),
    ({"field": "major", "op": "==", "value": False}, "penalty_decision", None, "是否重大执法决定应为否"),
    ({"field": "rights_notice_on", "op": "<", "other": "decided_on"}, "penalty_decision", None, "告知书送达日期早于 决定日期"),
    ({"field": "rights_notice_on", "op": "<=", "other": "decided_on", "offset": 1}, "penalty_decision", None, "告知书送达日期不晚于 决定日期 加 1"),
    ({"field": "legal_review_on", "op": "<=", "other": "decided_on", "offset": 3, "working": True}, "penalty_decision", None,
     "法制审核日期不晚于 决定日期 加 3 个工作日"),
    ({"field": "legal_review_on", "op": "<=", "other": "decided_on", "offset": {"param": "n"}, "working": True}, "penalty_decision", {"n": 5},
     "法制审核日期不晚于 决定日期 加 5 个工作日"),
    ({"field": "legal_review_on", "op": "<=", "other": "decided_on", "offset": {"param": "n"}}, "penalty_decision", None,
     "法制审核日期不晚于 决定日期 加 n"),
    ({"field": "officers_count", "op": ">=", "value": 2}, "enforcement_action", None, "执法人员数不少于 2"),
    ({"field": "category", "op": "==", "value": "罚款"}, "fine", None, "类别等于 罚款"),  # 应为 is for yes/no only
    ({"field": "category", "op": "!=", "value": "罚款"}, "fine", None, "类别不等于 罚款"),
])
def test_a_condition_reads_in_chinese(fields: dict[str, Any], ledger: str, params: dict[str, Any] | None, text: str) -> None:
    assert cond(**fields).describe(ledger, params) == text


def test_field_labels_fall_back_to_the_field_name() -> None:
    assert field_label("fine", "amount") == "金额（元）"
    assert field_label("enforcement_action", "officers_count") == "执法人员数"
    assert field_label("fine", "no_such_field") == "no_such_field"
    assert field_label("fine", "no_such_count") == "no_such_count"
    assert field_label("no_such_ledger", "amount") == "amount"


def test_values_are_shown_as_a_person_reads_them() -> None:
    assert show_value([True, D(2020, 9, 1), 3, "x"]) == "是、2020-09-01、3、x"
    assert show_value(False) == "否" and show_value(D(2020, 1, 2)) == "2020-01-02" and show_value(1.5) == "1.5"


def test_rule_constants_are_encoded_as_the_engine_compares_them() -> None:
    assert encode_constant("fine", "amount", 100) == 10000
    assert encode_constant("fine", "amount", 100.5) == 10050
    assert encode_constant("fine", "amount", [1, 2]) == [100, 200]
    assert encode_constant("fine", "amount", True) is True  # a flag is no money
    assert encode_constant("fine", "decided_on", D(1970, 1, 11)) == 10
    assert encode_constant("fine", "category", "罚款") == "罚款"
    assert encode_constant("no_such_ledger", "amount", 100) == 100


def test_record_values_are_displayed_for_findings() -> None:
    record = SimpleNamespace(officers=["P01", "P02", "P01"], served_on=None, laws=[], decided_on=D(2020, 9, 1), major=True)
    assert display_value(record, "officers_count") == "2"  # distinct officers
    assert display_value(record, "served_on") == "未填写"
    assert display_value(record, "absent_field") == "未填写"
    assert display_value(record, "laws") == "（空）"
    assert display_value(record, "decided_on") == "2020-09-01"
    assert display_value(record, "major") == "是"
    assert display_value(record, "officers") == "P01、P02、P01"
    # A field named *_count of its own (its base no list) is shown as it is, not counted.
    assert display_value(SimpleNamespace(topic="统计法", topic_count=7), "topic_count") == "7"
