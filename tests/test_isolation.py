"""Evaluations in child processes: same answers, and a crash is contained to its bureau."""

from __future__ import annotations

import datetime as dt
import os
import signal

import pytest

from checker.engine import EngineError
from checker.evaluate import evaluate
from checker.isolation import Job, evaluate_isolated, evaluate_many
from checker.records import load_bureau
from checker.rulebook import load_rulebook

from .conftest import ROOT, SEED

AS_OF = dt.date(2020, 12, 31)


def test_isolated_equals_in_process_and_runs_do_not_leak() -> None:
    rules = load_rulebook(ROOT / "rules").rules
    bureau = load_bureau(SEED)
    first = evaluate(rules, bureau, AS_OF)
    assert evaluate_isolated(rules, bureau, AS_OF) == first
    other = bureau.__class__(bureau.profile, {k: v[: len(v) // 2] for k, v in bureau.records.items()})
    evaluate(rules, other, AS_OF)
    assert evaluate(rules, bureau, AS_OF) == first


def _crash_on_marked(rules, bureau, as_of, warn_days=30):  # type: ignore[no-untyped-def]
    if bureau.profile.name == "会崩溃的局":
        os.kill(os.getpid(), signal.SIGSEGV)
    return evaluate(rules, bureau, as_of, warn_days)


def test_a_crash_costs_only_its_bureau() -> None:
    rules = load_rulebook(ROOT / "rules").rules
    good = load_bureau(SEED)
    bad = good.__class__(good.profile.model_copy(update={"name": "会崩溃的局"}), good.records)
    jobs = [Job("a", good, AS_OF), Job("crash", bad, AS_OF), Job("b", good, AS_OF)]
    results = {r.key: r for r in evaluate_many(rules, jobs, batch_size=3, timeout=120, evaluator=_crash_on_marked)}
    assert results["a"].findings and results["b"].findings
    assert results["crash"].findings is None and "exited" in (results["crash"].error or "")
    with pytest.raises(EngineError):
        evaluate_isolated(rules, bad, AS_OF, evaluator=_crash_on_marked)
