"""Law study and training ledgers (学法、培训)."""

from __future__ import annotations

from pydantic import Field

from .base import Day, Record, ledger

__all__ = ["StudySession"]


@ledger("study_session", "学法活动台账", date_field="date")
class StudySession(Record):
    """A law study session of the bureau's own staff (党组学法、机关学法)."""

    date: Day = Field(title="日期")
    topic: str = Field(title="主题")
    laws: list[str] = Field(title="所学法律法规", description="如 统计法、宪法、民法典")
    audience: str | None = Field(default=None, title="参加人员")
