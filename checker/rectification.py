"""The rectification loop: the 整改台账 the office keeps between checks, read back and verified.

``report --format xlsx`` writes the sheet, one row per gap item (事项) with its fingerprint in the
column 编号. The office fills in 整改状态, 整改情况, 责任人 and 完成日期. The next ``check`` reads the
sheet back by fingerprint (``--rectification FILE``, or ``整改台账.xlsx`` in the records folder):

- a row marked 已整改 whose gap the records still show is **整改未见效**;
- a row marked 已整改 whose gap is gone is confirmed;
- a row whose 编号 was edited away, or names no item of this check, is reported row by row.

The next export keeps every row and what the office typed, refreshes what the check wrote,
marks rows no longer a gap with the date the check saw them resolved, and adds the new gaps:
one living ledger, not a new one each month.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from .errors import InputError, Problem
from .files import MAX_LEDGER_BYTES, read_input
from .findings import STATUS_ZH, Finding, Status
from .records.cells import CellError, is_blank, normalise_text, parse_date_cell

__all__ = [
    "GENERATED",
    "LEDGER_HEADERS",
    "OFFICE_COLUMNS",
    "RECTIFICATION_FILE",
    "SHEET_TITLE",
    "STATUSES",
    "OfficeEntry",
    "RectificationCheck",
    "RectificationSheet",
    "apply_rectification",
    "find_sheet",
    "read_sheet",
]

RECTIFICATION_FILE = "整改台账.xlsx"
"""The living ledger's fixed place in the records folder (the ledger loader passes over it)."""
SHEET_TITLE = "整改台账"
LEDGER_HEADERS = [
    "序号", "编号", "问题", "对象", "依据", "责任科室", "整改措施", "整改时限", "列入日期",
    "整改状态", "整改情况", "责任人", "完成日期", "核验结果", "证据",
]
OFFICE_COLUMNS = ("整改状态", "整改情况", "责任人", "完成日期")
"""What the office types; never overwritten by an export."""
GENERATED = tuple(h for h in LEDGER_HEADERS if h not in OFFICE_COLUMNS)
STATUSES = ["未整改", "整改中", "已整改"]
DONE = "已整改"
INEFFECTIVE = "整改未见效"


@dataclass
class OfficeEntry:
    """One row of the sheet as the office left it."""

    row: int
    fingerprint: str | None
    values: dict[str, Any]
    """Every column by header, as read (generated and office columns alike)."""
    status: str = ""
    done_on: dt.date | None = None

    def text(self, header: str) -> str:
        value = self.values.get(header)
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        return str(value).strip()


@dataclass
class RectificationSheet:
    file: str
    entries: list[OfficeEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Rows that cannot be matched or read: each named by row and column, none dropped."""

    def by_fingerprint(self) -> dict[str, OfficeEntry]:
        return {e.fingerprint: e for e in self.entries if e.fingerprint}


@dataclass
class RectificationCheck:
    """What the check found of the office's 已整改 marks."""

    file: str
    ineffective: list[tuple[OfficeEntry, Finding]] = field(default_factory=list)
    confirmed: list[tuple[OfficeEntry, str]] = field(default_factory=list)
    """Rows marked 已整改 whose item is no gap now, with its status now (or absent)."""
    problems: list[Problem] = field(default_factory=list)
    entries: list[OfficeEntry] = field(default_factory=list)

    def verdicts(self) -> dict[int, str]:
        """By row: ``ineffective``, ``confirmed``, ``open`` (not marked 已整改) or ``unmatched``."""
        out = {e.row: "open" if e.fingerprint else "unmatched" for e in self.entries}
        out.update({e.row: "ineffective" for e, _ in self.ineffective})
        out.update({e.row: "confirmed" for e, _ in self.confirmed})
        out.update({p.line: "unmatched" for p in self.problems if p.line and p.header == "编号"})
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "ineffective": [
                {"row": e.row, "fingerprint": f.fingerprint, "rule_id": f.rule_id, "key": f.key,
                 "done_on": e.done_on.isoformat() if e.done_on else None, "note": e.text("整改情况")}
                for e, f in self.ineffective
            ],
            "confirmed": [{"row": e.row, "fingerprint": e.fingerprint, "now": now} for e, now in self.confirmed],
            "problems": [{"row": p.line, "column": p.header, "message": p.message} for p in self.problems],
        }

    def lines(self) -> list[str]:
        out = [
            f"{INEFFECTIVE}：{f.rule_id} {f.key}（{self.file} 第 {e.row} 行标为已整改"
            + (f"，完成日期 {e.done_on}" if e.done_on else "") + "，检查仍发现问题）"
            for e, f in self.ineffective
        ]
        out += [f"整改台账 第 {p.line} 行：{p.message}" for p in self.problems]
        return out


