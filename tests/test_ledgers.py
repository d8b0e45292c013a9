"""Ledgers as clerks keep them, read end to end through ``load_bureau``: every value form and
layout of issue 9, unreadable cells accounted for, and missing ledgers never read as compliance."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from checker.completeness import DataQuality
from checker.errors import InputError
from checker.evaluate import evaluate
from checker.findings import Status
from checker.records import load_bureau
from checker.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "district-bureau-2020"
AS_OF = dt.date(2020, 12, 31)


@pytest.fixture
def bureau_dir(tmp_path: Path) -> Path:
    """The seed bureau without its fine and remittance ledgers, for a test to hand them in its own way."""
    target = tmp_path / "bureau"
    shutil.copytree(SEED, target)
    (target / "fine.yaml").unlink()
    (target / "remittance.yaml").unlink()
    return target


def _xlsx(path: Path, rows: list[list[Any]], sheet: str | None = None, *, extra_sheets: tuple[str, ...] = ()) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    for name in extra_sheets:
        other = book.create_sheet(name)
        other.append(["无关的表"])
    if sheet:
        first.title = sheet
    for row in rows:
        first.append(row)
    if extra_sheets:  # the ledger on a sheet other than the first
        book.move_sheet(first, offset=len(extra_sheets))
    book.save(path)


def _treasury(folder: Path) -> dict[str | None, Status]:
    rules = [r for r in load_rulebook(ROOT / "rules").rules if r.id == "fines.to-treasury"]
    return {f.subject: f.status for f in evaluate(rules, load_bureau(folder), AS_OF)}


FINE_HEADER = ["序号", "编号", "处罚决定日期", "罚款金额（元）", "当事人"]


# --- values as clerks write them ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "yuan"),
    [("15,000.00", "15000"), ("20000元", "20000"), ("2.5万元", "25000"), ("¥35000", "35000"), ("１５０００", "15000"), (" 15 000 ", "15000")],
)
def test_amounts_as_clerks_write_them(bureau_dir: Path, written: str, yuan: str) -> None:
    _xlsx(bureau_dir / "fine.xlsx", [FINE_HEADER, [1, "F-1", "2020-05-06", written, "企业甲"]])
    fine = load_bureau(bureau_dir).records["fine"][0]
    assert fine.amount == Decimal(yuan)  # type: ignore[attr-defined]


def test_a_wan_yuan_column_scales_every_amount(bureau_dir: Path) -> None:
    _xlsx(bureau_dir / "fine.xlsx", [["编号", "决定日期", "金额（万元）", "当事人"], ["F-1", "2020-05-06", 1.5, "企业甲"]])
    assert load_bureau(bureau_dir).records["fine"][0].amount == Decimal(15000)  # type: ignore[attr-defined]


def test_dates_serials_date_cells_and_text(bureau_dir: Path) -> None:
    rows = [["编号", "决定日期", "金额", "当事人"], ["F-1", 43952, 1, "甲"], ["F-2", dt.datetime(2020, 6, 3, 9, 30), 1, "乙"], ["F-3", "2020年7月1日", 1, "丙"]]
    _xlsx(bureau_dir / "fine.xlsx", rows)
    days = [f.decided_on for f in load_bureau(bureau_dir).records["fine"]]  # type: ignore[attr-defined]
    assert days == [dt.date(2020, 5, 1), dt.date(2020, 6, 3), dt.date(2020, 7, 1)]


@pytest.mark.parametrize(("written", "value"), [("是", True), ("否", False), ("√", True), ("×", False), ("有", True), ("Y", True), ("N", False)])
def test_yes_no_columns(tmp_path: Path, written: str, value: bool) -> None:
    target = tmp_path / "b"
    shutil.copytree(SEED, target)
    (target / "enforcement_recording.yaml").unlink()
    (target / "enforcement_recording.csv").write_text(f"编号,执法行为编号,记录日期,是否音像记录\nREC-1,EA-2020-001,2020-03-16,{written}\n", encoding="utf-8")
    assert load_bureau(target).records["enforcement_recording"][0].audio_video is value  # type: ignore[attr-defined]


@pytest.mark.parametrize("written", ["P05、P06", "P05，P06", "P05;P06", "P05/P06", "P05 P06", "执法人员戊、执法人员己"])
def test_staff_lists_by_id_or_name_with_any_separator(tmp_path: Path, written: str) -> None:
    target = tmp_path / "b"
    shutil.copytree(SEED, target)
    (target / "enforcement_action.yaml").unlink()
    (target / "enforcement_recording.yaml").unlink()
    (target / "enforcement_action.csv").write_text(f"编号,日期,执法环节,执法人员\nEA-1,2020-03-16,检查,\"{written}\"\n", encoding="utf-8")
    assert load_bureau(target).records["enforcement_action"][0].officers == ["P05", "P06"]  # type: ignore[attr-defined]


def test_an_unknown_staff_name_lists_the_nearest(tmp_path: Path) -> None:
    target = tmp_path / "b"
    shutil.copytree(SEED, target)
    (target / "enforcement_action.yaml").unlink()
    (target / "enforcement_recording.yaml").unlink()
    (target / "enforcement_action.csv").write_text("编号,日期,执法环节,执法人员\nEA-1,2020-03-16,检查,执法人员戊、执法员己\n", encoding="utf-8")
    bureau = load_bureau(target)
    (unread,) = bureau.unread
    assert unread.rid == "EA-1" and "P06 执法人员己" in unread.problems[0].text and unread.problems[0].header == "执法人员"


# --- layouts -----------------------------------------------------------------------------------


def test_title_row_total_row_header_variants_and_another_sheet(bureau_dir: Path) -> None:
    rows = [
        ["2020年罚没款台账", None, None, None, None],
        ["填报单位：示例区统计局", None, None, None, None],
        FINE_HEADER,
        [1, "F-1", "2020-05-06", "20,000.00", "企业甲"],
        [None, None, None, None, None],
        [2, "F-2", 43983, "5000.50元", "企业乙"],
        ["合  计", None, None, 25000.5, None],
    ]
    _xlsx(bureau_dir / "罚没款台账.xlsx", rows, sheet="罚没款", extra_sheets=("说明",))
    remit = [["序号", "编号", "对应罚没款编号", "缴款日期", "金额(元)"], [1, "R-1", "F-1", "2020/5/18", 20000], [2, "R-2", "F-2", 44012, "5,000.50"]]
    (bureau_dir / "remittance.csv").write_bytes("\n".join("\t".join(str(c) for c in r) for r in remit).encode("gb18030"))
    bureau = load_bureau(bureau_dir)
    assert [f.id for f in bureau.records["fine"]] == ["F-1", "F-2"]
    (account,) = [a for a in bureau.accounts if a.ledger == "fine"]
    assert (account.sheet, account.rows, account.read, account.unread) == ("罚没款", 2, 2, 0)
    assert [(p.code, p.line) for p in account.skipped] == [("blank-row", 5), ("total-row", 7)]
    assert _treasury(bureau_dir) == {"F-1": Status.met, "F-2": Status.gap}


def test_merged_title_row_above_the_header(bureau_dir: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["罚没款台账（2020年）"])
    sheet.merge_cells("A1:E1")
    for row in (FINE_HEADER, [1, "F-1", dt.date(2020, 5, 6), 100, "甲"]):
        sheet.append(row)
    book.save(bureau_dir / "fine.xlsx")
    assert [f.id for f in load_bureau(bureau_dir).records["fine"]] == ["F-1"]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_csv_encodings(bureau_dir: Path, encoding: str) -> None:
    (bureau_dir / "fine.csv").write_bytes("编号,决定日期,金额（元）,当事人\nF-1,2020年5月6日,\"20,000\",企业甲\n".encode(encoding))
    assert load_bureau(bureau_dir).records["fine"][0].party == "企业甲"  # type: ignore[attr-defined]


def test_semicolon_separated_text(bureau_dir: Path) -> None:
    (bureau_dir / "fine.csv").write_text("编号;决定日期;金额;当事人\nF-1;2020-05-06;100;甲\nF-2;2020-05-07;200;乙\n", encoding="utf-8")
    assert [f.id for f in load_bureau(bureau_dir).records["fine"]] == ["F-1", "F-2"]


def test_an_xls_ledger(bureau_dir: Path) -> None:
    shutil.copy(ROOT / "tests" / "data" / "fine_2020.xls", bureau_dir / "fine.xls")
    bureau = load_bureau(bureau_dir)
    fines = {f.id: f.amount for f in bureau.records["fine"]}  # type: ignore[attr-defined]
    assert fines == {"F001": Decimal("15000.5"), "1002": Decimal(25000)}
    assert [p.code for p in bureau.warnings] == ["total-row"]


@pytest.mark.parametrize("name", ["FINE.XLSX", "罚没款台账.xlsx", "fine (1).xlsx", "2020年罚没款台账.xlsx"])
def test_file_names_a_clerk_uses(bureau_dir: Path, name: str) -> None:
    _xlsx(bureau_dir / name, [FINE_HEADER, [1, "F-1", "2020-05-06", 100, "甲"]])
    bureau = load_bureau(bureau_dir)
    assert bureau.ledger_files["fine"].endswith(name)
    assert ("fine (1)" in name) == any(p.code == "ledger-file-name" and "副本" in p.message for p in bureau.warnings)


@pytest.mark.parametrize(("name", "code"), [("fines.yaml", "unknown-ledger"), ("fine.json", "unknown-ledger"), ("fine.yaml", "not-a-file")])
def test_files_that_cannot_be_read_are_refused_never_ignored(bureau_dir: Path, name: str, code: str) -> None:
    if code == "not-a-file":
        (bureau_dir / name).mkdir()
    else:
        (bureau_dir / name).write_text("[]\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_bureau(bureau_dir)
    assert [(Path(p.file).name, p.code) for p in caught.value.problems] == [(name, code)]


def test_two_files_for_one_ledger_are_refused(bureau_dir: Path) -> None:
    (bureau_dir / "fine.yaml").write_text("[]\n", encoding="utf-8")
    _xlsx(bureau_dir / "罚没款台账.xlsx", [FINE_HEADER])
    with pytest.raises(InputError) as caught:
        load_bureau(bureau_dir)
    assert [p.code for p in caught.value.problems] == ["duplicate-ledger"]


def test_a_bureau_header_map_names_its_own_headers(bureau_dir: Path) -> None:
    (bureau_dir / "表头对照.yaml").write_text("罚单日: fine.decided_on\n经办人: \n", encoding="utf-8")
    _xlsx(bureau_dir / "fine.xlsx", [["编号", "罚单日", "金额", "当事人", "经办人"], ["F-1", "2020-05-06", 100, "甲", "张三"]])
    assert load_bureau(bureau_dir).records["fine"][0].decided_on == dt.date(2020, 5, 6)  # type: ignore[attr-defined]


def test_an_unknown_header_names_its_column_letter(bureau_dir: Path) -> None:
    _xlsx(bureau_dir / "fine.xlsx", [["编号", "决定日", "金额", "当事人"]], sheet="罚没款台账")
    with pytest.raises(InputError) as caught:
        load_bureau(bureau_dir)
    (problem,) = caught.value.problems
    assert "工作表「罚没款台账」 B1「决定日」" in str(problem) and problem.suggestion == "决定日期"


# --- unreadable cells --------------------------------------------------------------------------


def test_five_bad_cells_five_entries_the_rest_judged(bureau_dir: Path) -> None:
    rows = [
        ["编号", "决定日期", "金额（元）", "当事人"],
        ["F-1", "2020-05-06", 100, "甲"],
        ["F-2", "五月六日", 100, "乙"],
        ["F-3", "2020-05-06", "一百元", "丙"],
        ["F-4", "2020-02-30", 100, "丁"],
        ["F-5", "2020-05-06", -5, "戊"],
        ["F-6", None, 100, "庚"],
        ["F-7", "2020-05-07", 200, "己"],
    ]
    _xlsx(bureau_dir / "fine.xlsx", rows, sheet="罚没款台账")
    (bureau_dir / "remittance.csv").write_text(
        "编号,罚没款编号,入库日期,金额\n" + "".join(f"R-{i},F-{i},2020-05-08,{100 if i < 7 else 200}\n" for i in range(1, 8)), encoding="utf-8"
    )
    bureau = load_bureau(bureau_dir)
    cells = [(p.sheet, p.line, p.column, p.header) for u in bureau.unread for p in u.problems]
    assert cells == [
        ("罚没款台账", 3, 2, "决定日期"),
        ("罚没款台账", 4, 3, "金额（元）"),
        ("罚没款台账", 5, 2, "决定日期"),
        ("罚没款台账", 6, 3, "金额（元）"),
        ("罚没款台账", 7, 2, "决定日期"),
    ]
    (account,) = [a for a in bureau.accounts if a.ledger == "fine"]
    assert account.read + account.unread == account.rows == 7
    assert _treasury(bureau_dir) == {
        "F-1": Status.met, "F-7": Status.met,
        **{f"F-{i}": Status.unknown for i in range(2, 7)},
    }


def test_an_unreadable_evidence_record_makes_only_its_subject_unknown(bureau_dir: Path) -> None:
    (bureau_dir / "fine.csv").write_text("编号,决定日期,金额,当事人\nF-1,2020-05-06,100,甲\nF-2,2020-05-06,100,乙\n", encoding="utf-8")
    (bureau_dir / "remittance.csv").write_text("编号,罚没款编号,入库日期,金额\nR-1,F-1,2020-05-08,100\nR-2,F-2,2020-05-08,一百\n", encoding="utf-8")
    assert _treasury(bureau_dir) == {"F-1": Status.met, "F-2": Status.unknown}


def test_an_action_without_officers_is_unknown_not_a_gap(tmp_path: Path) -> None:
    target = tmp_path / "b"
    shutil.copytree(SEED, target)
    path = target / "enforcement_action.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("officers: [P05, P06]", "officers: []", 1), encoding="utf-8")
    rules = [r for r in load_rulebook(ROOT / "rules").rules if r.id == "enforcement.two-officers"]
    found = {f.subject: f for f in evaluate(rules, load_bureau(target), AS_OF)}
    assert found["EA-2020-001"].status is Status.unknown and "「执法人员」：必填，未填写" in found["EA-2020-001"].message
    assert found["EA-2020-002"].status is Status.met


# --- ledgers not handed in ---------------------------------------------------------------------


def test_missing_ledgers_are_unknown_and_named(bureau_dir: Path) -> None:
    book = load_rulebook(ROOT / "rules")
    bureau = load_bureau(bureau_dir)
    (finding,) = [f for f in evaluate(book.rules, bureau, AS_OF) if f.rule_id == "fines.to-treasury"]
    assert finding.status is Status.unknown and "未提供罚没款台账" in finding.message
    assert list(DataQuality.of(book.rules, bureau).missing) == ["fine", "remittance"]


def test_an_empty_ledger_or_a_declaration_means_none_this_year(bureau_dir: Path) -> None:
    (bureau_dir / "fine.yaml").write_text("[]\n", encoding="utf-8")
    _xlsx(bureau_dir / "remittance.xlsx", [["编号", "罚没款编号", "入库日期", "金额"]])
    assert _treasury(bureau_dir) == {None: Status.not_applicable}
    (bureau_dir / "fine.yaml").unlink()
    (bureau_dir / "remittance.xlsx").unlink()
    profile = bureau_dir / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("no_records: [", "no_records: [fine, remittance, "), encoding="utf-8")
    assert _treasury(bureau_dir) == {None: Status.not_applicable}


def test_evidence_ledger_missing_makes_each_subject_unknown(bureau_dir: Path) -> None:
    (bureau_dir / "fine.csv").write_text("编号,决定日期,金额,当事人\nF-1,2020-05-06,100,甲\n", encoding="utf-8")
    assert _treasury(bureau_dir) == {"F-1": Status.unknown}


# --- the commands: validate, template, export --------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from checker.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_exits_2_and_lists_every_problem(capsys: pytest.CaptureFixture[str], bureau_dir: Path) -> None:
    (bureau_dir / "fine.csv").write_text("编号,决定日期,金额,当事人\nF-1,2020-05-06,一百,甲\n合计,,100,\n", encoding="utf-8")
    code, out, _ = _run(capsys, "ledgers", "validate", str(bureau_dir))
    assert code == 2
    assert "C2「金额」" in out and "合计行" in out and "上缴国库台账（remittance）" in out
    code, out, _ = _run(capsys, "ledgers", "validate", str(SEED), "--format", "json")
    assert code == 0 and __import__("json").loads(out)["complete"] is True


def test_check_lists_missing_ledgers_and_data_quality(capsys: pytest.CaptureFixture[str], bureau_dir: Path) -> None:
    code, out, err = _run(capsys, "check", str(bureau_dir), "--as-of", "2020-12-31")
    assert code == 2 and "台账缺失（2 个" in out and "数据质量：" in out and "台账缺失：罚没款台账（fine）" in err


def test_every_template_reads_back_and_its_example_row_is_a_valid_record(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from checker.records import LEDGERS, read_ledger

    code, _, _ = _run(capsys, "ledgers", "template", "--output", str(tmp_path / "t"))
    assert code == 0
    staff = [("P01", "甲"), ("P02", "乙")]
    for name, model in LEDGERS.items():
        path = tmp_path / "t" / f"{name}.xlsx"
        assert read_ledger(path, name, staff=staff).records == []  # the example row is skipped
        book = load_workbook(path)
        sheet = book[model.label]
        assert sheet["B2"].comment is not None and "说明" in book.sheetnames
        sheet["A3"] = 1  # no longer marked as an example: it must be a record the checker accepts
        book.save(path)
        got = read_ledger(path, name, staff=staff)
        assert [len(got.records), got.unread] == [1, []], (name, got.unread)


@pytest.mark.parametrize(("fixture", "days"), [("district-bureau-2020", ("2020-06-30", "2020-12-31")), ("troubled-bureau-2021", ("2021-06-30", "2021-12-31"))])
def test_clerk_style_excel_gives_the_same_findings_as_yaml(capsys: pytest.CaptureFixture[str], tmp_path: Path, fixture: str, days: tuple[str, ...]) -> None:
    import json

    source = ROOT / "fixtures" / fixture
    code, _, _ = _run(capsys, "ledgers", "export", str(source), "--output", str(tmp_path / "x"))
    assert code == 0 and not list((tmp_path / "x").glob("*.yaml"))[1:]  # only profile.yaml stays YAML
    book = load_rulebook(ROOT / "rules")
    excel, yaml_ = load_bureau(tmp_path / "x"), load_bureau(source)
    assert {k: len(v) for k, v in excel.records.items()} == {k: len(v) for k, v in yaml_.records.items()}
    assert any(p.code == "total-row" for p in excel.warnings) and not excel.unread
    for day in days:
        as_of = dt.date.fromisoformat(day)
        same = [json.dumps(f.to_json(), ensure_ascii=False, sort_keys=True) for f in evaluate(book.rules, excel, as_of)]
        assert same == [json.dumps(f.to_json(), ensure_ascii=False, sort_keys=True) for f in evaluate(book.rules, yaml_, as_of)]
