"""The engine against CLIPS on the five core rules: same findings? how much engine time?

    python -m benchmarks.clips [--sizes 2000,20000,50000] [--seed 0]

Benchmark only, not part of the suite; needs clipspy (``pip install -e '.[bench]'``).

What is compared. Each rule kind turns records into facts and ``ActionPlan``s (patterns in the
engine's JSON dialect), durable-rules finds the matches, and the kind judges them in Python. Here
the very same plans and facts are translated to CLIPS (one deftemplate per fact type, one defrule
per plan alternative) and CLIPS finds the matches; the same Python judging then runs on each set
of matches. So the CLIPS encoding is exact by construction for the patterns the translator accepts
(it refuses anything else rather than approximate it), and the comparison is twofold: the match sets
per plan, and the findings (status per rule and subject key). Engine time is ``run_plans`` (fresh
Host, rulesets, asserting, firing) against CLIPS (fresh Environment, build, assert, run).

Semantics kept from durable-rules: a test on a key the fact lacks never matches (``$nex`` is the only
test that matches a missing key); one fact never binds two patterns of one rule; strings compare
lexicographically, numbers numerically, never a string with a number.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from collections.abc import Callable
from typing import Any

import clips  # type: ignore[import-untyped]
from tabulate import tabulate

from checker import engine
from checker.completeness import account_for_missing_data
from checker.context import Context, Matches
from checker.facts import KEY, TYPE
from checker.findings import Finding
from checker.records import Bureau
from checker.rulebook import DEFAULT_RULES, load_rulebook
from checker.rules import RuleBase
from checker.synthetic import STAFF, bureau

CORE = ("enforcement.two-officers", "fines.to-treasury", "enforcement.publicity",
        "interference.quarterly-self-check", "legal-adviser.coverage")

_OPS = {"$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}


class Untranslatable(ValueError):
    """A pattern outside what this translator encodes exactly."""


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    raise Untranslatable(f"constant {value!r}")


def _value(value: Any) -> Any:
    """A fact value as clipspy asserts it: bools as the symbols TRUE/FALSE, lists as multifields."""
    if isinstance(value, bool):
        return clips.Symbol("TRUE" if value else "FALSE")
    if isinstance(value, (list, tuple)):
        return tuple(_value(v) for v in value)
    return value


class Translation:
    """Templates for the fact types, rules for the plans, in one CLIPS environment."""

    def __init__(self, plans: list[engine.ActionPlan], facts: list[dict[str, Any]]) -> None:
        self.types: dict[str, str] = {}
        self.slots: dict[str, str] = {}
        self.multi: set[tuple[str, str]] = set()
        for f in facts:
            self.types.setdefault(f[TYPE], f"t{len(self.types)}")
            for k, v in f.items():
                self.slots.setdefault(k, f"s{len(self.slots)}")
                if isinstance(v, (list, tuple)):
                    self.multi.add((f[TYPE], k))
        self.plans = plans
        self.rules: list[str] = []
        for i, plan in enumerate(plans):
            for j, patterns in enumerate(plan.alternatives):
                self.rules.append(self._rule(f"r{i}_{j}", i, patterns, plan.outputs))

    def _slot(self, key: str) -> str:
        if key not in self.slots:
            self.slots[key] = f"s{len(self.slots)}"
        return self.slots[key]

    def _rule(self, name: str, plan: int, patterns: list[dict[str, Any]], outputs: tuple[str, ...]) -> str:
        var: dict[tuple[str, str], str] = {}  # (alias, key) -> the CLIPS variable holding it
        referenced = {(o, KEY) for o in outputs}
        for pat in patterns:
            for tests in pat.values():
                for t in tests["$and"]:
                    for op, body in t.items():
                        inner = body if op in _OPS or op == "$neq" else {op: body}
                        for ref in inner.values():
                            if isinstance(ref, dict):
                                ref = ref.get("$add", {}).get("$l", ref)
                                [(alias, key)] = ref.items()
                                referenced.add((alias, key))
        lhs: list[str] = []
        by_type: dict[str, list[str]] = {}
        for n, pat in enumerate(patterns):
            [(alias, body)] = pat.items()
            tests = body["$and"]
            types = [t[TYPE] for t in tests if TYPE in t and isinstance(t[TYPE], str)]
            if len(types) != 1:
                raise Untranslatable(f"{name}: a pattern must name exactly one type")
            fact_type = types[0]
            constraints: dict[str, list[Any]] = {}
            for t in tests:
                if TYPE in t:
                    continue
                [(op, arg)] = t.items()
                if op in ("$ex", "$nex"):
                    [(key, _)] = arg.items()
                    constraints.setdefault(key, []).append("~nil" if op == "$ex" else "nil")
                elif op in _OPS or op == "$neq":
                    [(key, operand)] = arg.items()
                    constraints.setdefault(key, []).append(("cmp", op, operand))
                elif op.startswith("$"):
                    raise Untranslatable(f"{name}: {op}")
                else:
                    constraints.setdefault(op, []).append(("eq", arg))
            for key in {k for a, k in referenced if a == alias}:
                constraints.setdefault(key, [])
            slots: list[str] = []
            for key, items in constraints.items():
                if (fact_type, key) in self.multi:
                    raise Untranslatable(f"{name}: list field {key}")
                own = f"?v{n}_{self._slot(key)}"
                terms: list[str] = []
                joined = [i for i in items if isinstance(i, tuple) and i[0] == "eq" and isinstance(i[1], dict)]
                if joined and "$add" not in joined[0][1]:
                    [(a, k)] = joined[0][1].items()
                    own = var[(a, k)]  # shared variable: CLIPS joins on it
                    items = [i for i in items if i is not joined[0]]
                var[(alias, key)] = own
                terms.append(own)
                if "nil" not in items:
                    terms.append("~nil")  # a test on a missing key never matches
                for item in items:
                    if isinstance(item, str):
                        if item == "nil":
                            terms = [own, "nil"]
                        continue
                    if item[0] == "eq":
                        terms.append(f":(cmpeq {own} {self._operand(item[1], var)})")
                    else:
                        _, op, operand = item
                        other = self._operand(operand, var)
                        if op == "$neq":
                            terms.append(f":(neq {own} {other})")
                        else:
                            terms.append(f":(cmp{op[1:]} {own} {other})")
                slots.append(f"({self._slot(key)} {'&'.join(terms)})")
            address = f"?f{n}"
            by_type.setdefault(fact_type, []).append(address)
            lhs.append(f"{address} <- ({self.types.setdefault(fact_type, f't{len(self.types)}')} {' '.join(slots)})")
        for same in by_type.values():  # durable-rules never binds one fact to two patterns of a rule
            for a in range(len(same)):
                for b in range(a + 1, len(same)):
                    lhs.append(f"(test (neq {same[a]} {same[b]}))")
        keys = " ".join(var[(o, KEY)] for o in outputs)
        return f"(defrule {name} {' '.join(lhs)} => (emit {plan} {keys}))"

    @staticmethod
    def _operand(operand: Any, var: dict[tuple[str, str], str]) -> str:
        if isinstance(operand, dict):
            if "$add" in operand:
                [(a, k)] = operand["$add"]["$l"].items()
                return f"(+ {var[(a, k)]} {_literal(operand['$add']['$r'])})"
            [(a, k)] = operand.items()
            return var[(a, k)]
        return _literal(operand)

    def constructs(self) -> list[str]:
        out = []
        for fact_type, name in self.types.items():
            fields = {k for k in self.slots if k != TYPE}
            decl = " ".join(f"({'multislot' if (fact_type, k) in self.multi else 'slot'} {self.slots[k]})" for k in sorted(fields, key=self._slot))
            out.append(f"(deftemplate {name} {decl})")
        for op, sym in _OPS.items():
            # durable-rules compares numbers with numbers and strings with strings, nothing across
            out.append(f"(deffunction cmp{op[1:]} (?a ?b) (if (and (numberp ?a) (numberp ?b)) then ({sym} ?a ?b) "
                       f"else (if (and (stringp ?a) (stringp ?b)) then ({sym} (str-compare ?a ?b) 0) else FALSE)))")
        # durable-rules: 100 == 100.0 (notes, values); CLIPS's eq tells an integer from a float
        out.append("(deffunction cmpeq (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (= ?a ?b) else (eq ?a ?b)))")
        return out


def run_clips(plans: list[engine.ActionPlan], facts: list[dict[str, Any]]) -> tuple[Matches, float, int, dict[str, float]]:
    """CLIPS's matches for ``plans`` over ``facts`` (the facts run_plans would assert), its seconds and firings."""
    started = time.perf_counter()
    read = engine._read_types(plans)
    if read is not None:
        facts = [f for f in facts if f[TYPE] in read]
    translation = Translation(plans, facts)
    env = clips.Environment()
    results: Matches = {p.name: set() for p in plans}
    names = [p.name for p in plans]
    fired = [0]

    def emit(plan: int, *keys: Any) -> None:
        fired[0] += 1
        results[names[plan]].add(tuple(str(k) for k in keys))

    env.define_function(emit, name="emit")
    for construct in [*translation.constructs(), *translation.rules]:
        env.build(construct)
    built = time.perf_counter()
    templates = {t: env.find_template(name) for t, name in translation.types.items()}
    slot = translation.slots
    # one cffi call per fact; measured faster than CLIPS's own reader (load-facts) over one string, 0.2-0.3x
    for f in facts:
        templates[f[TYPE]].assert_fact(**{slot[k]: _value(v) for k, v in f.items() if k != TYPE and v is not None})
    asserted = time.perf_counter()
    env.run()
    done = time.perf_counter()
    split = {"build": built - started, "assert": asserted - built, "run": done - asserted}
    return results, done - started, fired[0], split