def find_sheet(records: Path, given: Path | None) -> Path | None:
    """``--rectification FILE`` if given (it must exist), else the records folder's 整改台账.xlsx if there."""
    if given is not None:
        if not given.is_file():
            raise InputError([Problem(str(given), "整改台账文件不存在或不是普通文件")])
        return given
    default = records / RECTIFICATION_FILE
    return default if default.is_file() else None


def read_sheet(path: Path) -> RectificationSheet:
    """The sheet ``report --format xlsx`` wrote, as the office filled it in."""
    name = str(path)
    data = read_input(path, max_bytes=MAX_LEDGER_BYTES, what="整改台账")
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise InputError([Problem(name, f"整改台账无法打开（应为 report --format xlsx 生成的 .xlsx）：{type(exc).__name__}")]) from None
    ws = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        raise InputError([Problem(name, "整改台账为空，缺少表头", sheet=ws.title)])
    headers = [normalise_text(str(h), header=True) if h is not None else "" for h in rows[0]]
    missing = [h for h in ("编号", "整改状态") if h not in headers]
    if missing:
        raise InputError([Problem(name, f"整改台账缺少列：{'、'.join(missing)}（应为 report --format xlsx 生成的表）",
                                  line=1, sheet=ws.title)])
    sheet = RectificationSheet(name)
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if all(is_blank(c) for c in cells):
            continue
        values = {h: c for h, c in zip(headers, cells) if h}
        fp = values.get("编号")
        fingerprint = normalise_text(str(fp)) if not is_blank(fp) else None
        entry = OfficeEntry(number, fingerprint, values)
        status = "" if is_blank(values.get("整改状态")) else normalise_text(str(values["整改状态"]))
        if status and status not in STATUSES:
            sheet.problems.append(Problem(name, f"整改状态“{status}”不是{'、'.join(STATUSES)}之一，按未填写处理",
                                          line=number, sheet=ws.title, header="整改状态", level="warning"))
            status = ""
        entry.status = status
        if not is_blank(values.get("完成日期")):
            try:
                entry.done_on = parse_date_cell(values["完成日期"])
            except CellError as exc:
                sheet.problems.append(Problem(name, f"完成日期无法识别：{exc}", line=number, sheet=ws.title,
                                              header="完成日期", level="warning"))
        if fingerprint is None:
            sheet.problems.append(Problem(name, "编号为空，无法与检查结论对应（请恢复该行编号；本行保留）",
                                          line=number, sheet=ws.title, header="编号", level="warning"))
        elif fingerprint in seen:
            sheet.problems.append(Problem(name, f"编号 {fingerprint} 与第 {seen[fingerprint]} 行重复，以第 {seen[fingerprint]} 行为准",
                                          line=number, sheet=ws.title, header="编号", level="warning"))
            entry.fingerprint = None
        else:
            seen[fingerprint] = number
        sheet.entries.append(entry)
    return sheet


def apply_rectification(findings: list[Finding], sheet: RectificationSheet) -> tuple[list[Finding], RectificationCheck]:
    """Verify the office's 已整改 marks against this check: a mark on a gap still there is 整改未见效,
    said in the finding's message (so the table, the JSON and the report all carry it)."""
    check = RectificationCheck(sheet.file, problems=list(sheet.problems), entries=sheet.entries)
    now = {f.fingerprint: i for i, f in enumerate(findings)}
    out = list(findings)
    for entry in sheet.entries:
        if entry.fingerprint is None:
            continue
        i = now.get(entry.fingerprint)
        if i is None and entry.status == DONE:
            check.confirmed.append((entry, "absent"))
            continue
        if i is None:
            check.problems.append(Problem(sheet.file, f"编号 {entry.fingerprint} 不对应本次检查的任何事项（本行保留）",
                                          line=entry.row, header="编号", level="warning"))
            continue
        f = out[i]
        if entry.status != DONE:
            continue
        if f.status is Status.gap:
            done = f"，完成日期 {entry.done_on}" if entry.done_on else ""
            out[i] = f.model_copy(update={
                "message": f"{INEFFECTIVE}（整改台账第 {entry.row} 行标为已整改{done}）：{f.message}",
                "details": {**f.details, "rectification": INEFFECTIVE, "rectification_row": entry.row},
            })
            check.ineffective.append((entry, out[i]))
        else:
            check.confirmed.append((entry, f.status.value))
    return out, check


def status_words(status: str) -> str:
    return "不再出现" if status == "absent" else STATUS_ZH[Status(status)]
