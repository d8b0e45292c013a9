"""Cell values as clerks write them in ledgers kept by hand: amounts, dates, yes/no, lists, staff.

Each parser takes one raw cell, as a CSV or spreadsheet reader hands it over (text, a number,
a boolean, a date, a datetime or None), and returns the parsed value or raises ``CellError``,
which carries what was expected in Chinese (``expected_zh``) and, where known, why the cell was
not accepted (``reason_zh``). The functions are pure: nothing here reads files except
``read_xls`` and nothing knows about a particular ledger; the loader decides which parser a
column needs (see ``checker.records.headers`` for matching the header row to fields).

Text normalisation (``normalise_text``):

* values: Unicode NFKC (full-width digits, letters, brackets, commas and spaces become their
  ordinary forms, so ``Ｆ００１`` is ``F001``), zero-width characters and a stray byte-order mark
  removed, and surrounding whitespace stripped. Whitespace inside a value is kept as written:
  it may be meant (``某某 有限公司``) and the record is the clerk's.
* headers (``header=True``): the same, and every whitespace removed, because clerks pad
  headers to align columns (``金  额``) and no field title contains a space.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..dates import parse_day

__all__ = [
    "AMOUNT_UNITS",
    "DELIMITERS",
    "MAX_AMOUNT",
    "PLACEHOLDERS",
    "CellError",
    "LayoutError",
    "decode_text",
    "excel_serial_to_datetime",
    "is_blank",
    "is_placeholder",
    "normalise_text",
    "parse_amount",
    "parse_bool",
    "parse_date_cell",
    "read_xls",
    "sniff_delimiter",
    "split_list",
    "staff_ref",
]

EXPECT_AMOUNT = "金额（如 15000、15,000.00、1.5万元）"
EXPECT_DATE = "日期（如 2020-05-01、2020/5/1、2020年5月1日）"
EXPECT_BOOL = "是或否（如 是/否、有/无、√/×、Y/N、1/0）"
EXPECT_STAFF = "人员编号或姓名（须是单位概况中登记的人员）"

AMOUNT_UNITS: dict[str, Decimal] = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100_000_000)}
"""Units an amount may be written in, and how many yuan each is."""

MAX_AMOUNT = Decimal(10) ** 12
"""No ledger amount of a district bureau reaches a trillion yuan: larger is a unit or typing error."""

_FEN = Decimal("0.01")


class CellError(ValueError):
    """One cell that does not hold what its column needs.

    A ``ValueError``, so a pydantic validator may raise it as it is. ``expected_zh`` says what
    the column needs, ``reason_zh`` what is wrong with this cell (may be empty), ``candidates``
    the values that were meant, where there is a short list of them (staff of the same name).
    """

    def __init__(self, expected_zh: str, value: Any = None, reason_zh: str = "", candidates: Sequence[str] = ()) -> None:
        self.expected_zh = expected_zh
        self.value = value
        self.reason_zh = reason_zh
        self.candidates = tuple(candidates)
        super().__init__(self.message_zh)

    @property
    def message_zh(self) -> str:
        """The message a clerk reads: 无法识别 '15,00'：千位分隔符位置不对；应为金额（…）."""
        shown = repr(self.value) if isinstance(self.value, str) else str(self.value)
        text = f"无法识别 {shown}"
        if self.reason_zh:
            text += f"：{self.reason_zh}"
        return text + f"；应为{self.expected_zh}"


class LayoutError(ValueError):
    """A table or file that cannot be read as a ledger at all (no header row, unknown encoding).

    The message is Chinese and complete; the loader puts it into a ``Problem`` for the file.
    """


# --- text --------------------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_WHITESPACE = re.compile(r"\s+")


def normalise_text(s: str, *, header: bool = False) -> str:
    """NFKC, zero-width characters removed, stripped; for a header also every space removed (see the module doc)."""
    if s.isascii():  # NFKC leaves ASCII as it is and no zero-width character is ASCII: most cells
        return _WHITESPACE.sub("", s) if header else s.strip()
    text = unicodedata.normalize("NFKC", s).translate(_ZERO_WIDTH)
    if header:
        # NFKC again: a removed space may have stood between a letter and an accent NFKC split off (´)
        return _WHITESPACE.sub("", unicodedata.normalize("NFKC", _WHITESPACE.sub("", text)))
    return text.strip()


def is_blank(cell: Any) -> bool:
    """An empty cell: None, or text of nothing but whitespace."""
    return cell is None or (isinstance(cell, str) and normalise_text(cell) == "")


PLACEHOLDERS = frozenset({"-", "--", "—", "——", "/", "\\", "无", "暂无", "不适用", "n/a", "na"})
"""What clerks write in a cell that has nothing to say ("—", "/", "无", "不适用")."""


def is_placeholder(cell: Any) -> bool:
    """A cell that is blank or holds only a placeholder such as —, / or 无.

    For optional columns of dates, amounts and references, where 无 means "none". Not for a
    yes/no column, where 无 is an answer (``parse_bool`` reads it as False).
    """
    return is_blank(cell) or (isinstance(cell, str) and _WHITESPACE.sub("", normalise_text(cell)).lower() in PLACEHOLDERS)


_EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}


def _excel_error(text: str) -> str:
    """The reason for a cell that holds an Excel error value, or an empty string."""
    if text.upper() in _EXCEL_ERRORS:
        return f"单元格是 Excel 的错误值 {text}，请检查该格的公式"
    return ""


# --- amounts -----------------------------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"^(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?e[+-]?\d+$")
_PREFIXES = ("人民币", "rmb", "cny", "¥")
_SUFFIXES = (("万元", "万元"), ("千元", "千元"), ("亿元", "亿元"), ("元整", "元"), ("元", "元"), ("圆", "元"), ("万", "万元"), ("亿", "亿元"))
_MINUS = "-−"  # hyphen-minus (full-width － becomes it under NFKC) and the minus sign


def parse_amount(cell: Any, *, unit: str = "元") -> Decimal:
    """An amount in yuan, from a number or from text such as ``15,000.00``, ``¥15000元``, ``2.5万元``.

    ``unit`` is the column's unit (from its header, e.g. 万元); a unit written in the cell wins
    over it. Floats (Excel numbers) are read as Excel shows them, to 15 significant digits, so
    binary noise such as 0.30000000000000004 becomes 0.30; a value that then still has more
    than two decimals is returned as it is (not rounded), for the model's "at most two decimals"
    check to report. An amount with at most two decimals comes back with exactly two (25000.00).
    The sign is kept: whether a negative amount is allowed is the model's rule.
    """
    if unit not in AMOUNT_UNITS:
        raise ValueError(f"unknown amount unit {unit!r}")
    if isinstance(cell, bool) or cell is None:
        raise CellError(EXPECT_AMOUNT, cell, "空白" if cell is None else "是/否值不是金额")
    if isinstance(cell, (int, float, Decimal)):
        value = _number_value(cell)
        scale = AMOUNT_UNITS[unit]
    elif isinstance(cell, str):
        value, scale = _amount_text(cell, unit)
    else:
        raise CellError(EXPECT_AMOUNT, cell, f"{_kind_zh(cell)}不是金额")
    return _checked_amount(cell, value * scale)


def _number_value(cell: int | float | Decimal) -> Decimal:
    if isinstance(cell, float):
        if not math.isfinite(cell):
            raise CellError(EXPECT_AMOUNT, cell, "不是有效数值")
        return Decimal(format(cell, ".15g"))
    if isinstance(cell, Decimal):
        if not cell.is_finite():
            raise CellError(EXPECT_AMOUNT, cell, "不是有效数值")
        return cell
    return Decimal(cell)


def _amount_text(cell: str, default_unit: str) -> tuple[Decimal, Decimal]:
    text = _WHITESPACE.sub("", normalise_text(cell)).lower()
    if not text:
        raise CellError(EXPECT_AMOUNT, cell, "空白")
    if reason := _excel_error(cell.strip()):
        raise CellError(EXPECT_AMOUNT, cell, reason)
    if text in {"nan", "inf", "+inf", "-inf", "infinity", "-infinity"}:
        raise CellError(EXPECT_AMOUNT, cell, "不是有效数值")
    negative = signed = False
    unit = default_unit
    for _ in range(2):  # a sign may stand before or after the currency mark: -¥100, ¥-100
        if not signed and text[:1] and text[0] in _MINUS + "+":
            negative, signed = text[0] in _MINUS, True
            text = text[1:]
        for prefix in _PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix):]
                break
    for suffix, written in _SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            unit = written
            break
    if _SCIENTIFIC.match(text):
        raise CellError(EXPECT_AMOUNT, cell, "科学计数法写法可能已丢失数位，请把该列设为数值格式后重新导出")
    found = _PLAIN_NUMBER.match(text)
    if found is None:
        if "," in text and re.fullmatch(r"[\d,]+(?:\.\d+)?", text):
            reason = "千位分隔符位置不对（应每三位一个，如 15,000.00）"
        elif text.count(".") > 1:
            reason = "小数点多于一个"
        else:
            reason = "不是数字"
        raise CellError(EXPECT_AMOUNT, cell, reason)
    value = Decimal(text.replace(",", ""))
    return (-value if negative else value), AMOUNT_UNITS[unit]


def _checked_amount(cell: Any, value: Decimal) -> Decimal:
    if abs(value) > MAX_AMOUNT:
        raise CellError(EXPECT_AMOUNT, cell, "金额超过一万亿元，请核对单位和数位")
    fen = value.quantize(_FEN)
    return fen if fen == value else value.normalize()  # 12345.6780000 from 万元 shows as 12345.678


def _kind_zh(cell: Any) -> str:
    if isinstance(cell, dt.datetime):
        return "日期时间"
    if isinstance(cell, dt.date):
        return "日期"
    if isinstance(cell, (list, tuple)):
        return "列表"
    if isinstance(cell, dict):
        return "映射"
    return f"此类值（{type(cell).__name__}）"


# --- dates -------------------------------------------------------------------------------------

_EXCEL_EPOCH = dt.datetime(1899, 12, 31)
"""Serial 1 is 1900-01-01; from serial 61 (1900-03-01) on, one day later, for Excel's 1900-02-29."""

