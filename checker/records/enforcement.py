"""Enforcement ledgers: actions on cases, and the officers who carry them out."""

from __future__ import annotations

from pydantic import Field

from .base import Day, Record, ledger

__all__ = ["EnforcementAction", "PenaltyDecision"]


@ledger("enforcement_action", "执法行为台账", date_field="date")
class EnforcementAction(Record):
    """One enforcement step on a case or inspection: an inspection visit, evidence taking, service of a decision."""

    date: Day = Field(title="日期")
    case_id: str | None = Field(default=None, title="案件编号")
    action: str = Field(title="执法环节", description="如 检查、调查取证、告知、决定、送达、执行")
    officers: list[str] = Field(
        default_factory=list, title="执法人员", description="参与的执法人员编号", json_schema_extra={"references": "staff"}
    )
    party: str | None = Field(default=None, title="当事人")


@ledger("penalty_decision", "行政处罚决定台账", date_field="decided_on")
class PenaltyDecision(Record):
    """An administrative penalty decision (行政处罚决定书). Shared by the publicity, credit and review rules."""

    decided_on: Day = Field(title="决定日期")
    case_id: str | None = Field(default=None, title="案件编号")
    party: str = Field(title="当事人")
    major: bool = Field(default=False, title="是否重大执法决定", description="属《行政处罚法》第五十八条情形的填 true")
    rights_notice_on: Day | None = Field(default=None, title="告知书送达日期", description="事先告知事实、理由、依据和权利")
    legal_review_on: Day | None = Field(default=None, title="法制审核日期")
    legal_review_passed: bool | None = Field(default=None, title="法制审核是否通过")
    states_review_rights: bool | None = Field(
        default=None, title="是否载明复议诉讼途径和期限", description="决定书是否告知申请行政复议、提起行政诉讼的途径和期限"
    )
