"""Documents the bureau issues, submits or publishes: annual reports, disclosure reports, plans, lists."""

from __future__ import annotations

from pydantic import Field

from .base import Day, PeriodLabel, Record, ledger

__all__ = ["PublishedDocument"]


@ledger("published_document", "文件报送与公开台账", date_field="issued_on")
class PublishedDocument(Record):
    """A document the bureau issues and, where required, submits upward or makes public.

    ``doc_type`` says what it is (法治政府建设年度报告, 政府信息公开工作年度报告, 普法责任清单, 年度工作要点, …);
    ``covers`` the period it is about (2020 for the report on 2020's work).
    """

    doc_type: str = Field(title="文件类别", description="如 法治政府建设年度报告、政府信息公开工作年度报告、普法责任清单、年度工作要点")
    title: str = Field(title="文件标题")
    covers: PeriodLabel = Field(title="所涉期间", description="如 2020（年度）")
    issued_on: Day = Field(title="印发/定稿日期")
    submitted_to: str | None = Field(default=None, title="报送单位")
    submitted_on: Day | None = Field(default=None, title="报送日期")
    published_on: Day | None = Field(default=None, title="公开日期")
    published_where: str | None = Field(default=None, title="公开渠道", description="如 区政府网站")
    includes_rule_of_law: bool | None = Field(default=None, title="是否包含法治建设内容", description="年度工作要点是否部署法治政府建设")
