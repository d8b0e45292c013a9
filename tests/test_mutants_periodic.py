"""Tests that kill surviving mutants of checker/kinds/periodic.py (issue 11, item 5), through shipped rules.

When a period's evidence is due (days after the end, calendar or working, extended past a
holiday or not; a fixed day of the year or the next), and which shapes of a periodic rule are
refused with their reason.
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
from checker.periods import Period, PeriodUnit
from checker.rulebook import DEFAULT_RULES, RULE_ADAPTER
from checker.rules import Example
from checker.workdays import add_working_days

D = dt.date
SELF_CHECK = yaml.safe_load((DEFAULT_RULES / "1.4-enforcement" / "interference.quarterly-self-check.yaml").read_text(encoding="utf-8"))
KEY_DATES = yaml.safe_load((DEFAULT_RULES / "1.6-disputes-and-pufa" / "pufa.key-dates.yaml").read_text(encoding="utf-8"))
Q3 = Period.containing(PeriodUnit.quarter, D(2020, 8, 1))  # ends on 2020-09-30, before the National Day holiday


def with_due(due: dict[str, Any] | None, base: dict[str, Any] = SELF_CHECK, **more: Any) -> Any:
    doc = copy.deepcopy(base)
    doc.pop("due", None)
    if due is not None:
        doc["due"] = due
    doc.update(more)
    return RULE_ADAPTER.validate_python(doc)


def test_no_due_means_the_period_end() -> None:
    assert with_due(None).due_of(Q3) == (D(2020, 9, 30), False)


def test_calendar_days_after_the_end_run_past_a_holiday_by_default() -> None:
    assert with_due({"days_after_end": 15}).due_of(Q3) == (D(2020, 10, 15), False)
    assert with_due({"days_after_end": 1}).due_of(Q3) == (D(2020, 10, 9), False)  # 10-01 is National Day
    assert with_due({"days_after_end": 1, "extend_past_rest_days": False}).due_of(Q3) == (D(2020, 10, 1), False)


def test_working_days_after_the_end_count_on_the_official_calendar() -> None:
    due = with_due({"days_after_end": 5, "working": True}).due_of(Q3)
    assert due == add_working_days(D(2020, 9, 30), 5) and due[0] == D(2020, 10, 14)


def test_a_fixed_day_is_in_the_periods_year_or_the_next() -> None:
    year = Period.containing(PeriodUnit.year, D(2020, 5, 5))
    rule = with_due({"month_day": "03-01"}, period="year")
    assert rule.due_of(year) == (D(2020, 3, 1), False)
    assert with_due({"month_day": "03-01", "next_year": True}, period="year").due_of(year) == (D(2021, 3, 1), False)


@pytest.mark.parametrize(("change", "words"), [
    ({"due": {"days_after_end": 5, "month_day": "03-01"}}, "只能给出一种到期方式"),
    ({"occasions": [{"name": "宪法日", "month_day": "12-04"}]}, "occasions 只能用于 period: year"),
    ({"period": "year", "occasions": [{"name": "宪法日", "month_day": "12-04"}]}, "不能再给 period_field 或 due"),
    ({"occasion_field": "quarter"}, "occasion_field 须与 occasions 合用"),
])
def test_a_periodic_rule_of_a_wrong_shape_is_refused(change: dict[str, Any], words: str) -> None:
    doc = copy.deepcopy(SELF_CHECK)
    doc.update(change)
    with pytest.raises(ValidationError, match=words):
        RULE_ADAPTER.validate_python(doc)


def test_occasions_with_the_period_field_or_a_due_are_refused_but_alone_accepted() -> None:
    doc = copy.deepcopy(KEY_DATES)
    assert RULE_ADAPTER.validate_python(doc).occasions
    doc["due"] = {"days_after_end": 3}
    with pytest.raises(ValidationError, match="不能再给 period_field 或 due"):
        RULE_ADAPTER.validate_python(doc)


def test_an_occasion_window_defaults_to_the_day_itself() -> None:
    doc = copy.deepcopy(KEY_DATES)
    doc["occasions"] = [{"name": "宪法日", "month_day": "12-04"}]
    [occasion] = RULE_ADAPTER.validate_python(doc).occasions
    assert (occasion.days_before, occasion.days_after) == (0, 0) and occasion.day_in(2020) == D(2020, 12, 4)


# --- added by harden6: which periods are judged, and per_staff's field ------------------------------

LAW_EXAM = yaml.safe_load((DEFAULT_RULES / "1.4-enforcement" / "leaders.law-exam.yaml").read_text(encoding="utf-8"))


def keys(doc: dict[str, Any], as_of: str, ledgers_from: str, records: dict[str, Any]) -> dict[str, str]:
    rule = RULE_ADAPTER.validate_python({k: v for k, v in doc.items() if k != "examples"})
    ex = Example.model_validate({"name": "t", "as_of": as_of, "ledgers_from": ledgers_from, "records": records, "expect": {}})
    return {str(f.subject or f.period): f.status.value for f in evaluate([rule], bureau_of(ex, "test"), ex.as_of)}


def test_a_period_starting_on_the_as_of_date_is_judged_already() -> None:
    found = keys(SELF_CHECK, "2020-10-01", "2020-01-16", {"interference_report": []})
    assert "2020Q4" in found and found["2020Q4"] == "pending"


def test_no_period_starting_after_the_as_of_date() -> None:
    assert "2020Q4" not in keys(SELF_CHECK, "2020-09-30", "2020-01-16", {"interference_report": []})


@pytest.mark.parametrize("field", ["no_such_field", "year_list"])
def test_per_staff_field_must_be_a_single_staff_id_field_of_the_evidence(field: str) -> None:
    doc = copy.deepcopy(LAW_EXAM)
    doc["per_staff"]["field"] = field
    if field == "year_list":  # a list field of another ledger with one: study_session.laws
        doc["evidence"] = {**doc["evidence"], "ledger": "study_session"}
        doc["per_staff"]["field"] = "laws"
        doc.pop("period_field", None)
    with pytest.raises(ValidationError, match=r"per_staff\.field 应为台账"):
        RULE_ADAPTER.validate_python({k: v for k, v in doc.items() if k != "examples"})
