"""The engine's findings must equal the plain-Python oracle's, for every rule kind, on random ledgers.

durable-rules gives silently wrong answers in several measured cases (shared notes); this is
the test that would notice. Each case draws thousands of records with a fixed seed (so a
failure reproduces), evaluates the same rules through the engine and through the oracle, and
compares every finding. ``test_oracle_catches_*`` show the comparison has teeth.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from checker.evaluate import evaluate
from checker.findings import Finding
from checker.records import Bureau
from checker.rulebook import DEFAULT_RULES, RULE_ADAPTER, load_rulebook
from checker.rules import RuleBase
from checker.synthetic import bureau


def rule(**fields: Any) -> RuleBase:
    base = dict(title="测试规则", where="一(四)2", citations=[{"source": "测试"}], owner="法规科", remedy="整改")
    return RULE_ADAPTER.validate_python({**base, **fields})  # type: ignore[no-any-return]


DATED = {"min": [{"from": "2019-01-01", "value": 2}, {"from": "2021-01-01", "value": 3}]}
BARRED = {"barred": [{"from": "2019-01-01", "value": ["P01"]}, {"from": "2021-01-01", "value": ["P01", "P03"]}]}
"""A dated parameter in ``exists.when``: the evidence differs by segment (two evidence plans)."""

CASES: dict[str, list[RuleBase]] = {
    "per-record": [
        rule(id="t.officers", kind="per-record", params=DATED, subject={"ledger": "enforcement_action", "when": [{"field": "action", "op": "in", "value": ["检查", "调查取证", "送达"]}]},
             require=[{"field": "officers_count", "op": ">=", "value": {"param": "min"}}, {"field": "party", "op": "exists"}]),
        rule(id="t.notice", kind="per-record", subject={"ledger": "penalty_decision", "when": [{"field": "major", "op": "==", "value": True}]},
             require=[{"field": "rights_notice_on", "op": "<", "other": "decided_on"},
                      {"field": "legal_review_on", "op": "<=", "other": "decided_on", "offset": 1},
                      {"field": "rights_notice_on", "op": ">=", "other": "legal_review_on", "offset": -3, "working": True},
                      {"field": "states_review_rights", "op": "!=", "value": False}]),
        rule(id="t.each", kind="per-record", subject={"ledger": "enforcement_action", "each": "officers"},
             exists={"ledger": "legal_adviser_contract", "link": {"adviser": "item"}, "covers": {"start": "start", "end": "end"}}),
        rule(id="t.certified", kind="per-record", subject={"ledger": "enforcement_action", "each": "officers"},
             exists={"ledger": "enforcement_certificate", "link": {"holder": "item"}, "covers": {"start": "valid_from", "end": "valid_to"}}),
        rule(id="t.certified-dated", kind="per-record", params=BARRED,
             subject={"ledger": "enforcement_action", "each": "officers", "when": [{"field": "action", "op": "!=", "value": "送达"}]},
             require=[{"field": "party", "op": "exists"}],
             exists={"ledger": "enforcement_certificate", "link": {"holder": "item"}, "covers": {"start": "valid_from", "end": "valid_to"},
                     "when": [{"field": "holder", "op": "not_in", "value": {"param": "barred"}}]}),
        rule(id="t.any-of", kind="per-record", subject={"ledger": "penalty_decision"},
             require=[{"field": "party", "op": "exists"}],
             any_of=[[{"field": "major", "op": "==", "value": False}],
                     [{"field": "legal_review_on", "op": "<=", "other": "decided_on"}, {"field": "rights_notice_on", "op": "exists"}]]),
        rule(id="t.laws", kind="per-record", subject={"ledger": "study_session"},
             require=[{"field": "laws", "op": "contains_other_than", "value": ["统计法", "统计法实施条例"]},
                      {"field": "laws", "op": "contains", "value": "宪法"}]),
    ],
    "deadline": [
        rule(id="t.fines", kind="deadline", trigger={"ledger": "fine", "when": [{"field": "amount", "op": ">=", "value": 500}]},
             evidence={"ledger": "remittance"}, link={"fine_id": "id"}, within={"days": 15}, totals={"amount": "amount"}),
        rule(id="t.fines-working", kind="deadline", params={"d": [{"from": "2019-01-01", "value": 7}, {"from": "2020-10-01", "value": 5}]},
             trigger={"ledger": "fine"}, evidence={"ledger": "remittance", "when": [{"field": "amount", "op": ">", "value": 100}]},
             link={"fine_id": "id"}, within={"days": {"param": "d"}, "working": True,
                                             "extended": {"when": [{"field": "amount", "op": ">=", "value": 1000}], "days": 12}}),
    ],
    "periodic": [
        rule(id="t.quarterly", kind="periodic", period="quarter", evidence={"ledger": "interference_report"}, period_field="quarter",
             due={"days_after_end": 15}),
        rule(id="t.monthly", kind="periodic", period="month", evidence={"ledger": "study_session", "when": [{"field": "laws", "op": "contains", "value": "宪法"}]},
             due={"days_after_end": 5, "working": True}),
        rule(id="t.occasions", kind="periodic", period="year", evidence={"ledger": "study_session"},
             occasions=[{"name": "安全日", "month_day": "04-15", "days_before": 3, "days_after": 2}, {"name": "宪法日", "month_day": "12-04"}]),
        rule(id="t.staff", kind="periodic", period="half-year", evidence={"ledger": "legal_adviser_contract"},
             per_staff={"role": "领导干部", "field": "adviser"}, due={"month_day": "03-31", "next_year": True}),
    ],
    "coverage": [
        rule(id="t.cover", kind="coverage", period="quarter", intervals={"ledger": "legal_adviser_contract", "start": "start", "end": "end"}),
        rule(id="t.cover2", kind="coverage", params=DATED, intervals={"ledger": "legal_adviser_contract", "start": "start", "end": "end",
             "when": [{"field": "adviser", "op": "not_in", "value": ["P01", "P02"]}]}, at_least={"param": "min"}),
    ],
    "aggregate": [
        rule(id="t.breadth", kind="aggregate", period="year", records={"ledger": "study_session"},
             params={"core": [{"from": "2019-01-01", "value": ["宪法", "民法典"]}, {"from": "2021-01-01", "value": ["宪法", "保密法"]}]},
             measures=[{"name": "占比", "type": "share", "when": [{"field": "laws", "op": "contains_other_than", "value": ["统计法"]}], "at_least": 0.5},
                       {"name": "核心", "type": "includes", "field": "laws", "all_of": {"param": "core"}}]),
        rule(id="t.count", kind="aggregate", period="quarter", records={"ledger": "fine"},
             measures=[{"name": "次数", "type": "count", "at_least": 5}, {"name": "金额", "type": "sum", "field": "amount", "at_least": 3000,
                        "when": [{"field": "amount", "op": ">=", "value": 1000}]}]),
        rule(id="t.per-officer", kind="aggregate", period="year", records={"ledger": "enforcement_action"},
             per_staff={"role": "执法人员", "field": "officers"}, measures=[{"name": "次数", "type": "count", "at_least": 4}]),
    ],
}


def keyed(findings: list[Finding]) -> dict[tuple[str, str], Finding]:
    out = {(f.rule_id, f.key): f for f in findings}
    assert len(out) == len(findings), "two findings share a rule and key"
    return out


def compare(rules: list[RuleBase], b: Bureau, as_of: dt.date) -> list[str]:
    engine = keyed(evaluate(rules, b, as_of, matcher="engine"))
    oracle = keyed(evaluate(rules, b, as_of, matcher="oracle"))
    diffs = [f"{k}: only {'engine' if k in engine else 'oracle'}" for k in set(engine) ^ set(oracle)]
    diffs += [f"{k}: engine {engine[k].status.value} {engine[k].evidence} / oracle {oracle[k].status.value} {oracle[k].evidence}"
              for k in set(engine) & set(oracle) if engine[k] != oracle[k]]
    return sorted(diffs)


@pytest.mark.parametrize("kind", sorted(CASES))
@pytest.mark.parametrize("seed,size", [(1, 300), (2, 3000), (3, 8000)])
def test_engine_equals_oracle(kind: str, seed: int, size: int) -> None:
    rng = random.Random(f"{kind}-{seed}")
    b = bureau(rng, size)
    for as_of in (dt.date(2020, 11, 30), dt.date(2021, 12, 31)):
        diffs = compare(CASES[kind], b, as_of)
        assert not diffs, f"{len(diffs)} differences, first: {diffs[:5]}"


@pytest.mark.parametrize("seed,size,staff", [(1, 2000, 12), (2, 6000, 100)])
def test_the_rulebook_on_the_engine_equals_the_oracle(seed: int, size: int, staff: int) -> None:
    """The real rules (certificates, fines paid and remitted, every kind) through both matchers."""
    b = bureau(random.Random(f"rulebook-{seed}"), size, staff_count=staff)
    rules = load_rulebook(DEFAULT_RULES).rules
    for as_of in (dt.date(2020, 11, 30), dt.date(2021, 12, 31)):
        diffs = compare(rules, b, as_of)
        assert not diffs, f"{len(diffs)} differences, first: {diffs[:5]}"


def test_random_ledgers_exercise_every_status() -> None:
    """Guards the test above against vacuity: the random data must produce gaps, met, pending…"""
    b = bureau(random.Random("coverage"), 3000)
    statuses = {f.status.value for f in evaluate([r for rs in CASES.values() for r in rs], b, dt.date(2021, 6, 30))}
    assert {"met", "gap", "due_soon", "pending", "unknown"} <= statuses


def test_oracle_catches_a_self_referencing_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiling ``other`` as a test on its own pattern (measured wrong in durable-rules) must be caught."""
    from checker import engine, rules

    def one_pattern(self: Any, alias: str, params: Any, conditions_: Any = None, extra: Any = None, fact_type: Any = None) -> Any:
        conds = [*self.when, *(conditions_ or [])]
        tests = [engine.is_type(fact_type or self.ledger), *(extra or [])]
        for c in conds:
            tests.append(c.engine_tests(self.ledger, params, alias, alias)[0])
        return [[engine.pattern(alias, tests)]]

    monkeypatch.setattr(rules.Selector, "patterns", one_pattern)
    b = bureau(random.Random("teeth"), 2000)
    assert compare([CASES["per-record"][1]], b, dt.date(2021, 12, 31))


