"""Reading a bureau's folder: its profile and every ledger file, as clerks keep them.

One path for every ledger, whatever its format: a YAML list of records, a CSV (UTF-8, GBK,
GB18030, with or without BOM, comma, tab or semicolon separated), or an Excel workbook (.xlsx or
.xls; the sheet named after the ledger, or the only sheet with data). Tables have their header
row found below any title rows, headers matched by name, Chinese title or alias
(``header_aliases.yaml``, and the bureau's own ``表头对照.yaml``), 合计 and blank rows skipped and
reported, and every cell read by the parser its field needs (``columns.parse_cell``).

What is wrong is sorted in two:

* **structural problems** stop the run (``InputError``, exit 2): the profile, a file that cannot
  be opened or named as a ledger, a header that names no field, a required column missing, a
  ledger given twice, an id repeated;
* **unreadable records** do not: a row with a cell that cannot be read is kept as an
  ``UnreadRecord`` (where it is, what could be read of it, and why not), every other record is
  judged, and the findings that rest on the unread one are ``unknown`` (see
  ``checker.completeness``). Records read plus records unread equal the data rows of the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, Problem
from ..files import MAX_LEDGER_BYTES, MAX_PROFILE_BYTES, read_input
from ..validation import problems_from, suggest
from ..yamlsrc import Located, load_yaml
from .base import LEDGERS, Record, references
from .cells import CellError, LayoutError, decode_text, is_blank, normalise_text, sniff_delimiter
from .columns import parse_cell
from .headers import (
    LEDGER_SUFFIXES,
    HeaderMatch,
    find_header_row,
    header_key,
    is_blank_row,
    is_example_row,
    is_total_row,
    ledger_of_filename,
    match_header,
    repeated_fields,
    suggest_header,
)
from .profile import Profile

__all__ = [
    "HEADER_MAP_FILES",
    "NOT_LEDGERS",
    "Bureau",
    "LedgerAccount",
    "UnreadRecord",
    "check_as_of",
    "load_bureau",
    "read_ledger",
    "read_rows",
]

HEADER_MAP_FILES = ("表头对照.yaml", "表头对照.yml", "header_map.yaml")
"""The bureau's own header names, ``表头: 字段`` (or ``台账.字段``; empty to ignore the column)."""

NOT_LEDGERS = ("profile.yaml", "profile.yml", *HEADER_MAP_FILES, "waivers.yaml", "豁免.yaml", "report.yaml", "整改台账.xlsx")
"""Files of a bureau folder that are not ledgers (README files and dot-files are also passed over)."""


@dataclass(frozen=True)
class UnreadRecord:
    """A data row that could not be read whole: where it is, what of it could be read, and why not.

    ``rid`` and ``day`` are its id and date when those cells were readable; ``refs`` the ids it
    names in other ledgers (a remittance's fine), so that only the findings it could bear on are
    made ``unknown``.
    """

    ledger: str
    file: str
    line: int | None
    rid: str | None
    day: dt.date | None
    refs: Mapping[str, tuple[str, ...]]
    problems: tuple[Problem, ...]

    def describe(self) -> str:
        """One line for a finding's message: 罚没款台账 第 5 行（F-2）：金额无法识别 …"""
        where = f"{LEDGERS[self.ledger].label} " + (f"第 {self.line} 行" if self.line else "")
        who = f"（{self.rid}）" if self.rid else ""
        if not self.problems:
            return where + who
        first = self.problems[0]
        name = (first.field or "").rsplit(".", 1)[-1]
        info = LEDGERS[self.ledger].model_fields.get(name)
        column = first.header or (info.title if info is not None and info.title else name)
        more = f"等 {len(self.problems)} 处" if len(self.problems) > 1 else ""
        return f"{where}{who}" + (f"「{column}」" if column else "") + f"：{first.text}{more}"

    def to_json(self) -> dict[str, Any]:
        return {
            "ledger": self.ledger,
            "file": self.file,
            "row": self.line,
            "record": self.rid,
            "problems": [_problem_json(p) for p in self.problems],
        }


