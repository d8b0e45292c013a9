"""Random rule files, xlsx ledgers and waiver files through lint, the loaders and the check, in-process.

Issue 11, item 3 (tests/test_fuzz.py does the bureau folders). Each example starts from real
input (a shipped rule file, the seed bureau) and breaks one part of it with values a person or a
spreadsheet really produces: wrong types, missing and unknown keys, huge and negative numbers,
text where a date belongs, merged and empty headers, Excel serial dates, 是/否, formulas,
numbers beyond any float. Only our own answers may come out: problems naming the file (exit 2
for the command line), or a complete result (every rule judged, the table and JSON rendered).
Kept to a few seconds each: few examples, the engine in-process.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from checker.cli import main
from checker.errors import InputError
from checker.evaluate import CheckResult, evaluate
from checker.records import LEDGERS, load_bureau
from checker.render import as_json, as_table
from checker.rulebook import DEFAULT_RULES, check_rule_paths, load_rulebook, rule_files
from checker.waivers import WAIVER_FILES, apply_waivers, load_waivers

from .conftest import SEED
from .test_fuzz import assert_complete, assert_located

RULEBOOK = load_rulebook(DEFAULT_RULES)
RULE_FILES = sorted(rule_files(DEFAULT_RULES))
SEED_BUREAU = load_bureau(SEED)
AS_OF = dt.date(2020, 12, 31)
SEED_FINDINGS = evaluate(RULEBOOK.rules, SEED_BUREAU, AS_OF)
SCALE = int(os.environ.get("FUZZ_SCALE", "1"))
"""FUZZ_SCALE=50 for a long hunt; the suite's default keeps each test to a few seconds."""


def fast(examples: int) -> Any:
    return settings(max_examples=examples * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- values people and spreadsheets produce ----------------------------------------------------

SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(-(10**30), 10**30), st.sampled_from([0, -1, -5, 1, 2, 15, 3000000, 10**30, 2**63]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e308, -0.0, 0.5]),
    st.text(max_size=12), st.sampled_from(["fifteen", "十五", "2020-02-30", "9999-12-31", "03-01", "02-30", "1e400", "是", "否", "",
                                           "\x1b[2J", "\ud800", "{param: x}", "*a", "≥", ">=", "month", "P30", "所有"]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)), max_leaves=6)


def _paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a parsed YAML document: keys of mappings and indexes of lists."""
    out = [here]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*here, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*here, i))
    return out


def _tweaked(old: Any, value: Any, pick: int) -> Any:
    """A value of the same type as ``old`` but another size or spelling: what a careless edit gives."""
    if isinstance(old, bool):
        return not old
    if isinstance(old, int):
        return [-1, 0, 1, old * 1000, 3000000, 10**30, -old][pick % 7]
    if isinstance(old, float):
        return [-old, 0.0, 1e308, float("nan")][pick % 4]
    if isinstance(old, str):
        return [old.upper(), old + "x", "", old[: len(old) // 2], f"{old} {old}", "2020-02-30"][pick % 6]
    if isinstance(old, dt.date):
        return [old.replace(year=1), old + dt.timedelta(days=pick % 4000), dt.date(2100, 12, 31)][pick % 3]
    if isinstance(old, list):
        return [old[:1], old * 2, old[::-1], []][pick % 4]
    return value


def _edit(doc: Any, path: tuple[Any, ...], how: str, value: Any, pick: int = 0) -> Any:
    if not path:
        return value if how == "replace" else doc
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "replace":
        parent[last] = value
    elif how == "tweak":
        parent[last] = _tweaked(parent[last], value, pick)
    elif how == "delete":
        del parent[last]
    elif how == "extra" and isinstance(parent, dict):
        parent[f"{last}_x"] = value
    elif how == "extra" and isinstance(parent, list):
        parent.append(value)
    return doc


# --- rule files --------------------------------------------------------------------------------


@fast(200)
@given(
    which=st.integers(0, len(RULE_FILES) - 1),
    edits=st.lists(st.tuples(st.sampled_from(["replace", "tweak", "tweak", "tweak", "delete", "extra"]), st.integers(0, 10**6), VALUES), min_size=1, max_size=3),
    cut=st.one_of(st.none(), st.integers(0, 4000)),
)
def test_a_broken_rule_file_is_named_by_lint_and_the_loader_or_judged(which: int, edits: list[tuple[str, int, Any]], cut: int | None) -> None:
    source = RULE_FILES[which]
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    for how, pick, value in edits:
        places = _paths(doc)[1:] or [()]  # the whole document replaced is one case of a thousand, not one of ten
        doc = _edit(doc, places[pick % len(places)], how, value, pick // 7)
    try:
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, UnicodeEncodeError):
        text = yaml.safe_dump(doc, allow_unicode=False, sort_keys=False)  # a lone surrogate: escaped, as an editor would not
    if cut is not None:
        text = text[:cut]
    with tempfile.TemporaryDirectory(prefix="fuzz-rule-") as tmp:
        path = Path(tmp) / source.name
        path.write_text(text, encoding="utf-8", errors="surrogateescape")
        checked, problems = check_rule_paths([path])
        everything = [p for f in checked for p in f.errors] + [p for p in problems if p.level == "error"]
        for problem in everything:
            assert problem.file == str(path) and problem.message.strip(), problem
            str(problem)
        rule = checked[0].rule if checked and not everything else None
        if rule is None:
            assert everything, "a rule that did not load must say why"
            event(f"refused: {everything[0].code or 'no code'}")
            return
        event("loaded and judged")
        # It loads: then it is judged on a real bureau, completely, and rendered.
        findings = evaluate([rule], SEED_BUREAU, AS_OF)
        result = CheckResult(SEED_BUREAU.profile.name, AS_OF, findings)
        json.loads(as_json(result))
        as_table(result)


def test_lint_and_check_answer_a_broken_rule_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The command line over one fuzz-style breakage: lint and check agree, exit 2, the file named."""
    source = next(p for p in RULE_FILES if p.stem == "credit.penalty-pushed")
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    doc["within"]["days"] = "fifteen"
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / source.name).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert main(["rules", "lint", str(folder)]) == 2
    out, err = capsys.readouterr()
    assert f"{source.name}:" in out + err and "fifteen" in out + err
    assert main(["check", str(SEED), "--rules", str(folder), "--as-of", "2020-12-31", "--no-history"]) == 2
    out, err = capsys.readouterr()
    assert f"{source.name}:" in err and "Traceback" not in err and not out


