"""Evaluations in child processes: same answers, and a crash is contained to its bureau."""

from __future__ import annotations

import datetime as dt
import os
import signal

import pytest

from checker.engine import EngineError
from checker.evaluate import EvaluationError, evaluate
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


def _fails_unexpectedly(rules, bureau, as_of, warn_days=30):  # type: ignore[no-untyped-def]
    return {}["no such key"]


def test_an_unexpected_error_in_the_child_is_our_message_not_a_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    rules = load_rulebook(ROOT / "rules").rules
    with pytest.raises(EvaluationError, match="检查程序内部错误：KeyError"):
        evaluate_isolated(rules, load_bureau(SEED), AS_OF, evaluator=_fails_unexpectedly)
    assert "Traceback" not in capfd.readouterr().err


def test_a_rule_that_fails_to_evaluate_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.kinds.deadline import DeadlineRule

    def broken_judge(self, ctx, matches):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(DeadlineRule, "judge", broken_judge)
    rules = load_rulebook(ROOT / "rules").rules
    with pytest.raises(EvaluationError) as failed:
        evaluate(rules, load_bureau(SEED), AS_OF)
    first = next(r for r in rules if isinstance(r, DeadlineRule))
    assert str(failed.value) == f"规则 {first.id}（{first.title}）在出具结论时出错：ZeroDivisionError: division by zero"