def _problem_json(p: Problem) -> dict[str, Any]:
    from ..errors import column_letter  # noqa: PLC0415 - kept beside its one use

    return {
        "file": p.file,
        "sheet": p.sheet,
        "row": p.line,
        "column": column_letter(p.column) if p.column and (p.header is not None or p.sheet) else p.column,
        "header": p.header,
        "record": p.record,
        "field": p.field,
        "message": p.text,
    }


@dataclass
class LedgerAccount:
    """How one ledger file was read: its data rows, how many became records, which were skipped."""

    ledger: str
    file: str
    sheet: str | None = None
    encoding: str | None = None
    rows: int = 0
    read: int = 0
    unread: int = 0
    skipped: list[Problem] = field(default_factory=list)
    """Rows passed over (合计, blank), one warning each: not data, so not counted in ``rows``."""

    def to_json(self) -> dict[str, Any]:
        return {
            "ledger": self.ledger,
            "file": self.file,
            "sheet": self.sheet,
            "rows": self.rows,
            "read": self.read,
            "unread": self.unread,
            "skipped": [_problem_json(p) for p in self.skipped],
        }


@dataclass
class Bureau:
    """One bureau's profile and every record of its ledgers, by record type, and what could not be read.

    ``provided`` is the ledgers handed in (a file, even an empty one, or declared in the profile's
    ``no_records``); None means every ledger, for complete worlds such as a rule's examples.
    """

    profile: Profile
    records: dict[str, list[Record]] = field(default_factory=dict)
    source: str = ""
    ledger_files: dict[str, str] = field(default_factory=dict)
    provided: frozenset[str] | None = None
    unread: list[UnreadRecord] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    accounts: list[LedgerAccount] = field(default_factory=list)
    profile_file: str = ""
    """The profile's path, for messages about it ("" for bureaus built in memory)."""

    def all_records(self) -> Iterable[Record]:
        for items in self.records.values():
            yield from items

    def has(self, ledger: str) -> bool:
        """Was this ledger handed in (or declared as having no records)?"""
        return self.provided is None or ledger in self.provided

    def missing(self, ledgers: Iterable[str]) -> list[str]:
        """Of these ledgers, those not handed in, in the order given."""
        return [name for name in dict.fromkeys(ledgers) if not self.has(name)]

    def unread_in(self, ledger: str) -> list[UnreadRecord]:
        return [u for u in self.unread if u.ledger == ledger]


# --- the folder --------------------------------------------------------------------------------


