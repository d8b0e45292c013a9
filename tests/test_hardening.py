"""Bad-input corpus for issue 11: each case is a class of input that once gave a traceback or was
silently accepted. Each states the exit status and the words its message must contain."""

from __future__ import annotations

import pytest

from checker.cli import main

from .conftest import SEED

# (command line after the command, words the usage message must contain)
BAD_ARGUMENTS = [
    (["--warn-days", "-5"], "预警天数超出范围"),
    (["--warn-days", "1000000000"], "预警天数超出范围"),
    (["--warn-days", "3661"], "预警天数超出范围"),
    (["--warn-days", "fifteen"], "预警天数必须是整数"),
    (["--as-of", "9999-12-31"], "超出可检查范围"),
    (["--as-of", "1989-12-31"], "超出可检查范围"),
    (["--as-of", "2101-01-01"], "超出可检查范围"),
]
MANY_ONLY = [
    (["--jobs", "0"], "并行进程数超出范围"),
    (["--jobs", "-1"], "并行进程数超出范围"),
    (["--jobs", "100000"], "并行进程数超出范围"),
    (["--jobs", "two"], "并行进程数必须是整数"),
    (["--batch", "0"], "每批单位数超出范围"),
    (["--batch", "-3"], "每批单位数超出范围"),
]


@pytest.mark.parametrize("command", ["check", "report", "check-many"])
@pytest.mark.parametrize(("args", "words"), BAD_ARGUMENTS)
def test_out_of_range_argument_is_a_usage_error(
    command: str, args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main([command, str(SEED), *args])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "用法错误" in err and words in err and "Traceback" not in err


@pytest.mark.parametrize(("args", "words"), MANY_ONLY)
def test_out_of_range_worker_argument_is_a_usage_error(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["check-many", str(SEED), *args])
    assert stop.value.code == 2
    assert words in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--warn-days", "0"], ["--warn-days", "3660"], ["--as-of", "2100-12-31"]])
def test_bounds_themselves_are_accepted(args: list[str]) -> None:
    assert main(["check", str(SEED), *args]) in (0, 1)