EARLIEST_SERIAL_DAY = dt.date(1990, 1, 1)
LATEST_SERIAL_DAY = dt.date(2100, 12, 31)
"""Serial numbers are accepted as dates only in this range: outside it, a number is not a date."""


def _finite(number: float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an int too large for a float
        return False


def excel_serial_to_datetime(serial: float) -> dt.datetime:
    """An Excel serial date-time (1900 date system) as a datetime; the fraction is the time of day, to the second.

    Serial 60 is 1900-02-29, a day that never was (Excel keeps Lotus 1-2-3's leap-year error),
    and is refused; so are serials below 1 (Excel's 1900-01-00).
    """
    if isinstance(serial, bool) or not _finite(serial):
        raise CellError(EXPECT_DATE, serial, "不是有效数值")
    if serial < 1:
        raise CellError(EXPECT_DATE, serial, "Excel 日期序号应从 1（1900-01-01）起")
    whole = math.floor(serial)
    if whole == 60:
        raise CellError(EXPECT_DATE, serial, "Excel 日期序号 60 是不存在的 1900-02-29")
    seconds = round((serial - whole) * 86400)
    day = whole if whole < 60 else whole - 1
    try:
        return _EXCEL_EPOCH + dt.timedelta(days=day, seconds=seconds)
    except OverflowError:
        raise CellError(EXPECT_DATE, serial, "日期序号过大") from None


def parse_date_cell(cell: Any) -> dt.date:
    """A date from everything ``checker.dates.parse_day`` reads, and from Excel's own forms.

    Also: ``datetime`` (the time dropped), Excel serial numbers as numbers or as digit-only text
    (43952 and 43952.5 are 2020-05-01; only for days in 1990–2100), full-width digits
    (２０２０年５月１日). An 8-digit number is ``parse_day``'s 20200501, never a serial.
    """
    if isinstance(cell, bool) or cell is None:
        raise CellError(EXPECT_DATE, cell, "空白" if cell is None else "是/否值不是日期")
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, Decimal):
        if not cell.is_finite():
            raise CellError(EXPECT_DATE, cell, "不是有效数值")
        cell = float(cell)
    if isinstance(cell, float) and cell.is_integer() and 19000101 <= cell <= 29991231:
        cell = int(cell)
    if isinstance(cell, int) and 19000101 <= cell <= 29991231:
        return _via_parse_day(cell, cell)
    if isinstance(cell, (int, float)):
        return _serial_day(cell, cell)
    if not isinstance(cell, str):
        raise CellError(EXPECT_DATE, cell, f"{_kind_zh(cell)}不是日期")
    text = normalise_text(cell)
    if not text:
        raise CellError(EXPECT_DATE, cell, "空白")
    if reason := _excel_error(text):
        raise CellError(EXPECT_DATE, cell, reason)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return _serial_day(float(text), cell)
    return _via_parse_day(text, cell)


