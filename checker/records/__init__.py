"""A bureau's records: the profile and the ledgers, loaded and validated from a folder."""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, Problem
from ..files import MAX_PROFILE_BYTES
from ..validation import problems_from, suggest
from ..yamlsrc import Located, load_yaml
from .base import LEDGERS, Record, StrictModel, ledger, references
from .profile import Profile, StaffMember

# Every module of this package but base and profile declares ledgers: importing it registers them.
for _module in pkgutil.iter_modules(__path__):
    if _module.name not in ("base", "profile") and not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = [
    "LEDGERS",
    "Bureau",
    "Profile",
    "Record",
    "StaffMember",
    "StrictModel",
    "ledger",
    "load_bureau",
    "parse_ledger",
    "validate_rows",
]

LEDGER_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx")


@dataclass
class Bureau:
    """One bureau's profile and every record of its ledgers, by record type."""

    profile: Profile
    records: dict[str, list[Record]] = field(default_factory=dict)
    source: str = ""
    ledger_files: dict[str, str] = field(default_factory=dict)

    def all_records(self) -> Iterable[Record]:
        for items in self.records.values():
            yield from items


def load_bureau(folder: Path) -> Bureau:
    """Load and validate a bureau folder; every problem in every file is reported together."""
    if not folder.is_dir():
        raise InputError([Problem(str(folder), "不是台账目录")])
    problems: list[Problem] = []
    profile_path = next((folder / n for n in ("profile.yaml", "profile.yml") if (folder / n).exists()), None)
    profile: Profile | None = None
    if profile_path is None:
        problems.append(Problem(str(folder / "profile.yaml"), "缺少单位概况文件 profile.yaml"))
    else:
        try:
            doc = load_yaml(profile_path, max_bytes=MAX_PROFILE_BYTES, what="单位概况文件")
            profile = Profile.model_validate(doc)
        except InputError as exc:
            problems.extend(exc.problems)
        except ValidationError as exc:
            problems.extend(problems_from(exc, str(profile_path), doc, Profile))
    records: dict[str, list[Record]] = {}
    files: dict[str, str] = {}
    broken: set[str] = set()
    for path in sorted(folder.iterdir()):
        if path == profile_path or path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix.lower() not in LEDGER_SUFFIXES:
            continue
        try:
            name, items = parse_ledger(path)
        except InputError as exc:
            problems.extend(exc.problems)
            broken.add(path.stem)
            continue
        if name in records:
            problems.append(Problem(str(path), f"台账 {name} 已由 {files[name]} 提供，不能重复"))
            continue
        records[name] = items
        files[name] = str(path)
    if profile is not None:
        problems.extend(_check_references(files, profile, records, broken))
    if problems:
        raise InputError(problems)
    assert profile is not None
    return Bureau(profile, records, str(folder), files)


def parse_ledger(path: Path) -> tuple[str, list[Record]]:
    """One ledger file: its ledger name (the file name) and its validated records."""
    name = path.stem
    model = LEDGERS.get(name)
    if model is None:
        hint = suggest(name, LEDGERS)
        raise InputError([Problem(str(path), f"未知的台账类型 {name}" + ("" if hint else f"；已知台账：{', '.join(sorted(LEDGERS))}"),
                                  code="unknown-ledger", suggestion=f"{hint}{path.suffix}" if hint else None)])
    if path.suffix.lower() == ".csv":
        rows = _read_csv(path, model)
    elif path.suffix.lower() == ".xlsx":
        rows = _read_xlsx(path, model)
    else:
        doc = load_yaml(path)
        if doc is None:
            doc = []
        if not isinstance(doc, list):
            raise InputError([Problem(str(path), "台账文件应为记录列表（每条以 - 开头）", getattr(doc, "line", 1))])
        rows = [(getattr(item, "line", None), item) for item in doc]
    items, problems = validate_rows(str(path), model, rows)
    if problems:
        raise InputError(problems)
    return name, items


