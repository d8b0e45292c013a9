"""Fines and confiscations, and their remittance to the treasury (罚没收入上缴国库)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Day, Record, Yuan, ledger

__all__ = ["Fine", "Remittance"]


@ledger("fine", "罚没款台账", date_field="decided_on")
class Fine(Record):
    """A fine or confiscation imposed by a penalty decision."""

    decided_on: Day = Field(title="决定日期")
    case_id: str | None = Field(default=None, title="案件编号")
    category: Literal["罚款", "没收违法所得", "没收非法财物"] = Field(default="罚款", title="类别")
    amount: Yuan = Field(title="金额（元）")
    party: str | None = Field(default=None, title="当事人")


@ledger("remittance", "上缴国库台账", date_field="remitted_on")
class Remittance(Record):
    """Money of one fine reaching the treasury (国库), as the payment voucher shows."""

    fine_id: str = Field(title="罚没款编号", json_schema_extra={"references": "fine"})
    remitted_on: Day = Field(title="入库日期")
    amount: Yuan = Field(title="金额（元）")
    voucher: str | None = Field(default=None, title="缴款凭证号")
