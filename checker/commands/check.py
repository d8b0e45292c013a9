"""``compliance check``: the monthly compliance check of one bureau; ``check-many`` for a city or province."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from ..completeness import DataQuality
from ..errors import InputError
from ..evaluate import CheckResult
from ..findings import Status
from ..history import DB_ENV, DEFAULT_DB_NAME, record_and_compare
from ..isolation import evaluate_isolated
from ..records import Bureau, load_bureau
from ..rectification import RECTIFICATION_FILE, apply_rectification, find_sheet, read_sheet
from ..render import as_json, as_table, summary_line
from ..rulebook import DEFAULT_RULES, Rulebook, load_rulebook, shortfall
from ..text import json_safe
from ..waivers import apply_waivers, load_waivers
from ._common import EXIT_BAD_INPUT, EXIT_GAPS, EXIT_OK, day_arg, warn_days_arg


def register(commands: Any) -> None:
    check = commands.add_parser("check", help="检查一个单位的台账，列出问题")
    check.add_argument("records", type=Path, help="单位台账目录")
    check.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="规则目录（默认随附规则库）")
    check.add_argument("--as-of", type=day_arg, default=None, help="检查日期 YYYY-MM-DD（默认今天）")
    check.add_argument("--format", choices=["table", "json"], default="table")
    check.add_argument("--warn-days", type=warn_days_arg, default=30, help="提前预警天数（默认 30）")
    check.add_argument("--db", type=Path, default=None,
                       help=f"历史数据库（默认：台账目录下的 {DEFAULT_DB_NAME}，或环境变量 {DB_ENV} 所指文件）")
    check.add_argument("--no-history", action="store_true", help="不记录本次检查，也不与上次比较")
    check.add_argument("--history", type=Path, default=None, help="旧版历史目录（每次检查一个 JSON）：导入历史数据库，每个文件只导入一次")
    check.add_argument("--fail-on", type=fail_on_arg, default=(Status.gap,),
                       help="哪些结论使退出状态为 1：gap、due_soon、unknown，可用逗号组合（默认 gap）")
    check.add_argument("--quiet", action="store_true", help="只输出一行摘要")
    check.add_argument("--rectification", type=Path, default=None, metavar="FILE",
                       help=f"整改台账（report --format xlsx 生成、科室填写后的表；默认读取台账目录下的 {RECTIFICATION_FILE}）：核验标为已整改的问题")
    check.set_defaults(handler=run)


def check_bureau(
    records: Path, rules: Path, as_of: dt.date | None, warn_days: int = 30, rectification: Path | None = None
) -> tuple[CheckResult, Rulebook, Bureau]:
    """Load, validate and evaluate: the one path every command that needs findings goes through.

    Returns the rulebook and the records too, for commands that explain findings (reports).
    """
    rulebook = load_rulebook(rules)
    bureau = load_bureau(records)
    # Once per check or report (both come here): a rulebook short of its manifest is said, not hidden.
    if (warning := shortfall(rulebook, rules)) is not None:
        print(warning, file=sys.stderr)
    day = as_of or dt.date.today()
    waivers, waiver_file = load_waivers(records, {r.id for r in rulebook.rules})
    sheet_path = find_sheet(records, rectification)
    findings = evaluate_isolated(rulebook.rules, bureau, day, warn_days)
    findings, waived = apply_waivers(findings, waivers, day, waiver_file)
    verified = None
    if sheet_path is not None:
        findings, verified = apply_rectification(findings, read_sheet(sheet_path))
    data = DataQuality.of(rulebook.rules, bureau)
    result = CheckResult(bureau.profile.name, day, findings, rulebook.version, rulebook.digest, data, waived, verified)
    return result, rulebook, bureau


def run_check(
    records: Path, rules: Path, as_of: dt.date | None, warn_days: int = 30, rectification: Path | None = None
) -> CheckResult:
    return check_bureau(records, rules, as_of, warn_days, rectification)[0]


def fail_on_arg(text: str) -> tuple[Status, ...]:
    allowed = {"gap": Status.gap, "due_soon": Status.due_soon, "unknown": Status.unknown}
    names = [t.strip() for t in text.replace("，", ",").split(",") if t.strip()]
    wrong = [n for n in names if n not in allowed]
    if wrong or not names:
        raise argparse.ArgumentTypeError(f"“{text}”不是 gap、due_soon、unknown 或其逗号组合")
    return tuple(allowed[n] for n in names)


def run(args: argparse.Namespace) -> int:
    result = run_check(args.records, args.rules, args.as_of, args.warn_days, args.rectification)
    recorded = None
    history_failed: InputError | None = None
    if not args.no_history:
        # The check stands whatever happens to its record: a history that cannot be written (a full
        # disk, a locked or broken database) still prints the findings, then says so with exit 2.
        try:
            recorded = record_and_compare(args.records, result, args.db, args.history)
        except InputError as exc:
            history_failed = exc
        if recorded is None and history_failed is None:
            print(f"提示：台账目录不可写，本次检查未记入历史（可用 --db 指定历史数据库）：{args.records}", file=sys.stderr)
    changes = recorded.changes if recorded else None
    if args.quiet:
        print(json_safe(json.dumps({"bureau": result.bureau, "as_of": result.as_of.isoformat(), "summary": result.summary()},
                                   ensure_ascii=False)) if args.format == "json" else summary_line(result, changes))
    elif args.format == "json":
        extra = {"run": {"id": recorded.run_id, "db": str(recorded.db)}} if recorded else {}
        print(as_json(result, changes, extra))
    else:
        print(as_table(result, changes))
    if history_failed is not None:
        for problem in history_failed.problems:
            print(f"错误：{problem}", file=sys.stderr)
        print("（检查结果已输出，但本次检查未记入历史）", file=sys.stderr)
        return EXIT_BAD_INPUT
    return exit_status(result, args.fail_on)


def exit_status(result: CheckResult, fail_on: tuple[Status, ...] = (Status.gap,)) -> int:
    """0 nothing to act on; 1 a finding whose status is in ``fail_on`` (``--fail-on``, default gaps); 2 bad input: here, the check was made but some ledger was not
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
    return EXIT_GAPS if any(f.status in fail_on for f in result.findings) else EXIT_OK
