"""How clerks lay out a ledger table and name its file: header row, column names, total rows, file names.

Pure functions over rows of raw cells (as ``checker.records.cells`` reads them) and record models;
the loader decides what to do with the answers.

Column names (``match_header``) are matched, in this order, against

1. the bureau's own mapping (header text -> field name), passed in by the caller;
2. the field name (``amount``), the field's Chinese title (``金额（元）``), the title without its
   bracketed part (``金额``), then the aliases shipped in ``header_aliases.yaml``; all compared
   after NFKC with every space removed, so ``金额(元)``, `` 金  额 `` and ``金额（元）`` are one;
   a header ``金额（万元）`` matches ``金额（元）`` by its part before the bracket and records
   the unit, for the amounts in that column to be read in 万元;
3. the columns every ledger may have and no check reads (``序号``, ``备注``): an ignored column.

A loader composes the pieces so (``tests/test_cells.py::test_an_xls_ledger_read_end_to_end``)::

    ledger, note = ledger_of_filename(path.name, {n: m.label for n, m in LEDGERS.items()})
    table = read_xls(path)                      # or csv.reader(decode_text(...), sniff_delimiter(...))
    top = find_header_row(table, model, bureau=mapping)
    columns = match_header_row(table[top], model, bureau=mapping)   # None: unknown -> suggest_header
    for row in table[top + 1:]:
        if is_blank_row(row) or is_total_row(row): continue
        ... parse_amount(cell, unit=column.unit), parse_date_cell, parse_bool, split_list, staff_ref
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel

from ..yamlsrc import load_yaml
from .cells import AMOUNT_UNITS, LayoutError, is_blank, normalise_text

__all__ = [
    "ALIASES_FILE",
    "IGNORED",
    "LEDGER_SUFFIXES",
    "HeaderAliases",
    "HeaderMatch",
    "LedgerFile",
    "alias_conflicts",
    "find_header_row",
    "header_key",
    "is_blank_row",
    "is_example_row",
    "is_total_row",
    "ledger_of_filename",
    "load_aliases",
    "match_header",
    "match_header_row",
    "repeated_fields",
    "shipped_aliases",
    "strip_copy_marker",
    "suggest_header",
]

ALIASES_FILE = Path(__file__).with_name("header_aliases.yaml")
LEDGER_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx", ".xls")


# --- aliases -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class HeaderAliases:
    """Other names of fields, as clerks write them in header rows (the shipped file, or a test's own)."""

    ignore: frozenset[str] = frozenset()
    common: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ledgers: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    def of(self, ledger: str, field_name: str) -> tuple[str, ...]:
        return tuple(self.common.get(field_name, ())) + tuple(self.ledgers.get(ledger, {}).get(field_name, ()))


def load_aliases(path: Path = ALIASES_FILE) -> HeaderAliases:
    """Read an aliases file (see ``header_aliases.yaml`` for its form); a malformed one raises ``LayoutError``."""
    doc = load_yaml(path)
    where = str(path)
    if not isinstance(doc, dict):
        raise LayoutError(f"{where}：应为映射（ignore、common、ledgers）")
    unknown = set(doc) - {"ignore", "common", "ledgers"}
    if unknown:
        raise LayoutError(f"{where}：未知的键 {', '.join(sorted(map(str, unknown)))}")
    ignore = _names(doc.get("ignore", []), f"{where}: ignore")
    common = _field_aliases(doc.get("common", {}), f"{where}: common")
    ledgers_doc = doc.get("ledgers", {})
    if not isinstance(ledgers_doc, dict):
        raise LayoutError(f"{where}: ledgers 应为映射（台账名 -> 字段名 -> 别名列表）")
    ledgers = {str(name): _field_aliases(fields, f"{where}: ledgers.{name}") for name, fields in ledgers_doc.items()}
    return HeaderAliases(frozenset(ignore), common, ledgers)


def _names(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LayoutError(f"{where} 应为非空文字的列表")
    return tuple(value)


def _field_aliases(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise LayoutError(f"{where} 应为映射（字段名 -> 别名列表）")
    return {str(name): _names(aliases, f"{where}.{name}") for name, aliases in value.items()}


@functools.cache
def shipped_aliases() -> HeaderAliases:
    """The aliases shipped with the checker (``header_aliases.yaml`` beside this module)."""
    return load_aliases()


# --- one header --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderMatch:
    """What one header cell names: a field of the model, or a column to ignore (``field`` None).

    ``how`` says by what it matched: ``bureau`` (the bureau's mapping, which may also ignore a
    column), ``name``, ``title`` (the title with or without its bracket), ``alias`` or ``ignored``
    (序号, 备注). ``unit`` is the money unit of an amount column (元, 千元, 万元,
    亿元) and None for every other column; pass it to ``parse_amount(cell, unit=...)``.
    """

    field: str | None
    how: str
    unit: str | None = None

    @property
    def ignored(self) -> bool:
        return self.field is None

    @property
    def scale(self) -> Decimal:
        """Yuan per unit of this column's amounts (10000 for a 万元 column); 1 for any other column."""
        return AMOUNT_UNITS[self.unit] if self.unit else Decimal(1)


IGNORED = HeaderMatch(None, "ignored")
"""What ``match_header`` gives for 序号, 备注 and the other columns no check reads."""

_MARKS = re.compile(r"^[*※:]+|[*※:]+$")
_BRACKETED = re.compile(r"^(.+?)[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]$")


def header_key(text: Any) -> str:
    """A header as compared: NFKC, no spaces, no required-field marks (*, ※) or trailing colon."""
    if text is None:
        return ""
    return _MARKS.sub("", normalise_text(str(text), header=True))


def _split_bracket(key: str) -> tuple[str, str | None]:
    """金额(万元) -> (金额, 万元); a key without a trailing bracket -> (key, None)."""
    found = _BRACKETED.match(key)
    return (found.group(1), found.group(2)) if found else (key, None)


_LEVELS = ("name", "title", "title", "alias", "alias")


@functools.cache
def _index(model: type[BaseModel], aliases: HeaderAliases) -> dict[str, dict[str, tuple[int, str]]]:
    """key -> field -> (best level, how): the ways a header may name each field of ``model``."""
    ledger = str(getattr(model, "ledger", ""))
    index: dict[str, dict[str, tuple[int, str]]] = {}

    def add(key: str, name: str, level: int) -> None:
        if key:
            fields = index.setdefault(key, {})
            if name not in fields or level < fields[name][0]:
                fields[name] = (level, _LEVELS[level])

    for name, info in model.model_fields.items():
        add(name.lower(), name, 0)
        if info.title:
            add(header_key(info.title), name, 1)
            add(_split_bracket(header_key(info.title))[0], name, 2)
        for alias in aliases.of(ledger, name):
            add(header_key(alias), name, 3)
            add(_split_bracket(header_key(alias))[0], name, 4)
    return index


def _best(candidates: Mapping[str, tuple[int, str]] | None) -> tuple[str, str] | None:
    """The one field a key names best, or None when none or two at the same level (ambiguous)."""
    if not candidates:
        return None
    top = min(level for level, _ in candidates.values())
    best = [(name, how) for name, (level, how) in candidates.items() if level == top]
    return best[0] if len(best) == 1 else None


def _is_money(model: type[BaseModel], name: str) -> bool:
    return "Decimal" in str(model.model_fields[name].annotation)


def _unit(model: type[BaseModel], name: str, written: str | None) -> str | None:
    if not _is_money(model, name):
        return None
    if written in AMOUNT_UNITS:
        return written
    title_unit = _split_bracket(header_key(model.model_fields[name].title or ""))[1]
    return title_unit if title_unit in AMOUNT_UNITS else "元"


def match_header(
    header_text: Any,
    model: type[BaseModel],
    bureau: Mapping[str, str | None] | None = None,
    *,
    aliases: HeaderAliases | None = None,
) -> HeaderMatch | None:
    """The field a header cell names, an ignored column, or None for a header not recognised.

    ``bureau`` maps header text to a field name, ``ledger.field`` (only for that ledger), or
    None / "" (ignore the column); it is read first, and an entry naming a field this model
    lacks is passed over, so one mapping may serve several ledgers. ``aliases`` defaults to
    the shipped ones.
    """
    key = header_key(header_text)
    if not key:
        return None
    base, written = _split_bracket(key)
    if bureau:
        found = _from_bureau(key, base, model, bureau)
        if found is not None:
            return HeaderMatch(found[0], "bureau", _unit(model, found[0], written) if found[0] else None)
    table = aliases if aliases is not None else shipped_aliases()
    index = _index(model, table)
    best = _best(index.get(key)) or _best(index.get(key.lower()))
    if best is None and written is not None:
        best = _best(index.get(base))
    if best is not None:
        return HeaderMatch(best[0], best[1], _unit(model, best[0], written))
    ignore = {header_key(h) for h in table.ignore}
    if key in ignore or base in ignore:
        return IGNORED
    return None


def _from_bureau(
    key: str, base: str, model: type[BaseModel], bureau: Mapping[str, str | None]
) -> tuple[str | None] | None:
    ledger = str(getattr(model, "ledger", ""))
    by_key = {header_key(k): v for k, v in bureau.items()}
    for candidate in (key, base):
        if candidate not in by_key:
            continue
        target = (by_key[candidate] or "").strip()
        if not target:
            return (None,)
        scope, _, name = target.rpartition(".")
        if scope and scope != ledger:
            continue
        if name in model.model_fields:
            return (name,)
    return None


def suggest_header(header_text: Any, model: type[BaseModel], *, aliases: HeaderAliases | None = None) -> str | None:
    """For an unrecognised header, the nearest field title or alias (as the clerk would write it), or None."""
    key = header_key(header_text)
    table = aliases if aliases is not None else shipped_aliases()
    ledger = str(getattr(model, "ledger", ""))
    shown: dict[str, str] = {}
    for name, info in model.model_fields.items():
        for text in (info.title or name, *table.of(ledger, name)):
            shown.setdefault(header_key(text), text)
    close = difflib.get_close_matches(key, list(shown), n=1, cutoff=0.5)
    return shown[close[0]] if close else None


def alias_conflicts(models: Iterable[type[BaseModel]], aliases: HeaderAliases) -> list[str]:
    """Every alias that cannot work as written: for a ledger or field that does not exist, naming two
    fields of one ledger, or shadowed by another field's name or title. Empty for good data."""
    found: list[str] = []
    by_ledger = {str(getattr(m, "ledger", "")): m for m in models}
    for ledger, fields in aliases.ledgers.items():
        model = by_ledger.get(ledger)
        if model is None:
            found.append(f"未知的台账 {ledger}")
            continue
        found.extend(f"{ledger}: 未知的字段 {name}" for name in fields if name not in model.model_fields)
    for name in aliases.common:
        if not any(name in m.model_fields for m in by_ledger.values()):
            found.append(f"common: 没有台账有字段 {name}")
    for ledger, model in by_ledger.items():
        index = _index(model, aliases)
        for name in model.model_fields:
            for alias in aliases.of(ledger, name):
                key = header_key(alias)
                best = _best(index.get(key))
                if best is None or best[0] != name:
                    others = sorted(set(index.get(key, {})) - {name})
                    found.append(f"{ledger}.{name}: 别名 {alias} 也指向 {'、'.join(others)}")
    return found


# --- header row and table rows -----------------------------------------------------------------


def match_header_row(
    row: Sequence[Any],
    model: type[BaseModel],
    bureau: Mapping[str, str | None] | None = None,
    *,
    aliases: HeaderAliases | None = None,
) -> list[HeaderMatch | None]:
    """``match_header`` for every cell of a row; a blank cell gives None."""
    return [None if is_blank(cell) else match_header(cell, model, bureau, aliases=aliases) for cell in row]


def repeated_fields(matches: Sequence[HeaderMatch | None]) -> dict[str, list[int]]:
    """Fields named by more than one column: field -> its columns (1-based). Ignored columns may repeat."""
    columns: dict[str, list[int]] = {}
    for number, found in enumerate(matches, start=1):
        if found is not None and found.field is not None:
            columns.setdefault(found.field, []).append(number)
    return {name: cols for name, cols in columns.items() if len(cols) > 1}


def find_header_row(
    table: Sequence[Sequence[Any]],
    model: type[BaseModel],
    max_scan: int = 10,
    bureau: Mapping[str, str | None] | None = None,
    *,
    aliases: HeaderAliases | None = None,
) -> int:
    """The index (0-based) of the header row: the first of the first ``max_scan`` rows where more
    than half of the non-blank cells are recognised headers, at least one of them a field.

    So a title row above the table (``2020年罚没款台账``, merged across the columns) or a line
    such as ``填报单位：某区统计局`` is passed over. None found raises ``LayoutError``.
    """
    for number, row in enumerate(table[:max_scan]):
        cells = [cell for cell in row if not is_blank(cell)]
        if not cells:
            continue
        matches = [match_header(cell, model, bureau, aliases=aliases) for cell in cells]
        recognised = [m for m in matches if m is not None]
        if any(m.field is not None for m in recognised) and 2 * len(recognised) > len(cells):
            return number
    titles = [info.title or name for name, info in model.model_fields.items() if info.is_required()]
    raise LayoutError(
        f"前 {min(max_scan, len(table))} 行中没有找到表头行（表头应含 {'、'.join(titles)} 等列名）"
    )


_TOTAL = re.compile(r"^(本页|本月|本季|本季度|本年|全年|年度|总)?(合计|小计|总计|共计|累计)(:.*)?$")


def is_total_row(cells: Sequence[Any]) -> bool:
    """A row whose first non-blank cell is 合计, 小计, 总计 (or 共计, 累计, 本页小计…), spaces allowed (合 计)."""
    first = next((cell for cell in cells if not is_blank(cell)), None)
    return isinstance(first, str) and _TOTAL.match(header_key(first)) is not None


def is_example_row(cells: Sequence[Any]) -> bool:
    """A row marked as an example (its first non-blank cell 示例, as in the shipped templates): not a record."""
    first = next((cell for cell in cells if not is_blank(cell)), None)
    return isinstance(first, str) and header_key(first) in ("示例", "示例行", "填写示例")


def is_blank_row(cells: Sequence[Any]) -> bool:
    """A row of nothing but blank cells (or no cells)."""
    return all(is_blank(cell) for cell in cells)


# --- file names --------------------------------------------------------------------------------


class LedgerFile(NamedTuple):
    """What a file name says: the ledger (None if it names none) and a note for the clerk ("" if nothing to say)."""

    ledger: str | None
    note: str


_COPY_MARKERS = (
    re.compile(r"\(\d{1,3}\)$"),  # fine (1), fine(2)
    re.compile(r"的副本$"),  # macOS: fine的副本
    re.compile(r"[-_]?(副本|复件|copy)$", re.IGNORECASE),  # fine - 副本, fine-副本, fine - Copy
    re.compile(r"^(复件|副本|copyof)", re.IGNORECASE),  # Windows XP: 复件 fine; English: Copy of fine
)
_YEAR = (re.compile(r"^\(?(19|20)\d{2}年?度?\)?[-_]?"), re.compile(r"[-_]?\(?(19|20)\d{2}年?度?\)?$"))


def strip_copy_marker(stem: str) -> tuple[str, bool]:
    """A file stem without the marks of a copy (``fine (1)``, ``fine - 副本``, ``复件 fine``), and whether it had any.

    The stem comes back as compared (``header_key``: NFKC, no spaces).
    """
    key = header_key(stem)
    marked = False
    changed = True
    while changed and key:
        changed = False
        for pattern in _COPY_MARKERS:
            stripped = pattern.sub("", key)
            if stripped != key and stripped:
                key, marked, changed = stripped, True, True
    return key, marked


def ledger_of_filename(filename: str | Path, ledgers: Mapping[str, str]) -> LedgerFile:
    """The ledger a file holds, by its name: ``ledgers`` maps ledger name -> Chinese label (fine -> 罚没款台账).

    The name may be the ledger name in any case (``FINE.XLSX``), its label with or without 台账
    (``罚没款台账.xlsx``, ``罚没款.csv``), with a year (``2020年罚没款台账.xlsx``), or marked as a
    copy (``fine (1).xlsx``, ``fine - 副本.xlsx``): the ledger, and a note saying so. A name that is
    none of these gives None and a note with the nearest ledgers.
    """
    path = Path(filename)
    suffix = path.suffix.lower()
    if suffix not in LEDGER_SUFFIXES:
        return LedgerFile(None, f"{path.name} 不是台账文件（台账应为 {'、'.join(LEDGER_SUFFIXES)} 文件）")
    keys = _filename_keys(ledgers)
    stem = header_key(path.stem)
    if stem.lower() in keys:
        return LedgerFile(keys[stem.lower()], "")
    bare, copied = strip_copy_marker(stem)
    undated = bare
    for pattern in _YEAR:
        undated = pattern.sub("", undated) or undated
    for key in (bare, undated):
        found = keys.get(key.lower())
        if found is None:
            continue
        said = []
        if copied:
            said.append(f"文件名 {path.name} 看起来是副本，按 {found}（{ledgers[found]}）读取；请确认这是要检查的那一份")
        if key is undated and undated != bare:
            said.append(f"文件名 {path.name} 带有年份，按 {found}（{ledgers[found]}）读取")
        return LedgerFile(found, "；".join(said))
    near = difflib.get_close_matches(undated.lower(), list(keys), n=6, cutoff=0.5)
    named = list(dict.fromkeys(keys[k] for k in near))[:3]
    if named:
        hint = "最接近的是 " + "、".join(f"{n}（{ledgers[n]}）" for n in named)
    else:
        hint = "文件名应为台账名（如 fine.xlsx）或其中文名称（如 罚没款台账.xlsx）"
    return LedgerFile(None, f"无法从文件名 {path.name} 识别台账类型：{hint}")


def _filename_keys(ledgers: Mapping[str, str]) -> dict[str, str]:
    """Every way a file may name a ledger, lower-cased: fine, 罚没款台账, 罚没款, enforcement-action."""
    return _keys_of(tuple(ledgers.items()))


@functools.cache
def _keys_of(ledgers: tuple[tuple[str, str], ...]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for name, label in ledgers:
        for key in (name, name.replace("_", "-"), header_key(label), header_key(label).removesuffix("台账")):
            keys.setdefault(key.lower(), name)
    return keys