def _prepared(rules: list[RuleBase], b: Bureau, as_of: dt.date) -> tuple[Context, list[engine.ActionPlan], list[dict[str, Any]]]:
    """What ``checker.evaluate.evaluate`` hands the engine: the context, the plans and the facts."""
    ctx = Context.of(b, as_of, 30)
    for rule in rules:
        for fact in rule.subject_facts(ctx):
            ctx.facts.setdefault(fact[TYPE], []).append(fact)
    for rule in rules:
        rule.add_working_day_keys(ctx.facts)
    plans = [p for rule in rules for p in rule.plans(ctx)]
    return ctx, plans, [f for items in ctx.facts.values() for f in items]


def _findings(rules: list[RuleBase], b: Bureau, as_of: dt.date, ctx: Context, matches: Matches) -> list[Finding]:
    return [f for rule in rules for f in account_for_missing_data(rule, b, as_of, rule.judge(ctx, matches))]


def _status_by_subject(findings: list[Finding]) -> dict[tuple[str, str], str]:
    return {(f.rule_id, f.subject or f.period or "-"): f.status.value for f in findings}


def compare(size: int, seed: int, rules: list[RuleBase], as_of: dt.date) -> list[Any]:
    b = bureau(random.Random(seed * 1_000_003 + size), size, staff_count=max(len(STAFF), size // 60))
    records = sum(len(v) for v in b.records.values())
    ctx_d, plans, facts = _prepared(rules, b, as_of)
    durable = engine.run_plans(plans, facts)
    d_seconds, d_firings = engine.last_run["seconds"], int(engine.last_run["firings"])
    ctx_c, plans_c, facts_c = _prepared(rules, b, as_of)
    ours, c_seconds, c_firings, split = run_clips(plans_c, facts_c)
    same_matches = durable == ours
    d_find = _status_by_subject(_findings(rules, b, as_of, ctx_d, durable))
    c_find = _status_by_subject(_findings(rules, b, as_of, ctx_c, ours))
    agree = sum(1 for k, v in d_find.items() if c_find.get(k) == v)
    return [records, len(facts), f"{sum(map(len, durable.values())):,}", "yes" if same_matches else "NO",
            f"{agree:,}/{len(d_find):,}" + ("" if d_find.keys() == c_find.keys() else " (keys differ)"),
            f"{d_seconds:.2f}", f"{d_firings:,}", f"{c_seconds:.2f}", "/".join(f"{v:.2f}" for v in split.values()), f"{c_firings:,}",
            f"{d_seconds / c_seconds:.2f}×"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.clips")
    parser.add_argument("--sizes", default="2000,20000,50000", help="records in one synthetic bureau")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rules = [r for r in load_rulebook(DEFAULT_RULES).rules if r.id in CORE]
    missing = set(CORE) - {r.id for r in rules}
    if missing:
        raise SystemExit(f"core rules not in the rulebook: {sorted(missing)}")
    print(f"durable-rules against CLIPS on {len(rules)} core rules; load {os.getloadavg()[0]:.2f} at start")
    rows = [compare(int(s), args.seed, rules, dt.date(2021, 12, 31)) for s in args.sizes.split(",")]
    print(tabulate(rows, headers=["records", "facts", "matches", "same matches", "same findings", "durable s", "firings",
                                  "CLIPS s", "build/assert/run", "firings", "durable / CLIPS"]))
    print(f"load {os.getloadavg()[0]:.2f} at end")


run: Callable[[list[str] | None], None] = main

if __name__ == "__main__":
    main()
