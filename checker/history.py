"""The history of monthly runs, in one SQLite database: what is new, what persists and for how
long, what came back, and what was resolved since the bureau's previous check.

Why SQLite: the office runs ``check`` from cron every month, sometimes twice for one as-of date,
and a city may run several bureaus into one database at once. A run is one transaction
(``BEGIN IMMEDIATE`` … ``COMMIT``), so a run killed half-way leaves nothing, and a second writer
waits for the first instead of corrupting the file. Every run is kept; for each as-of date the
latest run is the one that counts.

Findings are matched across runs by their fingerprint (rule id and subject or period, see
:attr:`checker.findings.Finding.fingerprint`), never by message or position, so rewording a rule
or re-ordering a ledger changes nothing here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, Problem
from .evaluate import CheckResult
from .files import MAX_HISTORY_BYTES, read_input
from .findings import STATUS_ZH, Finding, Status

__all__ = [
    "DB_ENV",
    "DEFAULT_DB_NAME",
    "SCHEMA_VERSION",
    "Change",
    "Changes",
    "History",
    "Recorded",
    "RunInfo",
    "compare",
    "counting",
    "default_db",
    "input_digests",
    "months_between",
    "record_and_compare",
    "report_history",
    "trend",
]

DEFAULT_DB_NAME = ".compliance-history.sqlite"
"""In the bureau's records folder; a dot name, so the ledger loader passes over it."""
DB_ENV = "COMPLIANCE_HISTORY_DB"
"""When set, the database every run uses unless ``--db`` names another (tests, shared servers)."""

