"""The command line end to end: output shapes, exit codes, and bad input named precisely."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main

from .conftest import ROOT, SEED

SEED_GAPS = {"learning.breadth", "publicity.channel-mix"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_shape_and_gap_exit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(SEED), "--as-of", "2020-12-31", "--format", "json")
    assert code == 1, err
    doc = json.loads(out)
    assert doc["bureau"] == "示例区统计局" and doc["as_of"] == "2020-12-31"
    assert set(doc["summary"]) == {"met", "gap", "due_soon", "pending", "not_applicable", "unknown", "waived"}
    assert sum(doc["summary"].values()) == len(doc["findings"])
    keys = {"rule_id", "status", "where", "title", "subject", "period", "due", "evidence", "message"}
    for f in doc["findings"]:
        assert keys <= set(f)
        assert f["due"] is None or len(f["due"]) == 10
        assert isinstance(f["evidence"], list) and f["message"]
    assert {f["rule_id"] for f in doc["findings"] if f["status"] == "gap"} == SEED_GAPS
    assert doc["rulebook"]["version"] and len(doc["rulebook"]["digest"]) == 12


def _repair_study(folder: Path) -> None:
    """Section 二, gap one, mended: law study beyond statistics law, the core laws included."""
    with (folder / "study_session.yaml").open("a", encoding="utf-8") as f:
        for i, (day, law) in enumerate([("2020-02-20", "行政处罚法"), ("2020-03-26", "行政许可法"), ("2020-08-27", "保密法"), ("2020-11-26", "宪法")]):
            f.write(f"- {{id: SS-R{i}, date: '{day}', topic: {law}专题学习, laws: [{law}]}}\n")


def _repair_publicity(folder: Path) -> None:
    """Section 二, gap two, mended: a new-media post every month."""
    with (folder / "publicity_event.yaml").open("a", encoding="utf-8") as f:
        for month in range(1, 13):
            f.write(f"- {{id: PE-R{month}, date: '2020-{month:02d}-20', channel: 公众号, audience: 社会公众, description: 统计普法推送}}\n")


def test_repaired_records_exit_zero(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    _repair_study(seed_copy)
    code, out, _ = run(capsys, "check", str(seed_copy), "--as-of", "2020-12-31", "--format", "json")
    assert code == 1
    assert {f["rule_id"] for f in json.loads(out)["findings"] if f["status"] == "gap"} == {"publicity.channel-mix"}
    _repair_publicity(seed_copy)
    code, out, err = run(capsys, "check", str(seed_copy), "--as-of", "2020-12-31", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["summary"]["gap"] == 0


def test_table_lists_gaps_first_then_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(SEED), "--as-of", "2020-12-31")
    assert code == 1
    assert out.index("存在的问题") < out.index("结论")
    assert "learning.breadth" in out.split("结论")[0]


def test_as_of_excludes_later_records(capsys: pytest.CaptureFixture[str]) -> None:
    """Mid-year, the fourth quarter's self-check is not yet due: pending, not a gap."""
    _, out, _ = run(capsys, "check", str(SEED), "--as-of", "2020-11-30", "--format", "json")
    findings = json.loads(out)["findings"]
    q4 = [f for f in findings if f["rule_id"] == "interference.quarterly-self-check" and f["period"] == "2020Q4"]
    assert [f["status"] for f in q4] == ["pending"]
    assert not [f for f in findings if f["status"] == "gap" and f["due"] and f["due"] > "2020-11-30"]


