"""One subject per staff member holding a role: for obligations on each leading cadre or each officer."""

from __future__ import annotations

from pydantic import Field

from ..periods import Period
from ..records.profile import Profile, StaffMember
from ..rules import StrictModel

__all__ = ["PerStaff"]


class PerStaff(StrictModel):
    """Judge the obligation separately for every staff member who holds ``role`` during the period.

    ``field`` is the evidence field naming the staff member (a staff id, or a list of ids such as attendees).
    """

    zh = "按人员：对担任某职务的每名人员分别判断"

    role: str = Field(description="职务/角色，如 领导干部、执法人员（见 profile.yaml 的 roles）")
    field: str = Field(description="证据记录中写明人员编号的字段")

    def members(self, profile: Profile, period: Period) -> list[StaffMember]:
        return [
            s for s in profile.staff
            if self.role in s.roles
            and (s.joined is None or s.joined <= period.end)
            and (s.left is None or s.left >= period.start)
        ]