# --- xlsx ledgers ------------------------------------------------------------------------------

CELLS = st.one_of(
    st.none(), st.booleans(), st.sampled_from(["是", "否", "有", "无", "√", "×", "Y", "N", "1", "0"]),
    st.integers(-(10**30), 10**30), st.sampled_from([43952, 44196, 0, -1, 2958466, 10**15]),  # serial dates, beyond Excel's last day
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([1e308, -1e308, 1e-300]),
    st.sampled_from(["=SUM(A1:A3)", "=1/0", "=TODAY()", "=A2", "#N/A", "#VALUE!"]),
    st.sampled_from(["2020-09-20", "2020/9/20", "2020年9月20日", "20200920", "2020-02-30", "五月", "9999-12-31", "15,000.00", "2.5万元",
                     "¥35000", "—", "/", "合计", "小计", "示例", "\u202e", "\t", "P01", "S01", "F-2020-01"]),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 12, 31)),
    # Excel cannot hold C0 control characters (openpyxl refuses them): a clerk's cell never has one.
    st.text(max_size=8).map(lambda s: "".join(c for c in s if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF)),
)
BREAKS = st.lists(st.tuples(st.sampled_from(["empty", "junk", "duplicate", "drop"]), st.integers(0, 40)), max_size=2)


@fast(100)
@given(
    ledger=st.sampled_from(sorted(SEED_BUREAU.records)),
    titles=st.lists(st.booleans(), min_size=40, max_size=40),
    breaks=st.one_of(st.just([]), BREAKS),
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=14), max_size=8),
    title_rows=st.integers(0, 2),
    merges=st.lists(st.tuples(st.integers(1, 6), st.integers(1, 8), st.integers(0, 2), st.integers(0, 3)), max_size=2),
    sheet=st.sampled_from(["ledger", "label", "Sheet1", "ledger", "label", "Sheet1", "two"]),
)
def test_a_random_xlsx_ledger_gives_located_errors_or_a_complete_result(
    ledger: str, titles: list[bool], breaks: list[tuple[str, int]], rows: list[list[Any]], title_rows: int,
    merges: list[tuple[int, int, int, int]], sheet: str,
) -> None:
    model = LEDGERS[ledger]
    fields = list(model.model_fields.items())
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = {"ledger": ledger, "label": model.label, "Sheet1": "Sheet1", "two": "数据"}[sheet]
    if sheet == "two":
        book.create_sheet("另一表").append(["编号", 1])
    for i in range(title_rows):
        ws.append([f"填报单位：示例区统计局 {i}"])
    # Every column, by field name or Chinese title as clerks write either; then at most two broken.
    header_row: list[Any] = [info.title if titles[i % len(titles)] and info.title else name for i, (name, info) in enumerate(fields)]
    for how, at in breaks:
        k = at % len(header_row)
        if how == "drop":
            del header_row[k]
        else:
            header_row[k] = {"empty": None, "junk": f"列{k}", "duplicate": header_row[0]}[how]
        if not header_row:
            break
    ws.append(header_row)
    for row in rows:
        ws.append(row)
    for top, left, height, width in merges:
        ws.merge_cells(start_row=top, start_column=left, end_row=top + height, end_column=left + width)
    with tempfile.TemporaryDirectory(prefix="fuzz-xlsx-") as tmp:
        # The profile and this one ledger: the other ledgers are missing (their findings unknown), which
        # keeps an example fast and still runs every rule.
        folder = Path(tmp) / "bureau"
        folder.mkdir()
        shutil.copy2(SEED / "profile.yaml", folder / "profile.yaml")
        book.save(folder / f"{ledger}.xlsx")
        try:
            bureau = load_bureau(folder)
        except InputError as exc:
            assert_located(exc, folder)
            event(f"refused: {exc.problems[0].code or 'no code'}")
            return
        event("judged, with unread rows" if bureau.unread else "judged")
        assert_complete(bureau, AS_OF)
        for account in bureau.accounts:  # every data row became a record or is accounted for as unread
            if Path(account.file).name == f"{ledger}.xlsx":
                assert account.read + account.unread == account.rows <= len(rows)


