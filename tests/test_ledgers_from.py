"""One reading of ``ledgers_from`` for every kind (issue 10): what falls due before the ledgers are
complete is left out (no finding), what falls due on or after it is judged. Deadline and per-record
rules read it as the periodic ones always did; a per-record obligation falls due on the record's date."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import pytest

from checker.evaluate import evaluate
from checker.examples import bureau_of
from checker.findings import Finding
from checker.rulebook import DEFAULT_RULES, Rulebook, load_rulebook
from checker.rules import Example, RuleBase

FROM = dt.date(2020, 1, 1)


@lru_cache(maxsize=1)
def book() -> Rulebook:
    return load_rulebook(DEFAULT_RULES)


def judge(rule: RuleBase, records: dict[str, list[dict[str, Any]]], as_of: dt.date, matcher: str,
          staff: list[dict[str, Any]] | None = None) -> dict[str, Finding]:
    example = Example(name="ledgers_from", as_of=as_of, ledgers_from=FROM, staff=staff or [], records=records, expect={})
    return {f.key: f for f in evaluate([rule], bureau_of(example, "test"), as_of, matcher=matcher)}  # type: ignore[arg-type]


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_a_fine_due_before_ledgers_from_is_not_judged(matcher: str) -> None:
    """Decided 2019-12-01, due 2019-12-16, never remitted: before the ledgers begin, so no gap;
    one decided 2019-12-20 is due 2020-01-06 (after the New Year holiday) and is judged."""
    rule = book().get("fines.to-treasury")
    fines = [{"id": "F-early", "decided_on": "2019-12-01", "amount": 1000},
             {"id": "F-straddle", "decided_on": "2019-12-20", "amount": 1000}]
    found = judge(rule, {"fine": fines, "remittance": [], "fine_payment": []}, dt.date(2020, 3, 31), matcher)
    assert "F-early" not in found
    assert found["F-straddle"].status.value == "gap" and found["F-straddle"].due is not None
    assert found["F-straddle"].due >= FROM


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_a_deadline_rule_with_only_earlier_dues_says_why_it_judged_nothing(matcher: str) -> None:
    rule = book().get("fines.to-treasury")
    found = judge(rule, {"fine": [{"id": "F-early", "decided_on": "2019-12-01", "amount": 1000}], "remittance": [],
                         "fine_payment": []}, dt.date(2020, 3, 31), matcher)
    (only,) = found.values()
    assert only.status.value == "not_applicable"
    assert "应于台账起始日期 2020-01-01 前完成" in only.message and "不予评判" in only.message


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_actions_dated_before_ledgers_from_are_not_judged(matcher: str) -> None:
    """A lone officer on 2019-12-31 is before the ledgers; the same on 2020-01-01 is a gap."""
    rule = book().get("enforcement.two-officers")
    staff = [{"id": "P1", "name": "甲"}, {"id": "P2", "name": "乙"}]
    actions = [{"id": "A-before", "date": "2019-12-31", "action": "检查", "officers": ["P1"]},
               {"id": "A-on", "date": "2020-01-01", "action": "检查", "officers": ["P1"]},
               {"id": "A-after", "date": "2020-01-02", "action": "检查", "officers": ["P1", "P2"]}]
    found = judge(rule, {"enforcement_action": actions}, dt.date(2020, 3, 31), matcher, staff)
    assert set(found) == {"A-on", "A-after"}
    assert found["A-on"].status.value == "gap" and found["A-after"].status.value == "met"


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_a_per_officer_rule_leaves_out_earlier_actions_too(matcher: str) -> None:
    rule = book().get("enforcement.certified-officers")
    staff = [{"id": "P1", "name": "甲"}, {"id": "P2", "name": "乙"}]
    actions = [{"id": "A-before", "date": "2019-12-31", "action": "检查", "officers": ["P1", "P2"]},
               {"id": "A-on", "date": "2020-01-01", "action": "检查", "officers": ["P1", "P2"]}]
    found = judge(rule, {"enforcement_action": actions, "enforcement_certificate": []}, dt.date(2020, 3, 31), matcher, staff)
    assert found and all(key.startswith("A-on") for key in found)
    assert {f.status.value for f in found.values()} == {"gap"}


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_all_actions_before_ledgers_from_is_not_applicable_and_named(matcher: str) -> None:
    rule = book().get("enforcement.two-officers")
    found = judge(rule, {"enforcement_action": [{"id": "A-1", "date": "2019-11-30", "action": "检查", "officers": ["P1"]}]},
                  dt.date(2020, 3, 31), matcher, [{"id": "P1", "name": "甲"}])
    (only,) = found.values()
    assert only.status.value == "not_applicable" and "早于台账起始日期" in only.message


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_a_lasting_division_of_duties_is_judged_while_it_lasts_not_by_its_start(matcher: str) -> None:
    """A division of duties that began in 2019 and still stands in 2020 is in force after the ledgers
    begin, so it is judged; one that ended 2019-12-31 is left out, wherever it started."""
    rule = book().get("finance.head-not-in-charge")
    staff = [{"id": "S1", "name": "局长甲"}, {"id": "S2", "name": "副局长乙"}]
    rows = [{"id": "RA-ended", "staff": "S1", "post": "局长", "duties": ["财务"], "start": "2018-01-01", "end": "2019-12-31"},
            {"id": "RA-open", "staff": "S1", "post": "局长", "duties": ["全面工作", "财务"], "start": "2019-03-01"},
            {"id": "RA-into", "staff": "S2", "post": "副局长", "duties": ["财务"], "start": "2019-03-01", "end": "2020-01-01"}]
    found = judge(rule, {"role_assignment": rows}, dt.date(2020, 3, 31), matcher, staff)
    assert set(found) == {"RA-open", "RA-into"}
    assert found["RA-open"].status.value == "gap" and found["RA-into"].status.value == "met"
