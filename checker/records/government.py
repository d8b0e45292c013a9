"""Ledgers of how the bureau governs: survey projects, normative documents, the power list, 双随机 inspections,
credit pushes and repairs, internal regulations, and Party group (党组) decisions (outline 一(一)–(三), (八))."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Day, Record, Yuan, ledger

__all__ = [
    "CreditPush",
    "CreditRepair",
    "Inspection",
    "InternalRegulation",
    "LawChange",
    "MajorMatter",
    "NormativeDocument",
    "PartyGroupMeeting",
    "PowerListRevision",
    "SurveyProject",
]


@ledger("survey_project", "统计调查项目台账", date_field="started_on")
class SurveyProject(Record):
    """A statistical survey project (统计调查项目) run in the district, with its approval or filing (统计法 第十二条、第十四条).

    A district project of the bureau is approved by the city (province-level) bureau; a district department's
    project is approved by the district bureau. A project started without approval is kept here too, with no
    approval date.
    """

    name: str = Field(title="项目名称")
    organiser: str = Field(title="组织实施单位", description="制定并实施调查的机关，如 区统计局、区商务局")
    approval_type: Literal["审批", "备案"] = Field(default="审批", title="审批或备案")
    approved_by: str | None = Field(default=None, title="审批/备案机关", description="如 市统计局、区统计局")
    approval_no: str | None = Field(default=None, title="批准文号/备案号")
    approved_on: Day | None = Field(default=None, title="批准/备案日期", description="未经审批或备案的留空")
    valid_until: Day | None = Field(default=None, title="有效期至")
    started_on: Day = Field(title="调查开始日期", description="开始向调查对象布置调查的日期")


@ledger("normative_document", "行政规范性文件台账", date_field="issued_on")
class NormativeDocument(Record):
    """A 行政规范性文件 the bureau drafts and issues, with its public comment period and 合法性审核."""

    title: str = Field(title="文件名称")
    doc_no: str | None = Field(default=None, title="文号")
    market_related: bool = Field(
        default=False, title="是否涉及市场主体", description="与市场主体生产经营活动密切相关的填 true（征求意见期更长）"
    )
    comment_opened_on: Day | None = Field(default=None, title="公开征求意见开始日期")
    comment_closed_on: Day | None = Field(default=None, title="公开征求意见截止日期")
    comment_working_days: int | None = Field(
        default=None, ge=0, title="征求意见期（工作日数）",
        description="开始日至截止日（含首尾）之间的工作日数，按国务院节假日安排（含调休）计算",
    )
    comment_channel: str | None = Field(default=None, title="征求意见渠道", description="如 区政府网站")
    legality_review_on: Day | None = Field(default=None, title="合法性审核日期", description="审核意见出具日期")
    legality_review_opinion: Literal["通过", "修改后通过", "不予通过"] | None = Field(default=None, title="合法性审核意见")
    issued_on: Day = Field(title="印发日期")


@ledger("law_change", "法律法规变化台账", date_field="effective_on")
class LawChange(Record):
    """A change of a law, regulation or rule (制定、修订、废止) that the bureau tracks for its 权责清单."""

    law: str = Field(title="法律法规名称")
    change: Literal["制定", "修订", "修正", "废止"] = Field(title="变化类型")
    published_on: Day | None = Field(default=None, title="公布日期")
    effective_on: Day = Field(title="施行日期")
    affects_power_list: bool = Field(
        default=True, title="是否涉及本局权责清单", description="权责事项的依据、内容或责任方式因此需要调整的填 true"
    )


@ledger("power_list_revision", "权责清单调整台账", date_field="revised_on")
class PowerListRevision(Record):
    """A revision of the bureau's 权责清单 made because a law changed (动态调整)."""

    law_change_id: str = Field(title="所依据的法律法规变化编号", json_schema_extra={"references": "law_change"})
    revised_on: Day = Field(title="调整日期", description="调整后的清单报区编办审核通过并公布的日期")
    items_changed: list[str] = Field(default_factory=list, title="调整的权责事项")
    approved_by: str | None = Field(default=None, title="审核单位", description="如 区委编办")


