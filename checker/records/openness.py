"""Openness, supervision and legal-publicity ledgers (group C of issue 3).

Lawsuits the bureau answers (行政应诉), the leadership's division of duties over time (领导班子分工),
inquiry letters from the audit bureau and their replies, the public's calls, letters, visits and
reports and the bureau's responses, legal publicity events (普法宣传), legal training given to
survey respondents and others, and newly registered online-reporting units with the
统计事务告知书 sent to them.
"""

from __future__ import annotations

from pydantic import Field

from .base import Day, Record, ledger

__all__ = [
    "AuditInquiry",
    "AuditInquiryReply",
    "BusinessNotice",
    "ContactResponse",
    "Lawsuit",
    "NewUnitBatch",
    "OutreachTraining",
    "PublicContact",
    "PublicityEvent",
    "RoleAssignment",
]


@ledger("lawsuit", "行政应诉案件台账", date_field="served_on")
class Lawsuit(Record):
    """An administrative lawsuit (行政诉讼) against the bureau and how the bureau appeared in court.

    One row per case. ``head_appeared`` is whether the bureau's head or a deputy head
    (行政机关负责人) appeared at the hearing in person; a hearing attended only by a lawyer or
    staff is recorded with ``head_appeared: false``.
    """

    served_on: Day = Field(title="应诉通知书送达日期")
    court: str = Field(title="受理法院")
    court_case_no: str | None = Field(default=None, title="法院案号")
    plaintiff: str = Field(title="原告")
    cause: str | None = Field(default=None, title="案由", description="被诉行政行为，如 行政处罚决定")
    hearing_on: Day | None = Field(default=None, title="开庭日期", description="尚未开庭的留空")
    head_appeared: bool = Field(
        default=False, title="负责人是否出庭应诉", description="本局正职或副职负责人亲自出庭的填 true"
    )
    appeared_staff: list[str] = Field(
        default_factory=list, title="出庭的本局人员", description="人员编号", json_schema_extra={"references": "staff"}
    )
    counsel: str | None = Field(default=None, title="委托代理律师（占位名）")


@ledger("role_assignment", "领导班子分工台账", date_field="start", end_field="end")
class RoleAssignment(Record):
    """Who in the leadership supervises what (分管), from when to when, as the division of duties says.

    One row per person per division of duties (分工); a new division closes the old row (``end``)
    and opens a new one. ``post`` is the person's post at that time (局长 is the top leader, 一把手).
    """

    staff: str = Field(title="人员编号", json_schema_extra={"references": "staff"})
    post: str = Field(title="职务", description="如 局长、副局长、党组成员")
    duties: list[str] = Field(title="分管事项", description="如 全面工作、财务、人事、执法、办公室；分管财务的写作“财务”")
    start: Day = Field(title="起始日期")
    end: Day | None = Field(default=None, title="终止日期", description="空表示至今")
    basis: str | None = Field(default=None, title="分工依据", description="如 党组会议纪要、分工通知文号")


@ledger("audit_inquiry", "审计局征询函台账", date_field="received_on")
class AuditInquiry(Record):
    """An inquiry letter (征询函) from the audit bureau before an economic-responsibility audit (经济责任审计),
    asking for leads on falsified statistics in the units whose cadres it audits."""

    received_on: Day = Field(title="收函日期")
    sender: str = Field(default="区审计局", title="来函单位")
    letter_no: str | None = Field(default=None, title="来函文号")
    cadres_count: int = Field(ge=0, title="涉及审计干部人数")
    subject: str | None = Field(default=None, title="事由")


@ledger("audit_inquiry_reply", "审计征询函复函台账", date_field="replied_on")
class AuditInquiryReply(Record):
    """The bureau's reply (复函) to an audit bureau inquiry letter."""

    inquiry_id: str = Field(title="征询函编号", json_schema_extra={"references": "audit_inquiry"})
    replied_on: Day = Field(title="复函日期")
    letter_no: str | None = Field(default=None, title="复函文号")
    leads_found: int = Field(default=0, ge=0, title="提供问题线索数", description="0 表示未发现统计造假线索")