def _via_parse_day(value: Any, cell: Any) -> dt.date:
    try:
        day = parse_day(value)
    except ValueError as exc:
        raise CellError(EXPECT_DATE, cell, _without_example(str(exc))) from None
    if not isinstance(day, dt.date):  # parse_day hands back what it does not read
        raise CellError(EXPECT_DATE, cell, "不是日期")
    return day


def _without_example(message: str) -> str:
    """parse_day's reason less the value and example it repeats (the message shows both already)."""
    reason = message.split("：", 1)[0]
    return "" if reason == "无法识别的日期" else reason


def _serial_day(serial: float, cell: Any) -> dt.date:
    try:
        day = excel_serial_to_datetime(serial).date()
    except CellError as exc:
        raise CellError(EXPECT_DATE, cell, exc.reason_zh) from None
    if not EARLIEST_SERIAL_DAY <= day <= LATEST_SERIAL_DAY:
        raise CellError(
            EXPECT_DATE, cell, f"作为 Excel 日期序号是 {day.isoformat()}，不在 {EARLIEST_SERIAL_DAY.year}–{LATEST_SERIAL_DAY.year} 年之间"
        )
    return day


# --- yes / no ----------------------------------------------------------------------------------

_TRUE = {"是", "有", "对", "√", "✓", "✔", "☑", "y", "yes", "true", "t", "1", "是的"}
_FALSE = {"否", "无", "错", "×", "✗", "✘", "☒", "n", "no", "false", "f", "0", "不是", "没有"}


