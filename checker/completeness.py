"""Missing data is never compliance: findings that rest on a ledger not handed in, or on a record
that could not be read, become ``unknown``, naming what is missing.

Applied once, after every kind has judged (``checker.evaluate``), so that no kind can forget it
and the engine and the oracle are treated alike. The rules are:

* a rule that reads a ledger the bureau did not hand in (neither a file, even an empty one, nor
  declared in the profile's ``no_records``) cannot judge anything it would have judged: each of
  its findings that is not merely ``pending`` is ``unknown`` (未提供罚没款台账，无法判断); a rule
  left with no finding at all gets one;
* a record that could not be read (an unreadable cell, an empty required field, a reference to
  no record) and that is dated by the as-of day, or whose date cannot be read, may bear on every
  finding of a rule that reads its ledger. Where it names its subject (a remittance naming its
  fine), only that subject's finding is ``unknown``; otherwise every finding of the rule that is
  not ``pending``. When the record is itself a subject, it gets an ``unknown`` finding of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import Problem
from .findings import Finding, Status
from .records import LEDGERS, Bureau, LedgerAccount, UnreadRecord
from .records.base import references
from .rules import RuleBase

__all__ = ["DataQuality", "account_for_missing_data", "missing_ledgers_of"]

_KEPT = {Status.pending}
"""A finding not yet due says nothing the missing data could change: it stays."""


def missing_ledgers_of(rules: Iterable[RuleBase], bureau: Bureau) -> dict[str, list[str]]:
    """Ledger -> the rules that need it, for every ledger the rules read and the bureau did not hand in."""
    out: dict[str, list[str]] = {}
    for rule in rules:
        for name in bureau.missing(rule.ledgers_read):
            out.setdefault(name, []).append(rule.id)
    return dict(sorted(out.items()))


def account_for_missing_data(rule: RuleBase, bureau: Bureau, as_of: dt.date, findings: list[Finding]) -> list[Finding]:
    """``findings`` of ``rule`` with what missing or unreadable data leaves undecided made ``unknown``."""
    missing = bureau.missing(rule.ledgers_read)
    if missing:
        labels = "、".join(LEDGERS[name].label for name in missing)
        why = f"未提供{labels}，无法判断"
        out = [_unknown(f, why, {"missing_ledgers": missing}) for f in findings]
        return out or [rule.finding(Status.unknown, message=why, details={"missing_ledgers": missing})]
    unread = [u for u in bureau.unread if u.ledger in rule.ledgers_read and (u.day is None or u.day <= as_of)]
    if not unread:
        return findings
    subject_ledger = rule.subject_ledger
    out = list(findings)
    for record in unread:
        why = f"有记录无法读取，无法判断：{record.describe()}"
        details = {"unread": [record.to_json()]}
        if record.ledger == subject_ledger:
            if record.rid is not None and not any(f.subject == record.rid for f in out):
                out = [f for f in out if not (f.status is Status.not_applicable and f.subject is None)]
                out.append(rule.finding(Status.unknown, subject=record.rid, message=why, details=details))
            touched = {record.rid} if record.rid is not None else None
        else:
            touched = _subjects_named(record, subject_ledger)
        out = [_unknown(f, why, details) if touched is None or f.subject in touched else f for f in out]
    return out


def _subjects_named(record: UnreadRecord, subject_ledger: str | None) -> set[str] | None:
    """The subjects an unread record names by a readable reference, or None when it may bear on any."""
    if subject_ledger is None:
        return None
    targets = references(LEDGERS[record.ledger])
    named = [ids for name, ids in record.refs.items() if targets.get(name) == subject_ledger and ids]
    return {i for ids in named for i in ids} if named else None


def _unknown(finding: Finding, why: str, details: dict[str, Any]) -> Finding:
    if finding.status in _KEPT:
        return finding
    if finding.status is Status.unknown:
        merged = dict(finding.details)
        for key, value in details.items():
            if isinstance(value, list):
                merged[key] = [*merged.get(key, []), *value]
        return finding.model_copy(update={"details": merged})
    before = finding.message
    message = why if not before or finding.status is Status.not_applicable else f"{why}（若不计此项：{before}）"
    merged = {**finding.details, **details, "status_without": finding.status.value}
    return finding.model_copy(update={"status": Status.unknown, "message": message, "details": merged})


@dataclass
class DataQuality:
    """What a check could not read or was not given: shown with every check and in the report."""

    missing: dict[str, list[str]] = field(default_factory=dict)
    """Ledger not handed in -> the rules that need it."""
    unread: list[UnreadRecord] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    accounts: list[LedgerAccount] = field(default_factory=list)

    @classmethod
    def of(cls, rules: Iterable[RuleBase], bureau: Bureau) -> DataQuality:
        return cls(missing_ledgers_of(rules, bureau), list(bureau.unread), list(bureau.warnings), list(bureau.accounts))

    @property
    def complete(self) -> bool:
        """Every ledger the rules read was handed in, and every record in it could be read."""
        return not self.missing and not self.unread

    def summary_line(self) -> str:
        read = sum(a.read for a in self.accounts)
        return (
            f"数据质量：读取台账 {len(self.accounts)} 个、记录 {read} 条；无法读取的记录 {len(self.unread)} 条；"
            f"台账缺失 {len(self.missing)} 个；提示 {len(self.warnings)} 条"
        )

    def missing_lines(self) -> list[str]:
        """台账缺失: each ledger not handed in, and what it leaves undecided."""
        return [
            f"{LEDGERS[name].label}（{name}）：{len(rules)} 项义务无法判断（{'、'.join(rules[:4])}{'等' if len(rules) > 4 else ''}）"
            for name, rules in self.missing.items()
        ]

    def problem_lines(self) -> list[str]:
        """Every unreadable record's problems, then the warnings (rows skipped, files not read)."""
        lines = [f"无法读取：{p}" for u in self.unread for p in u.problems]
        return lines + [f"提示：{p}" for p in self.warnings]

    def to_json(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "missing_ledgers": [{"ledger": n, "label": LEDGERS[n].label, "rules": r} for n, r in self.missing.items()],
            "unread": [u.to_json() for u in self.unread],
            "warnings": [str(w) for w in self.warnings],
            "ledgers": [a.to_json() for a in self.accounts],
        }
