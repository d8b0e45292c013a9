"""A rulebook smaller than it should be is said, never passed off as the whole (issue 11, item 4)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from checker import rulebook as rulebook_module
from checker.cli import main
from checker.rulebook import DEFAULT_RULES, RULEBOOK_FILE, load_rulebook, rule_files, shortfall

from .conftest import SEED


def _copy_rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES, folder)
    return folder


def test_the_manifest_lists_exactly_the_shipped_rule_files() -> None:
    # A new rule must be added to rulebook.yaml's `rules` list, or a copy without it would pass for whole.
    listed = yaml.safe_load((DEFAULT_RULES / RULEBOOK_FILE).read_text(encoding="utf-8"))["rules"]
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(p.stem for p in rule_files(DEFAULT_RULES))


def test_the_whole_shipped_rulebook_gives_no_warning() -> None:
    assert shortfall(load_rulebook(DEFAULT_RULES), DEFAULT_RULES) is None


def test_a_rulebook_missing_rule_files_names_them(tmp_path: Path) -> None:
    folder = _copy_rules(tmp_path)
    gone = sorted(rule_files(folder))[:2]
    for path in gone:
        path.unlink()
    book = load_rulebook(folder)
    warning = shortfall(book, folder)
    assert warning is not None
    total = len(rule_files(DEFAULT_RULES))
    assert f"{total - 2}/{total}" in warning and "不能当作已合规" in warning
    for path in gone:
        assert path.stem in warning


def test_many_missing_rules_are_counted_not_all_listed(tmp_path: Path) -> None:
    folder = _copy_rules(tmp_path)
    kept = sorted(rule_files(folder))
    for path in kept[1:]:
        path.unlink()
    warning = shortfall(load_rulebook(folder), folder)
    assert warning is not None and f"等 {len(kept) - 1} 条" in warning


def test_a_shipped_folder_without_a_manifest_list_cannot_be_confirmed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _copy_rules(tmp_path)
    meta = yaml.safe_load((folder / RULEBOOK_FILE).read_text(encoding="utf-8"))
    del meta["rules"]
    (folder / RULEBOOK_FILE).write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    book = load_rulebook(folder)
    assert shortfall(book, folder) is None  # a folder of one's own, without a list, is taken as it is
    monkeypatch.setattr(rulebook_module, "DEFAULT_RULES", folder.resolve())
    warning = shortfall(book, folder)
    assert warning is not None and "缺少规则清单" in warning and str(len(book.rules)) in warning


def test_check_and_report_print_the_warning_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _copy_rules(tmp_path)
    victim = next(p for p in rule_files(folder) if p.stem == "learning.breadth")
    victim.unlink()
    code = main(["check", str(SEED), "--as-of", "2020-12-31", "--rules", str(folder), "--no-history"])
    out, err = capsys.readouterr()
    assert code == 1  # the seed's other gap is still found
    assert err.count("learning.breadth") == 1 and "learning.breadth" not in out
    code = main(["report", str(SEED), "--as-of", "2020-12-31", "--rules", str(folder), "--format", "markdown", "--output", str(tmp_path / "r.md")])
    _, err = capsys.readouterr()
    assert err.count("缺少 learning.breadth") == 1, err
