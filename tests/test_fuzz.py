"""Random bureau folders, valid and broken, through the loader and the whole check, in-process.

Each example is a synthetic bureau (``checker.synthetic``) written the way clerks hand ledgers
in (YAML lists or CSV tables, with a profile.yaml), then mutated a few times: lines deleted,
values replaced by junk, junk lines inserted, files truncated, emptied, renamed, turned into
folders or filled with bytes that are no text. Whatever comes in, only our own answers may
come out:

* an ``InputError`` whose every problem names a file (the folder, or a file in it), or
* a complete result: every rule judged, every finding with a status, and the table and JSON
  rendered; any record that could not be read is accounted for with its file.

The unmutated folder must load back with nothing unread (the writer and reader agree).
Kept under about 30 seconds: few examples, the engine in-process, no child processes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from checker import synthetic
from checker.completeness import DataQuality
from checker.errors import InputError
from checker.evaluate import CheckResult, evaluate
from checker.findings import Status
from checker.records import LEDGERS, Bureau, load_bureau
from checker.records.loading import check_as_of
from checker.render import as_json, as_table
from checker.rulebook import DEFAULT_RULES, load_rulebook

RULES = load_rulebook(DEFAULT_RULES).rules

# --- writing a bureau as clerks do -------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value as it is typed into a YAML ledger."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (int, float, bool, str)) or value is None:
        return value
    return str(value)  # Decimal amounts, enums


def _cell(value: Any) -> str:
    """A value as it is typed into a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_cell(v) for v in value)
    return str(_plain(value))


def _rows(bureau: Bureau, ledger: str) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.model_dump().items() if v is not None and v != []} for r in bureau.records[ledger]]


