"""What the command modules share: exit codes and argument types."""

from __future__ import annotations

import argparse
import datetime as dt

from ..dates import parse_day

EXIT_OK, EXIT_GAPS, EXIT_BAD_INPUT = 0, 1, 2


def day_arg(text: str) -> dt.date:
    try:
        value = parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not isinstance(value, dt.date):
        raise argparse.ArgumentTypeError(f"无法识别的日期：{text!r}")
    return value
