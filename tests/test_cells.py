"""Cells, header rows and file names as clerks keep them (checker.records.cells and .headers).

``tests/data/fine_2020.xls`` was written once with xlwt 1.3.0 (not a dependency)::

    ws.write_merge(0, 0, 0, 5, "2020年罚没款台账")
    header row: 序号 编号 决定日期 金额（元） 当事人 备注
    1, "F001", date(2020, 5, 1) formatted yyyy-mm-dd, 15000.5, "某公司"
    2, 1002, "2020年6月3日", "2.5万元", "某某", "分期"
    (a blank row)
    row 6: "合 计" in column 2, 40000.5 in column 4
"""

from __future__ import annotations

import contextlib
import datetime as dt
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.dates import parse_day
from checker.records import LEDGERS
from checker.records.cells import (
    CellError,
    LayoutError,
    decode_text,
    excel_serial_to_datetime,
    is_blank,
    is_placeholder,
    normalise_text,
    parse_amount,
    parse_bool,
    parse_date_cell,
    read_xls,
    sniff_delimiter,
    split_list,
    staff_ref,
)
from checker.records.headers import (
    IGNORED,
    HeaderAliases,
    HeaderMatch,
    alias_conflicts,
    find_header_row,
    is_blank_row,
    is_total_row,
    ledger_of_filename,
    load_aliases,
    match_header,
    match_header_row,
    repeated_fields,
    shipped_aliases,
    strip_copy_marker,
    suggest_header,
)

XLS = Path(__file__).parent / "data" / "fine_2020.xls"
FINE = LEDGERS["fine"]
REMITTANCE = LEDGERS["remittance"]
LABELS = {name: model.label for name, model in LEDGERS.items()}

FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


# --- CellError ---------------------------------------------------------------------------------


def test_cell_error_is_a_value_error_with_a_chinese_message() -> None:
    with pytest.raises(CellError) as caught:
        parse_amount("1,50")
    err = caught.value
    assert isinstance(err, ValueError)  # so a pydantic validator may raise it as it is
    assert err.expected_zh == "金额（如 15000、15,000.00、1.5万元）"
    assert err.value == "1,50"
    assert "千位分隔符" in err.reason_zh
    assert str(err) == err.message_zh == f"无法识别 '1,50'：{err.reason_zh}；应为{err.expected_zh}"


# --- amounts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (15000, "15000.00"),
        (15000.0, "15000.00"),
        (15000.5, "15000.50"),
        (0.1 + 0.2, "0.30"),  # binary noise: 0.30000000000000004
        (1234567.8900000001, "1234567.89"),
        (Decimal("12.3"), "12.30"),
        ("15000", "15000.00"),
        ("15,000.00", "15000.00"),
        ("15，000", "15000.00"),
        ("1,234,567.5", "1234567.50"),
        ("15 000", "15000.00"),
        ("  15000  ", "15000.00"),
        ("15000元", "15000.00"),
        ("15000元整", "15000.00"),
        ("2.5万元", "25000.00"),
        ("2.5 万元", "25000.00"),
        ("3万", "30000.00"),
        ("1.2345万元", "12345.00"),
        ("12千元", "12000.00"),
        ("¥15000", "15000.00"),
        ("￥15,000.00", "15000.00"),
        ("￥１５０００", "15000.00"),
        ("１５，０００．５０", "15000.50"),
        ("RMB 1,234.5", "1234.50"),
        ("rmb1234", "1234.00"),
        ("人民币 800 元", "800.00"),
        ("-¥100", "-100.00"),
        ("¥-100", "-100.00"),
        ("－100", "-100.00"),
        ("+5", "5.00"),
        ("0", "0.00"),
        ("0.5", "0.50"),
        ("1000000000000", "1000000000000.00"),  # exactly the limit
    ],
)
def test_amounts(cell: Any, expected: str) -> None:
    got = parse_amount(cell)
    assert got == Decimal(expected)
    assert str(got) == expected  # to the fen, two decimals: nothing left of binary noise


def test_an_amount_with_more_than_two_decimals_is_not_rounded_away() -> None:
    # the model's "at most two decimals" check must still see the clerk's 15000.125
    assert str(parse_amount(15000.125)) == "15000.125"
    assert str(parse_amount("15000.125")) == "15000.125"
    assert str(parse_amount("1.2345678万元")) == "12345.678"
    assert str(parse_amount("1.23456万元")) == "12345.60"  # to the fen after all


