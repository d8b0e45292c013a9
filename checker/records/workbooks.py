"""Excel workbooks for clerks: a blank template per ledger, and a bureau's ledgers written the way
clerks keep them (for a bureau moving from YAML to Excel, and for the round-trip test).

Both are read back by ``checker.records.loading`` exactly as any clerk's workbook is.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from ..files import write_atomic
from ..text import cleaned
from .base import LEDGERS, Record
from .columns import Form, _unwrap, form_of
from .headers import shipped_aliases
from .loading import Bureau

__all__ = ["export_clerk_style", "template_bytes", "write_templates"]

_EXAMPLE: dict[Form, Any] = {
    Form.date: dt.date(2020, 5, 6),
    Form.amount: 15000,
    Form.yes_no: "是",
    Form.whole: 1,
    Form.number: 2,
    Form.staff: "P01",
    Form.ids: "P01、P02",
    Form.phrases: "统计法、民法典",
    Form.text: "（示例）",
}
_FORM_ZH: dict[Form, str] = {
    Form.date: "日期：2020-05-06、2020/5/6、2020年5月6日 或 Excel 日期均可",
    Form.amount: "金额（元）：可写 15000、15,000.00、1.5万元；表头写“金额（万元）”时按万元计",
    Form.yes_no: "是或否（也可写 有/无、√/×、Y/N）",
    Form.whole: "整数",
    Form.number: "数字",
    Form.staff: "人员编号或姓名（须是单位概况 profile.yaml 中登记的人员）",
    Form.ids: "多个编号或姓名，用顿号、逗号、分号或斜杠分隔",
    Form.phrases: "多项，用顿号、逗号或分号分隔",
    Form.text: "文字",
    Form.choice: "从下拉列表中选择",
    Form.other: "文字",
}


def _choices(info: FieldInfo) -> list[str]:
    annotation, _ = _unwrap(info.annotation)
    return [str(a) for a in get_args(annotation)] if get_origin(annotation) is Literal else []


def _column_note(name: str, info: FieldInfo) -> str:
    form = form_of(info)
    lines = [f"字段：{name}", "必填" if info.is_required() else "可不填", _FORM_ZH[form.form]]
    if info.description:
        lines.append(info.description)
    if choices := _choices(info):
        lines.append("可选：" + "、".join(choices))
    return "\n".join(lines)


def _validation(sheet: Worksheet, column: int, info: FieldInfo) -> None:
    letter = get_column_letter(column)
    area = f"{letter}3:{letter}2000"
    form = form_of(info).form
    rule: DataValidation | None = None
    if form is Form.date:
        rule = DataValidation(type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2100,12,31)")
        rule.error, rule.prompt = "请填写日期，如 2020-05-06", "日期"
    elif form is Form.yes_no:
        rule = DataValidation(type="list", formula1='"是,否"')
    elif form is Form.choice:
        rule = DataValidation(type="list", formula1='"' + ",".join(_choices(info)) + '"')
    elif form is Form.amount:
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
        rule.error = "请填写金额（数字），如 15000"
    elif form is Form.number:
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    elif form is Form.whole:
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    if rule is None:
        return
    rule.allow_blank = not info.is_required()
    rule.showErrorMessage = True
    sheet.add_data_validation(rule)
    rule.add(area)


def template_bytes(model: type[Record], example: Record | None = None, *, required: bool = True) -> bytes:
    """One ledger's blank template: its sheet (title row, Chinese headers with notes, an example row,
    data validation) and a 说明 sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = model.label
    fields = list(model.model_fields.items())
    sheet.append([f"{model.label}（第 3 行是示例，检查时跳过；表头不要改动）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(fields) + 1)
    sheet.append(["序号"] + [info.title or name for name, info in fields])
    sheet.cell(row=2, column=1).font = Font(bold=True)
    for column, (name, info) in enumerate(fields, start=2):
        cell = sheet.cell(row=2, column=column)
        cell.font = Font(bold=True)
        cell.comment = Comment(_column_note(name, info), "合规检查")
        sheet.column_dimensions[get_column_letter(column)].width = max(12, 2 * len(info.title or name) + 4)
        _validation(sheet, column, info)
    row = ["示例", *_example_row(model, example)]
    sheet.append(row)
    for column, value in enumerate(row, start=1):
        if isinstance(value, dt.date):
            sheet.cell(row=3, column=column).number_format = "yyyy-mm-dd"
    notes = book.create_sheet("说明")
    for line in _notes(model, required):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    for cells in notes.iter_rows():
        for c in cells:
            c.alignment = Alignment(wrap_text=True)
    return _saved(book)


def _example_row(model: type[Record], example: Record | None) -> list[Any]:
    if example is not None:
        return [_cell_of(getattr(example, name), info) for name, info in model.model_fields.items()]
    row: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        form = form_of(info).form
        row[name] = _choices(info)[0] if form is Form.choice else _EXAMPLE.get(form, "")
    row["id"] = f"{model.ledger[:2].upper()}-001"
    # Text with a form of its own (a period label such as 2020Q3) refuses "（示例）": try period labels.
    for candidate in ("2020", "2020Q1", "2020H1", "2020-01"):
        try:
            model.model_validate({k: v for k, v in row.items() if v != ""})
            break
        except ValidationError as exc:
            for err in exc.errors():
                if err["loc"] and form_of(model.model_fields[str(err["loc"][0])]).form is Form.text:
                    row[str(err["loc"][0])] = candidate
    return list(row.values())


def _notes(model: type[Record], required: bool) -> list[str]:
    must = "本单位的检查规则要用到这本台账，必须提交。" if required else "现行规则不读这本台账，可不提交。"
    return [
        f"{model.label}（文件名 {model.ledger}.xlsx，或 {model.label}.xlsx）",
        must,
        "本期确实没有记录的：提交只有表头的空台账，或在单位概况 profile.yaml 的 no_records 中写上台账名"
        f"（如 no_records: [{model.ledger}]）。既未提交也未声明的台账，相关义务一律“无法判断”，不会当作合规。",
        "第 1 行标题、序号列、备注列、第 3 行的示例（序号写“示例”的行）和最后的合计行可以保留，检查时自动跳过。",
        "每行一条记录；编号在本台账内不能重复。把鼠标移到表头上可以看到每列的填写说明。",
        "无法识别的单元格会在检查结果中逐一列出（工作表、行、列、表头），该记录涉及的结论为“无法判断”。",
    ]


def write_templates(folder: Path, required: Iterable[str], examples: Bureau | None = None) -> list[Path]:
    """One template per ledger into ``folder`` (created if absent); each file written atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    needed = set(required)
    written = []
    for name, model in sorted(LEDGERS.items()):
        found = examples.records.get(name, []) if examples is not None else []
        sample = found[0] if found else None
        path = folder / f"{name}.xlsx"
        write_atomic(path, template_bytes(model, sample, required=name in needed))
        written.append(path)
    return written


# --- a bureau's ledgers as clerks keep them ----------------------------------------------------


def _cell_of(value: Any, info: FieldInfo, *, staff_names: dict[str, str] | None = None, serial: bool = False) -> Any:
    form = form_of(info).form
    if value is None:
        return None
    if form is Form.date and isinstance(value, dt.date):
        return (value - dt.date(1899, 12, 30)).days if serial else value
    if form is Form.amount and isinstance(value, Decimal):
        return f"{value:,.2f}元"
    if form is Form.yes_no:
        return "是" if value else "否"
    if form in (Form.ids, Form.phrases) and isinstance(value, list):
        return "、".join(str(staff_names.get(v, v)) if staff_names else str(v) for v in value)
    if form is Form.staff and staff_names:
        return staff_names.get(value, value)
    return value


def export_clerk_style(bureau: Bureau, folder: Path) -> list[Path]:
    """Every ledger of ``bureau`` as a clerk-style ``.xlsx``: a title row, 序号, Chinese headers (some
    written as their aliases), dates alternately as date cells and as Excel serial numbers, amounts
    as text with 元, staff by name, and a 合计 row under ledgers with an amount."""
    folder.mkdir(parents=True, exist_ok=True)
    aliases = shipped_aliases()
    names = {s.id: s.name for s in bureau.profile.staff}
    unique = {i: n for i, n in names.items() if list(names.values()).count(n) == 1}
    written = []
    for ledger, items in sorted(bureau.records.items()):
        model = LEDGERS[ledger]
        fields = list(model.model_fields.items())
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = model.label
        # Cells hold the clerk's text, which may hold characters XML forbids (openpyxl would raise).
        sheet.append(cleaned([f"{bureau.profile.name}{model.label}"]))
        headers = ["序号"] + [(aliases.of(ledger, n) or (info.title or n,))[0] for n, info in fields]
        sheet.append(headers)
        amount_fields = [i for i, (_, info) in enumerate(fields) if form_of(info).form is Form.amount]
        for number, record in enumerate(items, start=1):
            row = [number]
            for position, (name, info) in enumerate(fields):
                row.append(_cell_of(getattr(record, name), info, staff_names=unique, serial=(number + position) % 2 == 0))
            sheet.append(cleaned(row))
        if amount_fields and items:
            total: list[Any] = ["合计"] + [None] * len(fields)
            for i in amount_fields:
                total[i + 1] = float(sum((getattr(r, fields[i][0]) or Decimal(0)) for r in items))
            sheet.append(total)
        path = folder / f"{model.label}.xlsx"
        write_atomic(path, _saved(book))
        written.append(path)
    return written


def _saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
