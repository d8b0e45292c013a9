"""The bureau's profile: who it is and who works there."""

from __future__ import annotations

from pydantic import Field

from .base import Day, StrictModel

__all__ = ["Profile", "StaffMember"]


class StaffMember(StrictModel):
    zh = "人员：编号、姓名（或占位名）、职务"

    id: str = Field(title="人员编号", min_length=1)
    name: str = Field(title="姓名（或占位名）")
    roles: list[str] = Field(default_factory=list, title="职务/角色", description="如 局长、副局长、执法人员、法规科科长")
    joined: Day | None = Field(default=None, title="到岗日期")
    left: Day | None = Field(default=None, title="离岗日期")
    supervises: list[str] = Field(
        default_factory=list, title="分管科室", description="局领导分管的科室，如 [法规科, 执法监督科]：报告中列为分管领导",
    )


class Profile(StrictModel):
    name: str = Field(title="单位名称")
    level: str = Field(default="区", title="层级", description="区、市、省")
    parent: str | None = Field(default=None, title="上级统计机构")
    ledgers_from: Day = Field(title="台账起始日期", description="自该日起台账完整；检查只评判此后到期的义务")
    staff: list[StaffMember] = Field(default_factory=list, title="人员")
    no_records: list[str] = Field(
        default_factory=list,
        title="本期无记录的台账",
        description="本期确无记录的台账名（如 lawsuit）：视同提交了空台账。未提交也未在此声明的台账，相关义务无法判断",
    )

    def staff_ids(self) -> set[str]:
        return {s.id for s in self.staff}