@pytest.mark.parametrize(
    ("cell", "unit", "expected"),
    [
        (2.5, "万元", "25000.00"),
        ("2.5", "万元", "25000.00"),
        ("15000元", "万元", "15000.00"),  # a unit in the cell wins over the column's
        ("1.5万元", "元", "15000.00"),
        (12, "千元", "12000.00"),
        (1, "亿元", "100000000.00"),
    ],
)
def test_amounts_in_a_column_of_another_unit(cell: Any, unit: str, expected: str) -> None:
    assert parse_amount(cell, unit=unit) == Decimal(expected)


def test_an_unknown_column_unit_is_a_programming_error() -> None:
    with pytest.raises(ValueError) as caught:
        parse_amount(1, unit="美元")
    assert not isinstance(caught.value, CellError)


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("abc", "不是数字"),
        ("", "空白"),
        ("   ", "空白"),
        (None, "空白"),
        (True, "是/否值不是金额"),
        ("1,50", "千位分隔符位置不对"),
        ("15,0000", "千位分隔符位置不对"),
        ("1.2.3", "小数点多于一个"),
        ("--100", "不是数字"),
        ("1.2E+05", "科学计数法"),
        ("1.23457e+11", "科学计数法"),
        (float("nan"), "不是有效数值"),
        (float("inf"), "不是有效数值"),
        (Decimal("NaN"), "不是有效数值"),
        ("NaN", "不是有效数值"),
        ("-Infinity", "不是有效数值"),
        ("#DIV/0!", "Excel 的错误值 #DIV/0!"),
        ("#N/A", "Excel 的错误值 #N/A"),
        (1e12 + 1, "超过一万亿元"),
        ("-2000000000000", "超过一万亿元"),
        ("20000万亿", "不是数字"),
        ("200000000万元", "超过一万亿元"),
        (dt.date(2020, 5, 1), "日期不是金额"),
        (dt.time(12, 0), "此类值（time）不是金额"),
        ({"金额": 1}, "映射不是金额"),
        ("15000美元", "不是数字"),
        ("$15000", "不是数字"),
    ],
)
def test_amounts_refused(cell: Any, reason: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_amount(cell)
    assert caught.value.expected_zh == "金额（如 15000、15,000.00、1.5万元）"
    assert reason in caught.value.reason_zh


fen_amounts = st.decimals(min_value=Decimal("-99999999999.99"), max_value=Decimal("99999999999.99"), places=2)


def _written(x: Decimal, form: str) -> Any:
    if form == "plain":
        return f"{x:f}"
    if form == "thousands":
        return f"{x:,.2f}"
    if form == "yuan":
        return f"¥{x:,f}元"
    if form == "full_width":
        return f"{x:,.2f}".translate(FULL_WIDTH)
    if form == "wan":
        return f"{x / 10000:f}万元"
    if form == "float":
        return float(x)  # as Excel hands a number over
    raise AssertionError(form)


@given(fen_amounts, st.sampled_from(["plain", "thousands", "yuan", "full_width", "wan", "float"]))
def test_amounts_written_any_way_read_back_to_the_fen(x: Decimal, form: str) -> None:
    got = parse_amount(_written(x, form))
    assert got == x
    assert got.as_tuple().exponent == -2


@given(st.text(max_size=20))
def test_amount_text_is_read_or_refused_with_a_cell_error(text: str) -> None:
    try:
        got = parse_amount(text)
    except CellError as exc:
        assert exc.expected_zh
    else:
        assert got.is_finite() and abs(got) <= Decimal(10) ** 12


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2020-05-01", dt.date(2020, 5, 1)),
        ("2020/5/1", dt.date(2020, 5, 1)),
        ("2020.5.1", dt.date(2020, 5, 1)),
        ("2020年5月1日", dt.date(2020, 5, 1)),
        ("2020年5月1", dt.date(2020, 5, 1)),
        ("20200501", dt.date(2020, 5, 1)),
        (20200501, dt.date(2020, 5, 1)),
        (20200501.0, dt.date(2020, 5, 1)),
        ("2020-05-01 13:45:00", dt.date(2020, 5, 1)),
        ("２０２０年５月１日", dt.date(2020, 5, 1)),
        ("2020－05－01", dt.date(2020, 5, 1)),
        (" 2020-05-01\u3000", dt.date(2020, 5, 1)),
        (dt.date(2020, 5, 1), dt.date(2020, 5, 1)),
        (dt.datetime(2020, 5, 1, 23, 59), dt.date(2020, 5, 1)),
        (43952, dt.date(2020, 5, 1)),
        (43952.0, dt.date(2020, 5, 1)),
        (43952.5, dt.date(2020, 5, 1)),  # noon
        (43952.99, dt.date(2020, 5, 1)),
        (Decimal("43952"), dt.date(2020, 5, 1)),
        ("43952", dt.date(2020, 5, 1)),  # a serial exported to CSV as text
        ("43952.25", dt.date(2020, 5, 1)),
        (32874, dt.date(1990, 1, 1)),  # the first day accepted as a serial
        (73415, dt.date(2100, 12, 31)),  # the last
        (36586, dt.date(2000, 3, 1)),
        (36585, dt.date(2000, 2, 29)),  # a real leap day
    ],
)
def test_dates(cell: Any, expected: dt.date) -> None:
    assert parse_date_cell(cell) == expected