@ledger("inspection", "双随机抽查台账", date_field="inspected_on")
class Inspection(Record):
    """One inspection of one unit (行政检查), with its random draw, the public result and the platform entry.

    The id is the inspection's case file number (INS-…), the ``case_id`` that the enforcement actions on it carry.
    """

    task: str | None = Field(default=None, title="抽查任务", description="如 2020年统计执法双随机抽查")
    party: str = Field(title="被检查单位")
    method: Literal["双随机", "专项检查", "举报核查"] = Field(default="双随机", title="检查方式")
    unit_drawn_at_random: bool = Field(default=False, title="检查对象是否随机抽取")
    officers_drawn_at_random: bool = Field(default=False, title="执法检查人员是否随机选派")
    drawn_on: Day | None = Field(default=None, title="摇号抽取日期")
    inspected_on: Day = Field(title="检查日期")
    result: str | None = Field(default=None, title="检查结果", description="如 未发现问题、发现问题已立案")
    result_published_on: Day | None = Field(default=None, title="结果公示日期")
    result_published_where: str | None = Field(default=None, title="结果公示渠道", description="如 国家企业信用信息公示系统")
    platform_entered_on: Day | None = Field(default=None, title="执法监督平台录入日期")
    platform: str | None = Field(default=None, title="录入平台", description="如 执法监督平台、“互联网+监管”系统")


@ledger("credit_push", "信用信息推送台账", date_field="pushed_on")
class CreditPush(Record):
    """A penalty decision pushed to the credit information sharing platform (双公示)."""

    decision_id: str = Field(title="行政处罚决定编号", json_schema_extra={"references": "penalty_decision"})
    pushed_on: Day = Field(title="推送日期")
    platform: str = Field(default="区信用信息共享平台", title="推送平台")


@ledger("credit_repair", "信用修复台账", date_field="applied_on")
class CreditRepair(Record):
    """A credit repair (信用修复) application from a penalised firm, and the bureau's handling of it."""

    party: str = Field(title="申请单位")
    applied_on: Day = Field(title="申请受理日期")
    handled_on: Day | None = Field(default=None, title="办结日期", description="出具修复意见或不予修复决定的日期")
    outcome: Literal["准予修复", "不予修复"] | None = Field(default=None, title="办理结果")


@ledger("internal_regulation", "内部制度台账", date_field="issued_on")
class InternalRegulation(Record):
    """A rule the bureau makes for itself (实施办法、细则、制度), with the period it is in force."""

    title: str = Field(title="制度名称")
    category: str = Field(title="制度类别", description="如 防惩统计造假责任制、三重一大、党组议事规则")
    issued_on: Day = Field(title="印发日期")
    effective_from: Day = Field(title="施行日期")
    repealed_on: Day | None = Field(default=None, title="废止日期", description="最后有效日；仍有效的留空")
    principal_first_responsibility: bool = Field(
        default=False, title="是否明确主要负责人第一责任", description="防惩统计造假责任制是否写明主要负责人的第一责任"
    )


@ledger("party_group_meeting", "党组会议台账", date_field="held_on")
class PartyGroupMeeting(Record):
    """A meeting of the bureau's Party group (党组会议), as its minutes record it."""

    held_on: Day = Field(title="会议日期")
    session: str | None = Field(default=None, title="会次", description="如 2020年第5次")
    topics: list[str] = Field(default_factory=list, title="议题")
    hears_rule_of_law_report: bool = Field(default=False, title="是否听取法治工作报告")
    minutes_no: str | None = Field(default=None, title="会议纪要编号")


@ledger("major_matter", "“三重一大”事项台账", date_field="carried_out_on")
class MajorMatter(Record):
    """A 三重一大 matter (重大决策、重要干部任免、重大项目安排、大额度资金使用), the Party group meeting that decided it,
    and when it was carried out. A matter no meeting decided has no ``meeting_id``."""

    category: Literal["重大决策", "重要干部任免", "重大项目安排", "大额度资金使用"] = Field(title="事项类别")
    subject: str = Field(title="事项内容")
    amount: Yuan | None = Field(default=None, title="金额（元）", description="大额度资金使用事项填写")
    meeting_id: str | None = Field(
        default=None, title="集体讨论决定该事项的党组会议编号", json_schema_extra={"references": "party_group_meeting"}
    )
    carried_out_on: Day = Field(title="开始执行日期", description="签订合同、支付资金、印发任免文件等开始执行的日期")
