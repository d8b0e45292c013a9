"""The rectification ledger (整改台账): one row per gap item (事项), numbered as in the report.

Offices track rectification in this sheet, so it is built for use: frozen header, filter,
wrapped text, a drop-down on 整改状态. It is also read back (checker.rectification): 编号 is each
item's fingerprint, and the columns the office types (整改状态, 整改情况, 责任人, 完成日期) are kept by
every later export, which refreshes only what the check writes. Text that came from records and
begins with ``=``, ``+``, ``-`` or ``@`` is stored as a string with Excel's quote prefix: shown
as typed, never evaluated.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..findings import Finding
from ..rectification import DONE, GENERATED, INEFFECTIVE, LEDGER_HEADERS, SHEET_TITLE, STATUSES, status_words
from .formats import report_format
from .model import EvidenceRecord, GapItem, Report
from .outline import gap_fields

__all__ = ["LEDGER_HEADERS", "SHEET_TITLE", "STATUSES", "ledger_rows", "render_xlsx"]

WIDTHS = {"序号": 6, "编号": 14, "问题": 40, "对象": 14, "依据": 36, "责任科室": 12, "整改措施": 36, "整改时限": 13,
          "列入日期": 12, "整改状态": 10, "整改情况": 30, "责任人": 10, "完成日期": 12, "核验结果": 24, "证据": 44}
DATE_COLUMNS = ("整改时限", "列入日期", "完成日期")
FORMULA_STARTS = ("=", "+", "-", "@")
FONT = "仿宋"


def _generated(report: Report, item: GapItem, number: Any, finding: Finding, records: list[EvidenceRecord]) -> dict[str, Any]:
    fields = dict(gap_fields(item))
    return {
        "序号": number,
        "编号": finding.fingerprint,
        "问题": item.problem + ("\n" + finding.message if finding.message else ""),
        "对象": finding.key if finding.key != "-" else "",
        "依据": fields["依据"],
        "责任科室": item.owner,
        "整改措施": item.remedy,
        "整改时限": item.deadline,
        "列入日期": report.as_of,
        "核验结果": "",
        "证据": "\n".join(str(r) for r in records) or "未见相关记录",
    }


def ledger_rows(report: Report) -> list[dict[str, Any]]:
    """The sheet's rows: the previous sheet's rows first, in its order, each with what the office
    typed kept; then the gaps new to the sheet."""
    current: dict[str, dict[str, Any]] = {}
    for item in report.gaps:
        for k, (finding, records) in enumerate(item.subjects, start=1):
            number: Any = item.number if len(item.subjects) == 1 else f"{item.number}.{k}"
            current[finding.fingerprint] = _generated(report, item, number, finding, records)
    rows: list[dict[str, Any]] = []
    placed: set[str] = set()
    previous = report.rectification_sheet
    for entry in previous.entries if previous else []:
        row = dict(entry.values)
        fp = entry.fingerprint
        if fp is not None and fp in current:
            placed.add(fp)
            fresh = current[fp]
            row.update({h: fresh[h] for h in GENERATED if h not in ("序号", "列入日期")})
            row["序号"] = entry.values.get("序号") or fresh["序号"]
            row["列入日期"] = entry.values.get("列入日期") or fresh["列入日期"]
            row["核验结果"] = f"{INEFFECTIVE}（{report.as_of} 核验仍存在问题）" if entry.status == DONE else ""
        elif fp is None:
            row["核验结果"] = "无法对应：编号缺失，请恢复编号"
        elif not entry.text("核验结果").startswith("已于"):
            row["核验结果"] = f"已于 {report.as_of} 核验不再存在问题（现{status_words(report.statuses.get(fp, 'absent'))}）"
        rows.append(row)
    # Rows new to a living ledger are numbered on from its last row, so that 序号 stays unique.
    numbers = [_number(r.get("序号")) for r in rows]
    following = max((n for n in numbers if n is not None), default=0)
    for fp, fresh in current.items():
        if fp not in placed:
            if previous is not None:
                following += 1
                fresh = fresh | {"序号": following}
            rows.append(fresh | {"整改状态": STATUSES[0]})
    return rows


def _number(value: Any) -> int | None:
    """The whole part of a 序号 (3, "3", "3.2"); None for anything else a clerk typed."""
    text = str(value).strip() if value is not None else ""
    head = text.split(".")[0]
    return int(head) if head.isdigit() else None


@report_format("xlsx", ".xlsx", "整改台账")
def render_xlsx(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, title in enumerate(LEDGER_HEADERS, start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font = Font(name="黑体", bold=True, size=11)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[cell.column_letter].width = WIDTHS[title]
    for row, values in enumerate(ledger_rows(report), start=2):
        for col, header in enumerate(LEDGER_HEADERS, start=1):
            cell = ws.cell(row=row, column=col)
            _put(cell, values.get(header))
            cell.font = Font(name=FONT, size=11)
            cell.alignment = wrap
            cell.border = border
            if header in DATE_COLUMNS:
                cell.number_format = "yyyy-mm-dd"
    last = max(ws.max_row, 2)
    status_col = get_column_letter(LEDGER_HEADERS.index("整改状态") + 1)
    status = DataValidation(
        type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False, showDropDown=False,
        showErrorMessage=True, errorTitle="整改状态", error="请从列表中选择：" + "、".join(STATUSES),
        promptTitle="整改状态", prompt="未整改 / 整改中 / 已整改", showInputMessage=True,
    )
    ws.add_data_validation(status)
    status.add(f"{status_col}2:{status_col}{max(last, 200)}")
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(LEDGER_HEADERS))}{last}"
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


def _put(cell: Cell, value: Any) -> None:
    """Write a value; text that a spreadsheet would read as a formula stays text."""
    if isinstance(value, dt.datetime):
        value = value.date()
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True  # type: ignore[attr-defined]
