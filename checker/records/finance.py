"""Fines and confiscations, how parties pay them (罚缴分离), and their remittance to the treasury (罚没收入上缴国库)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Day, Record, Yuan, ledger

__all__ = ["Fine", "FinePayment", "Remittance"]


@ledger("fine", "罚没款台账", date_field="decided_on")
class Fine(Record):
    """A fine or confiscation imposed by a penalty decision."""

    decided_on: Day = Field(title="决定日期")
    served_on: Day | None = Field(
        default=None,
        title="送达日期",
        description="行政处罚决定书送达当事人之日（当事人缴纳罚款的十五日自次日起算）；未记载的不填",
    )
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


@ledger("fine_payment", "罚款缴纳台账", date_field="paid_on")
class FinePayment(Record):
    """How a party paid a fine (罚缴分离): at the designated bank, electronically, or on the spot to an officer."""

    decision_id: str = Field(title="行政处罚决定编号", json_schema_extra={"references": "penalty_decision"})
    fine_id: str | None = Field(
        default=None,
        title="罚没款编号",
        description="所缴纳的罚没款（罚没款台账编号）；填写后按当事人缴款日期判断是否在十五日内缴纳（fines.to-treasury）",
        json_schema_extra={"references": "fine"},
    )
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
