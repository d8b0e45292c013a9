"""Waivers (豁免/情况说明): a gap the bureau has formally excused, with who approved it, where, and until when.

A waiver never makes a finding ``met``: the finding becomes ``waived`` and keeps what it was
(``details["waived_from"]``) and why. A waiver that has expired brings the gap back and says so;
one not yet in force, or one that matches no finding, is reported, so that a stale or mistyped
waiver is seen rather than silently ignored. A waiver naming a rule the rulebook does not have is
an input error with file and line: it would excuse nothing, and its author must know.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import InputError, Problem
from .files import MAX_PROFILE_BYTES
from .findings import Finding, Status
from .validation import problems_from
from .yamlsrc import load_yaml, position_of

__all__ = ["WAIVABLE", "WAIVER_FILES", "Waiver", "WaiverReport", "apply_waivers", "load_waivers"]

WAIVER_FILES = ("waivers.yaml", "豁免.yaml")
"""Where a bureau keeps its waivers: beside its ledgers (the loader passes over these names)."""

WAIVABLE = (Status.gap, Status.due_soon, Status.unknown)
"""What a waiver can excuse: an obligation not (yet) shown met. Met and not-applicable need none."""


class Scope(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    subject: str | None = Field(default=None, title="对象", description="一条记录的编号，如 F-2020-08")
    period: str | None = Field(default=None, title="期间", description="如 2020、2020Q4")

    @model_validator(mode="after")
    def _one_at_least(self) -> Scope:
        if self.subject is None and self.period is None:
            raise ValueError("范围应写 subject（对象）或 period（期间），全部适用的写 scope: all")
        return self


class Waiver(BaseModel):
    """One approved exception, as the 党组会 or the head of the bureau approved it."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    rule: str = Field(title="规则编号")
    scope: Literal["all"] | Scope = Field(title="范围", description="all，或 {subject: 编号} / {period: 期间}")
    reason: str = Field(min_length=1, title="理由")
    approver: str = Field(min_length=1, title="批准人")
    approved_in: str = Field(min_length=1, title="批准依据", description="会议或文件，如 党组会 2021年第3次")
    valid_from: dt.date = Field(alias="from", title="生效日期")
    until: dt.date = Field(title="失效日期", description="含当日")
    line: int = Field(default=0, exclude=True)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Waiver:
        if self.until < self.valid_from:
            raise ValueError(f"失效日期 {self.until} 早于生效日期 {self.valid_from}")
        return self

    def covers(self, finding: Finding) -> bool:
        if finding.rule_id != self.rule:
            return False
        if self.scope == "all":
            return True
        assert isinstance(self.scope, Scope)
        return (self.scope.subject is None or self.scope.subject == finding.subject) and (
            self.scope.period is None or self.scope.period == finding.period
        )

    @property
    def scope_text(self) -> str:
        if self.scope == "all":
            return "全部"
        assert isinstance(self.scope, Scope)
        return "@".join(p for p in (self.scope.subject, self.scope.period) if p)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "scope": self.scope_text, "reason": self.reason, "approver": self.approver,
            "approved_in": self.approved_in, "from": self.valid_from.isoformat(), "until": self.until.isoformat(),
            "line": self.line,
        }


@dataclass
class WaiverReport:
    """What the waivers did in one check: for the table, the JSON and the report's section of its own."""

    file: str | None = None
    applied: list[tuple[Waiver, list[str]]] = field(default_factory=list)
    """Each waiver in force that excused something, with the keys it excused."""
    expired: list[tuple[Waiver, list[str]]] = field(default_factory=list)
    """Each expired waiver that would have matched, with the keys whose gap is back."""
    not_yet: list[Waiver] = field(default_factory=list)
    unmatched: list[Waiver] = field(default_factory=list)

    def notes(self) -> list[str]:
        """One line each for what needs the office's attention."""
        lines = []
        for w, keys in self.expired:
            lines.append(f"豁免已于 {w.until} 到期，问题恢复：{w.rule} {'、'.join(keys)}（{self.file}:{w.line}）")
        for w in self.not_yet:
            lines.append(f"豁免尚未生效（{w.valid_from} 起）：{w.rule} {w.scope_text}（{self.file}:{w.line}）")
        for w in self.unmatched:
            lines.append(f"豁免未对应任何待处理事项：{w.rule} {w.scope_text}（{self.file}:{w.line}）")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "applied": [w.to_json() | {"keys": keys} for w, keys in self.applied],
            "expired": [w.to_json() | {"keys": keys} for w, keys in self.expired],
            "not_yet_in_force": [w.to_json() for w in self.not_yet],
            "unmatched": [w.to_json() for w in self.unmatched],
        }


def load_waivers(records: Path, rule_ids: set[str]) -> tuple[list[Waiver], str | None]:
    """The bureau's waivers, validated; ([], None) when it keeps none."""
    found = [records / name for name in WAIVER_FILES if (records / name).exists()]
    if not found:
        return [], None
    if len(found) > 1:
        raise InputError([Problem(str(found[1]), f"豁免文件只能有一个（已有 {found[0].name}）")])
    path = found[0]
    name = str(path)
    doc = load_yaml(path, max_bytes=MAX_PROFILE_BYTES, what="豁免文件")
    if doc is None:
        return [], name
    if not isinstance(doc, list):
        raise InputError([Problem(name, "豁免文件应为列表，每项一条豁免（以 - 开头）", line=getattr(doc, "line", None))])
    problems: list[Problem] = []
    waivers: list[Waiver] = []
    for i, item in enumerate(doc):
        line, _ = position_of(doc, (i,))
        try:
            waiver = Waiver.model_validate(item)
        except ValidationError as exc:
            problems.extend(problems_from(exc, name, item, Waiver, loc_prefix=(i,)))
            continue
        if waiver.rule not in rule_ids:
            at, _ = position_of(doc, (i, "rule"))
            problems.append(Problem(name, f"规则库中没有规则“{waiver.rule}”", line=at or line, field="rule"))
            continue
        waivers.append(waiver.model_copy(update={"line": line or 0}))
    if problems:
        raise InputError(problems)
    return waivers, name


def apply_waivers(findings: list[Finding], waivers: list[Waiver], as_of: dt.date, file: str | None) -> tuple[list[Finding], WaiverReport]:
    report = WaiverReport(file=file)
    if not waivers:
        return findings, report
    out = list(findings)
    for waiver in waivers:
        matches = [i for i, f in enumerate(out) if waiver.covers(f) and f.status in WAIVABLE]
        if waiver.valid_from > as_of:
            report.not_yet.append(waiver)
            continue
        if not matches:
            report.unmatched.append(waiver)
            continue
        keys = [out[i].key for i in matches]
        if waiver.until < as_of:
            report.expired.append((waiver, keys))
            for i in matches:
                f = out[i]
                out[i] = f.model_copy(update={"message": f"{f.message}（豁免已于 {waiver.until} 到期：{waiver.reason}）"})
            continue
        report.applied.append((waiver, keys))
        for i in matches:
            f = out[i]
            out[i] = f.model_copy(update={
                "status": Status.waived,
                "message": f"已豁免：{waiver.reason}（{waiver.approver}批准，{waiver.approved_in}，至 {waiver.until}）；原结论：{f.message}",
                "details": {**f.details, "waived_from": f.status.value, "waiver_line": waiver.line},
            })
    return out, report
