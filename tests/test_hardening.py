"""Bad-input corpus for issue 11: each case is a class of input that once gave a traceback or was
silently accepted. Each states the exit status and the words its message must contain."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import checker.commands.check_many
import checker.files
import checker.history
from checker.cli import main
from checker.errors import InputError
from checker.evaluate import evaluate
from checker.isolation import evaluate_isolated, evaluate_many
from checker.records import load_bureau
from checker.records.cells import CellError
from checker.records.columns import parse_cell
from checker.records.finance import Fine
from checker.text import cleaned, json_safe

from .conftest import ROOT, SEED
from .test_files import fail_for

RULES = ROOT / "rules"

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


# --- 7. Control characters and lone surrogates never leave the program raw ------------------------

HOSTILE_ID = "F\x1b[2J\x1b[31mX\u202e\x07\x9b"
"""A record id that clears the screen, turns it red, reverses the line and rings the bell."""
RAW = ("\x1b", "\u202e", "\x07", "\x9b")


def _hostile_bureau(root: Path) -> tuple[Path, Path]:
    """The seed bureau with one more fine, never remitted, whose id and party are hostile; and a
    rulebook of the one rule that reports it (fines.to-treasury), to keep the test quick."""
    bureau = root / "bureau"
    shutil.copytree(SEED, bureau)
    with (bureau / "fine.yaml").open("a", encoding="utf-8") as f:
        f.write(
            f"- {{id: {json.dumps(HOSTILE_ID)}, decided_on: '2020-10-10', case_id: INS-2020-006, "
            f"category: 罚款, amount: 1000, party: \"企业\\e]0;标题\\a\\u2066\"}}\n"
        )
    rules = root / "rules"
    rules.mkdir()
    shutil.copy(RULES / "1.4-enforcement" / "fines.to-treasury.yaml", rules)
    return bureau, rules


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _hostile_bureau(tmp_path_factory.mktemp("hostile"))


def test_table_shows_control_characters_as_escapes(hostile: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    bureau, rules = hostile
    assert main(["check", str(bureau), "--rules", str(rules), "--as-of", "2020-12-31"]) == 1
    out = capsys.readouterr().out
    assert "F\\x1b[2J\\x1b[31mX\\u202e\\x07\\x9b" in out
    assert not any(ch in out for ch in RAW)


def test_json_escapes_them_and_keeps_the_data(hostile: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    bureau, rules = hostile
    assert main(["check", str(bureau), "--rules", str(rules), "--as-of", "2020-12-31", "--format", "json"]) == 1
    out = capsys.readouterr().out
    assert not any(ch in out for ch in RAW)
    subjects = {f["subject"] for f in json.loads(out)["findings"]}
    assert HOSTILE_ID in subjects  # the JSON reader gets the record's id back, unchanged


@pytest.mark.parametrize("fmt", ["markdown", "html", "xlsx", "docx"])
def test_reports_are_written_and_hold_no_control_character(
    fmt: str, hostile: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bureau, rules = hostile
    suffix = {"markdown": ".md"}.get(fmt, "." + fmt)
    target = tmp_path / f"r{suffix}"
    assert main(["report", str(bureau), "--rules", str(rules), "--as-of", "2020-12-31", "-o", str(target)]) == 1
    assert "Traceback" not in capsys.readouterr().err
    if fmt in ("xlsx", "docx"):  # the XML parts of the package
        with zipfile.ZipFile(target) as package:
            text = "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml"))
    else:
        text = target.read_text(encoding="utf-8")
    assert "x1b" in text  # the escape is shown where the id was
    assert not any(ch in text for ch in RAW)


def test_exported_ledgers_are_written(hostile: tuple[Path, Path], tmp_path: Path) -> None:
    bureau, _ = hostile
    assert main(["ledgers", "export", str(bureau), "--output", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "罚没款台账.xlsx").is_file()


def test_messages_quoting_the_input_show_escapes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bureau = tmp_path / "bureau"
    shutil.copytree(SEED, bureau)
    with (bureau / "fine.yaml").open("a", encoding="utf-8") as f:
        f.write("- {id: \"F\\e[2J\", decided_on: '2020-10-10', case_id: INS-2020-006, category: 罚款, amount: 十元, party: x}\n")
    assert main(["check", str(bureau), "--as-of", "2020-12-31"]) == 2
    err = capsys.readouterr().err
    assert "记录 F\\x1b[2J" in err and "\x1b" not in err


@pytest.mark.parametrize(("text", "shown"), [("\"审计\\e[31m\"", "\\x1b"), ("\"审计\\u202e\"", "\\u202e"), ("\"审\\r计\"", "\\x0d")])
def test_control_character_in_a_rule_is_refused_by_lint_and_check(
    text: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    source = (RULES / "1.4-enforcement" / "fines.to-treasury.yaml").read_text(encoding="utf-8")
    (rules / "fines.to-treasury.yaml").write_text(re.sub(r"(?m)^title: .*$", lambda _: f"title: {text}", source), encoding="utf-8")
    assert main(["rules", "lint", str(rules)]) == 2
    out = capsys.readouterr().out
    assert "control-character" in out and "fines.to-treasury.yaml:" in out and shown in out
    assert main(["check", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31"]) == 2
    err = capsys.readouterr().err
    assert "控制字符" in err and "title" in err


def test_lone_surrogate_in_a_yaml_record_is_refused_with_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bureau = tmp_path / "bureau"
    shutil.copytree(SEED, bureau)
    with (bureau / "fine.yaml").open("a", encoding="utf-8") as f:
        f.write("- {id: F-9, decided_on: '2020-10-10', case_id: INS-2020-006, category: 罚款, amount: 1, party: \"a\\ud800\"}\n")
    assert main(["check", str(bureau), "--as-of", "2020-12-31"]) == 2
    err = capsys.readouterr().err
    assert "fine.yaml:10:" in err and "代理码位 \\ud800" in err and "Traceback" not in err


def test_lone_surrogate_in_any_cell_is_refused_by_the_one_cell_reader() -> None:
    # CSV and Excel decoders cannot produce one today; the cell reader refuses it whatever the format.
    with pytest.raises(CellError) as refused:
        parse_cell(Fine.model_fields["party"], "企业\udc80")
    assert "代理码位 \\udc80" in refused.value.message_zh


def test_cleaned_keeps_enums_dates_and_numbers() -> None:
    import datetime as dt

    from checker.findings import Status

    value = {Status.gap: [("a\x1b", dt.date(2020, 1, 1), 3, 1.5, None, True)]}
    assert cleaned(value) == {Status.gap: [("a\\x1b", dt.date(2020, 1, 1), 3, 1.5, None, True)]}
    assert type(next(iter(cleaned(value)))) is Status


def test_json_safe_is_lossless() -> None:
    text = "a\x1b\x85\u202e\ud800\u2069b"
    dumped = json_safe(json.dumps({"k": text}, ensure_ascii=False))
    assert dumped.isascii() or not any(ch in dumped for ch in "\x85\u202e\ud800\u2069")
    assert json.loads(dumped) == {"k": text}


# --- 3. Parameter values of the wrong type or out of range: lint and check both refuse -------------


def _with_param_value(rule: str, param: str, value: str, folder: Path) -> Path:
    """A rulebook folder holding one shipped rule whose first value of ``param`` is ``value``."""
    source = next(RULES.rglob(f"{rule}.yaml")).read_text(encoding="utf-8")
    start = source.index(f"\n  {param}:")
    at = source.index("value:", start)
    end = source.index("\n", at)
    rules = folder / "rules"
    rules.mkdir()
    (rules / f"{rule}.yaml").write_text(source[:at] + f"value: {value}" + source[end:], encoding="utf-8")
    return rules


BAD_PARAMS = [
    # (rule, parameter, value written, words the message must hold)
    ("audit.inquiry-answered", "reply_within_working_days", "fifteen", "应为整数"),
    ("audit.inquiry-answered", "reply_within_working_days", "1.0e+400", "有限的数字"),
    ("audit.inquiry-answered", "reply_within_working_days", "10000000000000000000000000000000", "数值过大"),
    ("audit.inquiry-answered", "reply_within_working_days", "3000000", "应不大于 3660"),
    ("audit.inquiry-answered", "reply_within_working_days", "-5", "应不小于 0"),
    ("audit.inquiry-answered", "reply_within_working_days", "true", "应为整数"),  # lax pydantic read it as 1
    ("audit.inquiry-answered", "reply_within_working_days", ".nan", "有限的数字"),
    ("audit.inquiry-answered", "reply_within_working_days", "1.5", "应为整数"),
    ("fines.collection-separated", "hand_in_days", "4000", "应不大于 3660"),  # an offset: negative is allowed (N days before)
    ("fines.collection-separated", "to_bank_days", "two", "应为整数"),
    ("normdoc.public-comment", "min_comment_working_days", "-5", "应不小于 0"),  # count >= -5: always met
    ("enforcement.two-officers", "min_officers", "-1", "应不小于 0"),
    ("enforcement.two-officers", "min_officers", "1.0e+308", "数值过大"),
    ("learning.breadth", "other_law_share", "30", "应不大于 1"),  # a share above 1 can never be met
    ("learning.breadth", "other_law_share", "-.inf", "有限的数字"),
    ("pufa.respondent-training", "min_sessions", "0.5", "应为整数"),
    ("publicity.channel-mix", "channel_kinds_min", "三", "应为整数"),
]


@pytest.mark.parametrize(("rule", "param", "value", "words"), BAD_PARAMS)
def test_bad_parameter_value_is_refused_by_lint_and_check(
    rule: str, param: str, value: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = _with_param_value(rule, param, value, tmp_path)
    assert main(["rules", "lint", str(rules)]) == 2
    out = capsys.readouterr().out
    assert f"{rule}.yaml:" in out and param in out and words in out, out
    assert main(["check", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31"]) == 2
    captured = capsys.readouterr()
    assert f"{rule}.yaml:" in captured.err and param in captured.err and words in captured.err
    assert captured.out == "" and "Traceback" not in captured.err


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("offset: {param: hand_in_days}", "offset: 1.0e+400", "有限的数字"),
        ("value: {param: min_officers}", "value: 1.0e+400", "有限的数字"),
    ],
)
def test_bad_constant_written_in_the_rule_is_refused(
    old: str, new: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = "fines.collection-separated" if "hand_in" in old else "enforcement.two-officers"
    source = next(RULES.rglob(f"{rule}.yaml")).read_text(encoding="utf-8")
    assert old in source
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / f"{rule}.yaml").write_text(source.replace(old, new, 1), encoding="utf-8")
    assert main(["rules", "lint", str(rules)]) == 2
    assert words in capsys.readouterr().out


def test_share_threshold_above_one_written_in_the_rule_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = next(RULES.rglob("learning.breadth.yaml")).read_text(encoding="utf-8")
    assert "at_least: {param: other_law_share}" in source
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "learning.breadth.yaml").write_text(source.replace("at_least: {param: other_law_share}", "at_least: 30"), encoding="utf-8")
    assert main(["rules", "lint", str(rules)]) == 2
    assert "占比下限" in capsys.readouterr().out


# --- 1. Deep nesting and 2. list or mapping keys: refused with file:line, in a rule or a ledger ---

AUDIT_RULE = "audit.inquiry-answered"


def _deep_block(levels: int, indent: int = 0) -> str:
    """``levels`` mappings each inside the previous, in block style (one more space per level)."""
    return "".join(" " * (indent + i) + "a:\n" for i in range(levels)) + " " * (indent + levels) + "a: 1\n"


NESTED = {
    "list": lambda: "[" * 5000 + "]" * 5000,
    "flow-mapping": lambda: "{a: " * 5000 + "1" + "}" * 5000,
    "flow-mapping-3000": lambda: "{a: " * 3000 + "1" + "}" * 3000,
}


def _rule_with(extra: str, folder: Path) -> Path:
    rules = folder / "rules"
    rules.mkdir()
    source = next(RULES.rglob(f"{AUDIT_RULE}.yaml")).read_text(encoding="utf-8")
    (rules / f"{AUDIT_RULE}.yaml").write_text(source + extra, encoding="utf-8")
    return rules


def _bureau_with(ledger_extra: str, folder: Path, ledger: str = "fine.yaml") -> Path:
    bureau = folder / "bureau"
    shutil.copytree(SEED, bureau)
    with (bureau / ledger).open("a", encoding="utf-8") as f:
        f.write(ledger_extra)
    return bureau


def _refused(argv: list[str], words: str, capsys: pytest.CaptureFixture[str], stream: str = "err") -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    text = captured.err if stream == "err" else captured.out
    assert words in text and "Traceback" not in captured.err, text
    return text


@pytest.mark.parametrize("shape", list(NESTED))
def test_deeply_nested_rule_is_refused_by_lint_and_check(shape: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = _rule_with(f"description: {NESTED[shape]()}\n", tmp_path)
    out = _refused(["rules", "lint", str(rules)], "嵌套超过 100 层", capsys, "out")
    assert f"{AUDIT_RULE}.yaml:" in out
    err = _refused(["check", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31"], "嵌套超过 100 层", capsys)
    assert re.search(rf"{re.escape(AUDIT_RULE)}\.yaml:\d+:\d+: ", err)


def test_deep_block_mapping_in_a_rule_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = _rule_with("x:\n" + _deep_block(150, 1), tmp_path)
    err = _refused(["check", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31"], "嵌套超过 100 层", capsys)
    assert f"{AUDIT_RULE}.yaml:" in err


def test_3000_level_block_mapping_in_a_rule_is_refused_by_its_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = _rule_with("x:\n" + _deep_block(3000, 1), tmp_path)  # 4.5 MB: over the rule file bound
    err = _refused(["check", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31"], "规则文件过大", capsys)
    assert f"{AUDIT_RULE}.yaml:" in err


@pytest.mark.parametrize("shape", list(NESTED))
def test_deeply_nested_ledger_is_refused(shape: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bureau = _bureau_with(f"- {NESTED[shape]()}\n", tmp_path)
    err = _refused(["check", str(bureau), "--as-of", "2020-12-31"], "嵌套超过 100 层", capsys)
    assert "fine.yaml:10:" in err


def test_3000_level_block_mapping_in_a_ledger_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bureau = _bureau_with("- x:\n" + _deep_block(3000, 3), tmp_path)
    err = _refused(["check", str(bureau), "--as-of", "2020-12-31"], "嵌套超过 100 层", capsys)
    assert "fine.yaml:" in err


@pytest.mark.parametrize("ledger", ["profile.yaml", "表头对照.yaml"])
def test_deeply_nested_profile_or_header_map_is_refused(ledger: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bureau = _bureau_with(f"\nx: {NESTED['list']()}\n", tmp_path, ledger)
    err = _refused(["check", str(bureau), "--as-of", "2020-12-31"], "嵌套超过 100 层", capsys)
    assert f"{ledger}:" in err


COMPLEX_KEYS = {
    "block-list-key": "? [a, b]\n: 1\n",
    "block-mapping-key": "? {x: 1}\n: 1\n",
    "flow-key": "y: {? [a, b] : 1}\n",
}


@pytest.mark.parametrize("shape", list(COMPLEX_KEYS))
def test_list_or_mapping_key_in_a_rule_is_refused(shape: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = _rule_with(COMPLEX_KEYS[shape], tmp_path)
    out = _refused(["rules", "lint", str(rules)], "键不能是列表或映射", capsys, "out")
    assert f"{AUDIT_RULE}.yaml:" in out
    err = _refused(["check", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31"], "键不能是列表或映射", capsys)
    assert re.search(rf"{re.escape(AUDIT_RULE)}\.yaml:\d+:\d+: ", err)


@pytest.mark.parametrize("shape", list(COMPLEX_KEYS))
def test_list_or_mapping_key_in_a_record_is_refused(shape: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = "- id: F-9\n  decided_on: 2020-10-10\n" + "".join(f"  {line}\n" for line in COMPLEX_KEYS[shape].splitlines())
    bureau = _bureau_with(record, tmp_path)
    err = _refused(["check", str(bureau), "--as-of", "2020-12-31"], "键不能是列表或映射", capsys)
    assert re.search(r"fine\.yaml:1[12]:\d+: ", err)


# --- 4. Amounts and numbers beyond any ledger: a record error naming the field, never a traceback
#        (nor a number the engine misreads: 1e+20 made it drop that fact and every later one) ----------


def _fine(amount: str) -> str:
    return f"- {{id: F-9, decided_on: '2020-10-10', case_id: INS-2020-006, category: 罚款, amount: {amount}, party: x}}\n"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1.0e+308", "金额超过一万亿元"),
        ("100000000000000000000000000000", "金额超过一万亿元"),
        ("10**30", "不是数字"),
        ("1e400", "科学计数法"),
        ("'1.0e+308'", "科学计数法"),
        (".inf", "不是有效数值"),
        ("-.nan", "不是数字"),
        ("-5", "应不小于 0，实为 -5"),  # the amount as written, not Decimal('-5')
    ],
)
def test_bad_amount_is_a_record_error_naming_the_field(
    amount: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bureau = _bureau_with(_fine(amount), tmp_path)
    assert main(["check", str(bureau), "--as-of", "2020-12-31"]) == 2
    captured = capsys.readouterr()
    assert "fine.yaml:10:" in captured.err and "记录 F-9" in captured.err and "字段 amount" in captured.err
    assert words in captured.err and "Traceback" not in captured.err and "InvalidOperation" not in captured.err
    assert captured.out  # checked, with that record unknown: the rest of the findings are printed


@pytest.mark.parametrize("amount", ["1.0e+308", "100000000000000000000000000000", "1e400"])
def test_bad_amount_in_a_csv_ledger(amount: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bureau = tmp_path / "bureau"
    shutil.copytree(SEED, bureau)
    (bureau / "fine.yaml").unlink()
    (bureau / "fine.csv").write_text(
        "id,decided_on,case_id,category,amount,party\nF-2020-01,2020-04-22,INS-2020-006,罚款," + amount + ",企业06\n",
        encoding="utf-8",
    )
    assert main(["check", str(bureau), "--as-of", "2020-12-31"]) == 2
    err = capsys.readouterr().err
    assert "fine.csv:2:5: E2「amount」: 记录 F-2020-01: 字段 amount" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("hours", "words"),
    [("1.0e+20", "数值过大"), ("1e308", "数值过大"), ("0.00001", "数值过小"), ("1000000000000000000000", "数值过大")],
)
def test_number_the_engine_cannot_read_is_a_record_error(
    hours: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bureau = tmp_path / "bureau"
    shutil.copytree(SEED, bureau)
    path = bureau / "officer_training.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("hours: 12,", f"hours: {hours},", 1), encoding="utf-8")
    assert main(["check", str(bureau), "--as-of", "2020-12-31", "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert "记录 PX-2020-01: 字段 hours" in captured.err and words in captured.err
    # The other rules' findings are all there (the engine misread 1e+20 and lost most of them).
    assert len(json.loads(captured.out)["findings"]) > 400


def test_whole_number_beyond_any_ledger_is_a_record_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bureau = tmp_path / "bureau"
    shutil.copytree(SEED, bureau)
    path = bureau / "audit_inquiry.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("cadres_count: 12,", "cadres_count: 10000000000000000000,"), encoding="utf-8")
    assert main(["check", str(bureau), "--as-of", "2020-12-31"]) == 2
    assert "字段 cadres_count: 无法识别 10000000000000000000：数值过大" in capsys.readouterr().err


@pytest.mark.parametrize("bad", [1e20, 1e-05, float("inf"), 2**60])
def test_engine_refuses_a_number_it_would_misread(bad: float) -> None:
    from checker import engine
    from checker.facts import KEY, TYPE

    plan = engine.ActionPlan("p", [[engine.pattern("a", [engine.is_type("t"), engine.compare("x", ">=", 1)])]], ("a",))
    with pytest.raises(engine.EngineError, match="fact 'B'"):
        engine.run_plans([plan], [{TYPE: "t", KEY: "A", "x": 5}, {TYPE: "t", KEY: "B", "x": bad}, {TYPE: "t", KEY: "C", "x": 7}])


def test_tiny_constant_in_a_rule_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = _with_param_value("learning.breadth", "other_law_share", "0.00001", tmp_path)
    assert main(["rules", "lint", str(rules)]) == 2
    assert "数值过小" in capsys.readouterr().out


# --- 5. Rule paths that are not plain files: check reports them as rules lint does ----------------


def _rules_folder_with(tmp_path: Path, make: str) -> tuple[Path, str, str]:
    """A rulebook folder with one good rule and one bad path; the bad path's name and the words expected."""
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(next(RULES.rglob(f"{AUDIT_RULE}.yaml")), rules)
    if make == "directory":
        (rules / "x.yaml").mkdir()
        return rules, "x.yaml", "不是普通文件（是目录）"
    if make == "symlink-loop":
        (rules / "loop.yaml").symlink_to("loop.yaml")
        return rules, "loop.yaml", "符号链接形成循环"
    if make == "dangling-symlink":
        (rules / "gone.yaml").symlink_to("nowhere.yaml")
        return rules, "gone.yaml", "符号链接指向的文件不存在"
    if make == "fifo":
        os.mkfifo(rules / "pipe.yaml")
        return rules, "pipe.yaml", "不是普通文件（是命名管道 FIFO）"
    assert make == "unreadable"
    path = rules / "secret.yaml"
    shutil.copy(rules / f"{AUDIT_RULE}.yaml", path)
    path.chmod(0)
    return rules, "secret.yaml", "没有读取权限"


