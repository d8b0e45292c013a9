"""``compliance synth``: synthetic bureau folders for demos, tests and the province benchmark.

Writes N bureau folders of about M records each under a root, as real ledgers (YAML, CSV or
Excel), the same for the same ``--seed``. Every file goes through the guarded writer (atomic, never
through a symlink or over a device). A root that already holds anything is refused unless
``--force``, and even then only folders an earlier ``synth`` wrote (they carry a marker file) are
replaced: a real bureau's ledgers are never overwritten.
"""

from __future__ import annotations

import argparse
import errno
import os
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..records.headers import LEDGER_SUFFIXES
from ..synthetic import SYNTH_FORMATS, SYNTH_MARKER, synthetic_bureau, write_bureau
from ._common import EXIT_OK, _int_in

MAX_BUREAUS = 100_000
MAX_RECORDS = 10_000_000


def register(commands: Any) -> None:
    p = commands.add_parser("synth", help="生成合成单位台账目录（演示、测试、基准测试用；同一 --seed 结果相同）")
    p.add_argument("--bureaus", type=lambda t: _int_in(t, 1, MAX_BUREAUS, "单位数"), required=True, help="单位个数")
    p.add_argument("--records", type=lambda t: _int_in(t, 12, MAX_RECORDS, "每单位记录数"), default=2000,
                   help="每个单位约多少条记录（默认 2000）")
    p.add_argument("--seed", type=lambda t: _int_in(t, 0, 2**31, "随机种子"), default=0)
    p.add_argument("--out", type=Path, required=True, help="输出根目录（不存在时创建；须为空，除非 --force）")
    p.add_argument("--format", choices=[*SYNTH_FORMATS, "mixed"], default="yaml",
                   help="台账文件格式；mixed 按单位轮流使用 yaml、csv、xlsx")
    p.add_argument("--force", action="store_true", help="根目录非空时仍写入：只替换此前由 synth 生成的单位目录")
    p.set_defaults(handler=run)


def folder_name(index: int) -> str:
    return f"bureau-{index + 1:04d}"


def run(args: argparse.Namespace) -> int:
    root: Path = args.out
    folders = [root / folder_name(i) for i in range(args.bureaus)]
    _check_root(root, folders, args.force)
    total = 0
    for i, folder in enumerate(folders):
        fmt = SYNTH_FORMATS[i % len(SYNTH_FORMATS)] if args.format == "mixed" else args.format
        b = synthetic_bureau(args.seed, i, args.records)
        _prepare(folder)
        write_bureau(b, folder, fmt)
        total += sum(len(v) for v in b.records.values())
    print(f"已写入 {len(folders)} 个合成单位（共 {total:,} 条记录，种子 {args.seed}）：{root}")
    return EXIT_OK


def _check_root(root: Path, folders: list[Path], force: bool) -> None:
    """Refuse before writing anything: a root that is not a folder, a non-empty root without
    ``--force``, and (even with it) a folder to be replaced that ``synth`` did not write."""
    if os.path.lexists(root) and (root.is_symlink() or not root.is_dir()):
        raise InputError([Problem(str(root), "--out 应为目录")])
    if not root.exists():
        _mkdir(root)
        return
    if not force and any(root.iterdir()):
        raise InputError([Problem(str(root), "输出目录非空：请换一个空目录，或加 --force 替换此前由 synth 生成的单位目录")])
    foreign = [f for f in folders if os.path.lexists(f) and (f.is_symlink() or not f.is_dir() or (any(f.iterdir()) and not (f / SYNTH_MARKER).is_file()))]
    if foreign:
        more = f"（等 {len(foreign)} 个）" if len(foreign) > 1 else ""
        raise InputError([Problem(str(foreign[0]), f"不是此前由 synth 生成的单位目录（无 {SYNTH_MARKER}），不会覆盖{more}")])


def _prepare(folder: Path) -> None:
    """An empty folder for one bureau: a folder synth wrote before loses its old ledgers (the new ones
    may be in another format, and two files for one ledger are refused by the loader)."""
    if not folder.exists():
        _mkdir(folder)
        return
    for p in folder.iterdir():
        if p.is_file() and not p.is_symlink() and (p.suffix.lower() in LEDGER_SUFFIXES or p.name in ("profile.yaml", SYNTH_MARKER)):
            p.unlink()


def _mkdir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.ENOSPC: "磁盘空间不足",
                  errno.EROFS: "文件系统为只读", errno.ENOTDIR: "所在路径中有一级不是目录"}.get(exc.errno or 0, exc.strerror or str(exc))
        raise InputError([Problem(str(path), f"无法创建输出目录：{reason}")]) from None
