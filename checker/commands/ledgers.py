"""``compliance ledgers …``: what the clerks who keep a bureau's ledgers use.

``validate`` reads a bureau folder as ``check`` does and prints the whole data-quality report;
``template`` writes a blank Excel template per ledger; ``export`` writes a bureau's ledgers as
clerk-style Excel workbooks.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
from pathlib import Path
from typing import Any

from tabulate import tabulate

from ..completeness import DataQuality
from ..errors import InputError, Problem
from ..files import MAX_PROFILE_BYTES, read_input, write_atomic
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
    _make_folder(args.output)
    try:
        written = write_templates(args.output, required)
    except InputError as exc:
        # Each template is written whole or not at all; those already written are complete and kept.
        raise InputError([*exc.problems, Problem(str(args.output), "模板未全部写入（已写入的模板完整可用）；请处理上述问题后重新运行")]) from None
    print(f"已写入 {len(written)} 个台账模板：{args.output}（必须提交的 {len(required)} 本见各模板的「说明」工作表）")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from ..records.workbooks import export_clerk_style  # noqa: PLC0415 - openpyxl only for this command

    bureau = load_bureau(args.records)
    profile = next((args.records / n for n in ("profile.yaml", "profile.yml") if (args.records / n).is_file()), None)
    created = _make_folder(args.output)
    if any(p.suffix.lower() in LEDGER_FILE_SUFFIXES for p in args.output.iterdir()):
        raise InputError([Problem(str(args.output), "输出目录中已有台账文件：请换一个空目录，以免两份台账混在一起")])
    before = {p.name for p in args.output.iterdir()}
    try:
        written = export_clerk_style(bureau, args.output)
        if profile is not None:
            write_atomic(args.output / "profile.yaml", read_input(profile, max_bytes=MAX_PROFILE_BYTES, what="单位概况文件"))
    except InputError as exc:
        # A half export would block the next run (the folder would hold ledgers): take back what
        # this run wrote, so that once the fault is fixed the same command simply works.
        _remove_new(args.output, before, created)
        raise InputError([*exc.problems, Problem(str(args.output), "导出未完成，本次写入的文件已删除")]) from None
    print(f"已写入 {len(written)} 本 Excel 台账和 profile.yaml：{args.output}")
    return EXIT_OK


LEDGER_FILE_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx", ".xls")


def _make_folder(path: Path) -> bool:
    """The output folder, created if absent (True then); anything but a folder, or a folder that
    cannot be made, is an input error naming it."""
    if path.is_dir():
        return False
    if os.path.lexists(path):
        raise InputError([Problem(str(path), "--output 应为目录")])
    try:
        path.mkdir(parents=True)
    except OSError as exc:
        reason = {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.ENOSPC: "磁盘空间不足",
                  errno.EROFS: "文件系统为只读", errno.ENOTDIR: "所在路径中有一级不是目录"}.get(exc.errno or 0, exc.strerror or str(exc))
        raise InputError([Problem(str(path), f"无法创建输出目录：{reason}")]) from None
    return True


def _remove_new(folder: Path, before: set[str], created: bool) -> None:
    for p in folder.iterdir():
        if p.name not in before and p.is_file():
            with contextlib.suppress(OSError):
                p.unlink()
    if created:
        with contextlib.suppress(OSError):
            folder.rmdir()
