"""Terminal and JSON renderings of a check."""

from __future__ import annotations

import json
from typing import Any

from tabulate import tabulate

from .evaluate import CheckResult
from .findings import STATUS_ORDER, STATUS_ZH, Status
from .history import Change, Changes
from .text import json_safe, printable

__all__ = ["as_json", "as_table", "summary_line"]


def as_json(result: CheckResult, changes: Changes | None = None, extra: dict[str, Any] | None = None) -> str:
    doc = result.to_json() | (extra or {})
    if changes is not None:
        doc["changes"] = changes.to_json()
    return json_safe(json.dumps(doc, ensure_ascii=False, indent=2))


def _change_text(change: Change | None) -> str:
    if change is None:
        return ""
    if change.kind == "persisting" and change.since is not None:
        return f"{change.label}（自{change.since.isoformat()}）"
    return change.label


def summary_line(result: CheckResult, changes: Changes | None = None) -> str:
    """The one line ``--quiet`` prints: the counts that a cron mail needs."""
    counts = result.summary()
    parts = [f"{STATUS_ZH[s]} {counts[s.value]}" for s in (Status.gap, Status.due_soon, Status.unknown, Status.met)]
    line = f"{result.bureau} 截至 {result.as_of.isoformat()}：" + "，".join(parts)
    if changes is not None and changes.since is not None:
        line += f"（较 {changes.since.isoformat()}：新增 {len(changes.of('new')) + len(changes.of('reopened'))}，已不再是问题 {len(changes.resolved)}）"
    if result.data is not None and not result.data.complete:
        line += "；数据不全"
    return printable(line)


def as_table(result: CheckResult, changes: Changes | None = None) -> str:
    """Gaps first, then what falls due soon, then the count of each status (and changes since the last run)."""
    lines = [f"{result.bureau}　合规检查　截至 {result.as_of.isoformat()}　（规则库 {result.rulebook_version} · {result.rulebook_digest}）", ""]
    if changes is not None:
        lines.append(changes.headline())
        for c in changes.resolved:
            lines.append(f"  {c.label}　{c.rule_id}　{c.title}　{c.key}")
        lines.append("")
    marks = changes.by_fingerprint() if changes is not None else {}
    numbers = iter("一二三四五六")
    for status, heading in ((Status.gap, "存在的问题"), (Status.due_soon, "即将到期"), (Status.unknown, "无法判断（台账缺项）"),
                            (Status.waived, "已豁免")):
        with_change = status is Status.gap and changes is not None
        rows = [
            [f.rule_id, f.heading, f.title, f.key, (f.due.isoformat() + ("（暂定）" if f.provisional else "")) if f.due else "", f.message]
            + ([_change_text(marks.get(f.fingerprint))] if with_change else [])
            for f in result.findings
            if f.status is status
        ]
        if not rows:
            continue
        lines.append(f"{next(numbers)}、{heading}（{len(rows)} 项）")
        headers = ["规则", "出处", "义务", "对象", "期限", "说明"] + (["较上次"] if with_change else [])
        lines.append(tabulate(rows, headers=headers, tablefmt="simple"))
        lines.append("")
    if result.data is not None and result.data.missing:
        lines.append(f"{next(numbers, '六')}、台账缺失（{len(result.data.missing)} 个，相关义务无法判断）")
        lines.extend(f"  {line}" for line in result.data.missing_lines())
        lines.append("")
    if result.rectification is not None and result.rectification.lines():
        lines.append(f"整改台账核验（{result.rectification.file}）：整改未见效 {len(result.rectification.ineffective)} 项，"
                     f"核实已整改 {len(result.rectification.confirmed)} 项")
        lines.extend(f"  {line}" for line in result.rectification.lines())
        lines.append("")
    if result.waivers is not None and result.waivers.notes():
        lines.append("豁免提示：")
        lines.extend(f"  {note}" for note in result.waivers.notes())
        lines.append("")
    if result.data is not None:
        lines.append(result.data.summary_line())
        lines.append("")
    summary = result.summary()
    lines.append(tabulate([[STATUS_ZH[s], summary[s.value]] for s in STATUS_ORDER], headers=["结论", "数量"], tablefmt="simple"))
    return printable("\n".join(lines))
