"""The report's running order as a list of blocks, shared by the Word, HTML and Markdown renderers.

Sections appear only when they have content (no empty headings) and are numbered in the
order they appear, as an office numbers them: 一、二、三、… then （一）（二）… beneath.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import GapItem, Report, chinese_number, count_zh
from .trend import MonthPoint

__all__ = ["Block", "Figure", "GapEntry", "Heading", "Para", "Recipient", "Signature", "Table", "Title", "gap_fields", "outline", "trend_caption"]


@dataclass(frozen=True)
class Title:
    text: str
    subtitle: str


@dataclass(frozen=True)
class Recipient:
    """主送: the body the report is addressed to, flush left, e.g. 局党组："""

    text: str


@dataclass(frozen=True)
class Signature:
    """落款: the unit and the 成文日期, set to the right below the body."""

    unit: str
    date: str


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    new_page: bool = False


@dataclass(frozen=True)
class Para:
    text: str
    lead: str = ""
    """A bold opening (the seed's “（一）加强学习，树立法治思维。” style); empty for a plain paragraph."""


@dataclass(frozen=True)
class GapEntry:
    """One numbered gap item; renderers number it with ``item.number`` (continuous across headings)."""

    item: GapItem


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)
    """Relative column widths; empty for equal widths."""
    small: bool = False
    """Set in 小五 rather than 五号: a long gap overview, so page one's table does not run to three pages."""


@dataclass(frozen=True)
class Figure:
    """A chart: the picture is drawn by the renderer that can show one; ``points`` also serve as its text."""

    caption: str
    points: list[tuple[str, int]]
    kind: str = "trend"
    """``trend`` (gaps per month) or ``headings`` (gap items per outline heading, numbered as in the caption)."""
    months: list[MonthPoint] = field(default_factory=list)
    """For ``trend``: each month's new, persisting and resolved gap items (``points`` holds its totals)."""


Block = Title | Recipient | Heading | Para | GapEntry | Table | Signature | Figure


def gap_fields(item: GapItem) -> list[tuple[str, str]]:
    """The labelled parts of a gap item after its first line (问题), in reading order."""
    return [
        ("依据", "；".join(item.citations) or "（规则库未载明）"),
        ("表现", item.evidence_text),
        ("整改措施", item.remedy),
        ("责任科室", item.who),
        ("整改时限", f"{item.deadline.year}年{item.deadline.month}月{item.deadline.day}日前"
                     + (f"（{item.deadline_basis}）" if item.deadline_basis else "")),
    ]


def trend_caption(number: int, months: list[MonthPoint]) -> str:
    """The trend chart's caption: the picture's labels are digits only, so the words are here."""
    text = (f"图{number} {months[0].month}至{months[-1].month}各月检查发现的问题事项数（每月以最后一次检查为准）："
            "深红为新增（含再次出现），灰色为持续（两者合计为当月问题事项数，标于柱顶），"
            "绿色为已解决（上月为问题、当月已落实或不适用）")
    other = sum(m.other for m in months)
    if other:
        text += f"；另有{count_zh(other)}个事项上月为问题、当月转为无法判断、豁免或未再检查，未计为已解决"
    return text


BRIEF_MEASURES = 2
"""Measures named per office in a brief 下一步工作安排 (one per heading, the first headings)."""
DETAILS = "问题详情"
"""The appendix giving every gap in full when the body gives them in brief (``in_brief``)."""


def in_brief(report: Report) -> bool:
    """Whether the body summarises the gaps (more than report.yaml's detail_in_body), the details in an appendix.

    A meeting decides from a few pages: with 44 gaps written out in full the body ran to 47 pages.
    """
    return len(report.gaps) > report.settings.detail_in_body


def _appendix_names(report: Report) -> dict[str, str]:
    """Each appendix's heading, numbered in order. 依据原文 stays second (model.QUOTE_APPENDIX)."""
    appendices = [title for title, present in (("问题事项与记录编号", bool(report.gaps)), ("依据原文", bool(report.full_quotes)),
                                               (DETAILS, in_brief(report) and bool(report.gaps)),
                                               ("已落实义务清单", bool(report.met))) if present]
    return {title: f"附件{n}：{title}" if len(appendices) > 1 else f"附件：{title}" for n, title in enumerate(appendices, 1)}


def _numbers(numbers: list[int]) -> str:
    """问题1、3、5 with runs joined: 问题1至4、7."""
    runs: list[list[int]] = []
    for x in numbers:
        if runs and x == runs[-1][-1] + 1:
            runs[-1].append(x)
        else:
            runs.append([x])
    return "、".join(f"{r[0]}至{r[-1]}" if len(r) > 2 else "、".join(map(str, r)) for r in runs)