def test_python_dash_m_is_the_same_command() -> None:
    done = subprocess.run([sys.executable, "-m", "checker", "check", str(SEED), "--as-of", "2020-12-31", "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1 and json.loads(done.stdout)["as_of"] == "2020-12-31"


# --- bad input: exit 2, file and field named, no traceback -------------------------

def _bad(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert "Traceback" not in err and out == ""
    return err


def _data_problem(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict[str, Any], str]:
    """A check whose ledgers could be read as a whole but not every record: exit 2, findings still given."""
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 2 and "Traceback" not in err, err
    return json.loads(out), err


def _status(doc: dict[str, Any], rule_id: str) -> dict[str | None, str]:
    return {f["subject"]: f["status"] for f in doc["findings"] if f["rule_id"] == rule_id}


def test_malformed_rule_names_file_line_and_field(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    text = (ROOT / "rules/1.4-enforcement/enforcement.two-officers.yaml").read_text(encoding="utf-8")
    (rules / "enforcement.two-officers.yaml").write_text(text.replace("severity: high", "severity: high\nseverity_level: 3"), encoding="utf-8")
    err = _bad(capsys, "check", str(SEED), "--rules", str(rules), "--as-of", "2020-12-31")
    line = text.splitlines().index("severity: high") + 2
    assert f"enforcement.two-officers.yaml:{line}:1" in err and "severity_level" in err and "未知字段" in err


def test_rule_with_unknown_record_type_suggests(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    text = (ROOT / "rules/1.4-enforcement/fines.to-treasury.yaml").read_text(encoding="utf-8")
    (rules / "fines.to-treasury.yaml").write_text(text.replace("ledger: remittance", "ledger: remitance"), encoding="utf-8")
    err = _bad(capsys, "check", str(SEED), "--rules", str(rules))
    assert "fines.to-treasury.yaml:" in err and "remitance" in err and "remittance" in err


def test_record_with_wrong_date_names_file_record_and_field(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    path = seed_copy / "fine.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("decided_on: '2020-05-13'", "decided_on: '2020-13-05'"), encoding="utf-8")
    doc, err = _data_problem(capsys, "check", str(seed_copy), "--as-of", "2020-12-31")
    assert "fine.yaml:3:" in err and "F-2020-02" in err and "decided_on" in err
    treasury = _status(doc, "fines.to-treasury")
    assert treasury["F-2020-02"] == "unknown" and treasury["F-2020-01"] == "met"
    assert [u["record"] for u in doc["data_quality"]["unread"]] == ["F-2020-02"]


def test_record_with_unknown_field_suggests_the_right_one(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    path = seed_copy / "remittance.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("remitted_on: '2020-05-01'", "remited_on: '2020-05-01'"), encoding="utf-8")
    err = _bad(capsys, "check", str(seed_copy))
    assert "remittance.yaml:2:" in err and "remited_on" in err and "remitted_on" in err


def test_duplicate_record_id(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    path = seed_copy / "fine.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: F-2020-02", "id: F-2020-01"), encoding="utf-8")
    err = _bad(capsys, "check", str(seed_copy))
    assert "fine.yaml:3" in err and "F-2020-01" in err and "重复" in err


def test_dangling_reference(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    path = seed_copy / "remittance.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("fine_id: F-2020-03", "fine_id: F-2020-99"), encoding="utf-8")
    doc, err = _data_problem(capsys, "check", str(seed_copy), "--as-of", "2020-12-31")
    assert "remittance.yaml" in err and "R-2020-03" in err and "F-2020-99" in err
    # The remittance names no fine that exists: any fine's remittance may be the one mistyped.
    assert set(_status(doc, "fines.to-treasury").values()) == {"unknown"}


def test_unknown_ledger_file(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    (seed_copy / "fines.yaml").write_text("[]\n", encoding="utf-8")
    err = _bad(capsys, "check", str(seed_copy))
    assert "fines.yaml" in err and "fine（罚没款台账）" in err


def test_yaml_syntax_error(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    (seed_copy / "fine.yaml").write_text("- {id: F-1, decided_on: 2020-01-01\n", encoding="utf-8")
    err = _bad(capsys, "check", str(seed_copy))
    assert "fine.yaml:2:" in err and "YAML" in err


def test_bad_as_of_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", str(SEED), "--as-of", "2020-02-30"])
    assert exc.value.code == 2
    assert "2020-02-30" in capsys.readouterr().err


def test_gbk_csv_ledger_with_clerks_dates(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    """A ledger kept in Excel and saved as GBK CSV, Chinese headers, dates written every way, reads like YAML."""
    (seed_copy / "fine.yaml").unlink()
    (seed_copy / "remittance.yaml").unlink()
    fines = "编号,决定日期,类别,金额（元）,当事人\nF-1,2020年5月6日,罚款,20000,企业甲\nF-2,2020/6/1,罚款,5000.50,企业乙\n"
    (seed_copy / "fine.csv").write_bytes(fines.encode("gbk"))
    remits = "编号,罚没款编号,入库日期,金额（元）\nR-1,F-1,2020.5.18,20000\nR-2,F-2,20200630,5000.50\n"
    (seed_copy / "remittance.csv").write_bytes(remits.encode("gbk"))
    code, out, err = run(capsys, "check", str(seed_copy), "--as-of", "2020-12-31", "--format", "json")
    assert code in (0, 1), err
    treasury = {f["subject"]: f["status"] for f in json.loads(out)["findings"] if f["rule_id"] == "fines.to-treasury"}
    assert treasury == {"F-1": "met", "F-2": "gap"}


def test_csv_with_unknown_column_is_named(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    (seed_copy / "fine.yaml").unlink()
    (seed_copy / "remittance.yaml").unlink()
    (seed_copy / "fine.csv").write_bytes("编号,决定日,金额（元）\nF-1,2020-05-06,100\n".encode("gbk"))
    err = _bad(capsys, "check", str(seed_copy))
    assert "fine.csv:1:2" in err and "决定日" in err and "决定日期" in err


def test_check_many_streams_one_line_per_bureau(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import shutil

    for name in ("a", "b", "c"):
        shutil.copytree(SEED, tmp_path / "city" / name)
    fine = tmp_path / "city" / "b" / "fine.yaml"
    fine.write_text(fine.read_text(encoding="utf-8").replace("amount: 15000,", "amount: lots,"), encoding="utf-8")
    out_file = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "check-many", str(tmp_path / "city"), "--as-of", "2020-12-31", "--jobs", "2", "--output", str(out_file))
    assert code == 2, err
    lines = {Path(d["folder"]).name: d for d in map(json.loads, out_file.read_text(encoding="utf-8").splitlines())}
    assert set(lines) == {"a", "b", "c"}
    unread = lines["b"]["data_quality"]["unread"]
    assert [(u["file"].endswith("fine.yaml"), u["row"], u["problems"][0]["field"]) for u in unread] == [(True, 2, "amount")]
    assert lines["a"]["data_quality"]["complete"] and not lines["b"]["data_quality"]["complete"]
    single = json.loads(run(capsys, "check", str(SEED), "--as-of", "2020-12-31", "--format", "json")[1])
    assert lines["a"]["findings"] == single["findings"] == lines["c"]["findings"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_check_many_output_into_a_missing_folder_is_refused_before_any_work(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import shutil

    shutil.copytree(SEED, tmp_path / "city" / "a")
    target = tmp_path / "nowhere" / "out.jsonl"
    code, _, err = run(capsys, "check-many", str(tmp_path / "city"), "--as-of", "2020-12-31", "--output", str(target))
    assert code == 2 and str(target) in err and not target.exists()


def test_history_reports_new_and_resolved_gaps(capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "runs.sqlite"
    base = ("check", str(seed_copy), "--format", "json", "--db", str(db))
    first = json.loads(run(capsys, *base, "--as-of", "2020-12-31")[1])
    assert first["changes"]["since"] is None
    assert {f["rule_id"] for f in first["changes"]["new"]} == SEED_GAPS
    _repair_study(seed_copy)
    path = seed_copy / "remittance.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("amount: 50000,", "amount: 49000,"), encoding="utf-8")
    second = json.loads(run(capsys, *base, "--as-of", "2021-01-05")[1])
    changes = second["changes"]
    assert changes["since"] == "2020-12-31"
    assert [(f["rule_id"], f["key"]) for f in changes["new"]] == [("fines.to-treasury", "F-2020-08")]
    assert [(f["rule_id"], f["key"], f["now"]) for f in changes["resolved"]] == [("learning.breadth", "2020", "met")]
    assert [(f["rule_id"], f["months_open"]) for f in changes["persisting"]] == [("publicity.channel-mix", 0)]
    assert second["run"] == {"id": 2, "db": str(db)}


def test_excel_ledger_reads_like_yaml(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    """A ledger kept in Excel: Chinese headers, real date cells and typed-in dates, a numeric id."""
    import datetime as dt

    from openpyxl import Workbook

    (seed_copy / "fine.yaml").unlink()
    (seed_copy / "remittance.yaml").unlink()
    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "决定日期", "类别", "金额（元）", "当事人"])
    sheet.append([1001, dt.datetime(2020, 5, 6), "罚款", 20000, "企业甲"])
    sheet.append(["F-2", "2020年6月1日", "罚款", 5000.5, "企业乙"])
    book.save(seed_copy / "fine.xlsx")
    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "罚没款编号", "入库日期", "金额（元）"])
    sheet.append(["R-1", 1001, dt.date(2020, 5, 18), 20000])
    sheet.append(["R-2", "F-2", "2020/6/30", 5000.5])
    book.save(seed_copy / "remittance.xlsx")
    code, out, err = run(capsys, "check", str(seed_copy), "--as-of", "2020-12-31", "--format", "json")
    assert code in (0, 1), err
    treasury = {f["subject"]: f["status"] for f in json.loads(out)["findings"] if f["rule_id"] == "fines.to-treasury"}
    assert treasury == {"1001": "met", "F-2": "gap"}


def test_excel_row_errors_name_the_row(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    from openpyxl import Workbook

    (seed_copy / "remittance.yaml").unlink()
    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "罚没款编号", "入库日期", "金额（元）"])
    sheet.append(["R-1", "F-2020-01", "2020-05-01", 15000])
    sheet.append(["R-2", "F-2020-02", "五月", 20000])
    book.save(seed_copy / "remittance.xlsx")
    doc, err = _data_problem(capsys, "check", str(seed_copy), "--as-of", "2020-12-31")
    assert "remittance.xlsx:3" in err and "R-2" in err and "remitted_on" in err and "五月" in err
    assert "C3「入库日期」" in err
    treasury = _status(doc, "fines.to-treasury")
    assert treasury["F-2020-02"] == "unknown" and treasury["F-2020-01"] != "unknown"


def test_ctrl_c_is_a_message_and_exit_130_not_a_traceback(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.commands.check as check_command

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(check_command, "run_check", interrupted)
    code, out, err = run(capsys, "check", str(SEED), "--as-of", "2020-12-31")
    assert code == 130 and out == "" and "已中断" in err and "Traceback" not in err