def parse_bool(cell: Any) -> bool:
    """Yes or no: 是/否, 有/无, 对/错, √/×, ✓/✗, Y/N, yes/no, true/false (any case), 1/0, and Excel booleans."""
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, (int, float, Decimal)) and not isinstance(cell, bool):
        if cell == 1:
            return True
        if cell == 0:
            return False
        raise CellError(EXPECT_BOOL, cell, "数字只能是 1 或 0")
    if not isinstance(cell, str):
        raise CellError(EXPECT_BOOL, cell, "空白" if cell is None else f"{_kind_zh(cell)}不是是/否")
    text = normalise_text(cell).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(EXPECT_BOOL, cell, "空白" if not text else _excel_error(cell.strip()))


# --- lists -------------------------------------------------------------------------------------

_LIST_SEPARATORS = re.compile(r"[、,;/]+")
_LIST_SEPARATORS_AND_SPACE = re.compile(r"[、,;/\s]+")


def split_list(cell: Any, *, whitespace: bool = True) -> list[str]:
    """The items of a list cell, separated by 、 ， , ； ; / or (unless ``whitespace=False``) spaces.

    Items are normalised as values (``normalise_text``) and empty ones dropped; a blank cell is
    an empty list. A number (Excel's reading of a lone id such as 1001) is one item, written as
    an integer when it is one; a list (from YAML) has each of its items normalised.
    ``whitespace=False`` is for free-text items that contain spaces (titles of laws).
    """
    if cell is None:
        return []
    if isinstance(cell, (list, tuple)):
        return [item for item in (_item_text(c) for c in cell) if item]
    if isinstance(cell, bool):
        raise CellError("以顿号或逗号分隔的列表（如 S01、S02）", cell, "是/否值不是列表")
    if isinstance(cell, (int, float, Decimal)):
        return [_item_text(cell)]
    if not isinstance(cell, str):
        raise CellError("以顿号或逗号分隔的列表（如 S01、S02）", cell, f"{_kind_zh(cell)}不是列表")
    pattern = _LIST_SEPARATORS_AND_SPACE if whitespace else _LIST_SEPARATORS
    return [part.strip() for part in pattern.split(normalise_text(cell)) if part.strip()]


