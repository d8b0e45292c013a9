"""Benchmark: engine against oracle, and bureaus per second in parallel. Not a test: it reports ratios.

    python -m checker.benchmark [--sizes 1000,5000,20000] [--bureaus 8] [--growth 1000,5000,20000,50000]
    python -m checker.benchmark province --bureaus 10,100 --records 2000 [--jobs 2] [--format yaml]

``province`` writes synthetic bureaus with ``compliance synth`` (not timed), then runs
``compliance check-many`` over them and, back to back, the ingest floor: the same child processes
and batches loading and validating every bureau (``load_bureau``) with no rules. For each it
reports wall and CPU seconds (children included), records per second, and the peak memory of the
whole process tree (parent plus children, summed, sampled from /proc every 50 ms) and of the
largest single process (``RUSAGE_CHILDREN`` ``ru_maxrss``, measured in a fresh wrapper per run).

``--growth`` measures one bureau at each size, its staff growing with it (one person per 60
records, each with one or two certificates): engine seconds and firings for the whole rulebook
and for ``enforcement.certified-officers`` alone, engine and whole-evaluation seconds per 1,000
records, and whether the findings equal the oracle's. ``--growth`` alone skips the other two tables.

Timings on a shared machine vary; the ratios (engine/oracle, 2 jobs/1 job) are what to compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tabulate import tabulate

from .commands import check_many
from .engine import last_run
from .evaluate import evaluate
from .findings import Finding
from .isolation import Job, evaluate_many
from .records import Bureau
from .rulebook import DEFAULT_RULES, load_rulebook
from .rules import RuleBase
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


# --- province: check-many over synthetic bureaus ------------------------------------------------


def _no_rules(rules: list[RuleBase], bureau: Bureau, as_of: dt.date, warn_days: int) -> list[Finding]:
    """The ingest floor's evaluator: the bureau is loaded and validated in the child, nothing judged."""
    return []