def validate_rows(
    source: str, model: type[Record], rows: list[tuple[int | None, Any]], loc_prefix: tuple[Any, ...] = ()
) -> tuple[list[Record], list[Problem]]:
    """Validate a ledger's rows (line or row number, raw mapping): the records, and every problem, ids repeated included.

    Ledger files and rule examples both go through here, so both get the same checks.
    """
    problems: list[Problem] = []
    items: list[Record] = []
    seen: dict[str, int | None] = {}
    for line, raw in rows:
        if not isinstance(raw, dict):
            problems.append(Problem(source, "每条记录应为映射（字段: 值）", line))
            continue
        rid = str(raw.get("id", "")) or None
        try:
            record = model.model_validate(raw)
        except ValidationError as exc:
            doc_for_pos = raw if isinstance(raw, Located) else None
            for p in problems_from(exc, source, doc_for_pos, model, rid, loc_prefix):
                problems.append(p if p.line is not None else replace(p, line=line, column=None))
            continue
        if record.id in seen:
            first = seen[record.id]
            problems.append(
                Problem(source, f"编号重复（首次出现于第 {first} 行）" if first else "编号重复", line, None, record.id, "id")
            )
            continue
        seen[record.id] = line
        items.append(record)
    return items, problems


def _read_csv(path: Path, model: type[Record]) -> list[tuple[int | None, dict[str, Any]]]:
    """Rows of a CSV ledger as clerks keep them: UTF-8 or GBK."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError([Problem(str(path), "无法识别的文字编码（应为 UTF-8 或 GBK）")])
    return _table_rows(path, model, list(csv.reader(io.StringIO(text))))


def _read_xlsx(path: Path, model: type[Record]) -> list[tuple[int | None, dict[str, Any]]]:
    """Rows of the first sheet of an Excel ledger; date cells arrive as dates, numbers as numbers."""
    from openpyxl import load_workbook  # noqa: PLC0415 - only ledgers kept in Excel need it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise InputError([Problem(str(path), f"无法打开 Excel 文件：{exc}")]) from None
    try:
        sheet = book.worksheets[0]
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _table_rows(path, model, table)


def _table_rows(path: Path, model: type[Record], table: list[list[Any]]) -> list[tuple[int | None, dict[str, Any]]]:
    """Rows of a spreadsheet-like ledger: headers as field names or their Chinese titles, row numbers kept."""
    if not table:
        return []
    by_title = {(f.title or n): n for n, f in model.model_fields.items()}
    list_fields = {n for n, f in model.model_fields.items() if "list" in str(f.annotation)}
    text_fields = {n for n, f in model.model_fields.items() if f.annotation in (str, str | None)}
    names: list[str] = []
    problems: list[Problem] = []
    for col, title in enumerate(table[0], start=1):
        title = "" if title is None else str(title).strip()
        name = title if title in model.model_fields else by_title.get(title)
        if name is None:
            hint = suggest(title, list(model.model_fields) + list(by_title))
            problems.append(Problem(str(path), f"未知的列 {title!r}", 1, col, code="unknown-column", suggestion=hint))
            name = title
        names.append(name)
    if problems:
        raise InputError(problems)
    rows: list[tuple[int | None, dict[str, Any]]] = []
    for number, cells in enumerate(table[1:], start=2):
        raw: dict[str, Any] = {}
        for name, cell in zip(names, cells):
            if isinstance(cell, str):
                cell = cell.strip()
            if cell is None or cell == "":
                continue
            if name in list_fields:
                raw[name] = [p.strip() for p in str(cell).replace("，", ",").replace("、", ",").split(",") if p.strip()]
            elif name in text_fields and isinstance(cell, (int, float)) and not isinstance(cell, bool):
                # Excel turns a number-like id (1001) into a number; the ledger means the text.
                raw[name] = str(int(cell)) if float(cell).is_integer() else str(cell)
            else:
                raw[name] = cell
        if raw:
            rows.append((number, raw))
    return rows


def _check_references(
    files: dict[str, str], profile: Profile, records: dict[str, list[Record]], broken: set[str]
) -> list[Problem]:
    """A record that names another (a remittance's fine, an action's officers) must name one that exists.

    References into a ledger that failed to load are not checked: its errors are already reported.
    """
    ids = {name: {r.id for r in items} for name, items in records.items()}
    ids["staff"] = profile.staff_ids()
    problems: list[Problem] = []
    for name, items in records.items():
        for field_name, target in references(LEDGERS[name]).items():
            if target in broken:
                continue
            known = ids.get(target, set())
            for record in items:
                value = getattr(record, field_name)
                for ref in value if isinstance(value, list) else [value]:
                    if ref is not None and ref not in known:
                        problems.append(
                            Problem(files[name], f"引用了不存在的 {target} 编号 {ref!r}", None, None, record.id, field_name)
                        )
    return problems