def _item_text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return normalise_text(str(cell))


# --- staff -------------------------------------------------------------------------------------


def staff_ref(cell: Any, staff: Sequence[tuple[str, str]]) -> str:
    """The id of one member of staff, written by id or by name; ``staff`` is the profile's (id, name) pairs.

    An id wins over a name. Names are compared without spaces (clerks write 张  三 to align
    columns). A name two people share, or one nobody has, raises ``CellError`` with the
    candidates (each as "id 姓名").
    """
    if cell is None or isinstance(cell, bool) or not isinstance(cell, (str, int, float)):
        raise CellError(EXPECT_STAFF, cell, "空白" if cell is None else f"{_kind_zh(cell)}不是人员")
    text = _item_text(cell)
    if not text:
        raise CellError(EXPECT_STAFF, cell, "空白")
    ids = {normalise_text(sid): sid for sid, _ in staff}
    if text in ids:
        return ids[text]
    key = normalise_text(text, header=True)
    named = [(sid, name) for sid, name in staff if normalise_text(name, header=True) == key]
    if len(named) == 1:
        return named[0][0]
    if named:
        shown = [f"{sid} {name}" for sid, name in named]
        raise CellError(EXPECT_STAFF, cell, f"有 {len(named)} 人同名（{'、'.join(shown)}），请改写人员编号", shown)
    near = _nearest(key, staff)
    hint = f"（最接近的是 {'、'.join(near)}）" if near else ""
    raise CellError(EXPECT_STAFF, cell, f"单位概况中没有此编号或姓名的人员{hint}", near)


def _nearest(key: str, staff: Sequence[tuple[str, str]]) -> list[str]:
    by_text: dict[str, list[str]] = {}
    for sid, name in staff:
        shown = f"{sid} {name}"
        by_text.setdefault(normalise_text(sid), []).append(shown)
        by_text.setdefault(normalise_text(name, header=True), []).append(shown)
    close = difflib.get_close_matches(key, list(by_text), n=3, cutoff=0.5)
    return list(dict.fromkeys(shown for text in close for shown in by_text[text]))


# --- CSV text --------------------------------------------------------------------------------