def load_bureau(folder: Path) -> Bureau:
    """Load a bureau folder; every structural problem in every file is reported together."""
    if not folder.is_dir():
        raise InputError([Problem(str(folder), "不是台账目录")])
    problems: list[Problem] = []
    warnings: list[Problem] = []
    profile_path = next((folder / n for n in ("profile.yaml", "profile.yml") if (folder / n).is_file()), None)
    profile = _load_profile(folder, profile_path, problems)
    header_map = _load_header_map(folder, problems)
    staff = [(s.id, s.name) for s in profile.staff] if profile else None
    labels = {name: model.label for name, model in LEDGERS.items()}
    records: dict[str, list[Record]] = {}
    files: dict[str, str] = {}
    unread: list[UnreadRecord] = []
    accounts: list[LedgerAccount] = []
    failed: set[str] = set()
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name in NOT_LEDGERS or path.name.lower().startswith("readme"):
            continue
        named = ledger_of_filename(path.name, labels)
        if path.is_dir():
            _look_into_subfolder(path, named.ledger, labels, problems, warnings)
            continue
        if named.ledger is None:
            stem_ledger = ledger_of_filename(path.stem + ".csv", labels).ledger
            if path.suffix.lower() in LEDGER_SUFFIXES or stem_ledger is not None:
                problems.append(Problem(str(path), _not_a_ledger(path, stem_ledger, named.note), code="unknown-ledger"))
            else:
                warnings.append(Problem(str(path), f"未读取：{named.note}", code="not-a-ledger", level="warning"))
            continue
        if named.note:
            warnings.append(Problem(str(path), named.note, code="ledger-file-name", level="warning"))
        if named.ledger in files:
            problems.append(
                Problem(str(path), f"台账 {named.ledger}（{labels[named.ledger]}）已由 {Path(files[named.ledger]).name} 提供，不能重复", code="duplicate-ledger")
            )
            continue
        files[named.ledger] = str(path)
        try:
            got = read_ledger(path, named.ledger, staff=staff, header_map=header_map)
        except InputError as exc:
            problems.extend(exc.problems)
            failed.add(named.ledger)
            continue
        records[named.ledger] = got.records
        unread.extend(got.unread)
        accounts.append(got.account)
        warnings.extend(got.account.skipped)
    declared = set(profile.no_records) if profile else set()
    for name in sorted(declared):
        if name not in LEDGERS:
            problems.append(Problem(str(profile_path), f"no_records 中的 {name} 不是已知台账", code="unknown-ledger", field="no_records", suggestion=suggest(name, LEDGERS)))
        elif name in files:
            problems.append(Problem(str(profile_path), f"no_records 声明本期无 {name}（{labels[name]}），但目录中有 {Path(files[name]).name}", field="no_records"))
    if profile is not None:
        _resolve_references(records, unread, files, profile, failed, warnings)
    if not problems and not files:
        # A folder holding only its profile judges nothing: every finding would be unknown (or
        # rest on no_records alone), which must not look like a check that was made. Say so once.
        problems.append(Problem(
            str(folder),
            f"没有任何台账：目录中只有单位概况 {Path(str(profile_path)).name}，没有可检查的台账文件"
            f"（应为 {'、'.join(LEDGER_SUFFIXES)} 文件，如 fine.yaml；no_records 只声明个别台账本期无记录）",
            code="no-ledgers",
        ))
    if problems:
        raise InputError(problems)
    assert profile is not None
    provided = frozenset(files) | frozenset(declared & set(LEDGERS))
    return Bureau(profile, records, str(folder), files, provided, unread, warnings, accounts, str(profile_path))


def check_as_of(bureau: Bureau, as_of: dt.date) -> None:
    """Refuse an as-of date before the profile's ``ledgers_from``.

    Only obligations falling due after ``ledgers_from`` are judged, so a start after the as-of
    date (a typo such as 2100-01-01) would judge nothing and show no gaps: silence that looks
    like compliance. It is the profile that is wrong (or the date asked for), so it is named.
    """
    start = bureau.profile.ledgers_from
    if start <= as_of:
        return
    name = bureau.profile_file or str(Path(bureau.source or ".") / "profile.yaml")
    raise InputError([Problem(
        name,
        f"台账起始日期 ledgers_from（{start.isoformat()}）晚于检查日期 {as_of.isoformat()}：此前没有台账，无从检查；"
        "请改正 ledgers_from 或检查日期（--as-of）",
        field="ledgers_from",
        code="ledgers-from-after-as-of",
    )])


def _load_profile(folder: Path, path: Path | None, problems: list[Problem]) -> Profile | None:
    if path is None:
        problems.append(Problem(str(folder / "profile.yaml"), "缺少单位概况文件 profile.yaml"))
        return None
    doc: Any = None
    try:
        doc = load_yaml(path, max_bytes=MAX_PROFILE_BYTES, what="单位概况文件")
        profile = Profile.model_validate(doc)
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    except ValidationError as exc:
        problems.extend(problems_from(exc, str(path), doc, Profile))
        return None
    seen: dict[str, str] = {}
    for member in profile.staff:
        if member.id in seen:
            problems.append(Problem(str(path), f"人员编号 {member.id} 重复（{seen[member.id]}、{member.name}）", code="duplicate-id", field="staff"))
        seen[member.id] = member.name
    return profile


