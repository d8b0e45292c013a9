"""A small mutation tester of our own (issue 11, item 5): mutate one module, run the tests that exercise it.

Why not mutmut: mutmut 3 copies the package into ``mutants/``, rewrites every function into a
trampoline and starts with a stats run of the whole suite; our rules folder is found relative to
the package, the rule examples are collected by a pytest plugin and the machine is shared (one
worker), so a focused, predictable run of a few fast test files per module is what we need.

How it works: the module is parsed, and each mutation point (below) gives one mutant, the
module's source re-generated from the changed tree. A copy of the checkout (checker/, rules/,
tests/, fixtures/, pyproject.toml) is made once in a temporary folder; for each mutant the
module there is replaced and the tests are run in a forked child (third-party packages imported
once in the parent, ``checker`` never, so the child imports the mutant), stopping at the first
failure. A mutant is *killed* when a test fails (or the child crashes or runs past the time
limit), *survived* when every test passes. ``--slow`` test files run only for the survivors of
the fast ones.

Mutation points: comparison operators (< <=, > >=, == !=, in / not in, is / is not), arithmetic
(+ -, * //, % and /), augmented assignment (+= -=), and/or, ``not x`` to ``x``, unary minus
removed, integer constants n to n+1 (and 1 to 0), True/False swapped, ``if``/``while``
conditions negated, a ``return X`` of a non-None value to ``return None``. Docstrings, strings
(messages) and ``__all__`` are left alone.

    python tests/mutate.py checker/periods.py --tests tests/test_time.py rules --slow tests/test_oracle.py
    python tests/mutate.py checker/periods.py --only 57,60   # just the mutants on these lines
    python tests/mutate.py checker/periods.py --list          # the mutants, without running them
    python tests/mutate.py checker/periods.py --tests ... --survivors before.txt  # rerun an earlier run's survivors

The score is killed / all mutants; survivors are printed with their line and change, to be
killed by a test (tests/test_mutants_<module>.py) or explained as equivalent.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SWAP_CMP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
SWAP_BIN: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.FloorDiv: ast.Mult, ast.Div: ast.Mult, ast.Mod: ast.FloorDiv,
}


@dataclass
class Mutant:
    index: int
    line: int
    what: str
    source: str


def _docstring_ids(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
                ids.add(id(body[0].value))
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            ids.update(id(n) for n in ast.walk(node.value))
    return ids


def _points(tree: ast.AST) -> Iterator[tuple[ast.AST, int, str]]:
    """(node, variant, description) for every mutation of ``tree``."""
    skip = _docstring_ids(tree)
    annotations: set[int] = set()
    for node in ast.walk(tree):
        # Annotations are not run (from __future__ import annotations): mutating them is noise.
        for ann in [getattr(node, "annotation", None), getattr(node, "returns", None)]:
            if ann is not None:
                annotations.update(id(n) for n in ast.walk(ann))
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in annotations:
            continue
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in SWAP_CMP:
                    yield node, i, f"{type(op).__name__} -> {SWAP_CMP[type(op)].__name__}"
        elif isinstance(node, ast.BinOp) and type(node.op) in SWAP_BIN:
            # A string concatenation or %-format is text, not arithmetic.
            if not any(isinstance(s, ast.Constant) and isinstance(s.value, str) for s in (node.left, node.right)) and not isinstance(node.left, ast.JoinedStr):
                yield node, 0, f"{type(node.op).__name__} -> {SWAP_BIN[type(node.op)].__name__}"
        elif isinstance(node, ast.AugAssign) and type(node.op) in (ast.Add, ast.Sub):
            yield node, 0, f"{type(node.op).__name__}= -> {SWAP_BIN[type(node.op)].__name__}="
        elif isinstance(node, ast.BoolOp):
            yield node, 0, f"{type(node.op).__name__} -> {'Or' if isinstance(node.op, ast.And) else 'And'}"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
            yield node, 0, f"drop {type(node.op).__name__}"
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            yield node, 0, f"{node.value} -> {node.value + 1}"
            if node.value == 1:
                yield node, 1, "1 -> 0"
        elif isinstance(node, ast.Constant) and type(node.value) is bool:
            yield node, 0, f"{node.value} -> {not node.value}"
        elif isinstance(node, (ast.If, ast.While, ast.IfExp)):
            yield node, 0, f"negate {type(node).__name__} condition"
        elif isinstance(node, ast.Return) and node.value is not None and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            yield node, 0, "return None"


def _apply(node: ast.AST, variant: int) -> None:
    if isinstance(node, ast.Compare):
        node.ops[variant] = SWAP_CMP[type(node.ops[variant])]()
    elif isinstance(node, (ast.BinOp, ast.AugAssign)):
        node.op = SWAP_BIN[type(node.op)]()
    elif isinstance(node, ast.BoolOp):
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif isinstance(node, ast.UnaryOp):
        # Replaced in its parent below; here the node becomes its operand's copy.
        raise AssertionError("unary handled by _replace")
    elif isinstance(node, ast.Constant) and type(node.value) is bool:
        node.value = not node.value
    elif isinstance(node, ast.Constant):
        node.value = node.value + 1 if variant == 0 else 0
    elif isinstance(node, (ast.If, ast.While, ast.IfExp)):
        node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
    elif isinstance(node, ast.Return):
        node.value = ast.Constant(value=None)


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST) -> None:
        self.target = target

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if node is self.target and isinstance(node, ast.UnaryOp):
            return node.operand
        return super().generic_visit(node)


def mutants(path: Path) -> list[Mutant]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    out: list[Mutant] = []
    points = list(_points(tree))
    for index, (node, variant, what) in enumerate(points):
        # Mutate a deep copy, found again by position in the walk (ids differ between copies).
        clone = copy.deepcopy(tree)
        position = [n for n in ast.walk(tree)].index(node)
        target = list(ast.walk(clone))[position]
        if isinstance(target, ast.UnaryOp):
            clone = _Replace(target).visit(clone)
        else:
            _apply(target, variant)
        ast.fix_missing_locations(clone)
        out.append(Mutant(index, getattr(node, "lineno", 0), what, ast.unparse(clone)))
    return sorted(out, key=lambda m: (m.line, m.index))


# --- running -----------------------------------------------------------------------------------


def _warm_imports() -> None:
    """Third-party packages imported once in the parent; ``checker`` must not be (the child imports the mutant)."""
    for name in ("pytest", "hypothesis", "pydantic", "yaml", "durable", "chinese_calendar", "openpyxl", "docx", "tabulate", "wcwidth"):
        with contextlib.suppress(ImportError):
            __import__(name)
    assert not any(m == "checker" or m.startswith("checker.") for m in sys.modules)


def _run_tests(work: Path, tests: list[str], timeout: float) -> str:
    """'killed', 'survived' or 'timeout', running ``tests`` in a forked child inside ``work``."""
    pid = os.fork()
    if pid == 0:  # the child
        os.setpgid(0, 0)
        code = 3
        try:
            os.chdir(work)
            sys.path.insert(0, str(work))
            fd = os.open(os.devnull, os.O_WRONLY)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            code = int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *tests]))
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
        if time.monotonic() > deadline:
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", type=Path, help="the module to mutate, e.g. checker/periods.py")
    parser.add_argument("--tests", nargs="+", default=["tests/test_time.py"], help="fast tests, run for every mutant")
    parser.add_argument("--slow", nargs="*", default=[], help="tests run only for the survivors of the fast ones")
    parser.add_argument("--only", default="", help="comma-separated line numbers: only the mutants on them")
    parser.add_argument("--survivors", type=Path, default=None, metavar="OUTPUT",
                        help="the output of an earlier run: rerun only its survivors, and score over all its mutants")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--timeout", type=float, default=0, help="seconds per run (default: 3 x the clean run, at least 10)")
    args = parser.parse_args(argv)
    module = (ROOT / args.module).resolve().relative_to(ROOT)
    found = mutants(ROOT / module)
    if args.only:
        lines = {int(x) for x in args.only.split(",")}
        found = [m for m in found if m.line in lines]
    total = len(found)
    if args.survivors is not None:
        # Adding tests never revives a killed mutant (the same tests still run), so rerunning the
        # survivors gives the score over every mutant at a fraction of the cost.
        earlier = args.survivors.read_text(encoding="utf-8")
        ids = {int(x) for x in re.findall(r"SURVIVED \S+: #(\d+) ", earlier)}
        found = [m for m in found if m.index in ids]
    if args.list:
        for m in found:
            print(f"{module}:{m.line}: #{m.index} {m.what}")
        return 0
    _warm_imports()
    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        work = Path(tmp)
        for part in ("checker", "rules", "tests", "fixtures"):
            shutil.copytree(ROOT / part, work / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        shutil.copy2(ROOT / "pyproject.toml", work / "pyproject.toml")
        target = work / module
        original = target.read_text(encoding="utf-8")
        # The clean run, on the re-generated (unparsed) source: it must pass, and it sets the time limit.
        target.write_text(ast.unparse(ast.parse(original)), encoding="utf-8")
        started = time.monotonic()
        suites = [args.tests, *([args.slow] if args.slow else [])]
        for suite in suites:
            if _run_tests(work, suite, 600) != "survived":
                print(f"the clean module fails {suite}: fix that first", file=sys.stderr)
                return 2
        clean = time.monotonic() - started
        timeout = args.timeout or max(10.0, 3 * clean)
        print(f"{module}: {len(found)} mutants; clean run {clean:.1f}s, limit {timeout:.0f}s", flush=True)
        killed = 0
        survivors: list[Mutant] = []
        for m in found:
            target.write_text(m.source, encoding="utf-8")
            outcome = "survived"
            for suite in suites:
                outcome = _run_tests(work, suite, timeout)
                if outcome != "survived":
                    break
            if outcome == "survived":
                survivors.append(m)
                print(f"  SURVIVED {module}:{m.line}: #{m.index} {m.what}", flush=True)
            else:
                killed += 1
        target.write_text(original, encoding="utf-8")
    killed += total - len(found)  # with --survivors: those not rerun were killed before
    score = 100.0 * killed / total if total else 100.0
    print(f"{module}: killed {killed}/{total} = {score:.1f}%; {len(survivors)} survived")
    return 0


if __name__ == "__main__":
    sys.exit(main())
