"""Running a rule's examples: records in, the expected findings out, exactly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import ValidationError

from .errors import InputError, Problem
from .evaluate import Matcher, evaluate
from .findings import Status
from .records import LEDGERS, Bureau, Profile, Record, StaffMember, read_rows
from .rules import Example, RuleBase
from .validation import problems_from

__all__ = ["ExampleOutcome", "bureau_of", "run_example"]


@dataclass
class ExampleOutcome:
    rule_id: str
    name: str
    expected: dict[str, Status]
    actual: dict[str, Status]

    @property
    def passed(self) -> bool:
        return self.expected == self.actual

    def differences(self) -> list[str]:
        out = []
        for key in sorted(set(self.expected) | set(self.actual)):
            want, got = self.expected.get(key), self.actual.get(key)
            if want != got:
                out.append(f"{key}: 期望 {want.value if want else '（无此结论）'}，实际 {got.value if got else '（无此结论）'}")
        return out


def bureau_of(example: Example, source: str) -> Bureau:
    """The example's records as a bureau; a bad example record is an InputError like any ledger's."""
    problems: list[Problem] = []
    records: dict[str, list[Record]] = {}
    for ledger, items in example.records.items():
        model = LEDGERS.get(ledger)
        if model is None:
            problems.append(Problem(source, f"案例「{example.name}」：未知的台账类型 {ledger}"))
            continue
        rows = [(getattr(raw, "line", None), raw) for raw in items if isinstance(raw, dict)]
        if len(rows) < len(items):
            problems.append(Problem(source, f"案例「{example.name}」：{ledger} 的每条记录应为映射（字段: 值）"))
        records[ledger], unread, found = read_rows(source, model, rows, loc_prefix=(f"examples[{example.name}]", ledger))
        problems.extend(found)
        problems.extend(p for u in unread for p in u.problems)
    try:
        staff = [StaffMember.model_validate(s) for s in example.staff]
    except ValidationError as exc:
        problems.extend(problems_from(exc, source, None, StaffMember))
        staff = []
    for ledger in example.not_provided:
        if ledger not in LEDGERS:
            problems.append(Problem(source, f"案例「{example.name}」：not_provided 中的 {ledger} 不是已知台账"))
        elif ledger in example.records:
            problems.append(Problem(source, f"案例「{example.name}」：{ledger} 既有记录又列为未提交"))
    if problems:
        raise InputError(problems)
    start = example.ledgers_from or dt.date(example.as_of.year, 1, 1)
    profile = Profile(name="案例单位", ledgers_from=start, staff=staff)
    provided = frozenset(LEDGERS) - frozenset(example.not_provided) if example.not_provided else None
    return Bureau(profile, records, source, provided=provided)


def run_example(rule: RuleBase, example: Example, source: str = "", matcher: Matcher = "engine") -> ExampleOutcome:
    bureau = bureau_of(example, source or rule.id)
    findings = evaluate([rule], bureau, example.as_of, matcher=matcher)
    actual = {f.key: f.status for f in findings}
    return ExampleOutcome(rule.id, example.name, {k: Status(v.value) for k, v in example.expect.items()}, actual)