@pytest.mark.parametrize(
    "text", ["2020-09-20", "2020/9/20", "2020.9.20", "2020年9月20日", "20200920", "2021-02-28T08:00", "1999年12月31日"]
)
def test_every_date_parse_day_reads_is_read_alike(text: str) -> None:
    assert parse_date_cell(text) == parse_day(text)


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, dt.datetime(1900, 1, 1)),
        (59, dt.datetime(1900, 2, 28)),
        (61, dt.datetime(1900, 3, 1)),  # after Excel's fictitious 1900-02-29
        (43952, dt.datetime(2020, 5, 1)),
        (43952.5, dt.datetime(2020, 5, 1, 12)),
        (43952.75, dt.datetime(2020, 5, 1, 18)),
        (43952 + 1 / 86400, dt.datetime(2020, 5, 1, 0, 0, 1)),
        (43952.999999999, dt.datetime(2020, 5, 2)),  # to the second: a float a hair below midnight is midnight
    ],
)
def test_excel_serials(serial: float, expected: dt.datetime) -> None:
    assert excel_serial_to_datetime(serial) == expected


@pytest.mark.parametrize(("serial", "reason"), [(60, "1900-02-29"), (0, "从 1"), (-5, "从 1"), (0.5, "从 1"), (float("nan"), "有效数值")])
def test_excel_serials_refused(serial: float, reason: str) -> None:
    with pytest.raises(CellError) as caught:
        excel_serial_to_datetime(serial)
    assert reason in caught.value.reason_zh


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)), st.floats(min_value=0, max_value=0.9999))
def test_serials_of_days_in_range_read_back(day: dt.date, fraction: float) -> None:
    serial = (day - dt.date(1899, 12, 30)).days
    assert parse_date_cell(serial) == day
    assert parse_date_cell(serial + fraction) == day


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        (60, "不存在的 1900-02-29"),
        (2020, "1905-07-12"),  # a year alone is no date; as a serial it would be 1905
        (100, "不在 1990–2100 年之间"),
        (32873, "1989-12-31"),
        (73416, "2101-01-01"),
        ("2020-02-30", "没有这一天"),
        ("2021-02-29", "没有这一天"),
        ("2020-13-01", "没有这一天"),
        ("2020年", ""),
        ("五月一日", ""),
        ("", "空白"),
        (None, "空白"),
        (True, "是/否值不是日期"),
        ("#VALUE!", "Excel 的错误值"),
        (["2020-05-01"], "列表不是日期"),
    ],
)
def test_dates_refused(cell: Any, reason: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_date_cell(cell)
    assert caught.value.expected_zh == "日期（如 2020-05-01、2020/5/1、2020年5月1日）"
    assert reason in caught.value.reason_zh
    if not reason:
        assert caught.value.reason_zh == ""  # parse_day's own wording would only repeat the message


@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.decimals(), st.datetimes(), st.booleans(), st.none()))
def test_any_cell_is_a_date_or_a_cell_error(cell: Any) -> None:
    try:
        day = parse_date_cell(cell)
    except CellError as exc:
        assert exc.expected_zh == "日期（如 2020-05-01、2020/5/1、2020年5月1日）"
    else:
        assert isinstance(day, dt.date) and not isinstance(day, dt.datetime)


# --- yes / no ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    ["是", "有", "对", "√", "✓", "✔", "Y", "y", "Ｙ", "yes", "YES", "Yes", "true", "TRUE", "True", "1", " 是 ", True, 1, 1.0],
)
def test_yes(cell: Any) -> None:
    assert parse_bool(cell) is True


@pytest.mark.parametrize(
    "cell", ["否", "无", "错", "×", "✗", "✘", "N", "n", "no", "NO", "false", "FALSE", "False", "0", "\u3000否", False, 0, 0.0]
)
def test_no(cell: Any) -> None:
    assert parse_bool(cell) is False


