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


def _pid_finding(rules, bureau, as_of, warn_days=30):  # type: ignore[no-untyped-def]
    from checker.findings import Finding, Status

    return [Finding(rule_id="pid", status=Status.met, heading="-", title="-", message=str(os.getpid()))]


def test_a_child_over_its_memory_hands_the_rest_of_its_batch_to_a_fresh_one() -> None:
    bureau = load_bureau(SEED)
    jobs = [Job(k, bureau, AS_OF) for k in "abc"]
    kept = [r.findings[0].message for r in evaluate_many([], jobs, batch_size=3, timeout=120, evaluator=_pid_finding)
            if r.findings]
    assert len(kept) == 3 and len(set(kept)) == 1  # under the default cap one child does the whole batch
    recycled = {r.key: r for r in evaluate_many([], jobs, batch_size=3, timeout=120, evaluator=_pid_finding, memory=1)}
    assert sorted(recycled) == ["a", "b", "c"] and all(r.findings and r.error is None for r in recycled.values())
    assert len({r.findings[0].message for r in recycled.values() if r.findings}) == 3  # every bureau in a fresh child


def test_recycled_children_give_the_same_findings() -> None:
    rules = load_rulebook(ROOT / "rules").rules
    bureau = load_bureau(SEED)
    expected = evaluate(rules, bureau, AS_OF)
    results = list(evaluate_many(rules, [Job(k, bureau, AS_OF) for k in "ab"], batch_size=2, timeout=120, memory=1))
    assert [r.key for r in results] == ["a", "b"] and all(r.findings == expected for r in results)
