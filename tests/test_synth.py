"""``compliance synth``: synthetic bureau folders that check-many reads as a real city's."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from checker.cli import main
from checker.evaluate import evaluate
from checker.rulebook import DEFAULT_RULES, load_rulebook
from checker.synthetic import SYNTH_MARKER, synthetic_bureau

AS_OF = "2021-12-31"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_synth_three_bureaus_check_many_gives_what_they_hold(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = tmp_path / "city"
    code, _out, err = run(capsys, "synth", "--bureaus", "3", "--records", "300", "--seed", "7", "--out", str(root), "--format", "mixed")
    assert code == 0, err
    folders = sorted(p.name for p in root.iterdir())
    assert folders == ["bureau-0001", "bureau-0002", "bureau-0003"]
    suffixes = [{p.suffix for p in (root / f).iterdir() if p.name != "profile.yaml" and p.name != SYNTH_MARKER} for f in folders]
    assert suffixes == [{".yaml"}, {".csv"}, {".xlsx"}]  # mixed: one format per bureau, in turn
    results = tmp_path / "out.jsonl"
    code, _out, err = run(capsys, "check-many", str(root), "--as-of", AS_OF, "--jobs", "2", "--output", str(results))
    assert code == 1, err  # gaps, and nothing missing or unreadable: a synthetic bureau is complete
    lines = [json.loads(x) for x in results.read_text(encoding="utf-8").splitlines()]
    assert sorted(Path(d["folder"]).name for d in lines) == folders
    rules = load_rulebook(DEFAULT_RULES).rules
    for d in lines:
        index = int(Path(d["folder"]).name.split("-")[1]) - 1
        b = synthetic_bureau(7, index, 300)
        assert d["bureau"] == b.profile.name
        assert d["data_quality"]["complete"] and not d["data_quality"]["unread"]
        read = sum(a["read"] for a in d["data_quality"]["ledgers"])
        assert read == sum(len(v) for v in b.records.values())
        # Written to disk in any of the three formats and read back, the bureau gives the findings
        # it gives in memory: the files hold exactly what was drawn.
        expected = [f.to_json() for f in evaluate(rules, b, dt.date.fromisoformat(AS_OF))]
        assert d["findings"] == expected
        assert d["summary"]["gap"] > 0 and d["summary"]["met"] > 0


def test_synth_is_deterministic_by_seed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    def files(seed: str, name: str) -> dict[str, bytes]:
        assert run(capsys, "synth", "--bureaus", "2", "--records", "100", "--seed", seed, "--out", str(tmp_path / name), "--format", "csv")[0] == 0
        return {str(p.relative_to(tmp_path / name)): p.read_bytes() for p in sorted((tmp_path / name).rglob("*")) if p.is_file()}

    first = files("1", "a")
    assert first == files("1", "b")
    assert first != files("2", "c")


def test_synth_refuses_a_non_empty_folder_unless_forced(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    (root / "notes.txt").write_text("keep me", encoding="utf-8")
    code, _out, err = run(capsys, "synth", "--bureaus", "1", "--records", "50", "--out", str(root))
    assert code == 2 and "--force" in err and "Traceback" not in err
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"]
    assert run(capsys, "synth", "--bureaus", "1", "--records", "50", "--out", str(root), "--force")[0] == 0
    # Forced again in another format: the old ledgers go, so the folder holds one file per ledger.
    assert run(capsys, "synth", "--bureaus", "1", "--records", "50", "--out", str(root), "--force", "--format", "csv")[0] == 0
    assert [p.name for p in (root / "bureau-0001").glob("*.yaml")] == ["profile.yaml"]
    assert (root / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_synth_never_overwrites_a_folder_it_did_not_write(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    real = tmp_path / "out" / "bureau-0001"
    real.mkdir(parents=True)
    (real / "fine.yaml").write_text("[]\n", encoding="utf-8")
    code, _, err = run(capsys, "synth", "--bureaus", "2", "--records", "50", "--out", str(tmp_path / "out"), "--force")
    assert code == 2 and "bureau-0001" in err and SYNTH_MARKER in err
    assert (real / "fine.yaml").read_text(encoding="utf-8") == "[]\n" and not (tmp_path / "out" / "bureau-0002").exists()