def _gaps_in_brief(report: Report, where: str) -> list[Block]:
    """二、存在的问题 for the meeting: each heading's high-severity gaps in a sentence each, the others by number."""
    high = [g for g in report.gaps if g.severity == "high"]
    out: list[Block] = [Para(
        f"对照检查，本局在法治政府建设中有{count_zh(len(report.gaps))}项义务未落实（均列于总体情况表）。"
        + (f"其中严重程度为高的{count_zh(len(high))}项简述如下；" if high else "")
        + f"各项问题的依据、表现、整改措施、责任科室和整改时限见{where}。"
    )]
    for n, section in enumerate(report.sections, start=1):
        out.append(Heading(2, f"（{chinese_number(n)}）{section.title}"))
        others = [g.number for g in section.items if g.severity != "high"]
        for g in section.items:
            if g.severity == "high":
                out.append(Para(g.first_fact, lead=f"{g.number}.{g.one_line}。"))
        if others:
            lead = "此外，本方面另有" if len(others) < len(section.items) else "本方面有"
            out.append(Para(f"{lead}严重程度为中、低的问题{count_zh(len(others))}项（问题{_numbers(others)}），详见{where}。"))
    return out


def outline(report: Report) -> list[Block]:
    blocks: list[Block] = [
        Title(report.title, f"（截至{report.date_zh}）"),
        Recipient(report.recipient),
        Para(
            f"按照法治政府建设有关要求，对照本局各类台账，对截至{report.date_zh}本局法治政府建设各项义务的落实情况"
            "逐项进行了检查。现将检查情况报告如下："
        ),
    ]
    chapter = 0

    def heading(text: str) -> None:
        nonlocal chapter
        chapter += 1
        blocks.append(Heading(1, f"{chinese_number(chapter)}、{text}"))

    heading("总体情况")
    blocks.append(Para(report.overview()))
    if report.gaps:
        headers, rows, widths = report.gap_overview_table()
        blocks.append(Table(headers, rows, widths, small=in_brief(report)))
    figures = 0
    if len(report.trend) >= 2:
        figures += 1
        blocks.append(Figure(trend_caption(figures, report.trend), [(m.month, m.gaps) for m in report.trend],
                             months=report.trend))
    by_heading = [(s.title, sum(i.item_count for i in s.items)) for s in report.sections]
    if len(by_heading) >= 2:
        figures += 1
        legend = "；".join(f"{n}.{title} {count}个" for n, (title, count) in enumerate(by_heading, start=1))
        blocks.append(Figure(f"图{figures} 问题事项按年度报告提纲分布：{legend}", by_heading, kind="headings"))
    blocks.append(Para("各项检查结论统计如下（义务按其最不利的结论计一次，事项逐个计）："))
    headers, rows = report.overview_table()
    blocks.append(Table(headers, rows, [2, 1, 1]))

    names = _appendix_names(report)
    brief = in_brief(report)
    details_ref = names.get(DETAILS, "").split("：")[0]  # 附件3, as the body refers to it
    heading("存在的问题")
    if not report.gaps:
        blocks.append(Para(f"经逐项检查，截至{report.date_zh}，本局各项法治政府建设义务均已落实，未发现问题。"))
    elif brief:
        blocks.extend(_gaps_in_brief(report, details_ref))
    else:
        blocks.append(Para(
            f"对照检查，本局在法治政府建设中有{count_zh(len(report.gaps))}项义务未落实，分述如下。{report.deadline_rule}"
        ))
        for n, section in enumerate(report.sections, start=1):
            blocks.append(Heading(2, f"（{chinese_number(n)}）{section.title}"))
            blocks.extend(GapEntry(item) for item in section.items)

    if report.due_soon:
        heading("预警事项")
        blocks.append(Para(
            f"以下{count_zh(len(report.due_soon))}个事项将在未来{count_zh(report.warn_days)}日内到期，请责任科室提前落实："
        ))
        headers, rows = report.due_table(report.due_soon)
        blocks.append(Table(headers, rows, [0.9, 2.6, 2.6, 2.2, 1.6, 3.4], small=brief))  # 2022-01-04 whole

    if report.rectification is not None and (report.rectification.ineffective or report.rectification.problems):
        heading("整改核验")
        r = report.rectification
        blocks.append(Para(
            f"对照整改台账核验：标为已整改的事项中，{count_zh(len(r.confirmed))}项经本次检查核实已不存在问题，"
            f"{count_zh(len(r.ineffective))}项整改未见效（检查仍发现问题），请责任科室重新整改："
            if r.ineffective else f"对照整改台账核验：标为已整改的{count_zh(len(r.confirmed))}项经本次检查核实已不存在问题。"
        ))
        if r.ineffective:
            rows = [[str(i), f.title, f.key if f.key != "-" else "", str(e.row), e.done_on.isoformat() if e.done_on else "",
                     e.text("整改情况")] for i, (e, f) in enumerate(r.ineffective, start=1)]
            blocks.append(Table(["序号", "义务", "事项", "台账行", "完成日期", "所填整改情况"], rows, [0.8, 3.4, 1.6, 1, 1.6, 4]))
        if r.problems:
            blocks.append(Para(f"整改台账中有{count_zh(len(r.problems))}行无法核验（已保留）："))
            blocks.extend(Para(f"{n}.第 {p.line} 行：{p.message}") for n, p in enumerate(r.problems, start=1))

    if report.waivers is not None and report.waivers.applied:
        heading("豁免事项")
        headers, rows = report.waiver_table()
        blocks.append(Para(
            f"以下{count_zh(len(rows))}项经批准豁免，本次检查不作为问题列出（豁免不等于已落实，到期后恢复检查）："
        ))
        blocks.append(Table(headers, rows, [0.8, 2.2, 1.8, 3.6, 2.4, 2.2]))

    if report.missing_ledgers:
        heading("台账缺失")
        blocks.append(Para(report.missing_intro()))
        headers, rows = report.missing_table()
        blocks.append(Table(headers, rows, [0.9, 2.4, 1.6, 6]))

    if report.unread or report.data_notes:
        heading("数据质量")
        blocks.append(Para(report.data_quality_intro()))
        if report.unread:
            headers, rows = report.unread_table()
            blocks.append(Table(headers, rows, [0.8, 2.2, 1.4, 0.8, 0.8, 1.6, 4.4]))
        if report.data_notes:
            blocks.append(Para(f"读取台账时另有以下{count_zh(len(report.data_notes))}条提示（跳过的合计行、空行和未读取的文件等）："))
            blocks.extend(Para(f"{n}.{note}") for n, note in enumerate(report.data_notes, start=1))

    if report.unknown:
        heading("无法判断的事项")
        blocks.append(Para(
            f"以下{count_zh(len(report.unknown))}个事项因台账缺失、记录无法读取或缺少必要信息无法判断"
            "（无法判断不等于已落实），请补全台账后复查："
        ))
        headers, rows = report.unknown_table()
        blocks.append(Table(headers, rows, [0.9, 3.4, 1.6, 1.8, 4.6]))

    if report.next_steps:
        heading("下一步工作安排")
        blocks.append(Para(report.next_steps_intro()))
        for n, step in enumerate(report.next_steps, start=1):
            if brief:
                # One paragraph per office: each heading's first measure; every measure is in the details.
                numbers = sorted({x for _, xs in step.measures for x in xs})
                shown = "；".join(step.briefs[:BRIEF_MEASURES]) + ("等" if len(step.briefs) > BRIEF_MEASURES else "")
                blocks.append(Para(f"{shown}（对应问题{_numbers(numbers)}，各项整改措施见{details_ref}）。",
                                   lead=f"（{chinese_number(n)}）{step.owner}牵头抓好整改。"))
                continue
            blocks.append(Para("", lead=f"（{chinese_number(n)}）{step.owner}牵头抓好整改。"))
            for m, (measure, numbers) in enumerate(step.measures, start=1):
                refs = "、".join(str(x) for x in numbers)
                blocks.append(Para(f"{m}.{measure}（对应问题{refs}）。"))

    blocks.append(Signature(report.signer, report.date_zh))

    if report.gaps:
        # The body names records in words; their ids, which the office looks up, are listed here.
        blocks.append(Heading(1, names["问题事项与记录编号"], new_page=True))
        headers, rows = report.record_id_table()
        blocks.append(Table(headers, rows, [0.9, 3.6, 2.4, 4.6]))
    if report.full_quotes:
        # The body's 依据 cut these quotes at a sentence end (model.QUOTE_APPENDIX names this appendix).
        blocks.append(Heading(1, names["依据原文"], new_page=True))
        headers, rows = report.quote_table()
        blocks.append(Table(headers, rows, [0.8, 3.2, 6.4, 1.4]))
    if brief:
        blocks.append(Heading(1, names[DETAILS], new_page=True))
        blocks.append(Para(f"正文简述的问题和总体情况表所列的其余问题，逐项列明依据、表现、整改措施、责任科室和整改时限。{report.deadline_rule}"))
        for n, section in enumerate(report.sections, start=1):
            blocks.append(Heading(2, f"（{chinese_number(n)}）{section.title}"))
            blocks.extend(GapEntry(item) for item in section.items)
    if report.met:
        blocks.append(Heading(1, names["已落实义务清单"], new_page=True))
        headers, rows = report.met_table()
        blocks.append(Table(headers, rows, [0.9, 1.3, 4, 1.4, 1.4, 1.8]))
    return blocks
