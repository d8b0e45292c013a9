"""The one place that talks to durable-rules.

durable-rules 2.0.28 is unmaintained and wrong in several measured ways
(../shared/notes/durable-rules.md). This adapter uses only the patterns shown correct there:

- a fresh ``Host`` per evaluation with its timer threads cancelled at once (r03), so every
  action runs in the caller's thread;
- rulesets as plain JSON with actions bound by name through ``get_action`` (r05), deep-copied
  because the engine deletes ``run`` from the definitions it is given;
- single-fact tests and joins of at most three patterns on ordinary fields; never ``id`` or
  ``sid`` in a condition (r07, r08), never ``$or`` or ``any`` (r14), and no negation at all:
  the kinds take set differences in Python (r15);
- every fact carries an explicit ``id`` (r08); a duplicate fact is fatal, not ignored;
- a fact no rule matches raises in the engine (r01), so a catch-all rule matches every fact; it is
  a join whose second pattern waits for a type never asserted, so it never fires (measured: a
  one-pattern catch-all fired once per fact, about half the engine's time on 20k plain facts, and
  the two-pattern one still keeps any fact from being unhandled); facts of a type no plan reads
  are not asserted at all; the record id travels as ``rid`` and a match reports each fact's
  ``_key`` (a record id, or a rule's subject key);
- the engine's pattern dialect (``$and``, ``$lte``, joins) is spelled only here: the kinds and
  conditions build their patterns with the functions below;
- one fact never binds two patterns of a rule (measured: a join of a fact with itself on
  its record id never fires), so a comparison of two fields of one record joins the record to a
  shadow copy of it, of type ``<type>#self``, which this adapter asserts for every type a
  plan asks for.

Nothing else in the package imports ``durable``.
"""

from __future__ import annotations

import copy
import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .context import Match, Matches
from .facts import KEY, TYPE

__all__ = [
    "KEY",
    "MAX_PATTERNS",
    "SELF_SUFFIX",
    "TYPE",
    "ActionPlan",
    "EngineError",
    "Pattern",
    "Ref",
    "Test",
    "absent",
    "compare",
    "has_item",
    "has_item_outside",
    "is_type",
    "none_of",
    "pattern",
    "present",
    "ref",
    "run_plans",
]

SELF_SUFFIX = "#self"
MAX_PATTERNS = 3  # joins of more patterns were not shown correct (notes, correctness matrix)
_CATCH_ALL = "catch-all"
_NEVER = "_never"
"""A fact type never asserted: the catch-all's second pattern, so the catch-all never fires."""
_names = itertools.count()

Test = dict[str, Any]
"""One test inside a pattern, in the engine's dialect; built only by the functions below."""
Pattern = dict[str, Any]
"""One pattern: an alias bound to a fact that passes every test."""


@dataclass(frozen=True)
class Ref:
    """A value read from a fact bound earlier in the same rule (a join), optionally plus a number."""

    alias: str
    key: str
    add: int = 0

    def compiled(self) -> Any:
        own = {self.alias: self.key}
        return {"$add": {"$l": own, "$r": self.add}} if self.add else own


def ref(alias: str, key: str, add: int = 0) -> Ref:
    return Ref(alias, key, add)


def _operand(value: Any) -> Any:
    return value.compiled() if isinstance(value, Ref) else value


_COMPARISONS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}


def compare(key: str, op: str, value: Any) -> Test:
    """``key op value``, where value is a constant or a ``Ref``; op is ==, !=, <, <=, > or >=."""
    if op == "==":
        return {key: _operand(value)}
    return {_COMPARISONS[op]: {key: _operand(value)}}


def is_type(fact_type: str) -> Test:
    return {TYPE: fact_type}


def present(key: str) -> Test:
    return {"$ex": {key: 1}}


def absent(key: str) -> Test:
    """The key is not on the fact. Never a pattern's only test: ``$nex`` alone loops (notes, engine behaviour)."""
    return {"$nex": {key: 1}}


def none_of(key: str, values: list[Any]) -> Test:
    """Present, and equal to none of ``values`` (an ``$and`` of inequalities, not a negated pattern)."""
    return {"$and": [present(key), *({"$neq": {key: v}} for v in values)]}


def has_item(key: str, value: Any) -> Test:
    """The list under ``key`` has an item equal to ``value``."""
    return {"$iany": {key: {"$i": value}}}


def has_item_outside(key: str, values: list[Any]) -> Test:
    """The list under ``key`` has an item equal to none of ``values``."""
    return {"$iany": {key: {"$and": [{"$neq": {"$i": v}} for v in values]}}}


def pattern(alias: str, tests: list[Test]) -> Pattern:
    return {alias: {"$and": list(tests)}}




@dataclass(frozen=True)
class ActionPlan:
    """One thing a rule asks the engine to find.

    ``alternatives`` are pattern lists of which any may match (compiled to separate engine
    rules, the answers united, since ``$or`` duplicates and ``any`` is wrong); ``outputs`` are
    the pattern aliases whose record ids make up each match.
    """

    name: str
    alternatives: list[list[dict[str, Any]]]
    outputs: tuple[str, ...]


class EngineError(RuntimeError):
    """The engine refused a ruleset or a fact, or an action failed: the evaluation is void."""