RULE_PATHS = ["directory", "symlink-loop", "dangling-symlink", "fifo", "unreadable"]


@pytest.mark.parametrize("make", RULE_PATHS)
def test_rule_path_that_is_no_plain_file_is_reported_by_lint_and_check(
    make: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if make == "unreadable" and os.geteuid() == 0:
        pytest.skip("root reads any file")
    rules, name, words = _rules_folder_with(tmp_path, make)
    out = _refused(["rules", "lint", str(rules)], words, capsys, "out")
    assert f"{name}:1:1:" in out
    err = _refused(["check", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31"], words, capsys)
    assert f"{name}:1:1:" in err


@pytest.mark.parametrize("make", ["symlink-loop", "dangling-symlink", "fifo"])
def test_rules_argument_that_is_no_plain_file_says_what_it_is(
    make: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules, name, words = _rules_folder_with(tmp_path, make)
    for argv in (["rules", "lint", str(rules / name)], ["check", str(SEED), "--rules", str(rules / name)]):
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert words in captured.out + captured.err and "没有规则" not in captured.err and "路径不存在" not in captured.err


def test_rules_argument_that_is_a_device_says_what_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    _refused(["check", str(SEED), "--rules", os.devnull, "--as-of", "2020-12-31"], "不是普通文件（是字符设备）", capsys)


def test_unreadable_rule_file_is_reported_even_when_run_as_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(next(RULES.rglob(f"{AUDIT_RULE}.yaml")), rules)
    secret = rules / "secret.yaml"
    secret.write_text("id: x\n", encoding="utf-8")
    real_open = os.open

    def refusing_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path) == secret:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(checker.files.os, "open", refusing_open)
    err = _refused(["check", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31"], "没有读取权限", capsys)
    assert "secret.yaml:1:1:" in err


# --- 6. An empty rulebook is refused; a rule saved as .yml (any case) is loaded, as ledgers are ----


@pytest.mark.parametrize("contents", ["nothing", "only-rulebook-yaml", "only-other-files"])
@pytest.mark.parametrize("command", ["check", "report", "check-many", "lint"])
def test_empty_rules_folder_is_refused(
    command: str, contents: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    if contents == "only-rulebook-yaml":
        (rules / "rulebook.yaml").write_text("version: '1'\n", encoding="utf-8")
    elif contents == "only-other-files":
        (rules / "README.md").write_text("规则\n", encoding="utf-8")
        (rules / "laws").mkdir()
    argv = {
        "check": ["check", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31"],
        "report": ["report", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31", "-o", str(tmp_path / "r.html")],
        "check-many": ["check-many", str(SEED.parent), "--rules", str(rules), "--as-of", "2020-12-31", "--jobs", "1"],
        "lint": ["rules", "lint", str(rules)],
    }[command]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "规则目录中没有规则" in captured.out + captured.err
    if command != "lint":
        assert captured.out == "" and not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("suffix", [".yml", ".YAML", ".Yml"])
def test_rule_saved_as_yml_is_loaded(suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(next(RULES.rglob(f"{AUDIT_RULE}.yaml")), rules / f"{AUDIT_RULE}{suffix}")
    assert main(["rules", "lint", str(rules)]) == 0
    assert "共检查 1 个规则文件" in capsys.readouterr().out
    assert main(["check", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert findings and {f["rule_id"] for f in findings} == {AUDIT_RULE}


@pytest.mark.parametrize("argv", [["ledgers", "validate"], ["check", "--as-of", "2020-12-31"], ["check", "--as-of", "2020-12-31", "--format", "json"]])
def test_bureau_name_with_control_characters_is_shown_escaped(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bureau = tmp_path / "bureau"
    shutil.copytree(SEED, bureau)
    profile = bureau / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(re.sub(r"(?m)^name: .*$", lambda _: 'name: "示例\\e[2J区\\u202e统计局"', text, count=1), encoding="utf-8")
    main([argv[0], *argv[1:2], str(bureau), *argv[2:]] if argv[0] == "ledgers" else [argv[0], str(bureau), *argv[1:]])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and ("示例\\x1b[2J区" in out or "示例\\u001b[2J区" in out)


# --- 8. Nothing checked never looks compliant: ledgers_from after the as-of date, no ledger at all --


def _bureau_starting(start: str, folder: Path) -> Path:
    bureau = folder / "bureau"
    shutil.copytree(SEED, bureau)
    profile = bureau / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(re.sub(r"(?m)^ledgers_from: .*$", f"ledgers_from: {start}", text, count=1), encoding="utf-8")
    return bureau


@pytest.mark.parametrize("command", ["check", "report", "check-many"])
@pytest.mark.parametrize("start", ["2100-01-01", "2021-01-01"])
def test_ledgers_from_after_the_as_of_date_is_refused(
    command: str, start: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bureau = _bureau_starting(start, tmp_path)
    argv = {
        "check": ["check", str(bureau), "--as-of", "2020-12-31", "--no-history"],
        "report": ["report", str(bureau), "--as-of", "2020-12-31", "-o", str(tmp_path / "r.html")],
        "check-many": ["check-many", str(tmp_path), "--as-of", "2020-12-31", "--jobs", "1", "--output", str(tmp_path / "all.jsonl")],
    }[command]
    assert main(argv) == 2
    captured = capsys.readouterr()
    if command == "check-many":
        line = json.loads((tmp_path / "all.jsonl").read_text(encoding="utf-8"))
        assert line["bad_input"] and "ledgers_from" in line["error"] and "profile.yaml" in line["error"]
        assert "输入错误" in captured.out
    else:
        err = captured.err
        assert "profile.yaml" in err and "字段 ledgers_from" in err and f"（{start}）晚于检查日期 2020-12-31" in err
        assert captured.out == "" and "Traceback" not in err and not (tmp_path / "r.html").exists()


def test_ledgers_from_on_the_as_of_date_itself_is_checked(tmp_path: Path) -> None:
    bureau = _bureau_starting("2020-12-31", tmp_path)
    assert main(["check", str(bureau), "--as-of", "2020-12-31", "--no-history"]) in (0, 1)


@pytest.mark.parametrize("command", ["check", "ledgers-validate", "check-many"])
@pytest.mark.parametrize("profile", ["seed", "bare"])
def test_folder_with_only_a_profile_is_refused(
    command: str, profile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bureau = tmp_path / "bureau"
    bureau.mkdir()
    if profile == "seed":  # it declares three ledgers as having no records: still nothing to judge
        shutil.copy(SEED / "profile.yaml", bureau)
    else:
        (bureau / "profile.yaml").write_text("name: 空局\nledgers_from: 2020-01-01\n", encoding="utf-8")
    (bureau / "README.md").write_text("说明\n", encoding="utf-8")
    argv = {
        "check": ["check", str(bureau), "--as-of", "2020-12-31", "--no-history"],
        "ledgers-validate": ["ledgers", "validate", str(bureau)],
        "check-many": ["check-many", str(tmp_path), "--as-of", "2020-12-31", "--jobs", "1"],
    }[command]
    assert main(argv) == 2
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "没有任何台账" in text and "Traceback" not in captured.err
    if command != "check-many":
        assert f"{bureau}: 没有任何台账" in captured.err and captured.out == ""


# --- 9. Full disk and no permission on every output: exit 2 naming the file, no half file ----------
# The suite runs as root, which ignores permissions: both faults are simulated in-process, by
# failing the system calls of the one writer (checker.files) for files in the output folder only.

WRITE_FAULTS = {"ENOSPC": (errno.ENOSPC, "磁盘空间不足"), "EACCES": (errno.EACCES, "没有写入权限")}


def _fault(monkeypatch: pytest.MonkeyPatch, folder: Path, fault: str) -> str:
    """ENOSPC: every write into ``folder`` fails midway. EACCES: nothing can be created in it
    (a folder the user cannot write). Returns the reason the message must give."""
    error, reason = WRITE_FAULTS[fault]
    if fault == "ENOSPC":
        monkeypatch.setattr(os, "write", fail_for(folder, error, os.write))
    else:
        real_mkstemp, real_mkdir = checker.files.tempfile.mkstemp, os.mkdir

        def mkstemp(*args: Any, **kwargs: Any) -> Any:
            if str(kwargs.get("dir", "")).startswith(str(folder)):
                raise PermissionError(error, os.strerror(error))
            return real_mkstemp(*args, **kwargs)

        def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
            if str(path).startswith(str(folder)):
                raise PermissionError(error, os.strerror(error))
            real_mkdir(path, *args, **kwargs)

        monkeypatch.setattr(checker.files.tempfile, "mkstemp", mkstemp)
        monkeypatch.setattr(os, "mkdir", mkdir)
    return reason


@pytest.fixture(scope="module")
def one_rule(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A rulebook of one rule, to keep these quick: the faults are in the writing, not the judging."""
    rules = tmp_path_factory.mktemp("one-rule")
    shutil.copy(RULES / "1.4-enforcement" / "fines.to-treasury.yaml", rules)
    return rules


def _no_temporary_files(folder: Path) -> None:
    left = [p.name for p in folder.rglob("*") if p.name.endswith(".tmp")]
    assert not left, left


@pytest.mark.parametrize("fault", list(WRITE_FAULTS))
@pytest.mark.parametrize("suffix", [".docx", ".html", ".md", ".xlsx"])
@pytest.mark.parametrize("existed", [False, True])
def test_report_on_a_full_disk_or_unwritable_folder(
    fault: str, suffix: str, existed: bool, one_rule: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"r{suffix}"
    if existed:
        assert main(["report", str(SEED), "--rules", str(one_rule), "--as-of", "2020-12-31", "-o", str(target)]) == 0
        before = target.read_bytes()
        capsys.readouterr()
    reason = _fault(monkeypatch, out, fault)
    err = _refused(["report", str(SEED), "--rules", str(one_rule), "--as-of", "2020-12-31", "-o", str(target)], reason, capsys)
    assert f"错误：{target}: {reason}，未写入 {target}" in err and "已写入" not in err
    assert (target.read_bytes() == before) if existed else not target.exists()
    _no_temporary_files(out)


@pytest.mark.parametrize("fault", list(WRITE_FAULTS))
def test_check_many_output_on_a_full_disk_or_unwritable_folder(
    fault: str, one_rule: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "all.jsonl"
    reason = _fault(monkeypatch, out, fault)
    err = _refused(["check-many", str(SEED.parent), "--rules", str(one_rule), "--as-of", "2020-12-31", "--jobs", "1", "--output", str(target)], reason, capsys)
    assert f"{target}: {reason}，未写入 {target}" in err
    assert not target.exists()
    _no_temporary_files(out)


@pytest.mark.parametrize("fault", list(WRITE_FAULTS))
@pytest.mark.parametrize("command", ["template", "export"])
@pytest.mark.parametrize("folder_exists", [False, True])
def test_ledger_workbooks_on_a_full_disk_or_unwritable_folder(
    fault: str, command: str, folder_exists: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    if folder_exists:
        out.mkdir()
    argv = ["ledgers", "template", "--output", str(out)] if command == "template" else ["ledgers", "export", str(SEED), "--output", str(out)]
    reason = _fault(monkeypatch, out, fault)
    err = _refused(argv, reason, capsys)
    assert f"错误：{out}" in err and "Traceback" not in err
    if out.exists():
        _no_temporary_files(out)
        # Export refuses a folder already holding ledgers: what a failed run wrote must not block the next one.
        if command == "export":
            assert not any(p.suffix in (".xlsx", ".yaml") for p in out.iterdir())
    monkeypatch.undo()
    assert main(argv) == 0  # once there is room, the same command succeeds


def _seed_copy(folder: Path) -> Path:
    bureau = folder / "bureau"
    shutil.copytree(SEED, bureau)
    return bureau


def test_history_database_that_is_full_is_exit_2(one_rule: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """SQLite reports a full disk as SQLITE_FULL ("database or disk is full"); a page limit is the same error."""
    db = tmp_path / "h.sqlite"
    assert main(["check", str(SEED), "--rules", str(one_rule), "--as-of", "2020-11-30", "--db", str(db), "--quiet"]) == 0
    capsys.readouterr()
    with sqlite3.connect(db) as con:
        runs = con.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    real = checker.history.sqlite3.connect

    def full(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        con = real(*args, **kwargs)
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages}")
        return con

    monkeypatch.setattr(checker.history.sqlite3, "connect", full)
    err = _refused(["check", str(SEED), "--rules", str(one_rule), "--as-of", "2020-12-31", "--db", str(db)], "full", capsys)
    assert f"错误：{db}: 历史记录未能保存，本次未记入历史" in err
    monkeypatch.undo()
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == runs  # the failed run left no trace
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_history_database_that_cannot_be_written_is_exit_2(one_rule: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A --db on a read-only share: simulated by opening it read-only, since root may write anywhere."""
    db = tmp_path / "h.sqlite"
    assert main(["check", str(SEED), "--rules", str(one_rule), "--as-of", "2020-11-30", "--db", str(db), "--quiet"]) == 0
    capsys.readouterr()
    real = checker.history.sqlite3.connect
    monkeypatch.setattr(
        checker.history.sqlite3, "connect",
        lambda path, *a, **k: real(f"file:{path}?mode=ro", *a, **{**k, "uri": True}),
    )
    err = _refused(["check", str(SEED), "--rules", str(one_rule), "--as-of", "2020-12-31", "--db", str(db)], str(db), capsys)
    assert "readonly" in err or "read-only" in err or "无法写入" in err


def test_history_database_in_a_folder_that_cannot_be_written(one_rule: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Where no file can be created at all (/proc refuses even root), a --db is exit 2 naming it."""
    db = Path("/proc/compliance-history.sqlite")
    err = _refused(["check", str(SEED), "--rules", str(one_rule), "--as-of", "2020-12-31", "--db", str(db)], str(db), capsys)
    assert "历史数据库" in err
    assert not db.exists()


# --- 10. check-many says why a bureau failed; no child traceback; engine children die with `check` ---

MARKED = "会出错的局"


def _fails_on_marked(rules, bureau, as_of, warn_days=30):  # type: ignore[no-untyped-def]
    """Sent to the engine child: a bug met on one bureau only."""
    if bureau.profile.name == MARKED:
        return {}["没有这个键"]
    return evaluate(rules, bureau, as_of, warn_days)


def _unsendable_on_marked(rules, bureau, as_of, warn_days=30):  # type: ignore[no-untyped-def]
    """Findings nested too deep to be pickled back: sending them once printed the child's traceback."""
    if bureau.profile.name == MARKED:
        deep: list[Any] = []
        for _ in range(200_000):
            deep = [deep]
        return deep
    return evaluate(rules, bureau, as_of, warn_days)


def _crashes_on_marked(rules, bureau, as_of, warn_days=30):  # type: ignore[no-untyped-def]
    if bureau.profile.name == MARKED:
        os.kill(os.getpid(), signal.SIGSEGV)
    return evaluate(rules, bureau, as_of, warn_days)


def _sleeps(rules, bureau, as_of, warn_days=30):  # type: ignore[no-untyped-def]
    Path(os.environ["HARDENING_STARTED"]).write_text("evaluating")  # the test signals only once the child is here
    time.sleep(120)
    return []


def _two_bureaus(root: Path) -> Path:
    """Two copies of the seed, the second named MARKED; a one-rule rulebook keeps it quick."""
    shutil.copytree(SEED, root / "a-good")
    marked = _bureau_starting("2020-01-01", root / "tmp")
    profile = marked / "profile.yaml"
    profile.write_text(re.sub(r"(?m)^name: .*$", f"name: {MARKED}", profile.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    shutil.move(marked, root / "b-marked")
    shutil.rmtree(root / "tmp")
    return root


@pytest.mark.parametrize(
    ("evaluator", "table", "full"),
    [
        (_fails_on_marked, "检查失败：检查程序内部错误：KeyError: '没有这个键'", "检查程序内部错误：KeyError: '没有这个键'"),
        (_unsendable_on_marked, "检查失败：检查结果无法传回：RecursionError", "检查结果无法传回：RecursionError: maximum recursion depth"),
        (_crashes_on_marked, "引擎失败：规则引擎进程异常退出", "exited with status -11"),
    ],
)
@pytest.mark.parametrize("batch", ["1", "2"])
def test_check_many_says_why_a_bureau_failed_and_prints_no_traceback(
    evaluator: Any, table: str, full: str, batch: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    root = _two_bureaus(tmp_path / "all")
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(RULES / "1.4-enforcement" / "fines.to-treasury.yaml", rules)
    monkeypatch.setattr(checker.commands.check_many, "evaluate_many", functools.partial(evaluate_many, evaluator=evaluator))
    output = tmp_path / "out.jsonl"
    code = main(["check-many", str(root), "--rules", str(rules), "--as-of", "2020-12-31", "--jobs", "1", "--batch", batch, "--output", str(output)])
    assert code == 2
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    row = next(line for line in captured.out.splitlines() if "b-marked" in line)
    assert table in row and len(row) < 200, row
    good = next(line for line in captured.out.splitlines() if "a-good" in line)
    assert "示例区统计局" in good  # the other bureau of the same batch was checked
    lines = {Path(d["folder"]).name: d for d in map(json.loads, output.read_text(encoding="utf-8").splitlines())}
    assert full in lines["b-marked"]["error"] and "findings" in lines["a-good"]


def test_check_many_table_names_the_file_of_a_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _bureau_starting("2100-01-01", tmp_path / "all")
    output = tmp_path / "out.jsonl"
    assert main(["check-many", str(tmp_path / "all"), "--as-of", "2020-12-31", "--jobs", "1", "--output", str(output)]) == 2
    row = next(line for line in capsys.readouterr().out.splitlines() if "bureau" in line)
    assert "输入错误：profile.yaml ledgers_from：台账起始日期 ledgers_from（2100-01-01）晚于" in row
    [line] = map(json.loads, output.read_text(encoding="utf-8").splitlines())
    assert "请改正 ledgers_from 或检查日期（--as-of）" in line["error"] and str(tmp_path) in line["error"]


def test_isolated_bad_input_is_raised_as_bad_input() -> None:
    bureau = load_bureau(SEED)
    late = replace(bureau, profile=bureau.profile.model_copy(update={"ledgers_from": dt.date(2021, 1, 1)}))
    with pytest.raises(InputError) as exc:
        evaluate_isolated([], late, dt.date(2020, 12, 31))
    assert exc.value.problems[0].field == "ledgers_from"


def _children(pid: int) -> set[int]:
    found = set()
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat_file.parent.name))
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # it has exited meanwhile
        return b""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL", "SIGINT", "SIGINT-group"])
def test_engine_children_die_with_their_parent(how: str, tmp_path: Path) -> None:
    """The parent waits on a child that would evaluate for two minutes; killing the parent must end it at once."""
    script = (
        "import datetime as dt, sys\n"
        "from checker.isolation import evaluate_isolated\n"
        "from checker.records import load_bureau\n"
        "from tests.test_hardening import _sleeps\n"
        f"bureau = load_bureau(__import__('pathlib').Path({str(SEED)!r}))\n"
        "try:\n"
        "    evaluate_isolated([], bureau, dt.date(2020, 12, 31), evaluator=_sleeps)\n"
        "except KeyboardInterrupt:\n"
        "    sys.exit(130)\n"
    )
    started = tmp_path / "started"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HARDENING_STARTED": str(started)}
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        engine: set[int] = set()
        while not (engine and started.exists()) and time.monotonic() < deadline:
            engine = {c for c in _children(parent.pid) if b"spawn_main" in _cmdline(c)}
            time.sleep(0.05)
        assert engine and started.exists(), "no engine child started"
        if how == "SIGINT-group":
            os.killpg(parent.pid, signal.SIGINT)
        else:
            parent.send_signal(getattr(signal, how))
        parent.wait(30)
        deadline = time.monotonic() + 5
        while any(_alive(c) for c in engine) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(c) for c in engine), "engine child outlived its parent"
        assert parent.stderr is not None
        err = parent.stderr.read().decode()
        if how.startswith("SIGINT"):
            assert parent.returncode == 130 and "Traceback" not in err, err
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()


# --- 11. An alias bomb under a rule key: refused by its size, and lint's walkers visit each node once --


def _alias_bomb(levels: int, indent: int) -> str:
    """``levels`` anchors, each a list of nine aliases of the previous: 9**levels nodes expanded."""
    pad = " " * indent
    lines = [f"{pad}a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{pad}a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _rule_with_bomb(where: str, levels: int, folder: Path) -> Path:
    rules = folder / "rules"
    rules.mkdir()
    source = next(RULES.rglob(f"{AUDIT_RULE}.yaml")).read_text(encoding="utf-8")
    places = {
        "top": lambda: source + "bomb:\n" + _alias_bomb(levels, 2),
        "trigger": lambda: source.replace("trigger:\n  ledger: audit_inquiry\n", "trigger:\n  ledger: audit_inquiry\n  bomb:\n" + _alias_bomb(levels, 4)),
        "within": lambda: source.replace("  working: true\n", "  working: true\n  bomb:\n" + _alias_bomb(levels, 4)),
        "example": lambda: source.replace("    expect:\n      AI-1: met\n", "    expect:\n      AI-1: met\n    bomb:\n" + _alias_bomb(levels, 6)),
    }
    text = places[where]()
    assert "bomb:" in text
    (rules / f"{AUDIT_RULE}.yaml").write_text(text, encoding="utf-8")
    return rules


BOMB_PLACES = ["top", "trigger", "within", "example"]


@pytest.mark.parametrize("where", BOMB_PLACES)
def test_billion_laughs_under_a_rule_key_is_refused_by_lint_and_check(where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = _rule_with_bomb(where, 9, tmp_path)
    out = _refused(["rules", "lint", str(rules)], "十亿笑声", capsys, "out")
    assert re.search(rf"{re.escape(AUDIT_RULE)}\.yaml:\d+:\d+: 错误 yaml: 别名（\*a\d 等）展开后超过 100000 个节点", out)
    _refused(["check", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31", "--no-history"], "十亿笑声", capsys)


@pytest.mark.parametrize("where", BOMB_PLACES)
def test_lint_walks_an_alias_bomb_below_the_bound_node_by_node_not_expansion_by_expansion(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nine to the fifth (59,049 nodes expanded, under the loader's bound) is accepted by the YAML
    reader; lint's walkers must then visit the 50-odd distinct nodes, not 59,049 (which, at 9**9,
    was lint spinning forever). Counted by calls into the lint module, not timed."""
    import checker.rulecheck as lint

    plain = tmp_path / "plain"
    plain.mkdir()
    bombed = _rule_with_bomb(where, 5, plain)
    calls: dict[str, int] = {}

    def count(frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code.co_filename == lint.__file__:
            calls[frame.f_code.co_name] = calls.get(frame.f_code.co_name, 0) + 1

    sys.setprofile(count)
    try:
        code = main(["rules", "lint", str(bombed)])
    finally:
        sys.setprofile(None)
    assert code == 2 and "bomb" in capsys.readouterr().out  # the unknown key itself is reported
    assert sum(calls.values()) < 2_000, sorted(calls.items(), key=lambda kv: -kv[1])[:5]


def test_rule_files_written_by_rules_new_and_schema_go_through_the_guarded_writer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real.yaml"
    target.write_text("keep\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    _refused(["rules", "new", "--kind", "deadline", "t.new-rule", "--output", str(link), "--force"], "符号链接", capsys)
    assert target.read_text(encoding="utf-8") == "keep\n" and link.is_symlink()
    _refused(["rules", "schema", "--output", "/dev/full"], "/dev/full", capsys)
    out = tmp_path / "new.yaml"
    assert main(["rules", "new", "--kind", "deadline", "t.new-rule", "--output", str(out)]) == 0
    assert "id: t.new-rule" in out.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


# --- 12. Records silently dropped or merged once: each now an error or a note naming the file ------
# (duplicate staff id, two columns for one field, cells beyond the header, a ledger in a subfolder
# or with a suffix no ledger has, a heading not in the outline, --history at a file.)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


FINE_CSV_HEAD = "id,decided_on,served_on,amount"
DROPPED = {
    # name: (how the seed copy is changed, exit status of `ledgers validate`, words of the message)
    "duplicate-staff-id": (lambda b: _edit(b / "profile.yaml", "{id: P02, name", "{id: P01, name"), 2,
                           ["profile.yaml", "字段 staff", "人员编号 P01 重复"]),
    "two-amount-columns": (lambda b: ((b / "fine.yaml").unlink(), (b / "fine.csv").write_text(
        FINE_CSV_HEAD + ",amount\nF-1,2020-05-06,2020-05-12,8000,9000\n", encoding="utf-8")), 2,
        ["fine.csv:1:5", "字段 amount", "多列都是字段 amount"]),
    "extra-cell": (lambda b: ((b / "fine.yaml").unlink(), (b / "fine.csv").write_text(
        FINE_CSV_HEAD + "\nF-1,2020-05-06,2020-05-12,8000,9000\n", encoding="utf-8")), 2,
        ["fine.csv:2:5", "记录 F-1", "表头之外的单元格有内容 '9000'"]),
    "ledger-as-txt": (lambda b: (b / "fine.yaml").rename(b / "fine.txt"), 2, ["fine.txt", "不能是 .txt 文件"]),
    "ledger-as-json": (lambda b: (b / "fine.yaml").rename(b / "fine.json"), 2, ["fine.json", "不能是 .json 文件"]),
    "ledger-in-a-subfolder": (lambda b: ((b / "old").mkdir(), shutil.copy(b / "fine.yaml", b / "old")), 0,
                              ["old: 子目录中的 fine.yaml 未读取"]),
}


@pytest.mark.parametrize("case", list(DROPPED))
def test_records_once_dropped_silently_are_named(case: str, seed_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change, status, words = DROPPED[case]
    change(seed_copy)
    assert main(["ledgers", "validate", str(seed_copy)]) == status
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert all(w in text for w in words), text
    assert "Traceback" not in captured.err


def test_heading_not_in_the_outline_is_refused_by_check_as_by_lint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    source = next(RULES.rglob("legal-adviser.coverage.yaml")).read_text(encoding="utf-8")
    (rules / "legal-adviser.coverage.yaml").write_text(re.sub(r"(?m)^heading: .*$", "heading: 九(九)9", source), encoding="utf-8")
    assert main(["rules", "lint", str(rules)]) == 2
    assert "legal-adviser.coverage.yaml:4:1" in capsys.readouterr().out
    assert main(["check", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31", "--no-history"]) == 2
    captured = capsys.readouterr()
    assert "legal-adviser.coverage.yaml:4:1" in captured.err and "不在年度报告提纲中" in captured.err and captured.out == ""


def test_legacy_history_argument_that_is_a_file_is_exit_2(seed_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    afile = tmp_path / "afile"
    afile.write_text("", encoding="utf-8")
    assert main(["check", str(seed_copy), "--as-of", "2020-12-31", "--history", str(afile)]) == 2
    err = capsys.readouterr().err
    assert f"{afile}: --history 应为目录" in err and "Traceback" not in err


def test_check_many_output_at_a_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").mkdir()
    assert main(["check-many", str(SEED), "--as-of", "2020-12-31", "--output", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "输出位置是目录" in err and "Traceback" not in err and not list((tmp_path / "out").iterdir())


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_stdout_on_a_full_disk_is_exit_two_with_a_message_not_a_traceback(fmt: str, tmp_path: Path) -> None:
    """`check > file` on a full disk (issue 11): /dev/full fails every write with ENOSPC."""
    seed = Path(__file__).resolve().parent.parent / "fixtures" / "district-bureau-2020"
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "checker", "check", str(seed), "--as-of", "2020-12-31", "--format", fmt,
                               "--db", str(tmp_path / "h.sqlite")], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "标准输出无法写入（磁盘已满）" in done.stderr and "Traceback" not in done.stderr