@pytest.mark.parametrize(("cell", "reason"), [("maybe", ""), ("", "空白"), (None, "空白"), (2, "1 或 0"), (0.5, "1 或 0"), ("是否", ""), ("x", ""), ("#REF!", "错误值")])
def test_yes_or_no_refused(cell: Any, reason: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_bool(cell)
    assert caught.value.expected_zh == "是或否（如 是/否、有/无、√/×、Y/N、1/0）"
    assert reason in caught.value.reason_zh


@given(st.one_of(st.text(max_size=10), st.integers(), st.floats(), st.none(), st.dates()))
def test_any_cell_is_yes_no_or_a_cell_error(cell: Any) -> None:
    try:
        assert parse_bool(cell) in (True, False)
    except CellError as exc:
        assert exc.expected_zh.startswith("是或否")


# --- lists -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("S01、S02", ["S01", "S02"]),
        ("S01，S02", ["S01", "S02"]),
        ("S01,S02", ["S01", "S02"]),
        ("S01；S02;S03", ["S01", "S02", "S03"]),
        ("S01/S02", ["S01", "S02"]),
        ("S01 S02", ["S01", "S02"]),
        ("S01\u3000S02", ["S01", "S02"]),
        ("S01\nS02", ["S01", "S02"]),
        (" S01 、、 S02 ,", ["S01", "S02"]),
        ("S01", ["S01"]),
        ("Ｓ０１、Ｓ０２", ["S01", "S02"]),
        ("", []),
        ("、", []),
        (None, []),
        (1001, ["1001"]),
        (1001.0, ["1001"]),
        (["S01", " S02 ", "", 1003.0], ["S01", "S02", "1003"]),
    ],
)
def test_lists(cell: Any, expected: list[str]) -> None:
    assert split_list(cell) == expected


def test_lists_of_titles_with_spaces_keep_them_when_asked() -> None:
    assert split_list("中华人民共和国 统计法、统计法 实施条例", whitespace=False) == ["中华人民共和国 统计法", "统计法 实施条例"]
    assert split_list("中华人民共和国 统计法、统计法") == ["中华人民共和国", "统计法", "统计法"]


def test_a_yes_no_value_is_no_list() -> None:
    with pytest.raises(CellError):
        split_list(True)


# --- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "header"),
    [
        ("  某某 有限公司  ", "某某 有限公司", "某某有限公司"),
        ("Ｆ００１", "F001", "F001"),
        ("金额（元）", "金额(元)", "金额(元)"),
        ("\ufeff编号", "编号", "编号"),  # a byte-order mark left in the first header cell
        ("金\u3000\u3000额", "金  额", "金额"),
        ("决定\u200b日期", "决定日期", "决定日期"),
    ],
)
def test_normalise_text(text: str, value: str, header: str) -> None:
    assert normalise_text(text) == value
    assert normalise_text(text, header=True) == header


@pytest.mark.parametrize(("cell", "blank", "placeholder"), [(None, True, True), ("", True, True), (" \u3000", True, True), ("—", False, True), ("/", False, True), ("无", False, True), ("不适用", False, True), ("N/A", False, True), ("0", False, False), (0, False, False), ("否", False, False)])
def test_blank_and_placeholder_cells(cell: Any, blank: bool, placeholder: bool) -> None:
    assert is_blank(cell) is blank
    assert is_placeholder(cell) is placeholder


# --- staff -------------------------------------------------------------------------------------

STAFF = [("S01", "张三"), ("S02", "李四"), ("S03", "王五"), ("S04", "王五"), ("1005", "赵六"), ("S07", "S01")]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("S01", "S01"), (" S02 ", "S02"), ("Ｓ０２", "S02"), ("张三", "S01"), ("张  三", "S01"), ("李\u3000四", "S02"), (1005, "1005"), (1005.0, "1005"), ("赵六", "1005"), ("S01", "S01")],
)
def test_staff_by_id_or_name(cell: Any, expected: str) -> None:
    assert staff_ref(cell, STAFF) == expected


def test_an_id_wins_over_a_name() -> None:
    assert staff_ref("S01", STAFF) == "S01"  # S07's name is "S01", but S01 is an id


def test_a_shared_name_lists_who_has_it() -> None:
    with pytest.raises(CellError) as caught:
        staff_ref("王五", STAFF)
    assert caught.value.candidates == ("S03 王五", "S04 王五")
    assert "有 2 人同名（S03 王五、S04 王五），请改写人员编号" in caught.value.reason_zh
    assert caught.value.expected_zh == "人员编号或姓名（须是单位概况中登记的人员）"