def write_bureau(bureau: Bureau, folder: Path, as_csv: Callable[[str], bool]) -> list[Path]:
    """The bureau's profile and ledgers as files; ``as_csv(ledger)`` picks each ledger's format."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = bureau.profile.model_dump(mode="json", exclude_none=True)
    (folder / "profile.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8")
    written = [folder / "profile.yaml"]
    for ledger in sorted(bureau.records):
        rows = _rows(bureau, ledger)
        if as_csv(ledger):
            fields = [name for name in LEDGERS[ledger].model_fields if any(name in r for r in rows)]
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(fields)
            for r in rows:
                writer.writerow([_cell(r.get(name)) for name in fields])
            path = folder / f"{ledger}.csv"
            path.write_text(buffer.getvalue(), encoding="utf-8")
        else:
            path = folder / f"{ledger}.yaml"
            path.write_text(yaml.safe_dump([{k: _plain(v) for k, v in r.items()} for r in rows], allow_unicode=True, sort_keys=False), encoding="utf-8")
        written.append(path)
    return written


# --- breaking it -------------------------------------------------------------------------------

JUNK = [
    "", "x", "- x", "{}", "[]", "null", "~", "'", '"', "- {id: ", "[[[[", "{a: {b: }}", "? [a, b]\n: 1",
    "2020-02-30", "13/45/2020", "1e400", "-5", "NaN", "10000000000000000000000000000", "一千元", "是否",
    "\x1b[2J", "\u202e", "\t", ",,,,,,", ";", "合计", "id,id,id", "amount,amount", "*undefined", "&a [*a]",
    "!!python/object:os.system", "%YAML 9.9", "---\n- a\n---\n- b",
]
EDITS = ["delete", "value", "insert", "duplicate", "truncate", "empty", "bytes", "rename", "folder", "drop"]
CELL_JUNK = ["", "x", "2020-02-30", "13/45/2020", "1e400", "-5", "NaN", "10000000000000000000000000000", "一千元",
             "是否", "\x1b[2J", "\u202e", "P99", "2020年13月1日", "0", "1.5", "无", "——", "2100-01-01", "1900-01-01"]


def mutate(files: list[Path], rng: random.Random, edits: list[tuple[str, str]]) -> None:
    """Apply each (edit, junk) to a file chosen by ``rng``."""
    for how, junk in edits:
        files = [f for f in files if f.is_file()]
        if not files:
            return
        path = rng.choice(files)
        data = path.read_bytes()
        lines = data.decode("utf-8", errors="replace").splitlines()
        i = rng.randrange(len(lines)) if lines else 0
        if how == "delete" and lines:
            del lines[i]
        elif how == "value" and lines:
            sep = "," if path.suffix == ".csv" else ":"
            head, found, _ = lines[i].partition(sep)
            lines[i] = head + (found or sep) + " " + junk if path.suffix != ".csv" else head + sep + junk
        elif how == "cell" and len(lines) > 1:
            # One value of one record made unreadable: the record is kept as unread, the rest judged.
            k = rng.randrange(1, len(lines)) if path.suffix == ".csv" else i
            if path.suffix == ".csv":
                cells = next(csv.reader([lines[k]]))
                cells[rng.randrange(len(cells))] = junk
                buffer = io.StringIO()
                csv.writer(buffer).writerow(cells)
                lines[k] = buffer.getvalue().rstrip("\r\n")
            elif ": " in lines[k] and not lines[k].lstrip("- ").startswith("id:"):
                lines[k] = lines[k].partition(": ")[0] + ": " + json.dumps(junk, ensure_ascii=False)
        elif how == "insert":
            lines.insert(i, " " * rng.randrange(4) + junk)
        elif how == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif how == "truncate":
            path.write_bytes(data[: rng.randrange(len(data) + 1)])
            continue
        elif how == "empty":
            path.write_bytes(b"")
            continue
        elif how == "bytes":
            path.write_bytes(data[: len(data) // 2] + bytes(rng.randrange(256) for _ in range(16)) + data[len(data) // 2 :])
            continue
        elif how == "rename":
            path.rename(path.with_name(rng.choice(["fine.json", "罚款.txt", "unknown_ledger.yaml", "fine.YML", f"x{path.suffix}"])))
            continue
        elif how == "folder":
            path.unlink()
            path.mkdir()
            continue
        elif how == "drop":
            path.unlink()
            continue
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- what may come out -------------------------------------------------------------------------


def assert_located(exc: InputError, folder: Path) -> None:
    assert exc.problems, "an InputError must say what is wrong"
    for problem in exc.problems:
        assert problem.file, problem
        assert problem.file == str(folder) or problem.file.startswith(f"{folder}/") or problem.file.startswith("--"), problem
        assert problem.message.strip(), problem
        str(problem)  # the message a person reads can always be formed


def assert_complete(bureau: Bureau, as_of: dt.date) -> None:
    try:
        check_as_of(bureau, as_of)
    except InputError as exc:
        assert_located(exc, Path(bureau.source))
        return
    findings = evaluate(RULES, bureau, as_of)
    assert {f.rule_id for f in findings} <= {r.id for r in RULES}
    assert all(isinstance(f.status, Status) for f in findings)
    data = DataQuality.of(RULES, bureau)
    for unread in data.unread:
        assert unread.file and unread.problems and all(p.file == unread.file for p in unread.problems)
    result = CheckResult(bureau.profile.name, as_of, findings, data=data)
    json.loads(as_json(result))
    as_table(result)


def check_folder(folder: Path, as_of: dt.date) -> Bureau | None:
    try:
        bureau = load_bureau(folder)
    except InputError as exc:
        assert_located(exc, folder)
        event("refused by the loader")
        return None
    event("checked, with unread records" if bureau.unread else "checked")
    assert_complete(bureau, as_of)
    return bureau


# --- the properties ----------------------------------------------------------------------------

SIZES = st.integers(min_value=0, max_value=48)
AS_OF = st.dates(min_value=dt.date(2019, 6, 30), max_value=dt.date(2022, 12, 31))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), size=SIZES, as_of=AS_OF, csv_share=st.floats(0, 1))
def test_a_valid_random_bureau_loads_back_whole_and_is_checked(seed: int, size: int, as_of: dt.date, csv_share: float) -> None:
    rng = random.Random(seed)
    bureau = synthetic.bureau(rng, size)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        folder = Path(tmp) / "bureau"
        write_bureau(bureau, folder, lambda _: rng.random() < csv_share)
        if not bureau.records:  # only a profile: refused, never a check of nothing
            try:
                load_bureau(folder)
            except InputError as exc:
                assert "没有任何台账" in str(exc)
                return
            raise AssertionError("a folder with only a profile was accepted")
        loaded = load_bureau(folder)
        assert not loaded.unread, [u.describe() for u in loaded.unread]
        assert {k: len(v) for k, v in loaded.records.items()} == {k: len(v) for k, v in bureau.records.items()}
        assert_complete(loaded, as_of)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    size=SIZES,
    as_of=AS_OF,
    csv_share=st.floats(0, 1),
    edits=st.lists(
        st.one_of(
            st.tuples(st.sampled_from(EDITS), st.sampled_from(JUNK)),
            st.tuples(st.just("cell"), st.sampled_from(CELL_JUNK)),
        ),
        min_size=1, max_size=4,
    ),
)
def test_a_broken_random_bureau_gives_located_errors_or_a_complete_result(
    seed: int, size: int, as_of: dt.date, csv_share: float, edits: list[tuple[str, str]]
) -> None:
    rng = random.Random(seed)
    bureau = synthetic.bureau(rng, size)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        folder = Path(tmp) / "bureau"
        files = write_bureau(bureau, folder, lambda _: rng.random() < csv_share)
        mutate(files, rng, edits)
        check_folder(folder, as_of)