# Forward migrations: entry i brings a database from user_version i to i + 1. Never edit one
# that has shipped; add the next.
_MIGRATIONS: list[str] = [
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        bureau TEXT NOT NULL,
        records TEXT NOT NULL,
        as_of TEXT NOT NULL,
        ran_at TEXT NOT NULL,
        rulebook_version TEXT NOT NULL,
        rulebook_digest TEXT NOT NULL,
        data_complete INTEGER NOT NULL,
        summary TEXT NOT NULL,
        finding_count INTEGER NOT NULL,
        source TEXT NOT NULL DEFAULT 'check'
    );
    CREATE INDEX runs_by_bureau ON runs (bureau, as_of, id);
    CREATE TABLE inputs (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (run_id, name)
    );
    CREATE TABLE findings (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        key TEXT NOT NULL,
        status TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_id, fingerprint)
    );
    CREATE TABLE imported (
        sha256 TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE
    );
    """,
    # 2: the 整改台账 as the office left it, read back with each run (checker.rectification).
    """
    ALTER TABLE runs ADD COLUMN rectification_file TEXT;
    CREATE TABLE rectification (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        row INTEGER NOT NULL,
        fingerprint TEXT,
        status TEXT NOT NULL,
        note TEXT NOT NULL,
        owner TEXT NOT NULL,
        done_on TEXT,
        verdict TEXT NOT NULL,
        PRIMARY KEY (run_id, row)
    );
    """,
]
SCHEMA_VERSION = len(_MIGRATIONS)

_BUSY_MS = 60_000
"""How long a run waits for another writer of the same database before giving up with a message."""


def default_db(records: Path) -> Path:
    env = os.environ.get(DB_ENV)
    return Path(env) if env else records / DEFAULT_DB_NAME


def input_digests(records: Path) -> dict[str, str]:
    """SHA-256 of each file in the records folder (profile, ledgers, waivers, settings), by name.

    Kept with the run, so that a finding can be traced to the exact ledgers it was judged on.
    """
    if not records.is_dir():
        return {}
    digests = {}
    for path in sorted(records.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        h = hashlib.sha256()
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        digests[path.name] = h.hexdigest()
    return digests


def months_between(since: dt.date, now: dt.date) -> int:
    """Whole months from ``since`` to ``now``; month ends count as whole (01-31 → 02-28 is one)."""
    months = (now.year - since.year) * 12 + now.month - since.month
    month_end = (now + dt.timedelta(days=1)).month != now.month
    if now.day < since.day and not month_end:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class RunInfo:
    id: int
    bureau: str
    as_of: dt.date
    ran_at: str
    rulebook_version: str
    rulebook_digest: str
    data_complete: bool
    summary: dict[str, int]
    source: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "bureau": self.bureau,
            "as_of": self.as_of.isoformat(),
            "ran_at": self.ran_at,
            "rulebook": {"version": self.rulebook_version, "digest": self.rulebook_digest},
            "data_complete": self.data_complete,
            "summary": self.summary,
            "source": self.source,
        }


@dataclass(frozen=True)
class Change:
    """One gap of this run against the history, or one gap of the previous run that is no longer one."""

    kind: str
    """``new``, ``persisting``, ``reopened`` (a gap now) or ``resolved`` (a gap last time, not now)."""
    fingerprint: str
    rule_id: str
    title: str
    key: str
    since: dt.date | None = None
    """For a gap now: the first check of its current run of gaps."""
    months_open: int = 0
    now: str | None = None
    """For ``resolved``: the status now (met, not_applicable, unknown, …, or absent)."""

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "change": self.kind,
            "fingerprint": self.fingerprint,
            "rule_id": self.rule_id,
            "title": self.title,
            "key": self.key,
        }
        if self.kind == "resolved":
            doc["now"] = self.now
        else:
            doc["since"] = self.since.isoformat() if self.since else None
            doc["months_open"] = self.months_open
        return doc

    @property
    def label(self) -> str:
        """In the words of the table and the report."""
        if self.kind == "new":
            return "新增"
        if self.kind == "reopened":
            return "再次出现"
        if self.kind == "persisting":
            return f"持续{self.months_open}个月" if self.months_open else "持续（不足1个月）"
        if self.now == "absent":
            return "不再出现"
        return f"已整改（现{STATUS_ZH[Status(self.now)]}）" if self.now in ("met", "not_applicable") else f"现{STATUS_ZH[Status(self.now)]}" if self.now else ""


@dataclass
class Changes:
    """This run against the bureau's history: ``since`` is the previous run compared with (None: first check)."""

    since: dt.date | None
    since_run: int | None = None
    gaps: list[Change] = field(default_factory=list)
    resolved: list[Change] = field(default_factory=list)

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.gaps if c.kind == kind]

    def by_fingerprint(self) -> dict[str, Change]:
        return {c.fingerprint: c for c in self.gaps}

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "since_run": self.since_run,
            "new": [c.to_json() for c in self.of("new")],
            "persisting": [c.to_json() for c in self.of("persisting")],
            "reopened": [c.to_json() for c in self.of("reopened")],
            "resolved": [c.to_json() for c in self.resolved],
        }

    def headline(self) -> str:
        if self.since is None:
            return "较上次：无历史记录，本次为首次检查"
        return (
            f"较上次（{self.since.isoformat()}）：新增问题 {len(self.of('new'))} 项，持续 {len(self.of('persisting'))} 项，"
            f"再次出现 {len(self.of('reopened'))} 项，已不再是问题 {len(self.resolved)} 项"
        )


