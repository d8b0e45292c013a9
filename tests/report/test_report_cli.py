"""``compliance report`` on the command line: exit codes, where the file goes, never half a file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import checker.files
import checker.report as report_package
from checker.commands import report as report_command

ARGS = ("--as-of", "2020-12-31")


def test_exit_zero_without_gaps_one_with_gaps(gap_bureau: Path, clean_bureau: Path, rules_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("report", str(clean_bureau), "--rules", str(rules_dir), *ARGS, "--format", "markdown")[0] == 0
    assert cli("report", str(gap_bureau), "--rules", str(rules_dir), *ARGS, "--format", "markdown")[0] == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--output", "missing-dir/r.docx"), "输出文件所在目录不存在"),
        (("--as-of", "2020-13-40"), "用法错误"),
        (("--format", "odt"), "用法错误"),
    ],
)
def test_bad_input_exits_two_with_a_message(extra: tuple[str, ...], message: str, gap_bureau: Path, rules_dir: Path, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("report", str(gap_bureau), "--rules", str(rules_dir), *ARGS, *extra)
    assert code == 2 and message in err
    assert list(tmp_path.glob("*.docx")) == []


def test_a_missing_records_folder_exits_two(tmp_path: Path, rules_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("report", str(tmp_path / "nowhere"), "--rules", str(rules_dir), *ARGS, "--output", str(tmp_path / "r.docx"))
    assert code == 2 and "不是台账目录" in err
    assert not (tmp_path / "r.docx").exists()


def test_docx_goes_to_a_dated_file_in_the_current_folder_by_default(gap_bureau: Path, rules_dir: Path, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("report", str(gap_bureau), "--rules", str(rules_dir), *ARGS)
    assert code == 1 and out == ""
    assert (tmp_path / "合规检查报告-2020-12-31.docx").is_file()
    assert "已写入 合规检查报告-2020-12-31.docx（存在问题的义务 5 项，问题事项 7 个）" in err


def test_format_follows_the_output_suffix(gap_bureau: Path, rules_dir: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.md"
    cli("report", str(gap_bureau), "--rules", str(rules_dir), *ARGS, "--output", str(out))
    assert out.read_text(encoding="utf-8").startswith("# 关于测试区统计局法治政府建设合规检查情况的报告")


def test_a_failing_renderer_leaves_the_previous_report_and_no_temporary_file(gap_bureau: Path, rules_dir: Path, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.docx"
    out.write_bytes(b"last month's report")

    def broken(_: object) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setitem(report_package.FORMATS, "docx", dataclasses.replace(report_package.FORMATS["docx"], render=broken))
    with pytest.raises(RuntimeError):
        cli("report", str(gap_bureau), "--rules", str(rules_dir), *ARGS, "--output", str(out))
    assert out.read_bytes() == b"last month's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["r.docx", "rules", "gap-bureau"])


def test_write_atomic_cleans_up_when_the_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"old")

    def fail(*_: object) -> None:
        raise OSError("no space left on device")

    monkeypatch.setattr(checker.files.os, "replace", fail)
    # write_atomic turns write failures into InputError (exit status 2, message in Chinese).
    with pytest.raises(checker.files.InputError, match=r"未写入 .*；原有文件未改动"):
        checker.files.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]


def test_report_command_is_registered() -> None:
    from checker.cli import build_parser

    args = build_parser().parse_args(["report", "x", "--format", "xlsx"])
    assert args.handler is report_command.run


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [
        ("x.pdf", "docx", "扩展名“.pdf”与 --format docx 不符，应为 .docx"),
        ("x.docx", "html", "扩展名“.docx”与 --format html 不符，应为 .html"),
        ("x.txt", None, "无法从扩展名“.txt”判断报告格式"),
        ("x.doc", None, "无法从扩展名“.doc”判断报告格式"),
        ("x", None, "无法从扩展名“（无）”判断报告格式"),
    ],
)
def test_output_suffix_must_match_the_format(gap_bureau: Path, rules_dir: Path, tmp_path: Path, cli, name: str, fmt: str | None, message: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / name
    code, out, err = cli("report", str(gap_bureau), "--rules", str(rules_dir), *ARGS, "-o", str(target), *(["--format", fmt] if fmt else []))
    assert code == 2 and out == ""
    assert message in err and str(target) in err
    assert not target.exists()


def test_pdf_without_libreoffice_says_how_to_install_it(gap_bureau: Path, rules_dir: Path, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import checker.report.pdf as pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    target = tmp_path / "r.pdf"
    code, _, err = cli("report", str(gap_bureau), "--rules", str(rules_dir), *ARGS, "-o", str(target))
    assert code == 2
    assert "LibreOffice" in err and "apt-get install" in err
    assert not target.exists()