def run_plans(plans: list[ActionPlan], facts: list[dict[str, Any]]) -> Matches:
    """Assert ``facts`` against ``plans`` in a fresh engine and return every match by plan name."""
    from durable.engine import Host, MessageObservedException  # noqa: PLC0415 - keep the C extension out of import time

    started = time.perf_counter()
    results: Matches = {p.name: set() for p in plans}
    fired = [0]
    failures: list[str] = []
    by_action: dict[str, tuple[str, tuple[str, ...]]] = {}
    definition: dict[str, Any] = {}
    for i, plan in enumerate(plans):
        by_action[f"a{i}"] = (plan.name, plan.outputs)
        for j, patterns in enumerate(plan.alternatives):
            if not 1 <= len(patterns) <= MAX_PATTERNS:
                raise EngineError(f"{plan.name}: {len(patterns)} patterns; at most {MAX_PATTERNS} are safe")
            definition[f"r{i}_{j}"] = {"all": patterns, "run": f"a{i}"}
    definition["zz_" + _CATCH_ALL] = {"all": [{"m": present(TYPE)}, {"n": is_type(_NEVER)}], "run": _CATCH_ALL}

    def make_action(name: str) -> Callable[[Any], None]:
        if name == _CATCH_ALL:
            return lambda c: failures.append("the catch-all rule fired")  # it cannot: nothing of type _NEVER is asserted
        plan_name, outputs = by_action[name]

        def record(c: Any) -> None:
            # The engine swallows exceptions raised in actions (notes r01): keep our own.
            fired[0] += 1
            try:
                match: Match = tuple(str(c._m[alias][KEY]) for alias in outputs)
                results[plan_name].add(match)
            except Exception as exc:  # noqa: BLE001 - reported below, never swallowed
                failures.append(f"{plan_name}: {exc!r}")

        return record

    class _Host(Host):  # type: ignore[misc]
        def get_action(self, action_name: str) -> Callable[[Any], None]:
            return make_action(action_name)

    host = _Host()
    host._d_timer.cancel()
    host._t_timer.cancel()
    ruleset = f"rs{next(_names)}"
    try:
        host.set_rulesets({ruleset: copy.deepcopy(definition)})
    except Exception as exc:  # the engine raises bare exceptions with codes
        raise EngineError(f"engine refused the compiled rules: {exc}") from exc
    _readable_numbers(definition, "the compiled rules")
    for fact in facts:
        _readable_numbers(fact, f"fact {fact.get(KEY)!r} ({fact.get(TYPE)})")
    read = _read_types(plans)
    if read is not None:
        facts = [f for f in facts if f[TYPE] in read]
    if any(f[TYPE] == _NEVER for f in facts):
        raise EngineError(f"a fact of the reserved type {_NEVER!r}")
    shadowed = _shadowed_types(definition)
    shadows = [{**f, TYPE: f[TYPE] + SELF_SUFFIX} for f in facts if f[TYPE] in shadowed]
    numbered = [dict(f, id=str(k)) for k, f in enumerate([*facts, *shadows], start=1)]
    try:
        for start in range(0, len(numbered), 1000):
            host.assert_facts(ruleset, numbered[start : start + 1000])
    except MessageObservedException as exc:
        raise EngineError(f"a fact was asserted twice (duplicate data or an id collision): {exc}") from exc
    except Exception as exc:
        raise EngineError(f"engine failed on the facts: {exc}") from exc
    if failures:
        raise EngineError("; ".join(failures[:5]))
    last_run.update(facts=len(numbered), firings=fired[0], matches=sum(len(m) for m in results.values()),
                    seconds=time.perf_counter() - started)
    return results


last_run: dict[str, float] = {}
"""What the last ``run_plans`` of this process asserted and fired, for the benchmark."""


ENGINE_INT_LIMIT = 2**53
"""Integers the engine holds exactly (it reads JSON numbers as doubles)."""


def _readable_numbers(node: Any, where: str) -> None:
    """Refuse a number the engine would misread. Measured: a float Python writes with an exponent
    (1e+20, 1e-05) or not finite makes the engine drop that fact and every later one of the batch
    without an error, so findings silently vanish. The loaders bound numbers well inside this
    (``checker.records.columns``, ``checker.params``); this is the last guard."""
    if isinstance(node, dict):
        for value in node.values():
            _readable_numbers(value, where)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _readable_numbers(value, where)
    elif isinstance(node, float) and ("e" in repr(node) or not math.isfinite(node)):
        raise EngineError(f"{where}: the number {node!r} cannot be read by the engine")
    elif isinstance(node, int) and not isinstance(node, bool) and abs(node) > ENGINE_INT_LIMIT:
        raise EngineError(f"{where}: the integer {node} is beyond what the engine holds exactly")


def _read_types(plans: list[ActionPlan]) -> set[str] | None:
    """The fact types some pattern reads (shadow types give their base type), or None when a
    pattern names no type and so could match a fact of any type: then every fact is asserted."""
    found: set[str] = set()
    for plan in plans:
        for patterns in plan.alternatives:
            for pat in patterns:
                for body in pat.values():
                    tests = body["$and"] if isinstance(body, dict) and "$and" in body else [body]
                    named = [t[TYPE] for t in tests if isinstance(t, dict) and isinstance(t.get(TYPE), str)]
                    if not named:
                        return None
                    found.update(n.removesuffix(SELF_SUFFIX) for n in named)
    return found


def _shadowed_types(definition: dict[str, Any]) -> set[str]:
    """Fact types whose shadow copies some pattern reads (``is_type("<type>#self")``)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            value = node.get(TYPE)
            if isinstance(value, str) and value.endswith(SELF_SUFFIX):
                found.add(value[: -len(SELF_SUFFIX)])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(definition)
    return found
