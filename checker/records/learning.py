"""Law study, training and examination ledgers (学法、执法人员培训、领导干部学法用法考试)."""

from __future__ import annotations

from pydantic import Field

from .base import Day, Record, YearLabel, ledger

__all__ = ["LawExam", "OfficerTraining", "StudySession"]


@ledger("study_session", "学法活动台账", date_field="date")
class StudySession(Record):
    """A law study session of the bureau's own staff (党组学法、机关学法)."""

    date: Day = Field(title="日期")
    topic: str = Field(title="主题")
    laws: list[str] = Field(title="所学法律法规", description="如 统计法、宪法、民法典")
    audience: str | None = Field(default=None, title="参加人员")


@ledger("officer_training", "执法人员培训台账", date_field="date")
class OfficerTraining(Record):
    """One legal training session for enforcement officers, with who attended and for how long."""

    date: Day = Field(title="日期")
    topic: str = Field(title="培训内容")
    category: str | None = Field(default=None, title="类别", description="公共法律知识、专门法律知识、新法律法规")
    hours: float = Field(ge=0, title="学时")
    attendees: list[str] = Field(
        default_factory=list, title="参训人员", description="人员编号", json_schema_extra={"references": "staff"}
    )
    organiser: str | None = Field(default=None, title="组织单位")


@ledger("law_exam", "领导干部学法用法考试台账", date_field="exam_on")
class LawExam(Record):
    """One leading cadre's sitting of the annual 学法用法 exam (考试或考核)."""

    staff_id: str = Field(title="人员编号", json_schema_extra={"references": "staff"})
    year: YearLabel = Field(title="考试年度")
    exam_on: Day = Field(title="考试日期")
    score: float | None = Field(default=None, title="成绩")
    passed: bool | None = Field(default=None, title="是否合格")
