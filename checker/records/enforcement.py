"""Enforcement ledgers: cases, the actions on them and the officers who carry them out, their certificates,
the recordings of each action, the penalty decisions and their publicity."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Day, Record, ledger

__all__ = ["EnforcementAction", "EnforcementCase", "EnforcementCertificate", "EnforcementPublicity", "EnforcementRecording", "PenaltyDecision"]


@ledger("enforcement_action", "执法行为台账", date_field="date")
class EnforcementAction(Record):
    """One enforcement step on a case or inspection: an inspection visit, evidence taking, service of a decision."""

    date: Day = Field(title="日期")
    case_id: str | None = Field(default=None, title="案件编号")
    action: str = Field(title="执法环节", description="如 检查、调查取证、告知、决定、送达、执行")
    officers: list[str] = Field(
        min_length=1,
        title="执法人员",
        description="参与的执法人员编号或姓名；未记录执法人员的行为无法判断是否两人执法，作为无法读取的记录报告",
        json_schema_extra={"references": "staff"},
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


@ledger("enforcement_case", "行政处罚案件台账", date_field="filed_on")
class EnforcementCase(Record):
    """A penalty case from 立案 to its decision (案件登记表). ``id`` is the case number the actions and decisions use.

    ``time_limit_on`` is the case's time limit as the register shows it: 90 days from 立案, or the
    end of an approved extension (延期审批表).
    """

    party: str = Field(title="当事人")
    cause: str | None = Field(default=None, title="案由", description="如 提供不真实统计资料")
    origin: str | None = Field(default=None, title="案件来源", description="如 双随机抽查、数据核查、举报、上级交办")
    filed_on: Day = Field(title="立案日期")
    time_limit_on: Day = Field(title="办案期限届满日", description="立案之日起九十日；经批准延期的，填批准延长后的届满日")
    extension_approved_on: Day | None = Field(default=None, title="延期批准日期", description="未延期的不填")
    decided_on: Day | None = Field(default=None, title="作出处理决定日期", description="作出行政处罚、不予处罚或撤销立案决定之日；尚未办结的不填")


@ledger("enforcement_certificate", "行政执法证台账", date_field="valid_from", end_field="valid_to")
class EnforcementCertificate(Record):
    """An enforcement certificate (统计执法证 / 行政执法证) held by one staff member. ``id`` is the certificate number."""

    holder: str = Field(title="持证人", description="人员编号", json_schema_extra={"references": "staff"})
    issued_by: str | None = Field(default=None, title="发证机关")
    kind: Literal["统计执法证", "行政执法证", "其他"] | None = Field(
        default=None,
        title="证件种类",
        description="统计执法证（国家统计局制发）、行政执法证（省级人民政府制发的通用证件）或其他；未填写的，规则按其 if_unrecorded 处理，不默认为统计执法证",
    )
    valid_from: Day = Field(title="有效期起")
    valid_to: Day | None = Field(default=None, title="有效期至", description="含当日；被注销、暂扣的填注销、暂扣之日前一日")


@ledger("enforcement_recording", "执法全过程记录台账", date_field="recorded_on")
class EnforcementRecording(Record):
    """The audio/video record of one enforcement action (执法记录仪), and where it was archived."""

    action_id: str = Field(title="执法行为编号", json_schema_extra={"references": "enforcement_action"})
    recorded_on: Day = Field(title="记录日期")
    audio_video: bool = Field(default=True, title="是否音像记录", description="仅有文字记录的填 false")
    device: str | None = Field(default=None, title="记录设备", description="如 执法记录仪编号")
    archived_on: Day | None = Field(default=None, title="归档日期", description="未归档的不填")


@ledger("enforcement_publicity", "行政执法公示台账", date_field="published_on")
class EnforcementPublicity(Record):
    """The public notice (事后公示) of one penalty decision."""

    decision_id: str = Field(title="行政处罚决定编号", json_schema_extra={"references": "penalty_decision"})
    published_on: Day = Field(title="公示日期")
    channel: str = Field(title="公示渠道", description="如 区政府网站、信用中国（天津）")
    url: str | None = Field(default=None, title="网址")
