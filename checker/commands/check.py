"""``compliance check``: the monthly compliance check of one bureau; ``check-many`` for a city or province."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from ..completeness import DataQuality
from ..evaluate import CheckResult
from ..history import compare_with_history, save_run
from ..isolation import evaluate_isolated
from ..records import Bureau, load_bureau
from ..render import as_json, as_table
from ..rulebook import DEFAULT_RULES, Rulebook, load_rulebook
from ._common import EXIT_BAD_INPUT, EXIT_GAPS, EXIT_OK, day_arg, warn_days_arg


def register(commands: Any) -> None:
    check = commands.add_parser("check", help="检查一个单位的台账，列出问题")
    check.add_argument("records", type=Path, help="单位台账目录")
    check.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="规则目录（默认随附规则库）")
    check.add_argument("--as-of", type=day_arg, default=None, help="检查日期 YYYY-MM-DD（默认今天）")
    check.add_argument("--format", choices=["table", "json"], default="table")
    check.add_argument("--warn-days", type=warn_days_arg, default=30, help="提前预警天数（默认 30）")
    check.add_argument("--history", type=Path, default=None, help="历次检查记录目录：保存本次结果，并列出较上次新增和已整改的问题")
    check.set_defaults(handler=run)


def check_bureau(records: Path, rules: Path, as_of: dt.date | None, warn_days: int = 30) -> tuple[CheckResult, Rulebook, Bureau]:
    """Load, validate and evaluate: the one path every command that needs findings goes through.

    Returns the rulebook and the records too, for commands that explain findings (reports).
    """
    rulebook = load_rulebook(rules)
    bureau = load_bureau(records)
    day = as_of or dt.date.today()
    findings = evaluate_isolated(rulebook.rules, bureau, day, warn_days)
    data = DataQuality.of(rulebook.rules, bureau)
    return CheckResult(bureau.profile.name, day, findings, rulebook.version, rulebook.digest, data), rulebook, bureau


def run_check(records: Path, rules: Path, as_of: dt.date | None, warn_days: int = 30) -> CheckResult:
    return check_bureau(records, rules, as_of, warn_days)[0]


def run(args: argparse.Namespace) -> int:
    result = run_check(args.records, args.rules, args.as_of, args.warn_days)
    changes = None
    if args.history is not None:
        changes = compare_with_history(result, args.history)
        save_run(result, args.history)
    print(as_json(result, changes) if args.format == "json" else as_table(result, changes))
    return exit_status(result)


def exit_status(result: CheckResult) -> int:
    """0 nothing to act on; 1 gaps; 2 bad input: here, the check was made but some ledger was not
    handed in or some record could not be read (those findings are unknown; the list is on stderr).

    Rows skipped as they should be (合计, blank) are only counted here; ``ledgers validate`` lists them.
    """
    if result.data is not None and not result.data.complete:
        for line in result.data.missing_lines():
            print(f"台账缺失：{line}", file=sys.stderr)
        for unread in result.data.unread:
            for problem in unread.problems:
                print(f"无法读取：{problem}", file=sys.stderr)
        print("（全部数据问题：compliance ledgers validate 台账目录）", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_GAPS if result.gaps else EXIT_OK