def test_an_unknown_name_lists_the_nearest() -> None:
    with pytest.raises(CellError) as caught:
        staff_ref("张三丰", STAFF)
    assert "单位概况中没有此编号或姓名的人员" in caught.value.reason_zh
    assert "S01 张三" in caught.value.candidates
    with pytest.raises(CellError) as far:
        staff_ref("欧阳修", STAFF)
    assert far.value.candidates == ()


@pytest.mark.parametrize("cell", [None, "", True, dt.date(2020, 1, 1)])
def test_no_staff_in_a_blank_or_foreign_cell(cell: Any) -> None:
    with pytest.raises(CellError):
        staff_ref(cell, STAFF)


# --- CSV text ----------------------------------------------------------------------------------

CSV = '编号,决定日期,金额（元）\nF001,2020-05-01,"15,000"\n'


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CSV.encode("utf-8"), "utf-8"),
        (CSV.encode("utf-8-sig"), "utf-8-sig"),
        (CSV.encode("gbk"), "gb18030"),
        (CSV.encode("gb18030"), "gb18030"),
        (CSV.encode("utf-16"), "utf-16"),
        ("\ufeff".encode("utf-16-be") + CSV.encode("utf-16-be"), "utf-16"),
        (CSV.encode("utf-32"), "utf-32"),
    ],
)
def test_decode_text(data: bytes, encoding: str) -> None:
    assert decode_text(data) == (CSV, encoding)  # the byte-order mark is not in the text


def test_gb18030_beyond_gbk() -> None:
    text = "当事人,𠀀某公司\n"  # a character outside GBK that GB18030 has
    assert decode_text(text.encode("gb18030")) == (text, "gb18030")


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "不是 CSV 文本"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
        (b"%PDF-1.4", "PDF"),
        ("编号,金额".encode("utf-16-le"), "空字节"),
        (b"\xef\xbb\xbf\xff\xfe\xfd", "UTF-8 的标记"),
        (b"\x81\x30\x81" * 10, "无法识别的文字编码"),  # broken four-byte GB18030, not UTF-8 either
        (bytes(range(1, 32)) * 5, "无法识别的文字编码"),  # control bytes: not a ledger
    ],
)
def test_decode_text_refused(data: bytes, says: str) -> None:
    with pytest.raises(LayoutError) as caught:
        decode_text(data)
    assert says in str(caught.value)


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        (CSV, ","),
        (CSV.replace(",", "\t").replace('"15\t000"', "15000"), "\t"),
        ("编号;日期;金额\nF1;2020-05-01;15,000\nF2;2020-05-02;1\n", ";"),
        ("编号，日期，内容摘要\nF1，2020-05-01，经核查,无问题\nF2，2020-05-02，无\n", "，"),
        ("编号|日期\nF1|2020-05-01\n", "|"),
        ("2020年罚没款台账,,\n编号,日期,金额\nF1,2020-1-1,3\n", ","),
        ("编号,内容\nF1,某日；某事；某人\nF2,无\n", ","),
        ("编号\nF1\n", ","),
        ("", ","),
    ],
)
def test_sniff_delimiter(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


# --- headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field", "how", "unit"),
    [
        ("amount", "amount", "name", "元"),
        ("Amount", "amount", "name", "元"),
        ("金额（元）", "amount", "title", "元"),
        ("金额(元)", "amount", "title", "元"),
        ("金额", "amount", "title", "元"),
        (" 金 额 ", "amount", "title", "元"),
        ("金额（万元）", "amount", "title", "万元"),
        ("金额(万元)", "amount", "title", "万元"),
        ("金额【千元】", "amount", "title", "千元"),
        ("罚款金额（元）", "amount", "alias", "元"),
        ("罚款金额（万元）", "amount", "alias", "万元"),
        ("罚没金额", "amount", "alias", "元"),
        ("*决定日期", "decided_on", "title", None),
        ("决定日期：", "decided_on", "title", None),
        ("处罚决定日期", "decided_on", "alias", None),
        ("编号", "id", "title", None),
        ("\ufeff编号", "id", "title", None),
        ("id", "id", "name", None),
        ("记录编号", "id", "alias", None),  # a common alias, for every ledger
        ("被处罚人", "party", "alias", None),
        ("序号", None, "ignored", None),
        ("备注", None, "ignored", None),
        ("备　注", None, "ignored", None),
    ],
)
def test_fine_headers(header: str, field: str | None, how: str, unit: str | None) -> None:
    assert match_header(header, FINE) == HeaderMatch(field, how, unit)