def _load_header_map(folder: Path, problems: list[Problem]) -> dict[str, str | None]:
    path = next((folder / n for n in HEADER_MAP_FILES if (folder / n).is_file()), None)
    if path is None:
        return {}
    try:
        doc = load_yaml(path, what="表头对照文件")
    except InputError as exc:
        problems.extend(exc.problems)
        return {}
    if doc is None:
        return {}
    if not isinstance(doc, dict) or not all(isinstance(v, str) or v is None for v in doc.values()):
        problems.append(Problem(str(path), "表头对照文件应为「表头: 字段名」的映射（字段名可写作 台账.字段；留空表示不读该列）", getattr(doc, "line", 1)))
        return {}
    return {str(k): v for k, v in doc.items()}


def _not_a_ledger(path: Path, stem_ledger: str | None, note: str) -> str:
    if stem_ledger is not None:
        return f"台账 {stem_ledger}（{LEDGERS[stem_ledger].label}）不能是 {path.suffix} 文件：台账应为 {'、'.join(LEDGER_SUFFIXES)} 文件"
    return note


def _look_into_subfolder(path: Path, ledger: str | None, labels: dict[str, str], problems: list[Problem], warnings: list[Problem]) -> None:
    if ledger is not None:
        problems.append(Problem(str(path), f"{path.name} 是文件夹，不是台账文件（{labels[ledger]}）", code="not-a-file"))
        return
    inside = [p.name for p in sorted(path.iterdir()) if p.is_file() and ledger_of_filename(p.name, labels).ledger]
    if inside:
        warnings.append(
            Problem(str(path), f"子目录中的 {'、'.join(inside[:5])} 未读取：台账应直接放在单位目录中", code="ledger-in-subfolder", level="warning")
        )


def _resolve_references(
    records: dict[str, list[Record]],
    unread: list[UnreadRecord],
    files: dict[str, str],
    profile: Profile,
    failed: set[str],
    warnings: list[Problem],
) -> None:
    """A record naming another that does not exist is unread (the reference cannot be followed);
    references into a ledger not handed in are one warning per ledger, not one error per record."""
    ids = {name: {r.id for r in items} for name, items in records.items()}
    for u in unread:  # a record that could not be read still exists: naming it is no dangling reference
        if u.rid is not None:
            ids.setdefault(u.ledger, set()).add(u.rid)
    ids["staff"] = profile.staff_ids()
    for name in list(records):
        refs = references(LEDGERS[name])
        if not refs:
            continue
        kept: list[Record] = []
        for record in records[name]:
            bad: list[Problem] = []
            for field_name, target in refs.items():
                if target in failed:
                    continue
                if target != "staff" and target not in records:
                    continue
                value = getattr(record, field_name)
                for ref in value if isinstance(value, list) else [value]:
                    if ref is not None and ref not in ids.get(target, set()):
                        what = "人员" if target == "staff" else LEDGERS[target].label
                        bad.append(Problem(files[name], f"引用了不存在的{what}编号 {ref!r}", None, None, record.id, field_name, code="dangling-reference"))
            if bad:
                followable = {k: v for k, v in _refs_of(record).items() if k not in {p.field for p in bad}}
                unread.append(UnreadRecord(name, files[name], None, record.id, record.day, followable, tuple(bad)))
            else:
                kept.append(record)
        records[name] = kept
        for field_name, target in refs.items():
            if target != "staff" and target not in records and target not in failed and records[name]:
                warnings.append(
                    Problem(
                        files[name],
                        f"{LEDGERS[name].label}引用{LEDGERS[target].label}（字段 {field_name}），但未提供{LEDGERS[target].label}",
                        code="referenced-ledger-missing",
                        level="warning",
                    )
                )


def _refs_of(record: Record) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for field_name in references(type(record)):
        value = getattr(record, field_name)
        out[field_name] = tuple(value) if isinstance(value, list) else ((value,) if value else ())
    return out


# --- one ledger file ---------------------------------------------------------------------------


@dataclass
class LedgerRead:
    records: list[Record]
    unread: list[UnreadRecord]
    account: LedgerAccount


