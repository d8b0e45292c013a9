"""``compliance waivers lint``: check a bureau's waivers file (豁免) before the monthly run relies on it."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from tabulate import tabulate

from ..errors import InputError, Problem
from ..rulebook import DEFAULT_RULES, load_rulebook
from ..text import printable
from ..waivers import WAIVER_FILES, load_waivers
from ._common import EXIT_OK, day_arg


def register(commands: Any) -> None:
    waivers = commands.add_parser("waivers", help="豁免（情况说明）文件")
    sub = waivers.add_subparsers(dest="waivers_command", required=True)
    lint = sub.add_parser("lint", help=f"检查台账目录中的豁免文件（{'、'.join(WAIVER_FILES)}）：格式、规则编号、日期")
    lint.add_argument("records", type=Path, help="单位台账目录")
    lint.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="规则目录（默认随附规则库）")
    lint.add_argument("--as-of", type=day_arg, default=None, help="按此日期显示各豁免是否有效（默认今天）")
    lint.set_defaults(handler=run_lint)


def run_lint(args: argparse.Namespace) -> int:
    if not args.records.is_dir():
        raise InputError([Problem(str(args.records), "台账目录不存在或不是目录")])
    rulebook = load_rulebook(args.rules)
    waivers, file = load_waivers(args.records, {r.id for r in rulebook.rules})
    if file is None:
        print(f"{args.records} 中没有豁免文件（{'、'.join(WAIVER_FILES)}）")
        return EXIT_OK
    day = args.as_of or dt.date.today()

    def state(valid_from: dt.date, until: dt.date) -> str:
        return "尚未生效" if valid_from > day else "已到期" if until < day else "有效"

    rows = [[w.line, w.rule, w.scope_text, w.reason, f"{w.approver}（{w.approved_in}）", f"{w.valid_from}至{w.until}",
             state(w.valid_from, w.until)] for w in waivers]
    print(printable(f"{file}：{len(waivers)} 条豁免，格式和规则编号无误（截至 {day} 的状态如下）"))
    if rows:
        print(printable(tabulate(rows, headers=["行", "规则", "范围", "理由", "批准", "有效期", "状态"], tablefmt="simple")))
    return EXIT_OK