@ledger("public_contact", "群众来电来信来访及举报登记台账", date_field="received_on")
class PublicContact(Record):
    """A call, letter, e-mail or visit from the public (来电、来信、来访), or a report of a statistical
    violation (举报), as registered when it arrives."""

    received_on: Day = Field(title="收到日期")
    channel: str = Field(title="渠道", description="来电、来信、来访、电子邮件、网上信访")
    kind: str = Field(title="类别", description="咨询、投诉、建议、信访事项、举报")
    summary: str = Field(title="内容摘要")
    anonymous: bool = Field(default=False, title="是否匿名")


@ledger("contact_response", "来电来信来访答复台账", date_field="responded_on")
class ContactResponse(Record):
    """The bureau's response to a public contact: the answer, or the written notice that it is accepted
    or not accepted (受理/不予受理告知), on the day it was given."""

    contact_id: str = Field(title="登记编号", json_schema_extra={"references": "public_contact"})
    responded_on: Day = Field(title="答复/告知日期")
    response: str = Field(title="答复方式", description="当场答复、书面答复、受理告知书、不予受理告知书、转办告知")
    concluded_on: Day | None = Field(default=None, title="办结日期")


@ledger("publicity_event", "普法宣传台账", date_field="date")
class PublicityEvent(Record):
    """One item of legal publicity (普法宣传): an offline event, a printed handout, a post on the WeChat
    account or website, a short video.

    One row per item and channel: an offline activity reposted on the 公众号 is two rows.
    ``occasion`` names the day it marks, if any (全民国家安全教育日, 统计开放日, 宪法日).
    """

    date: Day = Field(title="日期")
    channel: str = Field(title="宣传渠道", description="线下活动、宣传栏、印刷品、公众号、网站、短视频、微博、报刊、广播电视")
    audience: str = Field(title="宣传对象", description="如 社会公众、机关干部、统计调查对象")
    occasion: str | None = Field(default=None, title="宣传节点", description="如 全民国家安全教育日、统计开放日、宪法日")
    description: str = Field(title="内容")
    copies: int | None = Field(default=None, ge=0, title="印发份数", description="印刷品的份数")
    reach: int | None = Field(default=None, ge=0, title="覆盖人次/阅读量")


@ledger("outreach_training", "对外统计法制培训台账", date_field="date")
class OutreachTraining(Record):
    """A training session the bureau gives to people outside it (统计调查对象、普查员、乡镇统计人员)
    with legal content: statistics law taught at a business training, an annual-report meeting,
    a census training."""

    date: Day = Field(title="日期")
    occasion: str = Field(title="培训名称/依托会议", description="如 统计业务培训、统计年报会议、人口普查培训会")
    audience: str = Field(title="培训对象", description="统计调查对象、普查员和普查指导员、乡镇街道统计人员")
    legal_content: bool = Field(default=False, title="是否含法制宣讲", description="讲授统计法律法规的填 true")
    participants: int | None = Field(default=None, ge=0, title="参训人数")
    topic: str | None = Field(default=None, title="法制宣讲内容")


@ledger("new_unit_batch", "新增联网直报单位台账", date_field="registered_on")
class NewUnitBatch(Record):
    """A batch of units newly registered for online reporting (新增网报单位), as added to the
    directory (名录库) on one date."""

    registered_on: Day = Field(title="入库日期")
    units_count: int = Field(ge=0, title="新增单位数")
    source: str | None = Field(default=None, title="来源", description="如 名录库季度更新、新开业单位")


@ledger("business_notice", "统计事务告知书发放台账", date_field="sent_on")
class BusinessNotice(Record):
    """统计事务告知书 sent to the units of one batch of new online-reporting units (one row per sending)."""

    batch_id: str = Field(title="新增单位批次编号", json_schema_extra={"references": "new_unit_batch"})
    sent_on: Day = Field(title="发放日期")
    units_count: int = Field(ge=0, title="发放单位数")
    method: str | None = Field(default=None, title="发放方式", description="如 联网直报平台推送、现场发放、邮寄")