@pytest.mark.parametrize("header", ["缴款日期", "入库日期", "缴库日期", "入库日期（年月日）", "remitted_on"])
def test_remittance_dates(header: str) -> None:
    found = match_header(header, REMITTANCE)
    assert found is not None and found.field == "remitted_on"


@pytest.mark.parametrize("header", ["xyz", "", None, "2020年罚没款台账", "填报单位：某区统计局", "罚款"])
def test_headers_not_recognised(header: Any) -> None:
    assert match_header(header, FINE) is None


def test_an_amount_columns_unit_scales_its_amounts() -> None:
    found = match_header("罚没金额（万元）", FINE)
    assert found is not None and found.scale == Decimal(10000)
    assert found.unit is not None and parse_amount(1.5, unit=found.unit) == Decimal("15000.00")
    plain = match_header("金额", FINE)
    assert plain is not None and plain.scale == 1
    date_col = match_header("决定日期（万元）", FINE)  # a unit on a column that is no amount means nothing
    assert date_col == HeaderMatch("decided_on", "title", None)


def test_every_field_is_found_by_its_name_and_title_however_written() -> None:
    for ledger, model in LEDGERS.items():
        for name, info in model.model_fields.items():
            title = info.title or name
            forms = [name, title, f"  {title} ", " ".join(title), title.replace("（", "(").replace("）", ")")]
            for form in forms:
                found = match_header(form, model)
                assert found is not None and found.field == name, (ledger, name, form, found)


def test_shipped_aliases_all_work() -> None:
    assert alias_conflicts(LEDGERS.values(), shipped_aliases()) == []
    assert set(shipped_aliases().ledgers) <= set(LEDGERS)


def test_alias_conflicts_are_found() -> None:
    aliases = HeaderAliases(
        ledgers={
            "fine": {"amount": ("金钱",), "party": ("金钱", "决定日期"), "nope": ("x",)},
            "no_such_ledger": {"x": ("y",)},
        }
    )
    found = alias_conflicts(LEDGERS.values(), aliases)
    assert "未知的台账 no_such_ledger" in found
    assert "fine: 未知的字段 nope" in found
    assert "fine.amount: 别名 金钱 也指向 party" in found
    assert "fine.party: 别名 决定日期 也指向 decided_on" in found  # shadowed by another field's title
    assert match_header("金钱", FINE, aliases=aliases) is None  # ambiguous: no guess


def test_a_bureaus_mapping_comes_first() -> None:
    bureau: dict[str, str | None] = {"罚金": "amount", "金额": None, "决定 日期": "fine.decided_on", "当事人": "remittance.voucher"}
    assert match_header("罚金", FINE, bureau) == HeaderMatch("amount", "bureau", "元")
    assert match_header("罚金（万元）", FINE, bureau) == HeaderMatch("amount", "bureau", "万元")
    assert match_header("金额", FINE, bureau) == HeaderMatch(None, "bureau")  # the bureau ignores that column
    assert match_header("决定日期", FINE, bureau) == HeaderMatch("decided_on", "bureau")
    assert match_header("决定日期", REMITTANCE, bureau) is None  # scoped to fine
    assert match_header("当事人", FINE, bureau) == HeaderMatch("party", "title")  # scoped elsewhere: passed over
    assert match_header("罚金", FINE) is None


def test_suggestions_for_unknown_headers() -> None:
    assert suggest_header("罚款金", FINE) == "罚款金额"
    assert suggest_header("决定时期", FINE) in {"决定日期", "决定时间"}
    assert suggest_header("完全无关", FINE) is None


def test_load_aliases(tmp_path: Path) -> None:
    good = tmp_path / "a.yaml"
    good.write_text("ignore: [序号]\ncommon:\n  id: [号码]\nledgers:\n  fine:\n    amount: [钱数]\n", encoding="utf-8")
    aliases = load_aliases(good)
    assert aliases.of("fine", "amount") == ("钱数",)
    assert aliases.of("fine", "id") == ("号码",)
    assert match_header("钱数（万元）", FINE, aliases=aliases) == HeaderMatch("amount", "alias", "万元")
    assert match_header("备注", FINE, aliases=aliases) is None  # not ignored by this file
    for text, says in [("- a\n", "应为映射"), ("other: 1\n", "未知的键"), ("ledgers:\n  fine:\n    amount: 钱数\n", "列表"), ("ignore: [1]\n", "列表")]:
        bad = tmp_path / "bad.yaml"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(LayoutError) as caught:
            load_aliases(bad)
        assert says in str(caught.value)


# --- header rows and table rows ----------------------------------------------------------------

