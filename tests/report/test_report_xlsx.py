"""The rectification ledger (整改台账), opened with openpyxl: layout, validation, and no formulas from records."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from report_helpers import FORMULA_ID, GAP_RULES_IN_ORDER, make_report

from checker.report import Report
from checker.report.excel import LEDGER_HEADERS, SHEET_TITLE, STATUSES, _put, render_xlsx


def _sheet(report: Report) -> Worksheet:
    ws = load_workbook(io.BytesIO(render_xlsx(report)))[SHEET_TITLE]
    return ws


def test_one_row_per_gap_item_numbered_as_in_the_report(gap_report: Report) -> None:
    ws = _sheet(gap_report)
    assert [c.value for c in ws[1]] == LEDGER_HEADERS == [
        "序号", "编号", "问题", "对象", "依据", "责任科室", "整改措施", "整改时限", "列入日期",
        "整改状态", "整改情况", "责任人", "完成日期", "核验结果", "证据",
    ]
    col = {h: i for i, h in enumerate(LEDGER_HEADERS)}
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    items = [(g, k, f) for g in gap_report.gaps for k, (f, _) in enumerate(g.subjects, start=1)]
    assert len(rows) == len(items) == sum(g.item_count for g in gap_report.gaps) > len(gap_report.gaps)
    assert [r[0] for r in rows] == [g.number if g.item_count == 1 else f"{g.number}.{k}" for g, k, _ in items]
    assert [r[col["编号"]] for r in rows] == [f.fingerprint for *_, f in items]
    assert [r[col["对象"]] for r in rows] == [f.key for *_, f in items]
    assert [r[col["问题"]].split("\n")[0] for r in rows] == [g.problem for g, *_ in items]
    assert all(r[col["整改状态"]] == "未整改" for r in rows)
    officers = next(r for r, (g, *_) in zip(rows, items) if g is gap_report.gaps[1])
    assert officers[col["责任科室"]] == "执法监督科"
    assert officers[col["整改时限"]].date() == gap_report.gaps[1].deadline
    assert officers[col["证据"]].splitlines()[0].startswith(FORMULA_ID + "（2020-03-02")


def test_header_is_frozen_wrapped_and_columns_are_sized(gap_report: Report) -> None:
    ws = _sheet(gap_report)
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == f"A1:O{ws.max_row}" and ws.max_row > 1 + len(GAP_RULES_IN_ORDER)
    assert ws.column_dimensions["C"].width >= 30 and ws.column_dimensions["A"].width <= 8
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
        assert f"J{row}" in dv.sqref
    assert "H2" not in dv.sqref


def test_record_text_that_looks_like_a_formula_is_written_as_text(gap_report: Report) -> None:
    data = render_xlsx(gap_report)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    ws = load_workbook(io.BytesIO(data))[SHEET_TITLE]
    [cell] = [c for c in ws["O"][1:] if str(c.value).startswith("=1+2")]
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
    assert load_workbook(out)[SHEET_TITLE].max_row == 1 + sum(g.item_count for g in make_report(gap_bureau, rules_dir).gaps)
