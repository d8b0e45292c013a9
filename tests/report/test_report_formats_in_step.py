"""Word, HTML and Markdown in step (issue 13 item 7): the same headings, gap items and figures, in
the same order, since all three lay out one outline (``checker.report.outline``)."""

from __future__ import annotations

import io
import re
from html import unescape

from docx import Document

from checker.report import Report, render


def _docx_headings(report: Report) -> list[str]:
    doc = Document(io.BytesIO(render(report, "docx")))
    return [p.text for p in doc.paragraphs if p.style is not None and p.style.name in ("Title", "Heading 1", "Heading 2")]


def _html_headings(report: Report) -> list[str]:
    page = render(report, "html").decode("utf-8")
    return [unescape(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<h[123][^>]*>(.*?)</h[123]>", page)]


def _md_headings(report: Report) -> list[str]:
    text = render(report, "markdown").decode("utf-8")
    return [re.sub(r"\\(.)", r"\1", line.lstrip("#").strip()) for line in text.splitlines() if re.match(r"#{1,3} ", line)]


def test_section_headings_in_the_same_order_in_every_format(gap_report: Report, clean_report: Report) -> None:
    for report in (gap_report, clean_report):
        word = _docx_headings(report)
        assert word[0] == report.title and "一、总体情况" in word and any(h.startswith("附件") for h in word)
        assert _html_headings(report) == word
        assert _md_headings(report) == word


def test_gap_items_and_figures_in_the_same_order(gap_report: Report) -> None:
    doc = Document(io.BytesIO(render(gap_report, "docx")))
    word_gaps = [p.text for p in doc.paragraphs if p.text.startswith("问题：")]
    page = render(gap_report, "html").decode("utf-8")
    html_gaps = [unescape(re.sub(r"<[^>]+>", "", m)) for m in re.findall(r"<li id=\"gap-\d+\"[^>]*><strong>问题：</strong>(.*?)<dl>", page)]
    md = render(gap_report, "markdown").decode("utf-8")
    md_gaps = re.findall(r"^\d+\. \*\*问题\*\*：(.*)$", md, flags=re.M)
    assert len(word_gaps) == len(gap_report.gaps) == len(html_gaps) == len(md_gaps)
    assert [w.removeprefix("问题：") for w in word_gaps] == html_gaps
    assert [re.sub(r"\\(.)", r"\1", m).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") for m in md_gaps] == html_gaps
    captions = [p.text for p in doc.paragraphs if re.match(r"图\d ", p.text)]
    assert captions and [unescape(c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", page)] == captions
