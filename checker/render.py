"""Terminal and JSON renderings of a check."""

from __future__ import annotations

import json

from tabulate import tabulate

from .evaluate import CheckResult
from .findings import STATUS_ORDER, STATUS_ZH, Status
from .history import Changes

__all__ = ["as_json", "as_table"]


def as_json(result: CheckResult, changes: Changes | None = None) -> str:
    doc = result.to_json()
    if changes is not None:
        doc["changes"] = changes.to_json()
    return json.dumps(doc, ensure_ascii=False, indent=2)


def as_table(result: CheckResult, changes: Changes | None = None) -> str:
    """Gaps first, then what falls due soon, then the count of each status (and changes since the last run)."""
    lines = [f"{result.bureau}　合规检查　截至 {result.as_of.isoformat()}　（规则库 {result.rulebook_version} · {result.rulebook_digest}）", ""]
    if changes is not None:
        if changes.since is None:
            lines.append("较上次：无历史记录，本次为首次检查")
        else:
            lines.append(f"较上次（{changes.since}）：新增问题 {len(changes.new)} 项，已整改 {len(changes.resolved)} 项，仍未整改 {changes.still_open} 项")
            for f in changes.new:
                lines.append(f"  新增 {f['rule_id']} {f.get('subject') or f.get('period') or ''}")
            for f in changes.resolved:
                lines.append(f"  已整改 {f['rule_id']} {f.get('subject') or f.get('period') or ''}")
        lines.append("")
    numbers = iter("一二三四")
    for status, heading in ((Status.gap, "存在的问题"), (Status.due_soon, "即将到期"), (Status.unknown, "无法判断（台账缺项）")):
        rows = [
            [f.rule_id, f.heading, f.title, f.key, (f.due.isoformat() + ("（暂定）" if f.provisional else "")) if f.due else "", f.message]
            for f in result.findings
            if f.status is status
        ]
        if not rows:
            continue
        lines.append(f"{next(numbers)}、{heading}（{len(rows)} 项）")
        lines.append(tabulate(rows, headers=["规则", "出处", "义务", "对象", "期限", "说明"], tablefmt="simple"))
        lines.append("")
    if result.data is not None and result.data.missing:
        lines.append(f"{next(numbers, '四')}、台账缺失（{len(result.data.missing)} 个，相关义务无法判断）")
        lines.extend(f"  {line}" for line in result.data.missing_lines())
        lines.append("")
    if result.data is not None:
        lines.append(result.data.summary_line())
        lines.append("")
    summary = result.summary()
    lines.append(tabulate([[STATUS_ZH[s], summary[s.value]] for s in STATUS_ORDER], headers=["结论", "数量"], tablefmt="simple"))
    return "\n".join(lines)
