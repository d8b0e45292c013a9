"""Periods counted as the law counts them (民法典 第二百零一条、第二百零三条): the start day is not
counted, and a calendar-day period whose last day is a rest day runs to the next working day."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from checker.evaluate import evaluate
from checker.examples import bureau_of
from checker.rulebook import RULE_ADAPTER
from checker.rules import Example
from checker.workdays import add_calendar_days

D = dt.date


@pytest.mark.parametrize(
    ("start", "days", "last"),
    [
        (D(2020, 9, 16), 15, D(2020, 10, 9)),   # ends 10-01, National Day 10-01..10-08, 10-09 a Friday
        (D(2020, 9, 15), 15, D(2020, 9, 30)),   # ends on a working day: not moved
        (D(2020, 9, 12), 15, D(2020, 9, 27)),   # 09-27 is a make-up working Sunday: not moved
        (D(2021, 5, 1), 14, D(2021, 5, 17)),    # ends Saturday 05-15 -> Monday 05-17
    ],
)
def test_a_period_ending_on_a_rest_day_runs_to_the_next_working_day(start: dt.date, days: int, last: dt.date) -> None:
    assert add_calendar_days(start, days) == (last, False)


def test_the_other_reading_does_not_extend() -> None:
    assert add_calendar_days(D(2020, 9, 16), 15, extend_past_rest_days=False) == (D(2020, 10, 1), False)


RULE = """
id: t.fifteen
kind: deadline
title: 十五日内入库
heading: 一(四)5
citations: [{source: 《中华人民共和国民法典》, article: 第二百零三条}]
owner: 办公室
remedy: 督促。
trigger: {ledger: fine}
evidence: {ledger: remittance}
link: {fine_id: id}
within: {days: 15}
"""


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
@pytest.mark.parametrize(("paid", "status"), [("2020-10-09", "met"), ("2020-10-10", "gap")])
def test_a_fifteen_day_period_ending_on_national_day_is_met_on_9_october(matcher: str, paid: str, status: str) -> None:
    rule = RULE_ADAPTER.validate_python(yaml.safe_load(RULE))
    example = Example(name="x", as_of=D(2020, 12, 31), ledgers_from=D(2020, 1, 1), expect={}, records={
        "fine": [{"id": "F", "decided_on": "2020-09-16", "amount": 100}],
        "remittance": [{"id": "R", "fine_id": "F", "remitted_on": paid, "amount": 100}],
    })
    found = {f.key: f for f in evaluate([rule], bureau_of(example, "t"), example.as_of, matcher=matcher)}  # type: ignore[arg-type]
    assert found["F"].status.value == status
    assert found["F"].due == D(2020, 10, 9)


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
@pytest.mark.parametrize(
    ("remitted", "status", "early"),
    [
        ("2020-09-15", "gap", True),    # the day before the fine was imposed: impossible, never evidence
        ("2020-09-16", "met", False),   # the decision's own day counts
        ("2020-09-20", "met", False),
    ],
)
def test_evidence_dated_before_its_trigger_never_counts(matcher: str, remitted: str, status: str, early: bool) -> None:
    rule = RULE_ADAPTER.validate_python(yaml.safe_load(RULE))
    example = Example(name="x", as_of=D(2020, 12, 31), ledgers_from=D(2020, 1, 1), expect={}, records={
        "fine": [{"id": "F", "decided_on": "2020-09-16", "amount": 100}],
        "remittance": [{"id": "R", "fine_id": "F", "remitted_on": remitted, "amount": 100}],
    })
    [found] = evaluate([rule], bureau_of(example, "t"), example.as_of, matcher=matcher)  # type: ignore[arg-type]
    assert found.status.value == status
    assert ("早于该事项本身的日期 2020-09-16" in found.message and "R" in found.message) is early
    if early:
        assert found.details["early_evidence"] == ["R"] and "未见记录" in found.message and "迟延" not in found.message


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_early_evidence_beside_timely_evidence_is_named_but_the_obligation_is_met(matcher: str) -> None:
    rule = RULE_ADAPTER.validate_python(yaml.safe_load(RULE))
    example = Example(name="x", as_of=D(2020, 12, 31), ledgers_from=D(2020, 1, 1), expect={}, records={
        "fine": [{"id": "F", "decided_on": "2020-09-16", "amount": 100}],
        "remittance": [{"id": "R0", "fine_id": "F", "remitted_on": "2020-09-01", "amount": 100},
                       {"id": "R1", "fine_id": "F", "remitted_on": "2020-09-18", "amount": 100}],
    })
    [found] = evaluate([rule], bureau_of(example, "t"), example.as_of, matcher=matcher)  # type: ignore[arg-type]
    assert found.status.value == "met" and found.evidence == ["R1"] and "R0" in found.message