def floor(root: Path, jobs: int, batch: int, as_of: dt.date) -> int:
    """``check-many``'s lanes and batches with no rules; returns the records read (run in a child of the benchmark)."""
    folders = check_many.bureau_folders(root)
    lanes = max(1, min(jobs, len(folders)))
    read = [0] * lanes

    def lane(index: int) -> None:
        work = [Job(str(f), None, as_of, 30, str(f)) for f in folders[index::lanes]]
        for result in evaluate_many([], work, batch_size=batch, evaluator=_no_rules):
            read[index] += sum(a.read for a in result.data.accounts) if result.data is not None else 0

    threads = [threading.Thread(target=lane, args=(i,)) for i in range(lanes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(read)


def _tree_rss(root_pid: int) -> int:
    """Resident memory of ``root_pid`` and all its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * _PAGE
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass
class Measured:
    wall: float
    cpu: float
    tree_peak: int
    process_peak: int
    exit_code: int


_WRAPPER = (
    "import resource, subprocess, sys, json\n"
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'code': code, 'maxrss': u.ru_maxrss * 1024, 'cpu': u.ru_utime + u.ru_stime}))\n"
)


def measure(argv: list[str]) -> Measured:
    """Run ``argv`` in a fresh wrapper (so RUSAGE_CHILDREN covers only this run), sampling the tree's memory."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", _WRAPPER, *argv], stdout=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - start
    report = json.loads(process.stdout.read() if process.stdout else "{}")
    return Measured(wall, report["cpu"], peak, report["maxrss"], report["code"])


def province(counts: list[int], records: int, jobs: int, batch: int, fmt: str, seed: int) -> list[list[object]]:
    rows: list[list[object]] = []
    as_of = "2021-12-31"
    for count in counts:
        with tempfile.TemporaryDirectory(prefix="province-") as tmp:
            root = Path(tmp) / "bureaus"
            subprocess.run([sys.executable, "-m", "checker", "synth", "--bureaus", str(count), "--records", str(records),
                            "--seed", str(seed), "--out", str(root), "--format", fmt], check=True, capture_output=True)
            check = measure([sys.executable, "-m", "checker", "check-many", str(root), "--as-of", as_of, "--jobs", str(jobs),
                             "--batch", str(batch), "--quiet", "--output", str(Path(tmp) / "out.jsonl")])
            counted = sum(sum(a["read"] for a in json.loads(line)["data_quality"]["ledgers"])
                          for line in (Path(tmp) / "out.jsonl").read_text(encoding="utf-8").splitlines() if "data_quality" in line)
            ingest = measure([sys.executable, "-m", "checker.benchmark", "_floor", str(root), str(jobs), str(batch), as_of])
            for name, m in (("check-many", check), ("ingest floor", ingest)):
                rows.append([count, counted, name, m.exit_code, f"{m.wall:.1f}", f"{m.cpu:.1f}", f"{counted / m.wall:,.0f}",
                             f"{m.tree_peak / 2**20:,.0f}", f"{m.process_peak / 2**20:,.0f}"])
            rows.append(["", "", "check / floor", "", f"{check.wall / ingest.wall:.2f}×", f"{check.cpu / ingest.cpu:.2f}×", "", "", ""])
    return rows


def province_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m checker.benchmark province")
    parser.add_argument("--bureaus", default="10", help="bureau counts, e.g. 10,100,1000")
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--format", default="yaml", choices=["yaml", "csv", "xlsx", "mixed"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(f"check-many over synthetic bureaus (~{args.records:,} records each), --jobs {args.jobs} --batch {args.batch};"
          f" load {os.getloadavg()[0]:.2f} at start")
    print(tabulate(province([int(c) for c in args.bureaus.split(",")], args.records, args.jobs, args.batch, args.format, args.seed),
                   headers=["bureaus", "records", "run", "exit", "wall s", "cpu s", "records/s", "tree peak MB", "largest process MB"]))
    print(f"load {os.getloadavg()[0]:.2f} at end")


# --- one large ledger ------------------------------------------------------------------------

_RAISED_CAP = (
    "import sys\n"
    "import checker.records.loading as loading\n"
    "import checker.yamlsrc as yamlsrc\n"
    "yamlsrc.load_yaml.__kwdefaults__['max_bytes'] = 1 << 30\n"
    "loading.MAX_LEDGER_BYTES = 1 << 30  # the benchmark measures past the 20 MB bound; a real run refuses\n"
    "from checker.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)
_INGEST = (
    "import sys\n"
    "from pathlib import Path\n"
    "import checker.records.loading as loading\n"
    "import checker.yamlsrc as yamlsrc\n"
    "yamlsrc.load_yaml.__kwdefaults__['max_bytes'] = 1 << 30\n"
    "loading.MAX_LEDGER_BYTES = 1 << 30\n"
    "b = loading.load_bureau(Path(sys.argv[1]))\n"
    "sys.exit(0 if b.records else 1)\n"
)


def write_large_ledger(folder: Path, megabytes: float, seed: int = 0) -> int:
    """A synthetic bureau whose enforcement-action ledger is about ``megabytes`` MB of YAML; returns its records."""
    from .synthetic import synthetic_bureau, write_bureau  # noqa: PLC0415 - only this subcommand writes bureaus

    write_bureau(synthetic_bureau(seed, 0, 2000), folder, "yaml")
    rng = random.Random(seed)
    target = int(megabytes * 2**20)
    lines: list[str] = []
    size = 0
    start = dt.date(2020, 1, 1)
    while size < target:
        officers = ", ".join(f'"P{rng.randrange(1, 34):02d}"' for _ in range(rng.choice([1, 2, 2, 3])))
        line = (f'- {{id: "A{len(lines)}", date: \'{start + dt.timedelta(days=rng.randrange(730))}\', '
                f'action: "检查", officers: [{officers}], party: "企业"}}\n')
        lines.append(line)
        size += len(line.encode("utf-8"))
    (folder / "enforcement_action.yaml").write_text("".join(lines), encoding="utf-8")
    return len(lines)


def large_ledger(sizes: list[float], check_up_to: float) -> list[list[object]]:
    rows: list[list[object]] = []
    for mb in sizes:
        with tempfile.TemporaryDirectory(prefix="ledger-") as tmp:
            folder = Path(tmp) / "bureau"
            folder.mkdir()
            count = write_large_ledger(folder, mb)
            ingest = measure([sys.executable, "-c", _INGEST, str(folder)])
            runs = [("ingest (load_bureau)", ingest)]
            if mb <= check_up_to:  # measured: a check holds ~30 KB a record, so a 50 MB ledger would need ~20 GB
                runs.append(("check", measure([sys.executable, "-c", _RAISED_CAP, "check", str(folder), "--as-of", "2021-12-31",
                                                "--format", "json"])))
            for name, m in runs:
                rows.append([f"{mb:g}", f"{count:,}", name, m.exit_code, f"{m.wall:.1f}", f"{m.cpu:.1f}",
                             f"{m.tree_peak / 2**20:,.0f}", f"{m.process_peak / 2**20:,.0f}"])
    return rows


def main() -> None:
    if sys.argv[1:2] == ["ledger"]:
        parser = argparse.ArgumentParser(prog="python -m checker.benchmark ledger")
        parser.add_argument("--mb", default="5,20,50", help="sizes of the one large ledger (enforcement_action.yaml), MB")
        parser.add_argument("--check-up-to", type=float, default=5, help="run the whole check only up to this size, MB")
        args = parser.parse_args(sys.argv[2:])
        print(f"One bureau with one large YAML ledger (20 MB is the loader's bound; raised here); load {os.getloadavg()[0]:.2f}")
        print(tabulate(large_ledger([float(m) for m in args.mb.split(",")], args.check_up_to),
                       headers=["MB", "records", "run", "exit", "wall s", "cpu s", "tree peak MB", "largest process MB"]))
        print(f"load {os.getloadavg()[0]:.2f} at end")
        return
    if sys.argv[1:2] == ["province"]:
        province_main(sys.argv[2:])
        return
    if sys.argv[1:2] == ["_floor"]:
        root, jobs, batch, as_of = sys.argv[2:6]
        floor(Path(root), int(jobs), int(batch), dt.date.fromisoformat(as_of))
        return
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