class History:
    """One history database. Open with :meth:`open`; every method is one short transaction."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    @classmethod
    def open(cls, path: Path, create: bool = True) -> History:
        if path.exists() and not path.is_file():
            raise InputError([Problem(str(path), "历史数据库应为普通文件")])
        if not path.exists():
            if not create:
                raise InputError([Problem(str(path), "历史数据库不存在（尚无检查记录）")])
            if not path.parent.is_dir():
                raise InputError([Problem(str(path), "历史数据库所在目录不存在")])
        try:
            db = sqlite3.connect(path, timeout=_BUSY_MS / 1000, isolation_level=None)
            db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
            db.execute("PRAGMA foreign_keys = ON")
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            history = cls(path, db)
            history._migrate()
        except sqlite3.DatabaseError as exc:
            raise InputError([Problem(str(path), f"历史数据库无法打开：{exc}")]) from None
        return history

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands, or (an exception, a kill) none of it."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise InputError([Problem(str(self.path), f"历史数据库被占用或无法写入：{exc}")]) from None
        try:
            yield self._db
        except sqlite3.DatabaseError as exc:
            self._rollback()
            raise InputError([Problem(str(self.path), f"历史记录未能保存，本次未记入历史：{exc}")]) from None
        except BaseException:
            self._rollback()
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._rollback()
            raise InputError([Problem(str(self.path), f"历史记录未能保存，本次未记入历史：{exc}")]) from None

    def _rollback(self) -> None:
        # After a failed COMMIT or a broken file SQLite may have rolled back already.
        with suppress(sqlite3.DatabaseError):
            self._db.execute("ROLLBACK")

    def _migrate(self) -> None:
        """Bring the schema up to date, one migration per transaction; the version is read inside
        the transaction, so two first runs at once never both create the tables."""
        while True:
            with self._write() as db:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise InputError([Problem(
                        str(self.path), f"历史数据库版本 {version} 新于本程序（{SCHEMA_VERSION}），请升级本程序",
                    )])
                if version == SCHEMA_VERSION:
                    return
                for statement in _MIGRATIONS[version].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {version + 1}")

    # --- writing

    def record(self, result: CheckResult, records: str, inputs: dict[str, str], source: str = "check",
               ran_at: str | None = None) -> int:
        """Store one run with every finding; returns its id."""
        when = ran_at or dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
        complete = result.data is None or result.data.complete
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO runs (bureau, records, as_of, ran_at, rulebook_version, rulebook_digest, data_complete,"
                " summary, finding_count, source, rectification_file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (result.bureau, records, result.as_of.isoformat(), when, result.rulebook_version,
                 result.rulebook_digest, int(complete), json.dumps(result.summary()), len(result.findings), source,
                 result.rectification.file if result.rectification else None),
            )
            run_id = int(cursor.lastrowid or 0)
            db.executemany("INSERT INTO inputs (run_id, name, sha256) VALUES (?, ?, ?)",
                           [(run_id, name, digest) for name, digest in sorted(inputs.items())])
            db.executemany(
                "INSERT INTO findings (run_id, fingerprint, rule_id, key, status, body) VALUES (?, ?, ?, ?, ?, ?)",
                ((run_id, f.fingerprint, f.rule_id, f.key, f.status.value, json.dumps(f.to_json(), ensure_ascii=False))
                 for f in result.findings),
            )
            if result.rectification is not None:
                verdicts = result.rectification.verdicts()
                db.executemany(
                    "INSERT INTO rectification (run_id, row, fingerprint, status, note, owner, done_on, verdict)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(run_id, e.row, e.fingerprint, e.status, e.text("整改情况"), e.text("责任人"),
                      e.done_on.isoformat() if e.done_on else None, verdicts[e.row]) for e in result.rectification.entries],
                )
        return run_id

    def import_folder(self, folder: Path, records: str) -> int:
        """Bring the runs of an old ``--history DIR`` folder (one ``<as-of>.json`` each) in, once each."""
        if not folder.exists():
            return 0
        if not folder.is_dir():
            raise InputError([Problem(str(folder), "--history 应为目录（旧版历史记录目录）")])
        count = 0
        for path in sorted(p for p in folder.glob("*.json") if len(p.stem) == 10):
            data = read_input(path, max_bytes=MAX_HISTORY_BYTES, what="历史记录")
            digest = hashlib.sha256(data).hexdigest()
            if self._db.execute("SELECT 1 FROM imported WHERE sha256 = ?", (digest,)).fetchone():
                continue
            result = _result_from_json(path, data)
            run_id = self.record(result, records, {}, source=f"import:{path.name}",
                                 ran_at=dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone().isoformat(timespec="seconds"))
            with self._write() as db:
                db.execute("INSERT INTO imported (sha256, path, run_id) VALUES (?, ?, ?)", (digest, str(path), run_id))
            count += 1
        return count

    # --- reading

    def runs(self, bureau: str | None = None) -> list[RunInfo]:
        sql = ("SELECT id, bureau, as_of, ran_at, rulebook_version, rulebook_digest, data_complete, summary, source"
               " FROM runs")
        rows = self._db.execute(sql + (" WHERE bureau = ? ORDER BY as_of, id" if bureau else " ORDER BY bureau, as_of, id"),
                                (bureau,) if bureau else ()).fetchall()
        return [
            RunInfo(r[0], r[1], dt.date.fromisoformat(r[2]), r[3], r[4], r[5], bool(r[6]), json.loads(r[7]), r[8])
            for r in rows
        ]

    def run(self, ident: str, bureau: str | None = None) -> RunInfo:
        """A run by its id, or the run that counts for an as-of date (YYYY-MM-DD)."""
        runs = self.runs(bureau)
        if ident.isdigit():
            found = [r for r in runs if r.id == int(ident)]
        else:
            found = [r for r in runs if r.as_of.isoformat() == ident][-1:]
        if not found:
            raise InputError([Problem(str(self.path), f"没有检查记录“{ident}”（用 compliance history 查看历次检查）")])
        return found[0]

    def findings(self, run_id: int) -> dict[str, dict[str, Any]]:
        """A run's findings as JSON documents, by fingerprint."""
        return {fp: json.loads(body) for fp, body in
                self._db.execute("SELECT fingerprint, body FROM findings WHERE run_id = ?", (run_id,))}

    def rectification(self, run_id: int) -> list[dict[str, Any]]:
        """The 整改台账 rows stored with a run, with the check's verdict on each."""
        cursor = self._db.execute(
            "SELECT row, fingerprint, status, note, owner, done_on, verdict FROM rectification WHERE run_id = ? ORDER BY row",
            (run_id,))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r)) for r in cursor.fetchall()]

    def statuses(self, run_id: int) -> dict[str, str]:
        return dict(self._db.execute("SELECT fingerprint, status FROM findings WHERE run_id = ?", (run_id,)).fetchall())

    def counting_runs(self, bureau: str, before: dt.date) -> list[RunInfo]:
        """The run that counts for each earlier as-of date (the latest of that date), oldest first."""
        return counting(r for r in self.runs(bureau) if r.as_of < before)