TITLED: list[list[Any]] = [
    ["2020年罚没款台账", None, None, None, None],
    ["填报单位：某区统计局", None, None, "单位：元", None],
    [None, None, None, None, None],
    ["序号", "编号", "决定日期", "金额（元）", "备注"],
    [1, "F001", "2020-05-01", 15000, None],
]


def test_the_header_row_is_found_below_a_title() -> None:
    assert find_header_row(TITLED, FINE) == 3
    assert find_header_row(TITLED[3:], FINE) == 0
    assert match_header_row(TITLED[3], FINE) == [
        HeaderMatch(None, "ignored"),
        HeaderMatch("id", "title"),
        HeaderMatch("decided_on", "title"),
        HeaderMatch("amount", "title", "元"),
        HeaderMatch(None, "ignored"),
    ]


def test_ignored_columns_are_marked() -> None:
    assert match_header("序号", FINE) is IGNORED
    assert IGNORED.ignored and IGNORED.field is None and IGNORED.scale == 1
    found = match_header("金额", FINE)
    assert found is not None and not found.ignored


def test_a_row_of_only_ignored_columns_or_mostly_unknown_ones_is_no_header() -> None:
    table = [["序号", "备注"], ["编号", "甲", "乙", "丙"], ["编号", "决定日期", "丙"]]
    assert find_header_row(table, FINE) == 2


def test_no_header_row() -> None:
    with pytest.raises(LayoutError) as caught:
        find_header_row([["2020年罚没款台账"], ["F001", "2020-05-01"]], FINE)
    assert str(caught.value) == "前 2 行中没有找到表头行（表头应含 编号、决定日期、金额（元） 等列名）"
    deep = [["说明"]] * 10 + [["编号", "决定日期", "金额（元）"]]
    with pytest.raises(LayoutError):
        find_header_row(deep, FINE)
    assert find_header_row(deep, FINE, max_scan=11) == 10


def test_repeated_fields() -> None:
    matches = match_header_row(["序号", "金额", "编号", "罚款金额（万元）", "序号"], FINE)
    assert repeated_fields(matches) == {"amount": [2, 4]}


@pytest.mark.parametrize(
    ("row", "total"),
    [
        (["合计", None, 30000], True),
        ([None, "合 计", None, 30000], True),
        (["", "\u3000小计：", 1], True),
        (["总计"], True),
        (["共计:3笔"], True),
        (["本页小计"], True),
        (["F001", "合计"], False),
        ([1, "合计"], False),
        (["合计金额"], False),
        (["合同"], False),
        ([], False),
        ([None, None], False),
    ],
)
def test_total_rows(row: list[Any], total: bool) -> None:
    assert is_total_row(row) is total


@pytest.mark.parametrize(("row", "blank"), [([], True), ([None, "", " \u3000"], True), ([None, 0], False), (["—"], False)])
def test_blank_rows(row: list[Any], blank: bool) -> None:
    assert is_blank_row(row) is blank


# --- file names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "ledger"),
    [
        ("fine.yaml", "fine"),
        ("fine.yml", "fine"),
        ("fine.csv", "fine"),
        ("fine.xls", "fine"),
        ("FINE.XLSX", "fine"),
        ("Fine.Csv", "fine"),
        ("罚没款台账.xlsx", "fine"),
        ("罚没款.csv", "fine"),
        (" 罚没款台账 .xlsx", "fine"),
        ("enforcement-action.csv", "enforcement_action"),
        ("上缴国库台账.xlsx", "remittance"),
        (Path("/some/where/remittance.xlsx"), "remittance"),
    ],
)
def test_ledger_file_names(filename: str | Path, ledger: str) -> None:
    assert tuple(ledger_of_filename(filename, LABELS)) == (ledger, "")


@pytest.mark.parametrize(
    "filename",
    ["fine (1).xlsx", "fine(2).csv", "fine（3）.csv", "fine - 副本.xlsx", "fine-副本.xlsx", "fine - 副本 (2).xlsx", "fine - Copy.xlsx", "复件 fine.xls", "Copy of fine.xlsx", "fine的副本.xlsx", "罚没款台账 (1).xlsx"],
)
def test_copies_are_read_and_noted(filename: str) -> None:
    ledger, note = ledger_of_filename(filename, LABELS)
    assert ledger == "fine"
    assert note == f"文件名 {filename} 看起来是副本，按 fine（罚没款台账）读取；请确认这是要检查的那一份"


@pytest.mark.parametrize("filename", ["2020年罚没款台账.xlsx", "罚没款台账2020.xlsx", "fine_2020.csv", "2020-fine.csv", "罚没款台账（2020年度）.xlsx"])
def test_years_in_file_names_are_noted(filename: str) -> None:
    assert ledger_of_filename(filename, LABELS) == ("fine", f"文件名 {filename} 带有年份，按 fine（罚没款台账）读取")


