"""Terminal and JSON renderings of a check."""

from __future__ import annotations

import json

from tabulate import tabulate

from .evaluate import CheckResult
from .findings import STATUS_ORDER, STATUS_ZH, Status

__all__ = ["as_json", "as_table"]


def as_json(result: CheckResult) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2)


def as_table(result: CheckResult) -> str:
    """Gaps first, then what falls due soon, then the count of each status."""
    lines = [f"{result.bureau}　合规检查　截至 {result.as_of.isoformat()}　（规则库 {result.rulebook_version} · {result.rulebook_digest}）", ""]
    for status, heading in ((Status.gap, "一、存在的问题"), (Status.due_soon, "二、即将到期"), (Status.unknown, "三、无法判断（台账缺项）")):
        rows = [
            [f.rule_id, f.where, f.title, f.key, f.due.isoformat() if f.due else "", f.message]
            for f in result.findings
            if f.status is status
        ]
        if not rows:
            continue
        lines.append(f"{heading}（{len(rows)} 项）")
        lines.append(tabulate(rows, headers=["规则", "出处", "义务", "对象", "期限", "说明"], tablefmt="simple"))
        lines.append("")
    summary = result.summary()
    lines.append(tabulate([[STATUS_ZH[s], summary[s.value]] for s in STATUS_ORDER], headers=["结论", "数量"], tablefmt="simple"))
    return "\n".join(lines)
