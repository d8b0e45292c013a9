"""One evaluation: a rulebook, a bureau, an as-of date in; findings out.

The engine (durable-rules, through ``checker.engine``) finds the matches; the oracle finds
the same matches in plain Python and exists to prove the engine right in tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from .completeness import DataQuality, account_for_missing_data
from .context import Context, Matches
from .engine import EngineError, run_plans
from .errors import InputError
from .facts import TYPE
from .findings import Finding, Status
from .records import Bureau
from .rectification import RectificationCheck
from .rules import RuleBase
from .waivers import WaiverReport

__all__ = ["CheckResult", "EvaluationError", "evaluate"]

Matcher = Literal["engine", "oracle"]


@dataclass
class CheckResult:
    bureau: str
    as_of: dt.date
    findings: list[Finding]
    rulebook_version: str = ""
    rulebook_digest: str = ""
    data: DataQuality | None = None
    """What the records lacked (ledgers not handed in, records not readable); None when not known."""
    waivers: WaiverReport | None = None
    """What the bureau's waivers excused, and which of them are expired, not yet in force or unmatched."""
    rectification: RectificationCheck | None = None
    """The office's 整改台账 read back: 已整改 marks the records contradict (整改未见效), rows unmatched."""

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
            **({"data_quality": self.data.to_json()} if self.data is not None else {}),
            **({"waivers": self.waivers.to_json()} if self.waivers is not None and self.waivers.file else {}),
            **({"rectification": self.rectification.to_json()} if self.rectification is not None else {}),
        }


class EvaluationError(RuntimeError):
    """A rule could not be evaluated on these records (a bug, or data no check foresaw): the check is void.

    The message is in Chinese and names the rule, so that a person can act on it; never a traceback.
    """


@contextmanager
def _blame(rule: RuleBase, step: str) -> Iterator[None]:
    try:
        yield
    except (EngineError, EvaluationError, InputError):
        raise
    except Exception as exc:
        raise EvaluationError(f"规则 {rule.id}（{rule.title}）在{step}时出错：{type(exc).__name__}: {exc}") from exc


def evaluate(
    rules: list[RuleBase], bureau: Bureau, as_of: dt.date, warn_days: int = 30, matcher: Matcher = "engine"
) -> list[Finding]:
    ctx = Context.of(bureau, as_of, warn_days)
    for rule in rules:
        with _blame(rule, "生成判断对象"):
            for fact in rule.subject_facts(ctx):
                ctx.facts.setdefault(fact[TYPE], []).append(fact)
    facts = ctx.facts
    for rule in rules:
        with _blame(rule, "计算工作日"):
            rule.add_working_day_keys(facts)
    matches: Matches = {}
    if matcher == "engine":
        plans = []
        for rule in rules:
            with _blame(rule, "编译规则"):
                plans += rule.plans(ctx)
        matches = run_plans(plans, [f for items in facts.values() for f in items])
    else:
        for rule in rules:
            with _blame(rule, "核对"):
                matches.update(rule.oracle(ctx, facts))
    findings: list[Finding] = []
    for rule in rules:
        with _blame(rule, "出具结论"):
            findings.extend(account_for_missing_data(rule, bureau, as_of, rule.judge(ctx, matches)))
    return findings
