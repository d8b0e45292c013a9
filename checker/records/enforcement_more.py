"""Enforcement ledgers kept beside the actions and decisions: cases, certificates, recordings,
publicity, fine payments, training, case-file reviews, data verification, the reporting
hotline and the leading cadres' law exam (issue 3, group b)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Day, Record, YearLabel, Yuan, ledger

__all__ = [
    "CaseFileReview",
    "DataVerification",
    "EnforcementCase",
    "EnforcementCertificate",
    "EnforcementPublicity",
    "EnforcementRecording",
    "FinePayment",
    "LawExam",
    "OfficerTraining",
    "ReportingChannelCheck",
]

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


@ledger("enforcement_certificate", "行政执法证台账", date_field="valid_from")
class EnforcementCertificate(Record):
    """An enforcement certificate (统计执法证 / 行政执法证) held by one staff member. ``id`` is the certificate number."""

    holder: str = Field(title="持证人", description="人员编号", json_schema_extra={"references": "staff"})
    issued_by: str | None = Field(default=None, title="发证机关")
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


@ledger("fine_payment", "罚款缴纳台账", date_field="paid_on")
class FinePayment(Record):
    """How a party paid a fine (罚缴分离): at the designated bank, electronically, or on the spot to an officer."""

    decision_id: str = Field(title="行政处罚决定编号", json_schema_extra={"references": "penalty_decision"})
    amount: Yuan = Field(title="金额（元）")
    channel: Literal["指定银行", "电子支付", "当场收缴", "本局收取"] = Field(
        title="缴款方式", description="当场收缴：执法人员依法当场收取；本局收取：其他由本局或其人员收取的情形"
    )
    paid_on: Day = Field(title="缴款日期", description="当事人缴纳之日；当场收缴的为收缴之日")
    collected_by: list[str] = Field(
        default_factory=list, title="收缴人员", description="当场收缴的执法人员编号", json_schema_extra={"references": "staff"}
    )
    handed_in_on: Day = Field(title="交至本局日期", description="当场收缴的，执法人员将罚款交至本局之日；在银行或电子缴纳的同缴款日期")
    banked_on: Day = Field(title="缴付指定银行日期", description="款项进入指定银行之日；在银行或电子缴纳的同缴款日期")


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


@ledger("case_file_review", "执法案卷评查台账", date_field="self_reviewed_on")
class CaseFileReview(Record):
    """The yearly review of one year's enforcement case files: first the bureau's own, then the city bureau's."""

    files_year: YearLabel = Field(title="案卷年度", description="被评查案卷所属年度，如 2019")
    self_reviewed_on: Day = Field(title="本局自查完成日期")
    files_reviewed: int = Field(ge=0, title="评查案卷数")
    city_reviewed_on: Day | None = Field(default=None, title="市统计局评查日期")
    city_result: str | None = Field(default=None, title="市统计局评查结果")


@ledger("reporting_channel_check", "统计违法举报渠道公布核验台账", date_field="checked_on")
class ReportingChannelCheck(Record):
    """A check that the violation-reporting phone and e-mail are published and work. An empty phone or e-mail was not published."""

    checked_on: Day = Field(title="核验日期")
    published_where: str = Field(title="公布渠道", description="如 市统计局网站")
    phone: str | None = Field(default=None, title="举报电话")
    email: str | None = Field(default=None, title="举报邮箱")
    working: bool = Field(title="是否可用", description="核验时电话可接通、邮箱可收信")


@ledger("data_verification", "统计数据定期核查台账", date_field="verified_on")
class DataVerification(Record):
    """One round of verifying statistical data under the bureau's 统计数据定期核查办法."""

    quarter: str = Field(pattern=r"^\d{4}Q[1-4]$", title="所属季度", description="如 2020Q3")
    verified_on: Day = Field(title="核查完成日期")
    scope: str = Field(title="核查内容")
    units_checked: int = Field(ge=0, title="核查单位数")
    problems_found: int = Field(default=0, ge=0, title="发现问题数")


@ledger("law_exam", "领导干部学法用法考试台账", date_field="exam_on")
class LawExam(Record):
    """One leading cadre's sitting of the annual 学法用法 exam (考试或考核)."""

    staff_id: str = Field(title="人员编号", json_schema_extra={"references": "staff"})
    year: YearLabel = Field(title="考试年度")
    exam_on: Day = Field(title="考试日期")
    score: float | None = Field(default=None, title="成绩")
    passed: bool | None = Field(default=None, title="是否合格")
