"""One evaluation: a rulebook, a bureau, an as-of date in; findings out.

The engine (durable-rules, through ``checker.engine``) finds the matches; the oracle finds
the same matches in plain Python and exists to prove the engine right in tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from .context import Context, Matches
from .engine import run_plans
from .facts import TYPE
from .findings import Finding, Status
from .records import Bureau
from .rules import RuleBase

__all__ = ["CheckResult", "evaluate"]

Matcher = Literal["engine", "oracle"]


@dataclass
class CheckResult:
    bureau: str
    as_of: dt.date
    findings: list[Finding]
    rulebook_version: str = ""
    rulebook_digest: str = ""

    def summary(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for f in self.findings:
            counts[f.status.value] += 1
        return counts

    @property
    def gaps(self) -> list[Finding]:
        return [f for f in self.findings if f.status is Status.gap]

    def to_json(self) -> dict[str, Any]:
        return {
            "bureau": self.bureau,
            "as_of": self.as_of.isoformat(),
            "rulebook": {"version": self.rulebook_version, "digest": self.rulebook_digest},
            "summary": self.summary(),
            "findings": [f.to_json() for f in self.findings],
        }


def evaluate(
    rules: list[RuleBase], bureau: Bureau, as_of: dt.date, warn_days: int = 30, matcher: Matcher = "engine"
) -> list[Finding]:
    ctx = Context.of(bureau, as_of, warn_days)
    made = [fact for rule in rules for fact in rule.subject_facts(ctx)]
    for fact in made:
        ctx.facts.setdefault(fact[TYPE], []).append(fact)
    facts = ctx.facts
    for rule in rules:
        rule.add_working_day_keys(facts)
    if matcher == "engine":
        plans = [p for rule in rules for p in rule.plans(ctx)]
        matches: Matches = run_plans(plans, [f for items in facts.values() for f in items])
    else:
        matches = {}
        for rule in rules:
            matches.update(rule.oracle(ctx, facts))
    findings: list[Finding] = []
    for rule in rules:
        findings.extend(rule.judge(ctx, matches))
    return findings
