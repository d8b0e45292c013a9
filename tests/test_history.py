"""Monthly runs as an office lives them: every run kept in one SQLite database, gaps marked new,
persisting (since when, for how many months), reopened or resolved; runs atomic and safe to run at once."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from checker.cli import main
from checker.commands.check import run_check
from checker.findings import Finding, Status
from checker.history import SCHEMA_VERSION, History, months_between, record_and_compare
from checker.rulebook import DEFAULT_RULES


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check(capsys: pytest.CaptureFixture[str], folder: Path, as_of: str, *extra: str) -> tuple[int, dict]:
    code, out, err = run(capsys, "check", str(folder), "--as-of", as_of, "--format", "json", *extra)
    assert code in (0, 1), err
    return code, json.loads(out)


def keys(changes: dict, kind: str) -> set[tuple[str, str]]:
    return {(c["rule_id"], c["key"]) for c in changes[kind]}


INTERFERENCE_Q4 = "- {id: IR-2020Q4, quarter: 2020Q4, reported_on: '2021-01-12', reported_to: 示例市统计局, recorded_count: 0}\n"
STUDY = ("- {id: SS-R0, date: '2020-02-20', topic: 行政处罚法专题学习, laws: [行政处罚法]}\n"
         "- {id: SS-R1, date: '2020-03-26', topic: 行政许可法专题学习, laws: [行政许可法]}\n"
         "- {id: SS-R2, date: '2020-08-27', topic: 保密法专题学习, laws: [保密法]}\n")
Q4 = ("interference.quarterly-self-check", "2020Q4")
STUDY_GAP = ("learning.breadth", "2020")
PUBLICITY_GAP = ("publicity.channel-mix", "2020")


def test_three_month_ends_new_persisting_reopened_resolved(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    """January: three gaps, all new. February: the Q4 self-check is handed in late (resolved), the
    two section-二 gaps persist for one month. March: the Q4 record is withdrawn again (reopened),
    law study is mended (resolved), new-media publicity has stood two months since January."""
    _, jan = check(capsys, seed_copy, "2021-01-31")
    assert jan["changes"]["since"] is None
    assert {Q4, STUDY_GAP, PUBLICITY_GAP} <= keys(jan["changes"], "new")
    january_gaps = {(f["rule_id"], Finding.key_of(f["subject"], f["period"])) for f in jan["findings"] if f["status"] == "gap"}
    assert keys(jan["changes"], "new") == january_gaps

    ledger = seed_copy / "interference_report.yaml"
    original = ledger.read_text(encoding="utf-8")
    ledger.write_text(original + INTERFERENCE_Q4, encoding="utf-8")
    _, feb = check(capsys, seed_copy, "2021-02-28")
    changes = feb["changes"]
    assert changes["since"] == "2021-01-31"
    assert Q4 in keys(changes, "resolved")
    assert [c["now"] for c in changes["resolved"] if (c["rule_id"], c["key"]) == Q4] == ["met"]
    persisting = {(c["rule_id"], c["key"]): c for c in changes["persisting"]}
    assert {STUDY_GAP, PUBLICITY_GAP} <= set(persisting)
    assert persisting[PUBLICITY_GAP]["since"] == "2021-01-31" and persisting[PUBLICITY_GAP]["months_open"] == 1
    assert Q4 not in keys(changes, "new") | keys(changes, "reopened")

    ledger.write_text(original, encoding="utf-8")
    with (seed_copy / "study_session.yaml").open("a", encoding="utf-8") as f:
        f.write(STUDY)
    _, mar = check(capsys, seed_copy, "2021-03-31")
    changes = mar["changes"]
    assert changes["since"] == "2021-02-28"
    assert keys(changes, "reopened") == {Q4}
    assert STUDY_GAP in keys(changes, "resolved")
    persisting = {(c["rule_id"], c["key"]): c for c in changes["persisting"]}
    assert persisting[PUBLICITY_GAP]["since"] == "2021-01-31" and persisting[PUBLICITY_GAP]["months_open"] == 2
    # Every gap of March is in exactly one of new, persisting, reopened.
    march_gaps = {(f["rule_id"], Finding.key_of(f["subject"], f["period"])) for f in mar["findings"] if f["status"] == "gap"}
    marked = [k for kind in ("new", "persisting", "reopened") for k in keys(changes, kind)]
    assert sorted(marked) == sorted(march_gaps)
    # The table says the same in words, with the rule's Chinese title.
    code, table, _ = run(capsys, "check", str(seed_copy), "--as-of", "2021-03-31", "--no-history")
    assert code == 1 and "较上次" not in table
    code, table, _ = run(capsys, "check", str(seed_copy), "--as-of", "2021-03-31")
    assert "持续2个月（自2021-01-31）" in table and "再次出现" in table and "较上次（2021-02-28）" in table


def test_a_second_run_of_one_as_of_date_is_kept_and_the_latest_counts(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, history_db: Path
) -> None:
    check(capsys, seed_copy, "2020-12-31")
    check(capsys, seed_copy, "2021-01-31")
    with (seed_copy / "interference_report.yaml").open("a", encoding="utf-8") as f:
        f.write(INTERFERENCE_Q4)
    _, again = check(capsys, seed_copy, "2021-01-31")
    # Still compared with December, not with the first January run.
    assert again["changes"]["since"] == "2020-12-31"
    _, feb = check(capsys, seed_copy, "2021-02-28")
    # February is compared with the latest January run, in which Q4 was met: nothing resolved.
    assert Q4 not in keys(feb["changes"], "resolved")
    code, out, _ = run(capsys, "history", str(seed_copy), "--format", "json")
    runs = json.loads(out)
    assert [r["as_of"] for r in runs] == ["2020-12-31", "2021-01-31", "2021-01-31", "2021-02-28"]
    assert [r["counts"] for r in runs] == [True, False, True, True]
    assert runs[1]["summary"]["gap"] == runs[2]["summary"]["gap"] + 1
    code, table, _ = run(capsys, "history", str(seed_copy))
    assert code == 0 and "已被同日后一次取代" in table


def test_fingerprint_rests_on_rule_and_subject_only() -> None:
    a = Finding(rule_id="fines.to-treasury", status=Status.gap, heading="一(四)5", title="x", subject="F-1", message="少缴")
    b = Finding(rule_id="fines.to-treasury", status=Status.met, heading="二", title="y", subject="F-1", message="reworded")
    c = Finding(rule_id="fines.to-treasury", status=Status.gap, heading="一(四)5", title="x", subject="F-2")
    assert a.fingerprint == b.fingerprint != c.fingerprint
    assert Finding(rule_id="r", status=Status.gap, heading="", title="", period="2020").fingerprint != a.fingerprint


def test_reordered_records_and_reworded_rules_do_not_change_identity(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    _, first = check(capsys, seed_copy, "2020-12-31")
    ledger = seed_copy / "fine.yaml"
    lines = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    items = [line for line in lines if line.startswith("- ")]
    assert len(items) > 2, "the fine ledger is one record per line"
    ledger.write_text("".join(line for line in lines if not line.startswith("- ")) + "".join(reversed(items)), encoding="utf-8")
    _, second = check(capsys, seed_copy, "2021-01-01")
    assert {f["fingerprint"] for f in first["findings"] if f["rule_id"].startswith("fines.")} <= {
        f["fingerprint"] for f in second["findings"]
    }
    assert second["changes"]["resolved"] == []


def test_months_between_counts_whole_months_and_month_ends() -> None:
    d = dt.date
    assert months_between(d(2026, 9, 30), d(2026, 10, 31)) == 1
    assert months_between(d(2026, 1, 31), d(2026, 2, 28)) == 1
    assert months_between(d(2026, 11, 2), d(2026, 11, 9)) == 0
    assert months_between(d(2026, 1, 15), d(2026, 3, 14)) == 1
    assert months_between(d(2025, 12, 31), d(2026, 12, 31)) == 12


def test_diff_between_two_runs(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    check(capsys, seed_copy, "2020-12-31")
    with (seed_copy / "study_session.yaml").open("a", encoding="utf-8") as f:
        f.write(STUDY)
    check(capsys, seed_copy, "2020-12-31")
    code, out, _ = run(capsys, "diff", "1", "2", "--records", str(seed_copy), "--format", "json")
    doc = json.loads(out)
    assert code == 0 and [(d["rule_id"], d["key"], d["after"]) for d in doc["resolved"]] == [(*STUDY_GAP, "met")]
    assert doc["appeared"] == [] and doc["other"] == []
    code, out, _ = run(capsys, "diff", "2", "1", "--records", str(seed_copy))
    assert "新出现的问题（1 项）" in out and "learning.breadth" in out
    code, _, err = run(capsys, "diff", "1", "9", "--records", str(seed_copy))
    assert code == 2 and "没有检查记录“9”" in err


def test_trend_is_one_bar_per_month(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    for day in ("2021-01-15", "2021-01-31", "2021-02-28"):
        check(capsys, seed_copy, day)
    _code, out, _ = run(capsys, "history", str(seed_copy), "--trend", "--format", "json")
    points = json.loads(out)
    assert [(p["month"], p["as_of"]) for p in points] == [("2021-01", "2021-01-31"), ("2021-02", "2021-02-28")]
    _, out, _ = run(capsys, "history", str(seed_copy), "--trend")
    assert out.count("█") > 0 and "2021-02" in out


def test_fail_on_and_quiet(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    code, out, _ = run(capsys, "check", str(seed_copy), "--as-of", "2020-12-31", "--quiet")
    assert code == 1 and out.count("\n") == 1 and "问题 2" in out
    # Due soon only fails when asked: at 2020-12-31 the Q4 self-check is due soon.
    code, *_ = run(capsys, "check", str(seed_copy), "--as-of", "2020-12-31", "--quiet", "--fail-on", "due_soon")
    assert code == 1
    code, *_ = run(capsys, "check", str(seed_copy), "--as-of", "2020-12-31", "--quiet", "--fail-on", "unknown")
    assert code == 0
    with pytest.raises(SystemExit) as usage:
        main(["check", str(seed_copy), "--as-of", "2020-12-31", "--fail-on", "everything"])
    assert usage.value.code == 2 and "gap、due_soon、unknown" in capsys.readouterr().err


def test_old_history_folder_is_imported_once(capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path) -> None:
    old = tmp_path / "old-history"
    old.mkdir()
    december = run_check(seed_copy, DEFAULT_RULES, dt.date(2020, 12, 31))
    (old / "2020-12-31.json").write_text(json.dumps(december.to_json(), ensure_ascii=False), encoding="utf-8")
    _, jan = check(capsys, seed_copy, "2021-01-31", "--history", str(old))
    assert jan["changes"]["since"] == "2020-12-31"
    assert STUDY_GAP in keys(jan["changes"], "persisting")
    check(capsys, seed_copy, "2021-02-28", "--history", str(old))
    code, out, _ = run(capsys, "history", str(seed_copy), "--format", "json")
    assert [r["source"] for r in json.loads(out)] == ["import:2020-12-31.json", "check", "check"]
    (old / "2020-11-30.json").write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "check", str(seed_copy), "--as-of", "2021-03-31", "--history", str(old))
    assert code == 2 and "2020-11-30.json" in err


def test_default_database_is_in_the_records_folder(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COMPLIANCE_HISTORY_DB")
    check(capsys, seed_copy, "2020-12-31")
    db = seed_copy / ".compliance-history.sqlite"
    assert db.is_file()
    with History.open(db) as h:
        [info] = h.runs()
        assert info.as_of.isoformat() == "2020-12-31"
    # The database beside the ledgers is never read as a ledger.
    code, _ = check(capsys, seed_copy, "2021-01-31")
    assert code == 1
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        names = {r[0] for r in raw.execute("SELECT name FROM inputs WHERE run_id = 1")}
    assert {"profile.yaml", "fine.yaml"} <= names


def test_a_newer_or_broken_database_is_refused(capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite"
    with sqlite3.connect(newer) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    code, _, err = run(capsys, "check", str(seed_copy), "--as-of", "2020-12-31", "--db", str(newer))
    assert code == 2 and "新于本程序" in err
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    code, _out, err = run(capsys, "check", str(seed_copy), "--as-of", "2020-12-31", "--db", str(broken))
    assert code == 2 and str(broken) in err and "Traceback" not in err
    code, _, err = run(capsys, "check", str(seed_copy), "--as-of", "2020-12-31", "--db", str(tmp_path))
    assert code == 2 and "普通文件" in err


def _complete_runs(db: Path) -> list[tuple[int, int, int]]:
    """(run id, findings it says it has, findings stored) for every run."""
    with sqlite3.connect(db) as raw:
        return raw.execute(
            "SELECT r.id, r.finding_count, (SELECT COUNT(*) FROM findings f WHERE f.run_id = r.id) FROM runs r ORDER BY r.id"
        ).fetchall()


def test_a_run_failing_half_way_leaves_no_half_run(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, history_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check(capsys, seed_copy, "2020-12-31")
    real = Finding.to_json
    calls = {"n": 0}

    def failing(self: Finding) -> dict:
        calls["n"] += 1
        if calls["n"] > 200:
            raise OSError(28, "No space left on device")
        return real(self)

    result = run_check(seed_copy, DEFAULT_RULES, dt.date(2021, 1, 31))
    monkeypatch.setattr(Finding, "to_json", failing)
    with pytest.raises(OSError):
        record_and_compare(seed_copy, result)
    monkeypatch.setattr(Finding, "to_json", real)
    capsys.readouterr()
    assert [(r[1] == r[2]) for r in _complete_runs(history_db)] == [True]
    _, again = check(capsys, seed_copy, "2021-01-31")
    assert again["changes"]["since"] == "2020-12-31"
    assert all(stated == stored for _, stated, stored in _complete_runs(history_db))
    assert len(_complete_runs(history_db)) == 2


KILLED_RUN = textwrap.dedent("""
    import sys, time
    from checker.findings import Finding
    from checker.cli import main
    real = Finding.to_json
    count = 0
    def slow(self):
        global count
        count += 1
        if count == 100:
            print("half", flush=True)
            time.sleep(60)
        return real(self)
    Finding.to_json = slow
    sys.exit(main(["check", sys.argv[1], "--as-of", "2021-01-31", "--db", sys.argv[2], "--format", "json"]))
