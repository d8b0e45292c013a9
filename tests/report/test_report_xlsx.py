"""The rectification ledger (整改台账), opened with openpyxl: layout, validation, and no formulas from records."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from report_helpers import FORMULA_ID, GAP_RULES_IN_ORDER

from checker.report import Report
from checker.report.excel import LEDGER_HEADERS, SHEET_TITLE, STATUSES, _put, render_xlsx


def _sheet(report: Report) -> Worksheet:
    ws = load_workbook(io.BytesIO(render_xlsx(report)))[SHEET_TITLE]
    return ws


def test_one_row_per_gap_numbered_as_in_the_report(gap_report: Report) -> None:
    ws = _sheet(gap_report)
    assert [c.value for c in ws[1]] == LEDGER_HEADERS == ["序号", "问题", "依据", "责任科室", "整改措施", "整改时限", "整改状态", "证据"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(GAP_RULES_IN_ORDER)
    assert [r[0] for r in rows] == [g.number for g in gap_report.gaps]
    assert [r[1].split("\n")[0] for r in rows] == [g.problem for g in gap_report.gaps]
    assert all(r[6] == "未整改" for r in rows)
    officers = rows[1]
    assert officers[3] == "执法监督科"
    assert officers[5].date() == gap_report.gaps[1].deadline
    assert officers[7].splitlines()[0].startswith(FORMULA_ID + "（2020-03-02")


def test_header_is_frozen_wrapped_and_columns_are_sized(gap_report: Report) -> None:
    ws = _sheet(gap_report)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:H{1 + len(GAP_RULES_IN_ORDER)}"
    assert ws.column_dimensions["B"].width >= 30 and ws.column_dimensions["A"].width <= 8
    assert all(c.alignment.wrap_text for row in ws.iter_rows(min_row=1) for c in row)
    assert ws["A1"].font.bold


def test_status_column_only_takes_the_three_statuses(gap_report: Report) -> None:
    ws = _sheet(gap_report)
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1
    dv = validations[0]
    assert dv.type == "list" and dv.formula1 == '"未整改,整改中,已整改"' and STATUSES == ["未整改", "整改中", "已整改"]
    assert dv.showErrorMessage and not dv.allow_blank
    for row in range(2, 2 + len(GAP_RULES_IN_ORDER)):
        assert f"G{row}" in dv.sqref
    assert "F2" not in dv.sqref


def test_record_text_that_looks_like_a_formula_is_written_as_text(gap_report: Report) -> None:
    data = render_xlsx(gap_report)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    cell = load_workbook(io.BytesIO(data))[SHEET_TITLE]["H3"]
    assert cell.data_type == "s" and cell.value.startswith("=1+2")
    assert cell.quotePrefix


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"])
def test_every_formula_prefix_stays_text(text: str, tmp_path: Path) -> None:
    wb = Workbook()
    _put(wb.active["A1"], text)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    cell = load_workbook(path).active["A1"]
    assert (cell.value, cell.data_type) == (text, "s")
    with zipfile.ZipFile(path) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_a_year_without_gaps_gives_an_empty_ledger_with_its_header(clean_report: Report) -> None:
    ws = _sheet(clean_report)
    assert [c.value for c in ws[1]] == LEDGER_HEADERS
    assert ws.max_row == 1


def test_the_command_writes_the_ledger(gap_bureau: Path, rules_dir: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "台账.xlsx"
    code, _, _ = cli("report", str(gap_bureau), "--rules", str(rules_dir), "--as-of", "2020-12-31", "--output", str(out))
    assert code == 1
    assert load_workbook(out)[SHEET_TITLE].max_row == 1 + len(GAP_RULES_IN_ORDER)