def test_oracle_catches_a_dropped_due_date_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """The due-date test on linked evidence is taken in Python (``timely_pairs``); one that loses it
    (late remittances counted as timely) must be caught by the oracle's own brute-force answer."""
    from checker.kinds import _evidence

    real = _evidence.timely_pairs

    def sloppy(rule: Any, ctx: Any, matches: Any, evidence: Any, subjects: Any, names: Any = ("applicable", "timely", "linked")) -> Any:
        if rule.action(names[1]) in matches:  # the oracle's answer: left alone
            return real(rule, ctx, matches, evidence, subjects, names)
        return matches[rule.action(names[2])]

    monkeypatch.setattr(_evidence, "timely_pairs", sloppy)
    b = bureau(random.Random("teeth2"), 2000)
    assert compare(CASES["deadline"][:1], b, dt.date(2021, 12, 31))


def test_oracle_catches_a_join_that_ignores_covers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-subject evidence join runs in Python on the engine's evidence; the oracle answers
    ``exists`` per subject by brute force, so a join that forgets ``covers`` (an expired
    certificate counted as valid) must be caught."""
    from checker.kinds.per_record import PerRecordRule

    real = PerRecordRule._linked

    def sloppy(self: PerRecordRule, ctx: Any, matches: Any, candidates: set[str]) -> set[str]:
        assert self.exists is not None
        return real(self.model_copy(update={"exists": self.exists.model_copy(update={"covers": None})}), ctx, matches, candidates)

    monkeypatch.setattr(PerRecordRule, "_linked", sloppy)
    b = bureau(random.Random("teeth3"), 2000)
    certified = [r for r in CASES["per-record"] if r.id == "t.certified"]
    assert compare(certified, b, dt.date(2021, 12, 31))


def test_certificates_give_every_outcome_per_officer() -> None:
    """Guards the certificate cases against vacuity: officers with and without a valid certificate, and unknown party."""
    b = bureau(random.Random("certs"), 3000, staff_count=40)
    found = evaluate([r for r in CASES["per-record"] if r.id.startswith("t.certified")], b, dt.date(2021, 12, 31))
    assert {(f.rule_id, f.status.value) for f in found} >= {
        ("t.certified", "met"), ("t.certified", "gap"), ("t.certified-dated", "met"), ("t.certified-dated", "gap"),
        ("t.certified-dated", "unknown")}
    assert all("/" in f.key for f in found)


def test_the_engine_is_asked_only_what_is_judged() -> None:
    """Without a dated parameter in ``exists.when`` the segments share one evidence plan (each
    certificate fires once, not once per rule version); with one, each distinct test has its own."""
    from checker.context import Context

    ctx = Context.of(bureau(random.Random(5), 300), dt.date(2021, 12, 31))
    plain, dated = (r for r in CASES["per-record"] if r.id in ("t.certified", "t.certified-dated"))
    names = [[p.name.rsplit("|", 1)[-1] for p in r.plans(ctx)] for r in (plain, dated)]
    assert [n for n in names[0] if n.startswith("evidence")] == ["evidence:0"]
    assert [n for n in names[1] if n.startswith("evidence")] == ["evidence:0", "evidence:1"]
    assert "met" not in names[0] and "met" in names[1]  # nothing required of the subject itself: met is applicable
    assert "applicable" not in names[0] and "applicable" in names[1]  # no subject.when: every subject applies
    asked = {r.id: [p.name.rsplit("|", 1)[-1] for p in r.plans(ctx)] for r in [*CASES["deadline"], *CASES["periodic"], *CASES["aggregate"]]}
    assert asked["t.count"] == ["m1"]  # scope is every fine, and the count without when counts the scope
    assert "applicable" in asked["t.fines"]  # the trigger has a when
    assert "applicable" not in asked["t.fines-working"] and "applicable" not in asked["t.quarterly"]


def test_negation_is_order_dependent_so_the_adapter_never_uses_it() -> None:
    """The defect of notes r15, through our adapter: ``[fine, none(remit)]`` with fines asserted first is wrong.

    The oracle's answer (fines minus fines with a remittance) differs from the naive negation's,
    and agrees with the safe form ``[evaluate, fine, none(remit)]`` with ``evaluate`` asserted last.
    """
    from checker.engine import ActionPlan, run_plans
    from checker.facts import KEY, TYPE

    rng = random.Random("negation")
    fines = [{TYPE: "fine", KEY: f"F{i}"} for i in range(60)]
    remits = [{TYPE: "remittance", KEY: f"R{i}", "fine_id": f"F{i}"} for i in range(60) if rng.random() < 0.7]
    expected = {(f[KEY],) for f in fines} - {(r["fine_id"],) for r in remits}
    # The engine's own negation, spelled out here on purpose: the adapter never builds it.
    none_remit = {"r$not": {"$and": [{TYPE: "remittance"}, {"fine_id": {"f": KEY}}]}}
    naive = ActionPlan("naive", [[{"f": {TYPE: "fine"}}, none_remit]], ("f",))
    safe = ActionPlan("safe", [[{"ev": {TYPE: "evaluate"}}, {"f": {TYPE: "fine"}}, none_remit]], ("f",))
    got = run_plans([naive, safe], [*fines, *remits, {TYPE: "evaluate", KEY: "ev"}])
    assert got["naive"] != expected
    assert got["safe"] == expected


def test_catch_all_never_fires_yet_keeps_unmatched_facts_handled() -> None:
    """A fact that passes no rule's tests must not raise (notes r01), and the catch-all that
    ensures it must not fire (a firing per fact was most of the engine's time); a fact of a type
    no plan reads is not asserted at all."""
    from checker import engine
    from checker.engine import ActionPlan, run_plans
    from checker.facts import KEY, TYPE

    plan = ActionPlan("ones", [[engine.pattern("a", [engine.is_type("a"), engine.compare("v", "==", 1)])]], ("a",))
    facts = [{TYPE: "a", KEY: f"a{i}", "v": i % 2} for i in range(3000)] + [{TYPE: "b", KEY: f"b{i}", "v": 1} for i in range(500)]
    got = run_plans([plan], facts)
    assert got["ones"] == {(f"a{i}",) for i in range(1, 3000, 2)}
    assert engine.last_run["firings"] == 1500 and engine.last_run["facts"] == 3000


def test_a_pattern_naming_no_type_sees_every_fact() -> None:
    from checker import engine
    from checker.engine import ActionPlan, run_plans
    from checker.facts import KEY, TYPE

    plan = ActionPlan("any", [[engine.pattern("x", [engine.compare("v", "==", 1)])]], ("x",))
    got = run_plans([plan], [{TYPE: "a", KEY: "a1", "v": 1}, {TYPE: "b", KEY: "b1", "v": 1}, {TYPE: "b", KEY: "b2", "v": 0}])
    assert got["any"] == {("a1",), ("b1",)}
    assert engine.last_run["facts"] == 3


def test_the_never_type_is_refused() -> None:
    from checker import engine
    from checker.engine import ActionPlan, EngineError, run_plans
    from checker.facts import KEY, TYPE

    plan = ActionPlan("any", [[engine.pattern("x", [engine.compare("v", "==", 1)])]], ("x",))
    with pytest.raises(EngineError, match="reserved type"):
        run_plans([plan], [{TYPE: "_never", KEY: "n1", "v": 1}])


LATE_START = dt.date(2020, 7, 1)
"""A ledgers_from half a year into the random records: dues and actions fall on both sides of it."""


def late_ledgers(seed: str, size: int, staff: int = 12) -> Bureau:
    from dataclasses import replace

    b = bureau(random.Random(seed), size, staff_count=staff)
    return replace(b, profile=b.profile.model_copy(update={"ledgers_from": LATE_START}))


@pytest.mark.parametrize("kind", sorted(CASES))
def test_dues_and_actions_before_ledgers_from_engine_equals_oracle(kind: str) -> None:
    b = late_ledgers(f"late-{kind}", 3000)
    for as_of in (dt.date(2020, 11, 30), dt.date(2021, 12, 31)):
        diffs = compare(CASES[kind], b, as_of)
        assert not diffs, f"{len(diffs)} differences, first: {diffs[:5]}"


def test_nothing_due_before_ledgers_from_is_judged_by_any_kind() -> None:
    """The reading in plain Python, independent of the kinds: every finding about a subject falls
    due on or after ledgers_from (an action on its own date), and what falls due after it is judged."""
    b = late_ledgers("late-reading", 3000)
    rules = [r for rs in CASES.values() for r in rs]
    findings = evaluate(rules, b, dt.date(2021, 12, 31), matcher="oracle")
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    actions = {r.id: r.day for r in b.records["enforcement_action"]}
    fines = {r.id: r for r in b.records["fine"]}
    for f in findings:
        if f.rule_id.startswith(("t.officers", "t.each", "t.certified")):
            assert actions[f.key.split("/")[0]] >= LATE_START, f
        elif f.rule_id.startswith("t.fines") or f.rule_id.startswith(("t.quarterly", "t.monthly", "t.occasions", "t.staff")):
            assert f.due is not None and f.due >= LATE_START, f
        elif f.rule_id.startswith("t.cover") and f.status.value == "gap":
            assert all(dt.date.fromisoformat(a) >= LATE_START for a, _ in f.details["holes"]), f
    # Not vacuous: both sides of the date exist, and what falls due after it is all judged.
    assert min(actions.values()) < LATE_START <= max(actions.values())
    judged_actions = {f.key for f in by_rule["t.officers"]}
    assert {a for a, d in actions.items() if d < LATE_START} & judged_actions == set()
    inspected = {r.id for r in b.records["enforcement_action"] if r.day >= LATE_START and r.action in ("检查", "调查取证", "送达")}
    assert inspected == judged_actions
    judged_fines = {f.key for f in by_rule["t.fines"]}
    assert {k for k, r in fines.items() if r.decided_on >= LATE_START and r.amount >= 500} <= judged_fines
    assert not {k for k, r in fines.items() if r.decided_on + dt.timedelta(days=30) < LATE_START} & judged_fines


# --- the evaluator's four semantics (issue 10): duplicated officers, evidence before its trigger ------------


def with_duplicated_officers(seed: str, size: int) -> Bureau:
    """Random ledgers in which about a third of the actions list an officer twice (``[P04, P04]``)."""
    from dataclasses import replace

    b = bureau(random.Random(seed), size)
    rng = random.Random(seed + "-dup")
    actions = [a.model_copy(update={"officers": [*a.officers, rng.choice(a.officers)]}) if rng.random() < 0.35 else a  # type: ignore[attr-defined]
               for a in b.records["enforcement_action"]]
    return replace(b, records={**b.records, "enforcement_action": actions})


def test_duplicated_officers_engine_equals_oracle_and_persons_are_counted() -> None:
    b = with_duplicated_officers("dup", 3000)
    rules = [*CASES["per-record"], load_rulebook(DEFAULT_RULES).get("enforcement.two-officers")]
    for as_of in (dt.date(2020, 11, 30), dt.date(2021, 12, 31)):
        diffs = compare(rules, b, as_of)
        assert not diffs, f"{len(diffs)} differences, first: {diffs[:5]}"
    # The reading in plain Python: an action is met by two *persons*, however often each is listed.
    actions: dict[str, Any] = {a.id: a for a in b.records["enforcement_action"]}
    findings = [f for f in evaluate(rules, b, dt.date(2021, 12, 31), matcher="oracle") if f.rule_id == "enforcement.two-officers"]
    doubled = [f for f in findings if len(actions[f.key].officers) != len(set(actions[f.key].officers))]
    assert any(len(set(actions[f.key].officers)) == 1 for f in doubled)  # not vacuous: [P, P] occurs
    for f in findings:
        persons = len(set(actions[f.key].officers))
        assert (f.status.value == "met") == (persons >= 2) or f.status.value not in ("met", "gap"), (f.key, actions[f.key].officers, f.status)


def test_evidence_dated_before_its_trigger_never_counts_on_random_ledgers() -> None:
    """The synthetic remittances fall from 3 days before to 40 after the fine: an early one is never evidence,
    and a fine met is met by remittances dated on or after its decision, summing to its amount."""
    b = bureau(random.Random("early"), 6000)
    [rule] = [r for r in CASES["deadline"] if r.id == "t.fines"]
    fines: dict[str, Any] = {f.id: f for f in b.records["fine"]}
    remittances: dict[str, Any] = {r.id: r for r in b.records["remittance"]}
    early = {r.id for r in remittances.values() if r.remitted_on < fines[r.fine_id].decided_on}
    assert early  # not vacuous
    findings = evaluate([rule], b, dt.date(2021, 12, 31), matcher="engine")
    assert keyed(findings) == keyed(evaluate([rule], b, dt.date(2021, 12, 31), matcher="oracle"))
    seen_early = 0
    for f in findings:
        assert not set(f.evidence) & early, f
        if f.status.value == "met":
            fine = fines[f.key]
            timely = [remittances[e] for e in f.evidence]
            assert all(fine.decided_on <= r.remitted_on <= f.due for r in timely) and sum(r.amount for r in timely) >= fine.amount, f
        if f.details.get("early_evidence"):
            seen_early += 1
            assert set(f.details["early_evidence"]) <= early
    assert seen_early
