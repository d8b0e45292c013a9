"""Benchmark: engine against oracle, and bureaus per second in parallel. Not a test: it reports ratios.

    python -m checker.benchmark [--sizes 1000,5000,20000] [--bureaus 8] [--growth 1000,5000,20000,50000]

``--growth`` measures one bureau at each size, its staff growing with it (one person per 60
records, each with one or two certificates): engine seconds and firings for the whole rulebook
and for ``enforcement.certified-officers`` alone, engine and whole-evaluation seconds per 1,000
records, and whether the findings equal the oracle's. ``--growth`` alone skips the other two tables.

Timings on a shared machine vary; the ratios (engine/oracle, 2 jobs/1 job) are what to compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tabulate import tabulate

from .engine import last_run
from .evaluate import evaluate
from .rulebook import DEFAULT_RULES, load_rulebook
from .synthetic import bureau

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "district-bureau-2020"


def _timed(fn: object, *args: object, **kw: object) -> float:
    start = time.perf_counter()
    fn(*args, **kw)  # type: ignore[operator]
    return time.perf_counter() - start


def engine_vs_oracle(sizes: list[int]) -> list[list[object]]:
    rules = load_rulebook(DEFAULT_RULES).rules
    rows: list[list[object]] = []
    for n in sizes:
        b = bureau(random.Random(n), n)
        records = sum(len(v) for v in b.records.values())
        as_of = dt.date(2021, 12, 31)
        engine = _timed(evaluate, rules, b, as_of)
        oracle = _timed(evaluate, rules, b, as_of, matcher="oracle")
        rows.append([records, f"{engine:.2f}", f"{oracle:.2f}", f"{engine / oracle:.1f}", f"{records / engine:,.0f}"])
    return rows


GROWTH_RULE = "enforcement.certified-officers"


def growth(sizes: list[int], oracle: bool = True) -> list[list[object]]:
    """Engine time and firings per record as one bureau grows: linear means flat columns."""
    rules = load_rulebook(DEFAULT_RULES).rules
    alone = [r for r in rules if r.id == GROWTH_RULE]
    rows: list[list[object]] = []
    for n in sizes:
        b = bureau(random.Random(n), n, staff_count=max(12, n // 60))
        records = sum(len(v) for v in b.records.values())
        as_of = dt.date(2021, 12, 31)
        row: list[object] = [records]
        for subset in (rules, alone):
            start = time.perf_counter()
            findings = evaluate(subset, b, as_of)
            total = time.perf_counter() - start
            seconds, firings = last_run["seconds"], int(last_run["firings"])
            row += [f"{seconds:.2f}", f"{seconds / records * 1000:.3f}", f"{firings:,}", f"{total / records * 1000:.3f}"]
            if oracle:
                same = sorted(map(repr, findings)) == sorted(map(repr, evaluate(subset, b, as_of, matcher="oracle")))
                row.append("yes" if same else "NO")
        rows.append(row)
    return rows


def bureaus_in_parallel(count: int) -> list[list[object]]:
    rows: list[list[object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            shutil.copytree(SEED, Path(tmp) / f"b{i:03d}")
        times = {}
        for jobs in (1, 2):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "checker", "check-many", tmp, "--as-of", "2020-12-31", "--jobs", str(jobs),
                            "--output", str(Path(tmp) / f"out{jobs}.jsonl")], check=False, capture_output=True)
            times[jobs] = time.perf_counter() - start
            rows.append([count, jobs, f"{times[jobs]:.1f}", f"{count / times[jobs]:.2f}"])
        rows.append(["", "speed-up", f"{times[1] / times[2]:.2f}×", ""])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m checker.benchmark")
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--bureaus", type=int, default=8)
    parser.add_argument("--growth", default="", help="sizes of one bureau, e.g. 1000,5000,20000,50000")
    parser.add_argument("--no-oracle", action="store_true", help="with --growth: skip the (slow) oracle comparison")
    args = parser.parse_args()
    if args.growth:
        print(f"One bureau growing: whole rulebook, then {GROWTH_RULE} alone (engine s, engine s per 1,000 records, firings,"
              " evaluation s per 1,000 records: engine plus the joins and judging in Python)")
        same = [] if args.no_oracle else ["= oracle"]
        print(tabulate(growth([int(s) for s in args.growth.split(",")], not args.no_oracle),
                       headers=["records", "all s", "per 1k", "firings", "eval/1k", *same, "alone s", "per 1k", "firings", "eval/1k", *same]))
        return
    print("Engine against oracle, whole rulebook, synthetic ledgers")
    print(tabulate(engine_vs_oracle([int(s) for s in args.sizes.split(",")]),
                   headers=["records", "engine s", "oracle s", "engine/oracle", "records/s (engine)"]))
    print("\ncheck-many on copies of the seed bureau")
    print(tabulate(bureaus_in_parallel(args.bureaus), headers=["bureaus", "jobs", "s", "bureaus/s"]))


if __name__ == "__main__":
    main()
