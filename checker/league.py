"""The league table of a city or province run: bureau × outline heading, gap counts, worst first.

``check-many`` builds one from every bureau's findings as they stream in; the city reads it as
its one-page summary (Word), on a screen (table), or on its intranet (HTML, Markdown). A bureau
that could not be checked, or whose data was incomplete, is listed as such, never as clean.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from tabulate import tabulate

from .findings import Finding, Status
from .outline import PARTS, heading_of
from .text import printable, xml_safe

__all__ = ["LEAGUE_FORMATS", "League", "LeagueRow", "league_format_of"]

LEAGUE_FORMATS = {".txt": "table", ".md": "markdown", ".html": "html", ".docx": "docx"}


@dataclass
class LeagueRow:
    folder: str
    bureau: str
    gaps: dict[str, int] = field(default_factory=dict)
    """Gap items by outline heading (一(四), 二, …)."""
    unknown: int = 0
    incomplete: bool = False
    failed: str | None = None
    """Why the bureau could not be checked at all (then there are no counts)."""

    @property
    def total(self) -> int:
        return sum(self.gaps.values())

    @property
    def remark(self) -> str:
        if self.failed:
            return f"未能检查：{self.failed}"
        if self.incomplete:
            return f"数据不全（无法判断 {self.unknown} 项）"
        return f"无法判断 {self.unknown} 项" if self.unknown else ""


def _heading(where: str) -> str:
    section, part = heading_of(where)
    return part or section or "其他"


def _heading_title(code: str) -> str:
    if code in PARTS:
        return f"{code.replace('(', '（').replace(')', '）')}{PARTS[code]}"
    return {"二": "二、存在的不足", "其他": "其他"}.get(code, code)


@dataclass
class League:
    as_of: dt.date
    rows: list[LeagueRow] = field(default_factory=list)

    def add(self, folder: str, bureau: str, findings: list[Finding], incomplete: bool) -> None:
        row = LeagueRow(folder, bureau, incomplete=incomplete)
        for f in findings:
            if f.status is Status.gap:
                key = _heading(f.heading)
                row.gaps[key] = row.gaps.get(key, 0) + 1
            elif f.status is Status.unknown:
                row.unknown += 1
        self.rows.append(row)

    def add_failure(self, folder: str, reason: str) -> None:
        self.rows.append(LeagueRow(folder, "—", failed=reason))

    def headings(self) -> list[str]:
        """The headings where any bureau has a gap, in outline order."""
        used = {h for r in self.rows for h in r.gaps}
        order = [*PARTS, "二", "其他"]
        return [h for h in order if h in used]

    def ranked(self) -> list[LeagueRow]:
        """Worst first: bureaus not checked, then most gaps, then the name."""
        return sorted(self.rows, key=lambda r: (r.failed is None, -r.total, not r.incomplete, r.bureau, r.folder))

    def table(self) -> tuple[list[str], list[list[str]]]:
        heads = self.headings()
        headers = ["名次", "单位", "问题合计", *(_heading_title(h) for h in heads), "备注"]
        rows = []
        names = [r.bureau for r in self.rows]
        for n, r in enumerate(self.ranked(), start=1):
            counts = ["—"] * len(heads) if r.failed else [str(r.gaps.get(h, 0) or "") for h in heads]
            # Two folders under one name (a copy, a typo in a profile) are told apart by their folder.
            name = Path(r.folder).name if r.failed else r.bureau if names.count(r.bureau) == 1 else f"{r.bureau}（{Path(r.folder).name}）"
            rows.append([str(n), name, "—" if r.failed else str(r.total), *counts, r.remark])
        return headers, rows

    def summary(self) -> str:
        checked = [r for r in self.rows if not r.failed]
        with_gaps = [r for r in checked if r.total]
        failed = len(self.rows) - len(checked)
        incomplete = sum(1 for r in checked if r.incomplete)
        text = (f"截至{self.as_of.year}年{self.as_of.month}月{self.as_of.day}日，共检查{len(self.rows)}个单位，"
                f"{len(with_gaps)}个单位存在问题，合计问题事项{sum(r.total for r in checked)}个")
        if incomplete:
            text += f"；{incomplete}个单位台账不全，部分义务无法判断"
        if failed:
            text += f"；{failed}个单位未能检查"
        return text + "。按问题数量由多到少排列如下："

    def render(self, fmt: str) -> bytes:
        headers, rows = self.table()
        title = "法治政府建设合规检查汇总表"
        if fmt == "table":
            return printable(f"{title}\n{self.summary()}\n\n" + tabulate(rows, headers=headers, tablefmt="simple") + "\n").encode()
        if fmt == "markdown":
            cells = [[c.replace("|", "\\|") for c in row] for row in rows]
            body = tabulate(cells, headers=headers, tablefmt="github", disable_numparse=True)
            return printable(f"# {title}\n\n{self.summary()}\n\n{body}\n").encode()
        if fmt == "html":
            head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
            body_rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
            page = (
                '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                f"<title>{escape(title)}</title>\n<style>table{{border-collapse:collapse}}td,th{{border:1px solid #888;"
                "padding:2px 6px}}td:nth-child(n+3){{text-align:right}}td:last-child{{text-align:left}}</style>\n</head>\n"
                f"<body>\n<h1>{escape(title)}</h1>\n<p>{escape(self.summary())}</p>\n"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body_rows}</tbody></table>\n</body>\n</html>\n"
            )
            return xml_safe(page).encode()
        if fmt == "docx":
            return self._docx(title, headers, rows)
        raise ValueError(fmt)

    def _docx(self, title: str, headers: list[str], rows: list[list[str]]) -> bytes:
        from docx import Document  # noqa: PLC0415 - python-docx is loaded only when a Word file is asked for
        from docx.enum.section import WD_ORIENT  # noqa: PLC0415
        from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: PLC0415
        from docx.shared import Mm, Pt  # noqa: PLC0415

        doc = Document()
        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(20))
        heading = doc.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = heading.add_run(title)
        run.bold, run.font.size = True, Pt(18)
        doc.add_paragraph(xml_safe(self.summary()))
        table = doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers):
            cell.text = text
            for p in cell.paragraphs:
                for r in p.runs:
                    r.bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row):
                cell.text = xml_safe(text)
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    for r in p.runs:
                        r.font.size = Pt(10)
        doc.core_properties.title = title
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def league_format_of(path: Path) -> str | None:
    return LEAGUE_FORMATS.get(path.suffix.lower())
