"""``compliance report``: the gap report for the Party group meeting, or the rectification ledger."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..files import write_atomic
from ..history import report_history
from ..rectification import RECTIFICATION_FILE, find_sheet, read_sheet
from ..report import FORMATS, build_report, render
from ..report.pdf import INSTALL_HINT, office_program
from ..report.settings import SETTINGS_FILE, load_settings
from ..report.trend import monthly_changes
from ..rulebook import DEFAULT_RULES
from ._common import day_arg, warn_days_arg
from .check import check_bureau, exit_status


def register(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="生成问题报告（Word/HTML/Markdown）或整改台账（Excel）",
        description=(
            "按年度报告提纲分组列出问题（问题、依据、表现、整改措施、责任科室、整改时限），附预警事项、"
            f"下一步工作安排和已落实义务清单。主送机关和落款单位可在台账目录的 {SETTINGS_FILE} 中设置"
            "（recipient，默认 局党组；unit，默认为单位名称）。"
        ),
    )
    report.add_argument("records", type=Path, help="单位台账目录")
    report.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="规则目录（默认随附规则库）")
    report.add_argument("--as-of", type=day_arg, default=None, help="检查日期 YYYY-MM-DD（默认今天）")
    report.add_argument("--warn-days", type=warn_days_arg, default=30, help="提前预警天数（默认 30）")
    report.add_argument(
        "--format", choices=list(FORMATS), default=None,
        help="docx（默认，Word 报告）、pdf（由 LibreOffice 转换 Word 报告）、html、markdown 或 xlsx（整改台账）；省略时按 --output 的扩展名判断",
    )
    report.add_argument(
        "--output", "-o", type=Path, default=None,
        help="输出文件；html 和 markdown 省略时输出到屏幕，docx 和 xlsx 省略时写入当前目录",
    )
    report.add_argument("--db", type=Path, default=None,
                        help="历史数据库（默认同 check）：有历次检查记录时，总体情况表列出各问题新增或已持续的月数")
    report.add_argument("--rectification", type=Path, default=None, metavar="FILE",
                        help=f"整改台账（默认台账目录下的 {RECTIFICATION_FILE}）：核验已整改事项；xlsx 导出保留其中填写的内容")
    report.set_defaults(handler=run)


def _format(args: argparse.Namespace) -> str:
    """The format asked for, checked against the output's suffix: a Word file named x.pdf would
    be opened by nobody, so a suffix that does not match is refused rather than written."""
    output: Path | None = args.output
    suffixes = {spec.suffix: name for name, spec in FORMATS.items()}
    if args.format:
        spec = FORMATS[args.format]
        if output is not None and output.suffix.lower() != spec.suffix:
            raise InputError([Problem(
                str(output),
                f"扩展名“{output.suffix or '（无）'}”与 --format {spec.name} 不符，应为 {spec.suffix}；"
                "请改正文件名或 --format",
            )])
        return str(args.format)
    if output is not None:
        found = suffixes.get(output.suffix.lower())
        if found is None:
            known = "、".join(f"{suffix}（{name}）" for suffix, name in suffixes.items())
            raise InputError([Problem(
                str(output), f"无法从扩展名“{output.suffix or '（无）'}”判断报告格式；可用：{known}，或用 --format 指定",
            )])
        return found
    return "docx"


def run(args: argparse.Namespace) -> int:
    fmt = _format(args)
    if fmt == "pdf" and office_program() is None:
        raise InputError([Problem("--format pdf", INSTALL_HINT)])
    output: Path | None = args.output
    if output is not None and (output.is_dir() or not output.parent.is_dir()):
        reason = "是目录，应为文件名" if output.is_dir() else "所在目录不存在"
        raise InputError([Problem(str(output), f"输出文件{reason}")])
    settings = load_settings(args.records) if args.records.is_dir() else None
    result, rulebook, bureau = check_bureau(args.records, args.rules, args.as_of, args.warn_days, args.rectification)
    months_open, _ = report_history(args.records, result, args.db)
    report = build_report(result, rulebook, bureau, args.warn_days, settings, months_open=months_open)
    # The months split into new, persisting and resolved (report_history gives only their totals).
    report.trend = monthly_changes(args.records, result, args.db)
    if fmt == "xlsx":
        # One living ledger: the sheet being replaced (or the one the check read) is carried forward.
        previous = output if output is not None and output.is_file() else find_sheet(args.records, args.rectification)
        report.rectification_sheet = read_sheet(previous) if previous is not None else None
    data = render(report, fmt)
    spec = FORMATS[fmt]
    if output is None and spec.text:
        sys.stdout.write(data.decode("utf-8"))
    else:
        target = output or Path(f"{spec.default_name}-{result.as_of.isoformat()}{spec.suffix}")
        write_atomic(target, data)
        gap_items = sum(g.item_count for g in report.gaps)
        print(f"已写入 {target}（存在问题的义务 {len(report.gaps)} 项，问题事项 {gap_items} 个）", file=sys.stderr)
    # As ``check``: the report is written in full, but incomplete data is exit 2 with the list on stderr.
    return exit_status(result)
