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
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        # Law versions, periods and the engine's date arithmetic only make sense in this
        # span; year 9999 used to overflow inside the engine child with a traceback.
        raise argparse.ArgumentTypeError(f"日期 {text} 超出可检查范围（{FIRST_YEAR}–{LAST_YEAR} 年）")
    return value


# Bounds on the numeric options. Beyond them a value is a typo, not a wish: 1e9 warning days
# overflowed date arithmetic in the engine child, and 0 or negative jobs/batches hung or crashed.
FIRST_YEAR, LAST_YEAR = 1990, 2100
MAX_WARN_DAYS = 3660  # ten years ahead is already more than any ledger plans
MAX_JOBS = 256


def _int_in(text: str, low: int, high: int | None, what: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{what}必须是整数，收到 {text!r}") from None
    if value < low or (high is not None and value > high):
        span = f"{low}–{high}" if high is not None else f"至少 {low}"
        raise argparse.ArgumentTypeError(f"{what}超出范围（{span}），收到 {value}")
    return value


def warn_days_arg(text: str) -> int:
    """--warn-days: how many days ahead a coming deadline is reported."""
    return _int_in(text, 0, MAX_WARN_DAYS, "预警天数")


def jobs_arg(text: str) -> int:
    """--jobs: worker processes."""
    return _int_in(text, 1, MAX_JOBS, "并行进程数")


def batch_arg(text: str) -> int:
    """--batch: units one worker checks before it is replaced."""
    return _int_in(text, 1, None, "每批单位数")