@dataclass(frozen=True)
class Cell:
    """A raw cell with where it was: row (or YAML line), column number, and header as written."""

    value: Any
    line: int | None
    column: int | None = None
    header: str | None = None
    unit: str = "元"


RowCells = dict[str, Cell]


def read_ledger(
    path: Path,
    ledger: str,
    *,
    staff: Sequence[tuple[str, str]] | None = None,
    header_map: Mapping[str, str | None] | None = None,
) -> LedgerRead:
    """One ledger file's records and unread rows; structural problems raise ``InputError``."""
    model = LEDGERS[ledger]
    suffix = path.suffix.lower()
    account = LedgerAccount(ledger, str(path))
    if suffix in (".yaml", ".yml"):
        rows = _yaml_rows(path, model)
    else:
        if suffix == ".csv":
            table, account.encoding = _csv_table(path)
        else:
            table, account.sheet = _excel_table(path, ledger)
        rows = _table_rows(path, model, table, account, header_map or {})
    account.rows = len(rows)
    records, unread, problems = read_rows(str(path), model, rows, staff=staff, sheet=account.sheet)
    if problems:
        raise InputError(problems)
    account.read, account.unread = len(records), len(unread)
    return LedgerRead(records, unread, account)


def _yaml_rows(path: Path, model: type[Record]) -> list[tuple[int | None, RowCells]]:
    doc = load_yaml(path)
    if doc is None:
        return []
    if not isinstance(doc, list):
        raise InputError([Problem(str(path), "台账文件应为记录列表（每条以 - 开头）", getattr(doc, "line", 1))])
    rows: list[tuple[int | None, RowCells]] = []
    problems: list[Problem] = []
    for item in doc:
        line = getattr(item, "line", None)
        if not isinstance(item, dict):
            problems.append(Problem(str(path), "每条记录应为映射（字段: 值）", line))
            continue
        cells: RowCells = {}
        for key, value in item.items():
            at = item.key_positions.get(str(key), (line, None)) if isinstance(item, Located) else (line, None)
            name = _field_of(str(key), model)
            if name is None:
                problems.append(
                    Problem(str(path), f"未知字段 {key}", at[0], at[1], str(item.get("id", "")) or None, str(key), code="unknown-field",
                            suggestion=suggest(str(key), list(model.model_fields)))
                )
                continue
            if name in cells:
                problems.append(Problem(str(path), f"字段 {name} 重复（{key}）", at[0], at[1], None, name, code="duplicate-key"))
                continue
            cells[name] = Cell(value, at[0], at[1])
        rows.append((line, cells))
    if problems:
        raise InputError(problems)
    return rows


def _field_of(key: str, model: type[Record]) -> str | None:
    if key in model.__pydantic_fields__:
        return key
    found = match_header(key, model)
    return found.field if found is not None else None


def _csv_table(path: Path) -> tuple[list[list[Any]], str]:
    data = read_input(path, max_bytes=MAX_LEDGER_BYTES, what="台账文件")
    try:
        text, encoding = decode_text(data)
    except LayoutError as exc:
        raise InputError([Problem(str(path), str(exc), code="unreadable-file")]) from None
    delimiter = sniff_delimiter(text)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)], encoding
    except csv.Error as exc:
        raise InputError([Problem(str(path), f"CSV 格式错误：{exc}", code="unreadable-file")]) from None


