"""The rectification ledger (整改台账): one row per gap item, numbered as in the report.

Offices track rectification in this sheet, so it is built for use: frozen header, filter,
wrapped text, a drop-down on 整改状态. Text that came from records and begins with ``=``, ``+``,
``-`` or ``@`` is stored as a string with Excel's quote prefix: shown as typed, never evaluated.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from .formats import report_format
from .model import GapItem, Report
from .outline import gap_fields

__all__ = ["LEDGER_HEADERS", "SHEET_TITLE", "STATUSES", "render_xlsx"]

SHEET_TITLE = "整改台账"
LEDGER_HEADERS = ["序号", "问题", "依据", "责任科室", "整改措施", "整改时限", "整改状态", "证据"]
WIDTHS = [6, 40, 40, 12, 40, 13, 10, 50]
STATUSES = ["未整改", "整改中", "已整改"]
FORMULA_STARTS = ("=", "+", "-", "@")
FONT = "仿宋"


@report_format("xlsx", ".xlsx", "整改台账")
def render_xlsx(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, (title, width) in enumerate(zip(LEDGER_HEADERS, WIDTHS), start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font = Font(name="黑体", bold=True, size=11)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[cell.column_letter].width = width
    for row, item in enumerate(report.gaps, start=2):
        fields = dict(gap_fields(item))
        values: list[Any] = [
            item.number,
            item.problem + "\n" + "；".join(item.facts),
            fields["依据"],
            item.owner,
            item.remedy,
            item.deadline,
            STATUSES[0],
            _evidence(item),
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col)
            _put(cell, value)
            cell.font = Font(name=FONT, size=11)
            cell.alignment = wrap
            cell.border = border
            if col == 6:
                cell.number_format = "yyyy-mm-dd"
    last = max(ws.max_row, 2)
    status = DataValidation(
        type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False, showDropDown=False,
        showErrorMessage=True, errorTitle="整改状态", error="请从列表中选择：" + "、".join(STATUSES),
        promptTitle="整改状态", prompt="未整改 / 整改中 / 已整改", showInputMessage=True,
    )
    ws.add_data_validation(status)
    status.add(f"G2:G{max(last, 200)}")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:H{last}"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    wb.properties.title = f"{report.bureau}整改台账（截至{report.date_zh}）"
    wb.properties.creator = report.bureau
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _evidence(item: GapItem) -> str:
    """The records a gap rests on, one a line, as the office will look them up."""
    if not item.records:
        return "未见相关记录"
    lines = [str(r) for r in item.records]
    if item.records_total > len(item.records):
        lines.append(f"等，共 {item.records_total} 条")
    return "\n".join(lines)


def _put(cell: Cell, value: Any) -> None:
    """Write a value; text that a spreadsheet would read as a formula stays text."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True  # type: ignore[attr-defined]
