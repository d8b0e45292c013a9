"""Supervision ledgers: interference self-checks, legal adviser contracts, the yearly case-file review,
periodic data verification and the published violation-reporting channels."""

from __future__ import annotations

from pydantic import Field, field_validator

from ..periods import parse_period
from .base import Day, Record, YearLabel, ledger

__all__ = ["CaseFileReview", "DataVerification", "InterferenceReport", "LegalAdviserContract", "ReportingChannelCheck"]


@ledger("interference_report", "领导干部干预统计工作记录季报台账", date_field="reported_on")
class InterferenceReport(Record):
    """A quarter's self-check under the interference-recording system, as reported upward.

    A quarter with nothing recorded is still reported: ``recorded_count: 0`` is the zero report (零报告).
    A matter recorded late, after what kept it from being recorded had ended, may be reported in a row
    of its own with ``obstacle_ended_on``.

    From 2023-10-27 (《领导干部干预统计工作记录报告制度》) a report of interference is made in the
    recorder's real name, and a matter that could not be recorded in time is recorded and reported
    within 15 days after the obstacle ends. The three fields below are what the records can show of
    that; they are optional, so a ledger without them reads, and the rules judging them say
    无法判断 (unknown) where they are empty, never 已落实.
    """

    quarter: str = Field(title="所属季度", description="如 2020Q3")
    reported_on: Day = Field(title="报送日期")
    reported_to: str = Field(default="市统计局", title="报送单位")
    recorded_count: int = Field(ge=0, title="记录干预事项数", description="0 即零报告")
    recorder: str | None = Field(
        default=None, title="记录人", description="记录报告干预事项的统计人员姓名（2023-10-27 起须实名）；零报告可不填"
    )
    real_name: bool | None = Field(
        default=None, title="是否实名", description="记录报告是否署记录人真实姓名：是/否（匿名报告填 否）"
    )
    obstacle_ended_on: Day | None = Field(
        default=None, title="影响因素消除日期",
        description="干预事项未能及时记录报告的，妨碍记录报告的因素消除之日（其后 15 日内须补充记录报告）；及时记录的不填",
    )

    @field_validator("quarter")
    @classmethod
    def _is_quarter(cls, value: str) -> str:
        period = parse_period(value)
        if period is None or "Q" not in period.label:
            raise ValueError(f"季度应写作 2020Q3，实为 {value!r}")
        return period.label


@ledger("legal_adviser_contract", "法律顾问聘用合同台账", date_field="signed_on", end_field="end")
class LegalAdviserContract(Record):
    """A contract engaging a legal adviser (法律顾问) for a term."""

    firm: str = Field(title="律师事务所")
    adviser: str = Field(title="法律顾问（占位名）")
    signed_on: Day = Field(title="签订日期")
    start: Day = Field(title="起始日期")
    end: Day | None = Field(default=None, title="终止日期", description="空表示长期有效")


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