""")


def test_sigkill_mid_write_leaves_only_complete_runs(capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite"
    code, *_ = run(capsys, "check", str(seed_copy), "--as-of", "2020-12-31", "--db", str(db))
    assert code == 1
    child = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(seed_copy), str(db)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "half"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert [(r[0], r[1] == r[2]) for r in _complete_runs(db)] == [(1, True)]
    code, out, _ = run(capsys, "check", str(seed_copy), "--as-of", "2021-01-31", "--db", str(db), "--format", "json")
    assert code == 1 and json.loads(out)["changes"]["since"] == "2020-12-31"
    assert all(stated == stored for _, stated, stored in _complete_runs(db)) and len(_complete_runs(db)) == 2


def test_two_checks_at_once_on_one_database_both_land(seed_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite"
    env = {**os.environ, "COMPLIANCE_HISTORY_DB": str(db)}
    argv = [sys.executable, "-m", "checker", "check", str(seed_copy), "--format", "json", "--as-of"]
    children = [subprocess.Popen([*argv, day], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
                for day in ("2020-12-31", "2021-01-31", "2021-02-28")]
    deadline = time.monotonic() + 300
    outputs = [child.communicate(timeout=max(1, deadline - time.monotonic())) for child in children]
    assert [child.returncode for child in children] == [1, 1, 1], [e.decode() for _, e in outputs]
    ids = sorted(json.loads(out)["run"]["id"] for out, _ in outputs)
    assert ids == [1, 2, 3]
    runs = _complete_runs(db)
    assert len(runs) == 3 and all(stated == stored > 0 for _, stated, stored in runs)
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_unwritable_records_folder_checks_without_history(capsys: pytest.CaptureFixture[str], seed_copy: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    monkeypatch.delenv("COMPLIANCE_HISTORY_DB")
    seed_copy.chmod(0o555)
    try:
        code, out, err = run(capsys, "check", str(seed_copy), "--as-of", "2020-12-31")
    finally:
        seed_copy.chmod(0o755)
    assert code == 1 and "未记入历史" in err and "存在的问题" in out


def test_with_the_database_named_elsewhere_nothing_is_written_beside_the_ledgers(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, history_db: Path
) -> None:
    check(capsys, seed_copy, "2020-12-31")
    assert history_db.is_file() and not list(seed_copy.glob(".compliance-history*"))


def test_the_report_draws_the_trend_once_there_are_two_months(capsys: pytest.CaptureFixture[str], seed_copy: Path,
                                                              tmp_path: Path) -> None:
    from docx import Document

    base = ("report", str(seed_copy), "--as-of", "2021-02-28")
    _, md, _ = run(capsys, *base, "--format", "markdown")
    assert "各月检查发现的问题事项数" not in md  # no history yet: no trend, the chart by heading alone
    assert "图1 问题事项按年度报告提纲分布：1." in md
    run(capsys, *base, "--output", str(tmp_path / "first.docx"))
    assert len(Document(str(tmp_path / "first.docx")).inline_shapes) == 1
    check(capsys, seed_copy, "2020-12-31")
    check(capsys, seed_copy, "2021-01-31")
    _, md, _ = run(capsys, *base, "--format", "markdown")
    assert "图1 2020-12至2021-02各月检查发现的问题事项数" in md
    assert "| 2020-12 | 2 " in md and "| 2021-01 | 3 " in md
    run(capsys, *base, "--output", str(tmp_path / "r.docx"))
    assert len(Document(str(tmp_path / "r.docx")).inline_shapes) == 2 and "图2 问题事项按年度报告提纲分布" in md
    _, html, _ = run(capsys, *base, "--format", "html")
    assert html.count('<img src="data:image/png;base64,') == 2 and "img-src data:" in html
    code, _, _ = run(capsys, "history", str(seed_copy), "--trend", "--output", str(tmp_path / "t.png"))
    assert code == 0 and (tmp_path / "t.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_a_version_1_database_is_migrated_in_place(capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path) -> None:
    from checker.history import _MIGRATIONS

    db = tmp_path / "v1.sqlite"
    with sqlite3.connect(db) as raw:
        raw.executescript(_MIGRATIONS[0])
        raw.execute("INSERT INTO runs (bureau, records, as_of, ran_at, rulebook_version, rulebook_digest, data_complete,"
                    " summary, finding_count) VALUES ('示例区统计局', '/x', '2020-12-31', 't', 'v', 'd', 1, '{}', 0)")
        raw.execute("PRAGMA user_version = 1")
    code, out, _ = run(capsys, "check", str(seed_copy), "--as-of", "2021-01-31", "--db", str(db), "--format", "json")
    assert code == 1 and json.loads(out)["changes"]["since"] == "2020-12-31"
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        assert raw.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 2


def test_a_history_that_cannot_be_written_still_prints_the_findings(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checker.history

    db = tmp_path / "full.sqlite"
    check(capsys, seed_copy, "2020-11-30", "--db", str(db))
    real = checker.history.sqlite3.connect

    def full(*args: object, **kwargs: object) -> sqlite3.Connection:
        con = real(*args, **kwargs)  # type: ignore[arg-type]
        con.execute(f"PRAGMA max_page_count = {con.execute('PRAGMA page_count').fetchone()[0]}")
        return con

    monkeypatch.setattr(checker.history.sqlite3, "connect", full)
    code, out, err = run(capsys, "check", str(seed_copy), "--as-of", "2020-12-31", "--db", str(db), "--format", "json")
    assert code == 2 and "未记入历史" in err and str(db) in err and "Traceback" not in err
    doc = json.loads(out)  # the check stands: its findings are printed whole
    assert doc["summary"]["gap"] == 2 and "changes" not in doc
