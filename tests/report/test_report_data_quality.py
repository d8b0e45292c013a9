"""Missing and unreadable ledgers in the report: 台账缺失, 数据质量 and the 无法判断 items they cause.

Run on the seed bureau with ledgers taken away or spoilt, as a clerk would hand them in, and
checked in Word (python-docx), HTML and Markdown, which must list the same sections in order.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from checker.commands.check import run_check
from checker.findings import Status
from checker.records import load_bureau
from checker.report import Report, build_report
from checker.report.markdown import render_markdown
from checker.report.webpage import render_html
from checker.report.word import render_docx
from checker.rulebook import DEFAULT_RULES, load_rulebook

SEED = Path(__file__).parents[2] / "fixtures" / "district-bureau-2020"
AS_OF = dt.date(2020, 12, 31)

REMITTANCE_CSV = """编号,罚没款编号,入库日期,金额（元）,缴款凭证号
R-2020-01,F-2020-01,2020-05-01,15000,V1
R-2020-02,F-2020-02,五月,20000,V2
合计,,,35000,
"""


def _seed_copy(tmp_path: Path, drop: tuple[str, ...] = ()) -> Path:
    folder = tmp_path / "bureau"
    shutil.copytree(SEED, folder)
    for name in drop:
        (folder / name).unlink()
    return folder


def _report(folder: Path) -> Report:
    result = run_check(folder, DEFAULT_RULES, AS_OF, 30)
    return build_report(result, load_rulebook(DEFAULT_RULES), load_bureau(folder), 30)


@pytest.fixture(scope="module")
def missing_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    return _report(_seed_copy(tmp_path_factory.mktemp("missing"), ("fine.yaml", "remittance.yaml")))


@pytest.fixture(scope="module")
def unread_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    folder = _seed_copy(tmp_path_factory.mktemp("unread"), ("remittance.yaml",))
    (folder / "remittance.csv").write_text(REMITTANCE_CSV, encoding="utf-8")
    return _report(folder)


def _docx_blocks(report: Report) -> tuple[list[str], list[list[list[str]]], list[tuple[str, str]]]:
    doc = Document(io.BytesIO(render_docx(report)))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    return headings, tables, paragraphs


def _table_after(doc_tables: list[list[list[str]]], first_header: list[str]) -> list[list[str]]:
    return next(t for t in doc_tables if t[0] == first_header)


def test_missing_ledgers_are_listed_with_the_obligations_they_leave_undecided(missing_report: Report) -> None:
    headings, tables, _ = _docx_blocks(missing_report)
    names = [re.sub(r"^[一二三四五六七八九十]+、", "", h) for h in headings]
    assert "台账缺失" in names and "无法判断的事项" in names
    assert names.index("台账缺失") < names.index("无法判断的事项") < names.index("下一步工作安排")
    missing = _table_after(tables, ["序号", "未提交的台账", "无法判断的义务（项）", "无法判断的义务"])
    assert {row[1] for row in missing[1:]} == {"罚没款台账", "上缴国库台账"}
    treasury = load_rulebook(DEFAULT_RULES).find("fines.to-treasury")
    assert treasury is not None
    for row in missing[1:]:
        assert treasury.title in row[3]
        assert row[2] == str(len(row[3].split("；")))


def test_fines_to_treasury_is_unknown_and_says_which_ledgers_are_missing(missing_report: Report) -> None:
    treasury = [u for u in missing_report.unknown if u.rule_id == "fines.to-treasury"]
    assert treasury, "fines.to-treasury must be 无法判断 when its ledgers are missing"
    assert all(g.rule_id != "fines.to-treasury" for g in missing_report.gaps)
    _, tables, _ = _docx_blocks(missing_report)
    unknown = _table_after(tables, ["序号", "义务", "事项", "责任科室", "无法判断的原因"])
    row = next(r for r in unknown[1:] if r[1] == treasury[0].title)
    assert "罚没款台账" in row[4] and "上缴国库台账" in row[4] and "台账缺失" in row[4]
    # The counts on page one name the cause, and the overview table counts it as 无法判断.
    assert "无法判断" in missing_report.overview()
    assert missing_report.standing[Status.unknown] >= 1


def test_unreadable_cells_are_located_as_a_clerk_finds_them(unread_report: Report) -> None:
    headings, tables, paragraphs = _docx_blocks(unread_report)
    assert any(h.endswith("、数据质量") for h in headings)
    assert not any(h.endswith("、台账缺失") for h in headings)
    cells = _table_after(tables, ["序号", "文件", "工作表", "行", "列", "表头", "问题（所见与应为）"])
    assert len(cells) == 2
    _, file, _, row, column, header, problem = cells[1]
    assert (file, row, column, header) == ("remittance.csv", "3", "C", "入库日期")
    assert "五月" in problem and "应为日期" in problem
    # The skipped 合计 row is a note, with its row.
    assert any("remittance.csv 第4行" in text and "合计" in text for _, text in paragraphs)
    # Only the fine the unreadable remittance names is undecided, and the reason points to 数据质量.
    unknown = [u for u in unread_report.unknown if u.rule_id == "fines.to-treasury"]
    assert unknown and all("数据质量" in u.reason and "第3行" in u.reason for u in unknown)


def test_a_complete_year_has_neither_section(tmp_path: Path) -> None:
    report = _report(_seed_copy(tmp_path))
    headings, _, _ = _docx_blocks(report)
    assert not any(h.endswith(("、台账缺失", "、数据质量")) for h in headings)


@pytest.mark.parametrize("which", ["missing_report", "unread_report"])
def test_html_and_markdown_carry_the_same_sections_in_the_same_order(which: str, request: pytest.FixtureRequest) -> None:
    report: Report = request.getfixturevalue(which)
    headings, _, _ = _docx_blocks(report)
    html = render_html(report)
    html_headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)]
    md_headings = re.findall(r"^## (.*)$", render_markdown(report), flags=re.M)
    assert html_headings == headings
    assert [h.replace("\\", "") for h in md_headings] == headings


def test_the_command_writes_the_report_and_exits_two_when_data_is_missing(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    folder = _seed_copy(tmp_path, ("fine.yaml", "remittance.yaml"))
    out = tmp_path / "r.docx"
    code, _, err = cli("report", str(folder), "--as-of", "2020-12-31", "--output", str(out))
    assert code == 2
    assert out.is_file() and "台账缺失" in err and "罚没款台账" in err
