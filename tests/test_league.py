"""The league table of a city run: bureau × outline heading, worst first, in four formats."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from docx import Document

from checker.cli import main
from checker.commands import check_many

from .conftest import SEED


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def city(tmp_path: Path) -> Path:
    """Three bureaus: the seed as it is, one with one more gap (a short remittance), one that cannot be read."""
    root = tmp_path / "city"
    for name in ("a", "b", "c"):
        shutil.copytree(SEED, root / name)
    remittance = root / "b" / "remittance.yaml"
    remittance.write_text(remittance.read_text(encoding="utf-8").replace("amount: 50000,", "amount: 49000,"), encoding="utf-8")
    profile = root / "b" / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("示例区统计局", "乙区统计局", 1), encoding="utf-8")
    (root / "c" / "profile.yaml").write_text("name: [broken\n", encoding="utf-8")
    return root


def test_league_ranks_worst_first_by_heading(capsys: pytest.CaptureFixture[str], city: Path, tmp_path: Path) -> None:
    league = tmp_path / "汇总.md"
    code, _, err = run(capsys, "check-many", str(city), "--as-of", "2020-12-31", "--league", str(league), "--output",
                       str(tmp_path / "out.jsonl"))
    assert code == 2, err  # one bureau could not be checked
    text = league.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| 名次")]
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
    assert [c[1] for c in cells] == ["c", "乙区统计局", "示例区统计局"]
    assert cells[0][2] == "—" and cells[0][-1].startswith("未能检查")
    assert [c[2] for c in cells[1:]] == ["3", "2"]
    header = next(line for line in text.splitlines() if line.startswith("| 名次"))
    assert "一（四）严格行政执法" in header and "二、存在的不足" in header
    assert "共检查3个单位，2个单位存在问题，合计问题事项5个" in text and "1个单位未能检查" in text


@pytest.mark.parametrize("suffix", [".txt", ".html", ".docx"])
def test_league_in_each_format(capsys: pytest.CaptureFixture[str], city: Path, tmp_path: Path, suffix: str) -> None:
    shutil.rmtree(city / "c")
    league = tmp_path / f"league{suffix}"
    code, *_ = run(capsys, "check-many", str(city), "--as-of", "2020-12-31", "--league", str(league))
    assert code == 1
    data = league.read_bytes()
    if suffix == ".docx":
        doc = Document(io.BytesIO(data))
        [table] = doc.tables
        assert [c.text for c in table.rows[1].cells][1:3] == ["乙区统计局", "3"]
    else:
        text = data.decode("utf-8")
        assert text.index("乙区统计局") < text.index("示例区统计局")
        if suffix == ".html":
            assert text.startswith("<!DOCTYPE html>") and "<th scope=\"col\">问题合计</th>" in text


def test_a_league_file_the_run_cannot_write_is_refused_before_any_work(capsys: pytest.CaptureFixture[str], city: Path,
                                                                       tmp_path: Path) -> None:
    for bad, words in ((tmp_path / "x.pdf", "无法从扩展名"), (tmp_path / "nowhere" / "x.md", "所在目录不存在"), (tmp_path, "是目录")):
        code, out, err = run(capsys, "check-many", str(city), "--as-of", "2020-12-31", "--league", str(bad))
        assert code == 2 and out == "" and words in err


def test_progress_only_on_a_terminal_and_never_when_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    assert check_many._progress(5, quiet=False) is None  # pytest's stderr is no terminal
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    assert check_many._progress(5, quiet=True) is None
    bar = check_many._progress(5, quiet=False)
    assert bar is not None and bar.total == 5
    bar.close()