def _excel_table(path: Path, ledger: str) -> tuple[list[list[Any]], str]:
    """The ledger's sheet: the one named after it (fine, 罚没款台账, 罚没款), else the only one with data."""
    try:
        from python_calamine import CalamineWorkbook  # noqa: PLC0415 - only ledgers kept in Excel need it
    except ImportError:  # pragma: no cover - it is a dependency
        raise InputError([Problem(str(path), "读取 Excel 台账需要 python-calamine 软件包")]) from None
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        model = LEDGERS[ledger]
        wanted = {k.lower() for k in (ledger, header_key(model.label), header_key(model.label).removesuffix("台账"))}
        chosen = [n for n in names if header_key(n).lower() in wanted]
        sheets: dict[str, list[list[Any]]] = {}
        if not chosen:
            for name in names:
                rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                if any(not is_blank(c) and c != "" for row in rows for c in row) and header_key(name) != "说明":
                    sheets[name] = rows
            chosen = list(sheets)
        if len(chosen) != 1:
            shown = "、".join(names) or "（无）"
            raise InputError(
                [Problem(str(path), f"无法确定 {model.label} 在哪个工作表：工作表有 {shown}；请把台账所在工作表命名为「{model.label}」", code="which-sheet")]
            )
        rows = sheets.get(chosen[0]) or book.get_sheet_by_name(chosen[0]).to_python(skip_empty_area=False)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises several kinds for a damaged or foreign file
        raise InputError([Problem(str(path), f"无法打开 Excel 文件（文件已损坏，或不是 Excel 格式）：{exc}", code="unreadable-file")]) from None
    return [[None if cell == "" else cell for cell in row] for row in rows], chosen[0]


def _table_rows(
    path: Path, model: type[Record], table: list[list[Any]], account: LedgerAccount, header_map: Mapping[str, str | None]
) -> list[tuple[int | None, RowCells]]:
    if is_blank_row([c for row in table for c in row]):
        return []
    sheet = account.sheet
    try:
        top = find_header_row(table, model, bureau=header_map)
    except LayoutError as exc:
        raise InputError([Problem(str(path), str(exc), code="no-header-row", sheet=sheet)]) from None
    header = table[top]
    matches: list[HeaderMatch | None] = []
    problems: list[Problem] = []
    for number, text in enumerate(header, start=1):
        if is_blank(text):
            matches.append(None)
            continue
        found = match_header(text, model, header_map)
        matches.append(found)
        if found is None:
            problems.append(
                Problem(str(path), f"未知的列 {normalise_text(str(text))!r}", top + 1, number, code="unknown-column",
                        suggestion=suggest_header(text, model), sheet=sheet, header=str(text))
            )
    for name, columns in repeated_fields(matches).items():
        shown = "、".join(str(header[c - 1]) for c in columns)
        problems.append(Problem(str(path), f"多列都是字段 {name}：{shown}；只能保留一列", top + 1, columns[1], field=name, code="repeated-column", sheet=sheet))
    present = {m.field for m in matches if m is not None and m.field}
    required = [n for n, info in model.model_fields.items() if info.is_required() and n not in present]
    if required and not problems:
        titles = "、".join(model.model_fields[n].title or n for n in required)
        problems.append(Problem(str(path), f"缺少必填列：{titles}", top + 1, None, code="missing-column", sheet=sheet))
    if problems:
        raise InputError(problems)
    rows: list[tuple[int | None, RowCells]] = []
    width = len(header)
    for index, row in enumerate(table[top + 1 :], start=top + 2):
        if is_blank_row(row):
            account.skipped.append(Problem(str(path), "空行，已跳过", index, None, code="blank-row", level="warning", sheet=sheet))
            continue
        if is_example_row(row):
            account.skipped.append(Problem(str(path), "示例行，已跳过", index, None, code="example-row", level="warning", sheet=sheet))
            continue
        if is_total_row(row):
            account.skipped.append(Problem(str(path), "合计行，已跳过（不作为记录）", index, None, code="total-row", level="warning", sheet=sheet))
            continue
        cells: RowCells = {}
        for number, (found, value) in enumerate(zip(matches, row), start=1):
            if found is None or found.field is None:
                continue
            cells[found.field] = Cell(value, index, number, str(header[number - 1]), found.unit or "元")
        extra = [n for n, v in enumerate(row[width:], start=width + 1) if not is_blank(v)]
        if extra:
            cells["\0extra"] = Cell(row[extra[0] - 1], index, extra[0], "")
        rows.append((index, cells))
    # Blank rows after the last record are the sheet's formatting, not skipped data.
    last = rows[-1][0] if rows else top + 1
    account.skipped = [p for p in account.skipped if p.code != "blank-row" or (p.line or 0) < (last or 0)]
    return rows


