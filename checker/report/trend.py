"""Gaps per month, split into new, persisting and resolved, for the report's trend chart.

Read from the run history (``checker.history``, used read-only: the report records nothing).
Each month is its last counting check, as ``history --trend`` draws it, and this check stands for
its own month. A month is compared with the month before it by fingerprint:

- 新增: a gap now that was not a gap the month before (a gap that came back counts here too);
- 持续: a gap now and the month before (新增 + 持续 = the month's gap items);
- 已解决: a gap the month before that is now met or not applicable;
- a gap the month before that now cannot be judged, is waived, not yet due or gone from the
  check is *not* resolved: missing data is never compliance. It is counted apart (``other``).

The first month of the history has no month before: its gaps are all new, as ``check`` says of
a first check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..evaluate import CheckResult
from ..findings import Status
from ..history import History, default_db, trend

__all__ = ["MonthPoint", "month_points", "monthly_changes"]

RESOLVED = {Status.met.value, Status.not_applicable.value}
"""What a former gap must be now to count as resolved."""


@dataclass(frozen=True)
class MonthPoint:
    month: str
    """YYYY-MM."""
    gaps: int
    new: int
    persisting: int
    resolved: int
    other: int = 0
    """Gaps of the month before that are no gap now, but not resolved (无法判断, 已豁免, 未到期, no longer checked)."""


def month_points(months: list[tuple[str, dict[str, str]]]) -> list[MonthPoint]:
    """(month, fingerprint → status) oldest first → one point per month against the month before."""
    points: list[MonthPoint] = []
    before: set[str] | None = None
    for month, statuses in months:
        gaps = {fp for fp, status in statuses.items() if status == Status.gap.value}
        if before is None:
            points.append(MonthPoint(month, len(gaps), len(gaps), 0, 0))
        else:
            gone = before - gaps
            resolved = sum(1 for fp in gone if statuses.get(fp) in RESOLVED)
            points.append(MonthPoint(month, len(gaps), len(gaps - before), len(gaps & before), resolved, len(gone) - resolved))
        before = gaps
    return points


def monthly_changes(records: Path, result: CheckResult, db: Path | None = None) -> list[MonthPoint]:
    """The months of the bureau's history up to this check, this check as its month's point; [] without history.

    (A ``--db`` that does not exist is refused by ``report_history`` before this is called.)
    """
    path = db if db is not None else default_db(records)
    if not path.is_file():
        return []
    this_month = result.as_of.strftime("%Y-%m")
    with History.open(path, create=False) as history:
        runs = [r for r in history.runs(result.bureau) if r.as_of <= result.as_of]
        months = [(month, history.statuses(run.id)) for _, month, run in trend(runs) if month != this_month]
    months.append((this_month, {f.fingerprint: f.status.value for f in result.findings}))
    return month_points(months)
