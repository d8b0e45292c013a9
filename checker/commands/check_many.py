"""``compliance check-many``: every bureau under a folder, in parallel child processes, streamed.

A city or province checks hundreds of bureaus at once. Each bureau is loaded and evaluated in a
child process (validation parallelises too, and a crash costs one bureau); results stream out
as JSON lines, one per bureau, in the shape of ``check --format json`` plus ``folder``: to the
screen as they come, or into ``--output``, which appears whole when the run ends (written to a
temporary file and renamed), so a killed run never leaves a file that looks complete.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import queue
import sys
import threading
from pathlib import Path
from typing import IO, Any

from tabulate import tabulate

from ..errors import InputError, Problem
from ..evaluate import CheckResult
from ..files import atomic_writer, write_atomic
from ..findings import Status
from ..isolation import Job, JobResult, evaluate_many
from ..league import LEAGUE_FORMATS, League, league_format_of
from ..rulebook import DEFAULT_RULES, load_rulebook
from ..text import json_safe, printable
from ._common import EXIT_BAD_INPUT, EXIT_GAPS, EXIT_OK, batch_arg, day_arg, jobs_arg, warn_days_arg


def register(commands: Any) -> None:
    many = commands.add_parser("check-many", help="检查一个目录下的多个单位（并行、逐个输出 JSON 行）")
    many.add_argument("root", type=Path, help="包含多个单位台账目录的目录")
    many.add_argument("--rules", type=Path, default=DEFAULT_RULES)
    many.add_argument("--as-of", type=day_arg, default=None)
    many.add_argument("--warn-days", type=warn_days_arg, default=30)
    many.add_argument("--jobs", type=jobs_arg, default=os.cpu_count() or 1, help="并行进程数（默认 CPU 核数）")
    many.add_argument("--batch", type=batch_arg, default=20, help="每个子进程检查的单位数，之后回收")
    many.add_argument("--output", type=Path, default=None, help="JSON 行输出文件（默认标准输出）")
    many.add_argument("--league", type=Path, default=None, metavar="FILE",
                      help="汇总表（单位 × 提纲，问题数由多到少）：按扩展名写成 .docx、.html、.md 或 .txt")
    many.add_argument("--quiet", action="store_true", help="不显示进度")
    many.set_defaults(handler=run)


def bureau_folders(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.rglob("profile.yaml"))


def run(args: argparse.Namespace) -> int:
    league_fmt = _league_format(args.league)
    rulebook = load_rulebook(args.rules)
    as_of: dt.date = args.as_of or dt.date.today()
    folders = bureau_folders(args.root)
    if not folders:
        print(f"错误：{args.root} 下没有单位台账目录（含 profile.yaml 的目录）", file=sys.stderr)
        return EXIT_BAD_INPUT
    results: queue.Queue[JobResult | None] = queue.Queue()
    lanes = max(1, min(args.jobs, len(folders)))

    def lane(index: int) -> None:
        jobs = [Job(str(f), None, as_of, args.warn_days, str(f)) for f in folders[index::lanes]]
        for result in evaluate_many(rulebook.rules, jobs, batch_size=args.batch):
            results.put(result)
        results.put(None)

    threads = [threading.Thread(target=lane, args=(i,), daemon=True) for i in range(lanes)]
    rows: list[list[Any]] = []
    league = League(as_of)
    progress = _progress(len(folders), args.quiet)
    records_done = 0
    worst = EXIT_OK
    finished = 0
    # A file named with --output appears only when every bureau's line is in it (atomic rename);
    # a killed or failed run leaves the previous file, or none, never a half-written one.
    with contextlib.ExitStack() as stack:
        if args.output:
            out: IO[str] = stack.enter_context(io.TextIOWrapper(stack.enter_context(atomic_writer(args.output)), encoding="utf-8"))
        else:
            out = sys.stdout
        for t in threads:  # only once the output can be written: a bad --output costs no work
            t.start()
        while finished < lanes:
            result = results.get()
            if result is None:
                finished += 1
                continue
            if result.findings is None:
                line: dict[str, Any] = {"folder": result.key, "error": result.error, "bad_input": result.bad_input}
                # The table says why in a short phrase; the JSON line holds the whole message.
                kind = "输入错误" if result.bad_input else "检查失败" if result.evaluation else "引擎失败"
                rows.append([result.key, "—", f"{kind}：{result.reason}" if result.reason else kind])
                league.add_failure(result.key, rows[-1][-1])
                worst = EXIT_BAD_INPUT
            else:
                check = CheckResult(result.bureau_name, as_of, result.findings, rulebook.version, rulebook.digest, result.data)
                line = {"folder": result.key, **check.to_json()}
                gaps = len(check.gaps)
                incomplete = check.data is not None and not check.data.complete
                rows.append([result.key, check.bureau, f"{gaps}（数据不全）" if incomplete else gaps])
                league.add(result.key, check.bureau, check.findings, incomplete)
                records_done += sum(a.read for a in check.data.accounts) if check.data is not None else 0
                if incomplete:
                    worst = EXIT_BAD_INPUT
                elif gaps and worst == EXIT_OK:
                    worst = EXIT_GAPS
            out.write(json_safe(json.dumps(line, ensure_ascii=False)) + "\n")
            out.flush()
    if progress is not None:
        progress.close()
    if args.league is not None:
        write_atomic(args.league, league.render(league_fmt or "table"))
        print(f"已写入汇总表 {args.league}（{len(league.rows)} 个单位）", file=sys.stderr)
    if args.output:
        print(printable(tabulate(sorted(rows), headers=["目录", "单位", f"{Status.gap.value} 数"], tablefmt="simple")))
    return worst


def _league_format(path: Path | None) -> str | None:
    """The league table's format from its suffix, checked before any work (and its folder too)."""
    if path is None:
        return None
    if path.is_dir() or not path.parent.is_dir():
        raise InputError([Problem(str(path), "汇总表" + ("是目录，应为文件名" if path.is_dir() else "所在目录不存在"))])
    fmt = league_format_of(path)
    if fmt is None:
        known = "、".join(LEAGUE_FORMATS)
        raise InputError([Problem(str(path), f"无法从扩展名“{path.suffix or '（无）'}”判断汇总表格式；可用：{known}")])
    return fmt


def _progress(total: int, quiet: bool) -> Any:
    """Bureaus done of total, records per second and time left, on stderr; only on a terminal, and not with --quiet."""
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm  # noqa: PLC0415 - only an interactive run draws progress

    return tqdm(total=total, unit="个单位", file=sys.stderr, dynamic_ncols=True, desc="检查")
