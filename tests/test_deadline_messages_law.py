"""Every deadline finding's message shows the last lawful day (issue 10, item 3), for every deadline
rule of the rulebook: on each rule's own examples and on random ledgers. The due date in the finding
is the day the period, counted as the law counts it, ends; the office reading the message must see it."""

from __future__ import annotations

import datetime as dt
import random

from checker.evaluate import evaluate
from checker.examples import bureau_of
from checker.findings import Finding
from checker.kinds.deadline import DeadlineRule
from checker.rulebook import DEFAULT_RULES, load_rulebook
from checker.rules import RuleBase
from checker.synthetic import bureau


def test_every_deadline_finding_names_its_last_lawful_day() -> None:
    rules: list[RuleBase] = [r for r in load_rulebook(DEFAULT_RULES).rules if isinstance(r, DeadlineRule)]
    assert len(rules) >= 10
    findings: list[Finding] = []
    for rule in rules:
        for example in rule.examples:
            findings += evaluate([rule], bureau_of(example, rule.id), example.as_of, matcher="oracle")
    random_bureau = bureau(random.Random("last-day"), 3000, staff_count=12)
    for as_of in (dt.date(2020, 11, 30), dt.date(2021, 12, 31)):
        findings += evaluate(rules, random_bureau, as_of, matcher="oracle")
    dated = [f for f in findings if f.due is not None]
    assert {f.status.value for f in dated} >= {"met", "gap"}  # not vacuous
    assert len({f.rule_id for f in dated}) == len(rules)  # every deadline rule gave a dated finding
    missing = [(f.rule_id, f.key, f.message) for f in dated if f.due is not None and f.due.isoformat() not in f.message]
    assert missing == []
