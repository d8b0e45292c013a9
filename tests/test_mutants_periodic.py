"""Tests that kill surviving mutants of checker/kinds/periodic.py (issue 11, item 5), through shipped rules.

When a period's evidence is due (days after the end, calendar or working, extended past a
holiday or not; a fixed day of the year or the next), and which shapes of a periodic rule are
refused with their reason.

Equivalent mutants (left alive, explained; 106/112 killed):
- ``ledgers_from.replace(year=... - 1, day=1)``, 1 -> 2 in the year or the day: the periods that start
  earlier (or from day 2 of the month, which no period ends on) are due before the ledgers start and
  are left out by ``ctx.judged`` anyway. (Latent edge, not a mutant: a due more than a year after its
  period's end, e.g. ``days_after_end: 800``, would leave a judged period out; no rule has such a due.)
- in the oracle's ``linked`` the three ``return False`` -> ``return None``: the only caller tests it
  with ``if linked_to(s, e) and ...``.
- ``provisional = False if self.occasions else self.due_of(period)[1]`` negated: an occasions rule
  has the default due (0 calendar days), whose ``due_of`` is never provisional.
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


def test_a_plain_periods_message_names_the_period_and_no_person() -> None:
    ex = Example.model_validate({"name": "t", "as_of": "2020-07-31", "ledgers_from": "2020-04-16",
                                 "records": {"interference_report": []}, "expect": {}})
    [q2, q3] = sorted(evaluate([with_due({"days_after_end": 15})], bureau_of(ex, "t"), ex.as_of), key=lambda f: str(f.period))
    assert q2.message.startswith("2020年第二季度的领导干部干预统计工作记录季报应于 2020-07-15 前落实") and "None" not in q2.message
    assert q3.status.value == "pending"


def test_per_staff_with_nobody_in_the_role_is_not_applicable_and_says_or_persons() -> None:
    found = keys(LAW_EXAM, "2020-12-31", "2020-01-01", {"law_exam": []})
    rule = RULE_ADAPTER.validate_python({k: v for k, v in LAW_EXAM.items() if k != "examples"})
    ex = Example.model_validate({"name": "t", "as_of": "2020-12-31", "records": {"law_exam": []}, "expect": {}})
    [f] = evaluate([rule], bureau_of(ex, "t"), ex.as_of)
    assert f.status.value == "not_applicable" and f.message.startswith("检查期间内没有需要判断的周期或人员") and found


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_occasions_are_never_provisional_and_the_oracle_agrees_on_the_occasion_field(matcher: str) -> None:
    rule = RULE_ADAPTER.validate_python({k: v for k, v in KEY_DATES.items() if k != "examples"})
    for doc in KEY_DATES["examples"]:
        ex = Example.model_validate(doc)
        found = evaluate([rule], bureau_of(ex, "t"), ex.as_of, matcher=matcher)
        assert found and not any(f.provisional for f in found)
        assert {f.key: f.status.value for f in found if f.key in ex.expect} == {k: v.value for k, v in ex.expect.items()}


@pytest.mark.parametrize(("due", "words"), [
    ({"days_after_end": 5, "working": True}, "于期末后 5 个工作日内完成"),
    ({"days_after_end": 15}, "于期末后 15 天内完成"),
    ({"month_day": "03-01", "next_year": True}, "于次年 3 月 1 日前完成"),
    ({"month_day": "03-01"}, "于当年 3 月 1 日前完成"),
    (None, "于期末前完成"),
])
def test_requirement_says_when_the_evidence_is_due(due: dict[str, Any] | None, words: str) -> None:
    rule = with_due(due)
    text = rule.requirement(rule.params_at(D(2020, 12, 31)))
    assert text.startswith("每季度都须有领导干部干预统计工作记录季报，") and words in text and "以所属季度标明所属期间" in text


def test_requirement_of_occasions_and_of_per_staff() -> None:
    occasions = RULE_ADAPTER.validate_python({k: v for k, v in KEY_DATES.items() if k != "examples"})
    text = occasions.requirement(occasions.params_at(D(2020, 12, 31)))
    assert "4 月 15 日全民国家安全教育日（前 3 天至后 3 天内均可）" in text and "12 月 4 日宪法日（前 3 天至后 3 天内均可）；分别判断" in text
    doc = copy.deepcopy(KEY_DATES)
    doc.pop("examples")
    doc["occasions"] = [{"name": "宪法日", "month_day": "12-04", "days_after": 2}, {"name": "开放日", "month_day": "09-20"}]
    two = RULE_ADAPTER.validate_python(doc)
    assert "12 月 4 日宪法日（前 0 天至后 2 天内均可）、9 月 20 日开放日；分别判断" in two.requirement(two.params_at(D(2020, 12, 31)))
    exam = RULE_ADAPTER.validate_python({k: v for k, v in LAW_EXAM.items() if k != "examples"})
    assert "每年担任“领导干部”的每名人员（以人员编号区分）都须有学法用法考试，于当年 11 月 30 日前完成" in exam.requirement(exam.params_at(D(2020, 12, 31)))