# --- rows to records ---------------------------------------------------------------------------


def read_rows(
    source: str,
    model: type[Record],
    rows: Sequence[tuple[int | None, RowCells | Mapping[str, Any]]],
    *,
    staff: Sequence[tuple[str, str]] | None = None,
    sheet: str | None = None,
    loc_prefix: tuple[Any, ...] = (),
) -> tuple[list[Record], list[UnreadRecord], list[Problem]]:
    """Records from rows of cells: the records, the rows that could not be read, and the structural
    problems (ids repeated). A plain mapping row (a rule example's record) is read as YAML is."""
    records: list[Record] = []
    unread: list[UnreadRecord] = []
    problems: list[Problem] = []
    seen: dict[str, int | None] = {}
    for line, row in rows:
        cells = row if all(isinstance(v, Cell) for v in row.values()) else {k: Cell(v, line) for k, v in row.items()}
        cells = dict(cells)  # type: ignore[arg-type]
        got = _record(source, model, line, cells, staff, sheet, loc_prefix)
        rid = got.id if isinstance(got, Record) else got.rid
        if rid is not None and rid in seen:
            first = seen[rid]
            problems.append(
                Problem(source, f"编号重复（首次出现于第 {first} 行）" if first else "编号重复", line, None, rid, "id", code="duplicate-id", sheet=sheet)
            )
            continue
        if rid is not None:
            seen[rid] = line
        (records if isinstance(got, Record) else unread).append(got)  # type: ignore[arg-type]
    return records, unread, problems


def _record(
    source: str,
    model: type[Record],
    line: int | None,
    cells: dict[str, Cell],
    staff: Sequence[tuple[str, str]] | None,
    sheet: str | None,
    loc_prefix: tuple[Any, ...],
) -> Record | UnreadRecord:
    values: dict[str, Any] = {}
    bad: list[Problem] = []
    extra = cells.pop("\0extra", None)
    if extra is not None:
        bad.append(Problem(source, f"表头之外的单元格有内容 {extra.value!r}", extra.line, extra.column, code="cell-outside-header", sheet=sheet, header=""))
    for name, cell in cells.items():
        info = model.__pydantic_fields__[name]
        try:
            value = parse_cell(info, cell.value, unit=cell.unit, staff=staff)
        except CellError as exc:
            bad.append(_cell_problem(source, cell, name, exc.message_zh, sheet, loc_prefix))
            continue
        if value is not None:
            values[name] = value
    rid = values.get("id") if isinstance(values.get("id"), str) else None
    if not bad:
        try:
            return model.model_validate(values)
        except ValidationError as exc:
            for found in problems_from(exc, source, None, model, rid, loc_prefix):
                parts = (found.field or "").split(".")
                name = parts[len(loc_prefix)] if len(parts) > len(loc_prefix) else ""
                cell = cells.get(name) or Cell(None, line)
                message = "必填，未填写" if found.code == "missing-field" else found.text
                bad.append(_cell_problem(source, cell, name, message, sheet, loc_prefix))
    bad = [replace(p, record=rid) for p in bad]
    day = values.get(model.date_field)
    refs = {f: (tuple(v) if isinstance(v, list) else (v,)) for f in references(model) if isinstance((v := values.get(f)), (str, list))}
    return UnreadRecord(model.ledger, source, line, rid, day if isinstance(day, dt.date) else None, refs, tuple(bad))


def _cell_problem(source: str, cell: Cell, name: str, message: str, sheet: str | None, loc_prefix: tuple[Any, ...]) -> Problem:
    field_name = ".".join(str(s) for s in (*loc_prefix, name)) if name else None
    return Problem(source, message, cell.line, cell.column, None, field_name, code="unreadable-cell", sheet=sheet, header=cell.header)