# --- waivers -----------------------------------------------------------------------------------

RULE_IDS = sorted(r.id for r in RULEBOOK.rules)
SUBJECTS = sorted({f.subject for f in SEED_FINDINGS if f.subject} | {"F-2020-08", "nobody"})
WAIVER_VALUES: dict[str, Any] = {
    "rule": st.one_of(st.sampled_from(RULE_IDS), SCALARS),
    "scope": st.one_of(
        st.just("all"), st.builds(lambda s: {"subject": s}, st.sampled_from(SUBJECTS)),
        st.builds(lambda p: {"period": p}, st.sampled_from(["2020", "2020Q4", "2020H1", "2020-07", "2019", "x"])),
        st.just({}), st.just({"subject": "a", "period": "2020"}), st.just({"other": 1}), SCALARS,
    ),
    "reason": st.one_of(st.just("疫情影响"), SCALARS),
    "approver": st.one_of(st.just("局长张三"), SCALARS),
    "approved_in": st.one_of(st.just("党组会 2021年第1次"), SCALARS),
    "from": st.one_of(st.dates(dt.date(2019, 1, 1), dt.date(2022, 1, 1)).map(str), SCALARS),
    "until": st.one_of(st.dates(dt.date(2019, 1, 1), dt.date(2022, 1, 1)).map(str), SCALARS),
}
GOOD_WAIVER = st.fixed_dictionaries({
    "rule": st.sampled_from(RULE_IDS),
    "scope": st.one_of(st.just("all"), st.builds(lambda s: {"subject": s}, st.sampled_from(SUBJECTS)),
                       st.builds(lambda p: {"period": p}, st.sampled_from(["2020", "2020Q4", "2020H1", "2020-07", "2019"]))),
    "reason": st.just("疫情影响"), "approver": st.just("局长张三"), "approved_in": st.just("党组会 2021年第1次"),
    "from": st.dates(dt.date(2019, 1, 1), dt.date(2022, 1, 1)).map(str), "until": st.dates(dt.date(2019, 1, 1), dt.date(2022, 1, 1)).map(str),
})
WAIVER = st.fixed_dictionaries({}, optional={**WAIVER_VALUES, "extra": SCALARS})
"""Any subset of the keys, any values: mostly refused, each refusal located."""


@fast(150)
@given(
    waivers=st.one_of(st.lists(GOOD_WAIVER, max_size=6), st.lists(GOOD_WAIVER, max_size=6), st.lists(WAIVER, max_size=5),
                      st.lists(st.fixed_dictionaries(WAIVER_VALUES), max_size=4), VALUES),
    name=st.sampled_from(WAIVER_FILES),
    as_of=st.dates(dt.date(2020, 6, 30), dt.date(2021, 12, 31)),
)
def test_a_random_waiver_file_is_named_or_applied_completely(waivers: Any, name: str, as_of: dt.date) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-waiver-") as tmp:
        folder = Path(tmp)
        path = folder / name
        path.write_text(yaml.safe_dump(waivers, allow_unicode=False, sort_keys=False), encoding="utf-8")
        try:
            loaded, file = load_waivers(folder, set(RULE_IDS))
        except InputError as exc:
            for problem in exc.problems:
                assert problem.file == str(path) and problem.message.strip(), problem
                str(problem)
            event("refused")
            return
        event(f"applied {len(loaded)} waivers" if loaded else "applied none")
        assert file == str(path)
        findings, report = apply_waivers(SEED_FINDINGS, loaded, as_of, file)
        assert len(findings) == len(SEED_FINDINGS)
        for before, after in zip(SEED_FINDINGS, findings):
            assert after.rule_id == before.rule_id
            assert after.status == before.status or (after.status.value == "waived" and before.status.value in ("gap", "due_soon", "unknown"))
        result = CheckResult(SEED_BUREAU.profile.name, as_of, findings, waivers=report)
        json.loads(as_json(result))
        as_table(result)
