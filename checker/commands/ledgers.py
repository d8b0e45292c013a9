"""``compliance ledgers …``: what the clerks who keep a bureau's ledgers use.

``validate`` reads a bureau folder as ``check`` does and prints the whole data-quality report;
``template`` writes a blank Excel template per ledger; ``export`` writes a bureau's ledgers as
clerk-style Excel workbooks.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

from tabulate import tabulate

from ..completeness import DataQuality
from ..errors import InputError, Problem
from ..records import LEDGERS, load_bureau
from ..rulebook import DEFAULT_RULES, load_rulebook
from ..text import json_safe, printable
from ._common import EXIT_BAD_INPUT, EXIT_OK


def register(commands: Any) -> None:
    ledgers = commands.add_parser("ledgers", help="台账：validate 数据质量检查、template 空白模板、export 导出为 Excel")
    sub = ledgers.add_subparsers(dest="ledgers_command", required=True)

    p = sub.add_parser("validate", help="读取单位台账目录，列出全部无法读取的单元格、缺失的台账和跳过的行；有问题时退出状态 2")
    p.add_argument("records", type=Path, help="单位台账目录")
    p.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="规则目录：据此判断哪些台账必须提交")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(handler=run_validate)

    p = sub.add_parser("template", help="为每本台账写一个 Excel 空白模板（中文表头、填写说明、示例行、数据有效性）")
    p.add_argument("--output", type=Path, required=True, help="模板目录（不存在时创建）")
    p.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="规则目录：据此说明哪些台账必须提交")
    p.set_defaults(handler=run_template)

    p = sub.add_parser("export", help="把单位台账写成文员习惯的 Excel 台账（中文表头、合计行等），连同 profile.yaml")
    p.add_argument("records", type=Path, help="单位台账目录")
    p.add_argument("--output", type=Path, required=True, help="输出目录（不存在时创建；其中不能已有台账文件）")
    p.set_defaults(handler=run_export)


def run_validate(args: argparse.Namespace) -> int:
    rulebook = load_rulebook(args.rules)
    bureau = load_bureau(args.records)
    data = DataQuality.of(rulebook.rules, bureau)
    if args.format == "json":
        print(json_safe(json.dumps(data.to_json(), ensure_ascii=False, indent=2)))
        return EXIT_OK if data.complete else EXIT_BAD_INPUT
    rows = [
        [LEDGERS[a.ledger].label, Path(a.file).name, a.sheet or "", a.encoding or "", a.rows, a.read, a.unread, len(a.skipped)]
        for a in data.accounts
    ]
    # The bureau's name, file and sheet names are the clerks' text: shown, never obeyed by the terminal.
    print(printable(f"{bureau.profile.name}　台账数据质量"))
    print()
    print(printable(tabulate(rows, headers=["台账", "文件", "工作表", "编码", "数据行", "已读", "无法读取", "跳过的行"], tablefmt="simple")))
    print()
    if data.missing:
        print(f"台账缺失（{len(data.missing)} 个）：")
        for line in data.missing_lines():
            print(f"  {line}")
        print()
    for line in data.problem_lines():
        print(line)
    print(data.summary_line())
    return EXIT_OK if data.complete else EXIT_BAD_INPUT


def run_template(args: argparse.Namespace) -> int:
    from ..records.workbooks import write_templates  # noqa: PLC0415 - openpyxl only for this command

    rulebook = load_rulebook(args.rules)
    required = {name for rule in rulebook.rules for name in rule.ledgers_read}
    _refuse_file(args.output)
    written = write_templates(args.output, required)
    print(f"已写入 {len(written)} 个台账模板：{args.output}（必须提交的 {len(required)} 本见各模板的「说明」工作表）")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from ..records.workbooks import export_clerk_style  # noqa: PLC0415 - openpyxl only for this command

    bureau = load_bureau(args.records)
    _refuse_file(args.output)
    if args.output.exists() and any(p.suffix.lower() in (".yaml", ".yml", ".csv", ".xlsx", ".xls") for p in args.output.iterdir()):
        raise InputError([Problem(str(args.output), "输出目录中已有台账文件：请换一个空目录，以免两份台账混在一起")])
    written = export_clerk_style(bureau, args.output)
    for name in ("profile.yaml", "profile.yml"):
        if (args.records / name).is_file():
            shutil.copyfile(args.records / name, args.output / "profile.yaml")
            break
    print(f"已写入 {len(written)} 本 Excel 台账和 profile.yaml：{args.output}")
    return EXIT_OK


def _refuse_file(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise InputError([Problem(str(path), "--output 应为目录")])