_BOMS = (  # the byte-order mark, the codec of what follows it, the name reported
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)
_SIGNATURES = (
    (b"PK\x03\x04", "这是 Excel（.xlsx）或其他压缩格式的文件，不是 CSV 文本；请把后缀改为 .xlsx，或在 Excel 中另存为 CSV"),
    (b"\xd0\xcf\x11\xe0", "这是旧版 Excel（.xls）或 Word（.doc）文件，不是 CSV 文本；请把后缀改为 .xls，或在 Excel 中另存为 CSV"),
    (b"%PDF", "这是 PDF 文件，不是 CSV 文本"),
)


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: UTF-8 with or without BOM, GB18030 (GBK,
    GB2312), UTF-16 or UTF-32 with BOM. Anything else raises ``LayoutError`` saying what it looks like.

    A byte-order mark is not part of the text. UTF-8 is tried before GB18030: Chinese text in
    GBK is practically never valid UTF-8, while GB18030 would accept almost any bytes.
    """
    for bom, codec, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), encoding
            except UnicodeDecodeError:
                name = encoding.removesuffix("-sig").upper()
                raise LayoutError(f"文件以 {name} 的标记开头，但内容不是 {name} 文字") from None
    for signature, message in _SIGNATURES:
        if data.startswith(signature):
            raise LayoutError(message)
    if b"\x00" in data:
        raise LayoutError("文件含空字节，不是 UTF-8 或 GBK 文本（若是 UTF-16，请在 Excel 中另存为“CSV UTF-8”）")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text, encoding
    raise LayoutError("无法识别的文字编码（应为 UTF-8 或 GBK）；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”")


def _looks_binary(text: str) -> bool:
    """Text with control characters other than tab and line ends: bytes that happened to decode."""
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f\v")
    return controls > max(2, len(text) // 100)


DELIMITERS = (",", "\t", ";", "，", "|")
"""CSV delimiters clerks' files use, in order of preference: comma, tab (Excel's "Unicode text"),
semicolon (Excel in some locales), full-width comma (typed by hand), bar."""


def sniff_delimiter(text: str) -> str:
    """The delimiter of CSV text: ``csv.Sniffer``'s answer if it splits the lines consistently,
    else the first of ``DELIMITERS`` that does, else the one giving the widest first line, else a comma.

    "Consistently": the first line has at least two fields and at least four in five of the
    following lines (up to 50) have as many.
    """
    lines = [line for line in text.splitlines() if line.strip()][:50]
    if not lines:
        return ","
    sample = "\n".join(lines)
    try:
        sniffed: str | None = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if sniffed is not None and _consistent(lines, sniffed):
        return sniffed
    for delimiter in DELIMITERS:
        if _consistent(lines, delimiter):
            return delimiter
    widths = {d: _widths(lines[:1], d)[0] for d in DELIMITERS}
    widest = max(DELIMITERS, key=lambda d: widths[d])
    return widest if widths[widest] > 1 else ","


def _widths(lines: list[str], delimiter: str) -> list[int]:
    return [len(row) for row in csv.reader(lines, delimiter=delimiter)]


def _consistent(lines: list[str], delimiter: str) -> bool:
    widths = _widths(lines, delimiter)
    if not widths or widths[0] < 2:
        return False
    rest = widths[1:]
    return not rest or 5 * sum(1 for w in rest if w == widths[0]) >= 4 * len(rest)


# --- .xls --------------------------------------------------------------------------------------


def read_xls(path: Path) -> list[list[Any]]:
    """The first sheet of an old-style Excel file (.xls, or any file calamine reads) as rows of cells.

    Empty cells are None, as openpyxl gives them; dates come as ``date`` or ``datetime``;
    whole numbers as ``int``. Leading empty rows are kept, so row numbers match the sheet's.
    """
    try:
        from python_calamine import CalamineWorkbook  # noqa: PLC0415 - only ledgers kept as .xls need it
    except ImportError:  # pragma: no cover - it is a dependency
        raise LayoutError("读取 .xls 文件需要 python-calamine 软件包，请安装后再试，或把文件另存为 .xlsx") from None
    if not Path(path).is_file():
        raise LayoutError(f"文件不存在：{path}")
    try:
        book = CalamineWorkbook.from_path(str(path))
        if not book.sheet_names:
            return []
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 - calamine raises several kinds for a damaged or foreign file
        raise LayoutError(f"无法打开 Excel 文件（文件已损坏，或不是 Excel 格式）：{exc}") from None
    return [[None if cell == "" else cell for cell in row] for row in rows]
