"""Markdown rendering: headings, a numbered list of gaps, tabulate tables. Record text is escaped."""

from __future__ import annotations

import re

from tabulate import tabulate

from .formats import report_format
from .model import Report
from .outline import Figure, GapEntry, Heading, Para, Recipient, Signature, Table, Title, gap_fields, outline

__all__ = ["escape_md", "render_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]#|])")


def escape_md(text: str) -> str:
    """Text as Markdown that shows it literally: no raw HTML, emphasis, links or table breaks."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", " ".join(text.splitlines()))


@report_format("markdown", ".md", "合规检查报告", text=True)
def render_markdown(report: Report) -> str:
    out: list[str] = []
    for block in outline(report):
        if isinstance(block, Title):
            out += [f"# {escape_md(block.text)}", "", escape_md(block.subtitle), ""]
        elif isinstance(block, Recipient):
            out += [escape_md(block.text), ""]
        elif isinstance(block, Signature):
            # 落款: a hard line break (two trailing spaces) keeps the unit and the date together.
            out += [f"{escape_md(block.unit)}  ", escape_md(block.date), ""]
        elif isinstance(block, Heading):
            out += [f"{'#' * (block.level + 1)} {escape_md(block.text)}", ""]
        elif isinstance(block, Para):
            lead = f"**{escape_md(block.lead)}**" if block.lead else ""
            out += [lead + escape_md(block.text), ""]
        elif isinstance(block, GapEntry):
            item = block.item
            out.append(f"{item.number}. **问题**：{escape_md(item.problem)}")
            out += [f"    - **{label}**：{escape_md(text)}" for label, text in gap_fields(item)]
            out.append("")
        elif isinstance(block, Figure):
            # Markdown carries no picture: the chart's numbers as a table under its caption.
            out += [escape_md(block.caption), ""]
            if block.kind == "trend" and block.months:
                other = any(m.other for m in block.months)
                headers = ["月份", "问题事项数", "新增", "持续", "已解决"] + (["转为其他"] if other else [])
                rows = [[m.month, str(m.gaps), str(m.new), str(m.persisting), str(m.resolved)] + ([str(m.other)] if other else [])
                        for m in block.months]
                out += [tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True), ""]
            elif block.kind == "trend":
                out += [tabulate([[m, str(n)] for m, n in block.points], headers=["月份", "问题事项数"], tablefmt="github",
                                 disable_numparse=True), ""]
        elif isinstance(block, Table):
            rows = [[escape_md(c) for c in row] for row in block.rows]
            out += [tabulate(rows, headers=[escape_md(h) for h in block.headers], tablefmt="github", disable_numparse=True), ""]
    return "\n".join(out).rstrip() + "\n"