def counting(runs: Iterable[RunInfo]) -> list[RunInfo]:
    """The run that counts for each bureau and as-of date, the latest of that date, in (bureau, as-of) order.

    ``runs`` come in the order they ran for each date (``History.runs`` orders by as-of, then id).
    """
    latest: dict[tuple[str, dt.date], RunInfo] = {}
    for r in runs:
        latest[(r.bureau, r.as_of)] = r
    return [latest[k] for k in sorted(latest)]


def trend(runs: list[RunInfo]) -> list[tuple[str, str, RunInfo]]:
    """(bureau, month YYYY-MM, run) for each bureau's last counting run of each month, in order."""
    months: dict[tuple[str, str], RunInfo] = {}
    for r in counting(runs):
        months[(r.bureau, r.as_of.strftime("%Y-%m"))] = r
    return [(bureau, month, r) for (bureau, month), r in sorted(months.items())]


def compare(history: History, result: CheckResult) -> Changes:
    """This run's gaps against the bureau's earlier runs (earlier as-of dates, the latest run of each)."""
    timeline = history.counting_runs(result.bureau, result.as_of)
    if not timeline:
        return Changes(since=None, gaps=[
            Change("new", f.fingerprint, f.rule_id, f.title, f.key, since=result.as_of) for f in result.gaps
        ])
    statuses = [(run.as_of, history.statuses(run.id)) for run in timeline]
    previous = timeline[-1]
    before = statuses[-1][1]
    changes = Changes(since=previous.as_of, since_run=previous.id)
    for f in result.gaps:
        fp = f.fingerprint
        if before.get(fp) == Status.gap.value:
            since = previous.as_of
            for as_of, seen in reversed(statuses):
                if seen.get(fp) != Status.gap.value:
                    break
                since = as_of
            changes.gaps.append(Change("persisting", fp, f.rule_id, f.title, f.key, since=since,
                                       months_open=months_between(since, result.as_of)))
        else:
            ever = any(seen.get(fp) == Status.gap.value for _, seen in statuses)
            changes.gaps.append(Change("reopened" if ever else "new", fp, f.rule_id, f.title, f.key, since=result.as_of))
    now = {f.fingerprint: f for f in result.findings}
    old = history.findings(previous.id)
    for fp in sorted(fp for fp, status in before.items() if status == Status.gap.value):
        current = now.get(fp)
        if current is not None and current.status is Status.gap:
            continue
        doc = old[fp]
        changes.resolved.append(Change(
            "resolved", fp, doc["rule_id"], current.title if current else doc.get("title", ""),
            Finding.key_of(doc.get("subject"), doc.get("period")), now=current.status.value if current else "absent",
        ))
    return changes


