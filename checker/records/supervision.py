"""Internal supervision ledgers: interference self-checks, legal adviser contracts."""

from __future__ import annotations

from pydantic import Field, field_validator

from ..periods import parse_period
from .base import Day, Record, ledger

__all__ = ["InterferenceReport", "LegalAdviserContract"]


@ledger("interference_report", "领导干部干预统计工作记录季报台账", date_field="reported_on")
class InterferenceReport(Record):
    """A quarter's self-check under the interference-recording system, as reported upward.

    A quarter with nothing recorded is still reported: ``recorded_count: 0`` is the zero report (零报告).
    """

    quarter: str = Field(title="所属季度", description="如 2020Q3")
    reported_on: Day = Field(title="报送日期")
    reported_to: str = Field(default="市统计局", title="报送单位")
    recorded_count: int = Field(ge=0, title="记录干预事项数", description="0 即零报告")

    @field_validator("quarter")
    @classmethod
    def _is_quarter(cls, value: str) -> str:
        period = parse_period(value)
        if period is None or "Q" not in period.label:
            raise ValueError(f"季度应写作 2020Q3，实为 {value!r}")
        return period.label


@ledger("legal_adviser_contract", "法律顾问聘用合同台账", date_field="signed_on")
class LegalAdviserContract(Record):
    """A contract engaging a legal adviser (法律顾问) for a term."""

    firm: str = Field(title="律师事务所")
    adviser: str = Field(title="法律顾问（占位名）")
    signed_on: Day = Field(title="签订日期")
    start: Day = Field(title="起始日期")
    end: Day | None = Field(default=None, title="终止日期", description="空表示长期有效")
