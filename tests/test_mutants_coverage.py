"""Tests that kill surviving mutants of checker/kinds/coverage.py (issue 11, item 5), through the shipped rule.

The rule examples show a year covered and a year with a two-week hole; these pin down the day
arithmetic: a hole of one day (on the period's first or last day too), holes kept apart or run
together, the days counted, the first five holes shown, the due day, which contracts are the
evidence, a contract of a single day, the warning ahead of the as-of date, the default and the
bounds of ``at_least``, and the requirement's wording.

Equivalent mutants (left alive, explained):
- ``signed > start`` -> ``>=``: when the contract is signed on its first day, ``start = signed``
  changes nothing.
- ``ahead_to > ctx.as_of`` -> ``>=``: when ``ahead_to == as_of`` the look-ahead runs from
  ``as_of + 1`` to ``as_of``, an empty range, so ``_holes`` gives ``[]`` either way.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from checker.evaluate import evaluate
from checker.examples import bureau_of
from checker.findings import Finding, Status
from checker.rulebook import DEFAULT_RULES, RULE_ADAPTER
from checker.rules import Example, RuleBase

D = dt.date
ADVISER = DEFAULT_RULES / "1.3-decision-making" / "legal-adviser.coverage.yaml"
DOC = yaml.safe_load(ADVISER.read_text(encoding="utf-8"))
RULE = RULE_ADAPTER.validate_python(DOC)


def variant(**change: Any) -> Any:
    """The shipped rule with some keys changed (None drops the key); its examples are dropped."""
    doc = copy.deepcopy(DOC)
    doc.pop("examples", None)
    for key, value in change.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    return RULE_ADAPTER.validate_python(doc)


def contract(cid: str, start: str, end: str | None, signed: str | None = None) -> dict[str, Any]:
    return {"id": cid, "firm": "某律师事务所", "adviser": "顾问甲", "signed_on": signed or start, "start": start, "end": end}


def judge(as_of: str, contracts: list[dict[str, Any]], rule: RuleBase = RULE, period: str = "2020",
          ledgers_from: str | None = None, warn_days: int = 30) -> Finding:
    example = Example.model_validate({"name": "t", "as_of": as_of, "ledgers_from": ledgers_from,
                                      "records": {"legal_adviser_contract": contracts}, "expect": {}})
    found = evaluate([rule], bureau_of(example, "test"), example.as_of, warn_days=warn_days)
    [finding] = [f for f in found if f.period == period]
    return finding


def holes(f: Finding) -> list[list[str]]:
    return list(f.details["holes"])


def test_a_hole_of_one_day_is_found_and_counted() -> None:
    f = judge("2020-12-31", [contract("C-1", "2020-01-01", "2020-07-14"), contract("C-2", "2020-07-16", "2020-12-31")])
    assert f.status is Status.gap
    assert holes(f) == [["2020-07-15", "2020-07-15"]] and f.details["uncovered_days"] == 1
    assert f.due == D(2020, 7, 15) and "有 1 天不满足（2020-07-15）" in f.message


def test_the_last_day_of_the_period_is_judged_too() -> None:
    f = judge("2020-12-31", [contract("C-1", "2020-01-01", "2020-12-30")])
    assert f.status is Status.gap and holes(f) == [["2020-12-31", "2020-12-31"]]


def test_days_of_a_hole_are_counted_inclusively_and_run_together() -> None:
    f = judge("2020-12-31", [contract("C-1", "2020-01-01", "2020-03-31"), contract("C-2", "2020-04-15", "2020-12-31")])
    assert holes(f) == [["2020-04-01", "2020-04-14"]] and f.details["uncovered_days"] == 14
    assert "2020-04-01 至 2020-04-14" in f.message


def test_separate_holes_stay_separate_and_the_first_is_the_due_day() -> None:
    f = judge("2020-12-31", [contract("C-1", "2020-01-01", "2020-03-31"), contract("C-2", "2020-04-03", "2020-06-30"),
                             contract("C-3", "2020-07-05", "2020-12-31")])
    assert holes(f) == [["2020-04-01", "2020-04-02"], ["2020-07-01", "2020-07-04"]]
    assert f.details["uncovered_days"] == 6 and f.due == D(2020, 4, 1)


def _monthly_holes(n: int) -> list[dict[str, Any]]:
    """Contracts leaving a hole on the first day of each of the months February .. February + n - 1."""
    out = [contract("C-0", "2020-01-01", "2020-01-31")]
    for m in range(2, 2 + n):
        last = "2020-12-31" if m == 1 + n else (D(2020, m + 1, 1) - dt.timedelta(days=1)).isoformat()
        out.append(contract(f"C-{m}", f"2020-{m:02d}-02", last))
    return out


def test_five_holes_are_all_shown_without_etc() -> None:
    f = judge("2020-12-31", _monthly_holes(5))
    assert len(holes(f)) == 5 and "2020-06-01" in f.message and "等" not in f.message


def test_only_the_first_five_of_six_holes_are_shown_then_etc() -> None:
    f = judge("2020-12-31", _monthly_holes(6))
    assert len(holes(f)) == 6 and f.details["uncovered_days"] == 6
    assert "2020-06-01" in f.message and "2020-07-01" not in f.message and "等），" in f.message


def test_a_contract_of_a_single_day_covers_that_day() -> None:
    f = judge("2020-12-31", [contract("C-1", "2020-01-01", "2020-06-30"), contract("C-2", "2020-07-01", "2020-07-01"),
                             contract("C-3", "2020-07-02", "2020-12-31")])
    assert f.status is Status.met and f.evidence == ["C-1", "C-2", "C-3"]


def test_evidence_is_every_contract_touching_the_judged_days_and_no_other() -> None:
    f = judge("2020-12-31", [
        contract("C-past", "2018-01-01", "2019-12-31"),
        contract("C-old", "2019-01-02", "2020-01-01"),  # ends on the first judged day
        contract("C-mid", "2020-01-02", "2020-12-30"),
        contract("C-new", "2020-12-31", "2021-12-30", signed="2020-12-01"),  # starts on the last judged day
        contract("C-next", "2021-01-01", "2021-12-31", signed="2020-12-01"),  # starts after the period
    ])
    assert f.status is Status.met and f.evidence == ["C-mid", "C-new", "C-old"]
    assert f.message == "2020-01-01 至 2020-12-31 每日均满足"


def test_a_hole_ahead_warns_from_its_first_day() -> None:
    f = judge("2020-11-20", [contract("C-1", "2020-01-01", "2020-12-10")])
    assert f.status is Status.due_soon and f.due == D(2020, 12, 11) and "自 2020-12-11 起将不满足" in f.message


def test_the_warning_ahead_looks_from_the_day_after_the_as_of_date_not_before() -> None:
    # Judged from 2021-01-01 only; the uncovered 2020-12-31 before it must not count as ahead.
    f = judge("2021-01-01", [contract("C-1", "2021-01-01", "2021-01-15")], period="2021")
    assert f.status is Status.due_soon and f.due == D(2021, 1, 16) and "自 2021-01-16 起" in f.message


def test_no_hole_within_the_warning_days_is_met() -> None:
    f = judge("2020-11-20", [contract("C-1", "2020-01-01", "2020-12-31")])
    assert f.status is Status.met and f.message == "2020-01-01 至 2020-11-20 每日均满足"


def test_at_least_defaults_to_one_contract_a_day() -> None:
    rule = variant(at_least=None)
    assert judge("2020-12-31", [contract("C-1", "2020-01-01", "2020-12-31")], rule).status is Status.met
    assert judge("2020-12-31", [contract("C-1", "2020-01-01", "2020-12-30")], rule).status is Status.gap
    assert "至少有 1 条" in rule.requirement({})


def test_at_least_two_counts_contracts_held_at_once() -> None:
    rule = variant(at_least=2)
    two = [contract("C-1", "2020-01-01", "2020-12-31"), contract("C-2", "2020-01-01", "2020-12-30")]
    assert holes(judge("2020-12-31", two, rule)) == [["2020-12-31", "2020-12-31"]]


@pytest.mark.parametrize("value", [0, 1001, -1])
def test_at_least_out_of_its_bounds_is_refused(value: int) -> None:
    with pytest.raises(ValidationError):
        variant(at_least=value)


@pytest.mark.parametrize("value", [1, 1000])
def test_at_least_at_its_bounds_is_accepted(value: int) -> None:
    assert variant(at_least=value).at_least == value


def test_requirement_names_the_signing_date_only_when_the_rule_has_one() -> None:
    text = RULE.requirement({})
    assert text.startswith("每一天都须至少有 1 条有效的") and "签订日期中较晚者起" in text and "计人数" not in text
    plain = variant(intervals={k: v for k, v in DOC["intervals"].items() if k != "signed"})
    assert "较晚者" not in plain.requirement({}) and "起始日期起至终止日期止" in plain.requirement({})


def test_requirement_of_a_rule_counting_persons_says_so() -> None:
    rule = RULE_ADAPTER.validate_python(yaml.safe_load(
        (DEFAULT_RULES / "1.4-enforcement" / "enforcement.certified-capacity.yaml").read_text(encoding="utf-8")))
    params = rule.params_at(D(2020, 12, 31))
    text = rule.requirement(params)
    assert "计人数，同一人只算一人，且只计其在岗期间" in text and "较晚者" not in text