def _result_from_json(path: Path, data: bytes) -> CheckResult:
    """A run of the old JSON history read back as a result (findings only), for the import."""
    try:
        doc = json.loads(data.decode("utf-8"))
        findings = [_finding_from_json(f) for f in doc["findings"]]
        return CheckResult(doc["bureau"], dt.date.fromisoformat(doc["as_of"]), findings,
                           doc.get("rulebook", {}).get("version", ""), doc.get("rulebook", {}).get("digest", ""))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise InputError([Problem(str(path), f"历史记录无法读取：{type(exc).__name__}: {exc}")]) from None


def _finding_from_json(doc: dict[str, Any]) -> Finding:
    return Finding(
        rule_id=doc["rule_id"], status=Status(doc["status"]), heading=doc.get("where", ""), title=doc.get("title", ""),
        subject=doc.get("subject"), period=doc.get("period"), due=doc.get("due"), evidence=doc.get("evidence", []),
        message=doc.get("message", ""), provisional=doc.get("provisional", False), version=doc.get("version"),
    )


@dataclass
class Recorded:
    """What ``check`` did with the history: the comparison, and where the run was stored."""

    changes: Changes
    run_id: int
    db: Path


def record_and_compare(records: Path, result: CheckResult, db: Path | None = None,
                       legacy: Path | None = None) -> Recorded | None:
    """Compare this run with the bureau's history, then store it (the ``check`` path).

    The database is ``db`` (``--db``), else $COMPLIANCE_HISTORY_DB, else the records folder. A
    records folder the user cannot write to (a read-only share) gives None, and the caller
    warns: the check itself still stands. A ``--db`` the user named that cannot be used is an error.
    """
    path = db if db is not None else default_db(records)
    if db is None and not path.exists() and not os.access(path.parent, os.W_OK):
        return None
    with History.open(path) as history:
        if legacy is not None:
            history.import_folder(legacy, str(records.resolve()))
        changes = compare(history, result)
        run_id = history.record(result, str(records.resolve()), input_digests(records))
    return Recorded(changes, run_id, path)


def report_history(
    records: Path, result: CheckResult, db: Path | None = None
) -> tuple[dict[str, int] | None, list[tuple[str, int]]]:
    """For the report, from one read of the history (the report records nothing itself):

    - by rule id, the whole months its longest-standing gap has stood (0: new), or None when
      there is no earlier run to compare with;
    - gaps per month for the trend chart, this check as its month's point ([] without history).
    """
    path = db if db is not None else default_db(records)
    if not path.is_file():
        if db is not None:
            raise InputError([Problem(str(db), "历史数据库不存在（尚无检查记录）")])
        return None, []
    with History.open(path, create=False) as history:
        changes = compare(history, result)
        runs = [r for r in history.runs(result.bureau) if r.as_of <= result.as_of]
    points = {month: r.summary.get("gap", 0) for _, month, r in trend(runs)}
    points[result.as_of.strftime("%Y-%m")] = len(result.gaps)
    if changes.since is None:
        return None, sorted(points.items())
    months: dict[str, int] = {}
    for c in changes.gaps:
        months[c.rule_id] = max(months.get(c.rule_id, 0), c.months_open if c.kind == "persisting" else 0)
    return months, sorted(points.items())
