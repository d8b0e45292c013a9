"""What a check says about one obligation for one subject (a record or a period)."""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["STATUS_ORDER", "STATUS_ZH", "Finding", "JudgedStatus", "Status"]


class Status(str, Enum):
    met = "met"
    gap = "gap"
    due_soon = "due_soon"
    pending = "pending"
    not_applicable = "not_applicable"
    unknown = "unknown"
    waived = "waived"
    """Excused by a waiver in force (checker.waivers): never met; the finding keeps what it was."""


# What a rule itself can conclude (a rule example's expectation): every status but ``waived``,
# which comes after the rules, from the bureau's waivers, and which no example can expect.
class JudgedStatus(str, Enum):
    """规则本身可得出的结论（示例的期望结论）；“已豁免”由单位的豁免文件在检查后给出，示例中不可用。"""

    met = "met"
    gap = "gap"
    due_soon = "due_soon"
    pending = "pending"
    not_applicable = "not_applicable"
    unknown = "unknown"


STATUS_ZH = {
    Status.gap: "问题",
    Status.due_soon: "即将到期",
    Status.unknown: "无法判断",
    Status.waived: "已豁免",
    Status.pending: "未到期",
    Status.met: "已落实",
    Status.not_applicable: "不适用",
}
STATUS_ORDER = list(STATUS_ZH)


class Finding(BaseModel):
    """One judgement. ``evidence`` holds the ids of the records it rests on; ``details`` the numbers behind it."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    status: Status
    heading: str
    title: str
    subject: str | None = None
    period: str | None = None
    due: dt.date | None = None
    evidence: list[str] = Field(default_factory=list)
    message: str = ""
    provisional: bool = Field(default=False, description="due date rests on a fallback calendar")
    version: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        """How rule examples and run histories name this finding.

        The subject (a record id), else the period label, else "-" (not applicable); a finding
        with both, such as one staff member in one year, is "subject@period" (P01@2020).
        """
        return self.key_of(self.subject, self.period)

    @property
    def fingerprint(self) -> str:
        """This finding's identity across runs: the rule id and the key, never the message or position.

        Twelve hex digits of SHA-1, short enough for a column of the 整改台账 and stable across
        rewordings of the rule and re-orderings of the records.
        """
        return self.fingerprint_of(self.rule_id, self.key)

    @staticmethod
    def fingerprint_of(rule_id: str, key: str) -> str:
        return hashlib.sha1(f"{rule_id}\x1f{key}".encode(), usedforsecurity=False).hexdigest()[:12]

    @staticmethod
    def key_of(subject: str | None, period: str | None) -> str:
        """``key`` from a subject and a period, for findings read back from JSON."""
        if subject and period:
            return f"{subject}@{period}"
        return subject or period or "-"

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "fingerprint": self.fingerprint,
            "status": self.status.value,
            "where": self.heading,  # the published JSON keeps its original name for this field
            "title": self.title,
            "subject": self.subject,
            "period": self.period,
            "due": self.due.isoformat() if self.due else None,
            "evidence": list(self.evidence),
            "message": self.message,
            "provisional": self.provisional,
            "version": self.version,
        }
