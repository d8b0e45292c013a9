"""The ``compliance`` command. Thin: the library raises typed errors, this turns them into exit codes.

Exit status: 0 no gaps, 1 gaps found (or a rule example failed), 2 bad input or usage.
Each command group lives in ``checker/commands/<group>.py``.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Sequence

from .commands import command_modules
from .commands._common import EXIT_BAD_INPUT
from .engine import EngineError
from .errors import InputError
from .evaluate import EvaluationError

__all__ = ["build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: 用法错误：{message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="compliance", description="区统计局法治政府建设义务合规检查")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in command_modules():
        module.register(commands)
    return parser


def _drop_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's own flush at exit cannot fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = int(args.handler(args))
        sys.stdout.flush()  # here, not at exit: a full disk under `check > file` must be a message
        return code
    except OSError as exc:
        if isinstance(exc, BrokenPipeError) or exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):
            raise
        _drop_stdout()
        reason = {errno.ENOSPC: "磁盘已满", errno.EDQUOT: "超出磁盘配额", errno.EFBIG: "文件过大"}.get(exc.errno or 0, "写入错误")
        print(f"错误：标准输出无法写入（{reason}），输出不完整，请勿使用", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InputError as exc:
        for problem in exc.problems:
            print(f"错误：{problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except EngineError as exc:
        print(f"错误：规则引擎失败，本次检查结果作废：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except EvaluationError as exc:
        print(f"错误：检查未能完成，本次检查结果作废：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        # Ctrl-C: outputs are atomic and the history is transactional, so nothing half-written remains.
        print("已中断：未写入任何输出", file=sys.stderr)
        return 130
