"""The rectification loop: the 整改台账 written by ``report --format xlsx``, filled in by the office,
read back by the next check (已整改 that the records contradict is 整改未见效), and carried
forward by the next export with what the office typed, the resolved rows dated, the new gaps added."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from checker.cli import main
from checker.rectification import LEDGER_HEADERS, SHEET_TITLE

COL = {h: i + 1 for i, h in enumerate(LEDGER_HEADERS)}
Q4_REPORT = "- {id: IR-2020Q4, quarter: 2020Q4, reported_on: '2021-01-12', reported_to: 示例市统计局, recorded_count: 0}\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def fill(path: Path, rows: dict[str, dict[str, str]]) -> None:
    """Type into the sheet as the office would, finding each row by its 对象 and problem words."""
    book = load_workbook(path)
    ws = book[SHEET_TITLE]
    for r in range(2, ws.max_row + 1):
        problem, subject = str(ws.cell(r, COL["问题"]).value), ws.cell(r, COL["对象"]).value
        for words, values in rows.items():
            if words in problem and subject in ("2020", "2020Q4"):
                for header, value in values.items():
                    ws.cell(r, COL[header]).value = value
    book.save(path)


def test_the_loop_over_two_months(capsys: pytest.CaptureFixture[str], seed_copy: Path, history_db: Path) -> None:
    sheet = seed_copy / "整改台账.xlsx"
    code, _, err = run(capsys, "report", str(seed_copy), "--as-of", "2021-01-31", "--output", str(sheet))
    assert code == 1, err
    first = load_workbook(sheet)[SHEET_TITLE]
    assert first.max_row == 1 + 3  # Q4 self-check, law study, new-media publicity
    fill(sheet, {
        "干预统计": {"整改状态": "已整改", "整改情况": "已补报第四季度零报告", "责任人": "办公室王五", "完成日期": "2021-02-05"},
        "学法不限于统计法": {"整改状态": "已整改", "整改情况": "组织了学习", "责任人": "法规科丁"},
        "普法宣传渠道": {"整改状态": "整改中", "整改情况": "新媒体计划已起草"},
    })
    # The Q4 self-check really is handed in; law study is not mended.
    with (seed_copy / "interference_report.yaml").open("a", encoding="utf-8") as f:
        f.write(Q4_REPORT)

    code, out, err = run(capsys, "check", str(seed_copy), "--as-of", "2021-02-28", "--format", "json")
    assert code == 1, err
    doc = json.loads(out)
    rect = doc["rectification"]
    assert [(r["rule_id"], r["key"]) for r in rect["ineffective"]] == [("learning.breadth", "2020")]
    assert [r["now"] for r in rect["confirmed"]] == ["met"] and rect["problems"] == []
    [study] = [f for f in doc["findings"] if f["rule_id"] == "learning.breadth" and f["period"] == "2020"]
    assert study["status"] == "gap" and study["message"].startswith("整改未见效")
    code, table, _ = run(capsys, "check", str(seed_copy), "--as-of", "2021-02-28", "--no-history")
    assert "整改未见效：learning.breadth 2020" in table and "整改未见效 1 项，核实已整改 1 项" in table
    # Stored with the run, row by row, with the check's verdict.
    with sqlite3.connect(history_db) as raw:
        verdicts = raw.execute("SELECT status, note, verdict FROM rectification WHERE run_id = 1 ORDER BY row").fetchall()
    assert verdicts == [("已整改", "已补报第四季度零报告", "confirmed"), ("已整改", "组织了学习", "ineffective"),
                        ("整改中", "新媒体计划已起草", "open")]
    code, md, _ = run(capsys, "report", str(seed_copy), "--as-of", "2021-02-28", "--format", "markdown")
    assert "整改核验" in md and "组织了学习" in md

    code, _, err = run(capsys, "report", str(seed_copy), "--as-of", "2021-02-28", "--output", str(sheet))
    assert code == 1, err
    rows = list(load_workbook(sheet)[SHEET_TITLE].iter_rows(min_row=2, values_only=True))
    by = [dict(zip(LEDGER_HEADERS, r)) for r in rows]
    # No row lost, the typed text kept, and the two gaps new in February added at the end, numbered on.
    assert [r["整改情况"] for r in by[:3]] == ["已补报第四季度零报告", "组织了学习", "新媒体计划已起草"]
    assert [r["责任人"] for r in by[:3]] == ["办公室王五", "法规科丁", None]
    assert by[0]["核验结果"].startswith("已于 2021-02-28 核验不再存在问题")
    assert by[1]["核验结果"].startswith("整改未见效") and by[2]["核验结果"] is None
    assert len(by) == 5 and [r["序号"] for r in by] == [1, 2, 3, 4, 5]
    assert {r["对象"] for r in by[3:]} == {"2020Q4", "2020"} and all(r["整改状态"] == "未整改" for r in by[3:])
    assert len({r["编号"] for r in by}) == 5

    # A later export keeps the date the check first saw the row resolved.
    code, *_ = run(capsys, "report", str(seed_copy), "--as-of", "2021-03-31", "--output", str(sheet))
    again = [dict(zip(LEDGER_HEADERS, r)) for r in load_workbook(sheet)[SHEET_TITLE].iter_rows(min_row=2, values_only=True)]
    assert again[0]["核验结果"] == by[0]["核验结果"] and again[0]["整改情况"] == "已补报第四季度零报告"


def test_rows_that_cannot_be_matched_are_reported_row_by_row_and_kept(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    sheet = seed_copy / "整改台账.xlsx"
    run(capsys, "report", str(seed_copy), "--as-of", "2021-01-31", "--output", str(sheet))
    book = load_workbook(sheet)
    ws = book[SHEET_TITLE]
    ws.cell(2, COL["编号"]).value = None
    ws.cell(3, COL["编号"]).value = "deadbeef0000"
    ws.cell(4, COL["整改状态"]).value = "差不多了"
    book.save(sheet)
    code, out, _ = run(capsys, "check", str(seed_copy), "--as-of", "2021-01-31", "--format", "json", "--no-history")
    assert code == 1
    problems = json.loads(out)["rectification"]["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(2, "编号"), (4, "整改状态"), (3, "编号")]
    assert "deadbeef0000" in problems[2]["message"] and "差不多了" in problems[1]["message"]
    run(capsys, "report", str(seed_copy), "--as-of", "2021-01-31", "--output", str(sheet))
    rows = [dict(zip(LEDGER_HEADERS, r)) for r in load_workbook(sheet)[SHEET_TITLE].iter_rows(min_row=2, values_only=True)]
    assert rows[0]["核验结果"] == "无法对应：编号缺失，请恢复编号"
    assert rows[1]["编号"] == "deadbeef0000"
    assert len(rows) == 3 + 2  # the two rows not matched are kept, their gaps listed again


def test_a_sheet_that_is_not_a_rectification_ledger_is_exit_2(capsys: pytest.CaptureFixture[str], seed_copy: Path,
                                                              tmp_path: Path) -> None:
    other = tmp_path / "其他.xlsx"
    book = Workbook()
    book.active.append(["序号", "问题"])
    book.save(other)
    code, out, err = run(capsys, "check", str(seed_copy), "--as-of", "2021-01-31", "--rectification", str(other))
    assert code == 2 and out == "" and str(other) in err and "编号" in err
    code, out, err = run(capsys, "check", str(seed_copy), "--as-of", "2021-01-31", "--rectification", str(tmp_path / "无.xlsx"))
    assert code == 2 and "不存在" in err
    (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04 not really")
    code, out, err = run(capsys, "check", str(seed_copy), "--as-of", "2021-01-31", "--rectification", str(tmp_path / "坏.xlsx"))
    assert code == 2 and "无法打开" in err and "Traceback" not in err