def test_a_dated_copy_gets_both_notes() -> None:
    ledger, note = ledger_of_filename("2020年罚没款台账 (1).xlsx", LABELS)
    assert ledger == "fine" and "副本" in note and "年份" in note


def test_copy_markers() -> None:
    assert strip_copy_marker("fine - 副本 (2)") == ("fine", True)
    assert strip_copy_marker("fine") == ("fine", False)
    assert strip_copy_marker("(1)") == ("(1)", False)  # nothing would be left


@pytest.mark.parametrize(
    ("filename", "says"),
    [
        ("fien.csv", "无法从文件名 fien.csv 识别台账类型：最接近的是 fine（罚没款台账）"),
        ("罚款台账.xlsx", "fine（罚没款台账）"),
        ("zzzz.csv", "文件名应为台账名（如 fine.xlsx）或其中文名称（如 罚没款台账.xlsx）"),
        ("fine.docx", "fine.docx 不是台账文件（台账应为 .yaml、.yml、.csv、.xlsx、.xls 文件）"),
        ("fine", "不是台账文件"),
    ],
)
def test_unknown_file_names(filename: str, says: str) -> None:
    ledger, note = ledger_of_filename(filename, LABELS)
    assert ledger is None
    assert says in note


# --- .xls --------------------------------------------------------------------------------------


def test_read_xls() -> None:
    table = read_xls(XLS)
    assert table == [
        ["2020年罚没款台账", None, None, None, None, None],
        ["序号", "编号", "决定日期", "金额（元）", "当事人", "备注"],
        [1, "F001", dt.date(2020, 5, 1), 15000.5, "某公司", None],
        [2, 1002, "2020年6月3日", "2.5万元", "某某", "分期"],
        [None, None, None, None, None, None],
        [None, "合 计", None, 40000.5, None, None],
    ]


def test_an_xls_ledger_read_end_to_end() -> None:
    """The pieces compose: header row, columns, blank and total rows, cells, the model."""
    table = read_xls(XLS)
    top = find_header_row(table, FINE)
    columns = match_header_row(table[top], FINE)
    records = []
    for row in table[top + 1 :]:
        if is_blank_row(row) or is_total_row(row):
            continue
        raw: dict[str, Any] = {}
        for found, cell in zip(columns, row):
            if found is None or found.field is None or is_blank(cell):
                continue
            if found.field == "amount":
                raw["amount"] = parse_amount(cell, unit=found.unit or "元")
            elif found.field == "decided_on":
                raw["decided_on"] = parse_date_cell(cell)
            else:
                raw[found.field] = split_list(cell)[0] if isinstance(cell, (int, float)) else normalise_text(cell)
        records.append(FINE.model_validate(raw))
    assert [(r.id, r.day, r.amount) for r in records] == [
        ("F001", dt.date(2020, 5, 1), Decimal("15000.50")),
        ("1002", dt.date(2020, 6, 3), Decimal("25000.00")),
    ]


@pytest.mark.parametrize(("name", "says"), [("missing.xls", "文件不存在"), ("not_excel.xls", "无法打开 Excel 文件")])
def test_read_xls_refused(tmp_path: Path, name: str, says: str) -> None:
    path = tmp_path / name
    if name.startswith("not"):
        path.write_text("编号,金额\n", encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        read_xls(path)
    assert says in str(caught.value)


def test_cells_read_from_normalised_text_are_nfkc() -> None:
    # guard for the module's promise: values are NFKC, so a full-width id equals its plain form
    assert normalise_text("Ｆ００１") == unicodedata.normalize("NFKC", "Ｆ００１") == "F001"


@given(st.text(max_size=30))
def test_any_text_is_handled_without_surprises(text: str) -> None:
    """No parser raises anything but its documented errors, whatever a clerk typed."""
    assert normalise_text(normalise_text(text)) == normalise_text(text)
    assert normalise_text(normalise_text(text, header=True), header=True) == normalise_text(text, header=True)
    assert all(item and item == item.strip() for item in split_list(text))
    with contextlib.suppress(CellError):
        assert staff_ref(text, STAFF) in {sid for sid, _ in STAFF}
    found = match_header(text, FINE)
    assert found is None or found.field is None or found.field in FINE.model_fields
    ledger, note = ledger_of_filename(text + ".csv", LABELS)
    assert ledger in LABELS or (ledger is None and note)
    assert is_total_row([text]) in (True, False)
