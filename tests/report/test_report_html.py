"""The HTML report: self-contained, phone- and print-ready, and record text shown, never run."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from report_helpers import GAP_RULES_IN_ORDER, SCRIPT

from checker.report import Report
from checker.report.webpage import render_html


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if tag not in ("meta", "br", "link", "img"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Collect:
    parser = _Collect()
    parser.feed(page)
    parser.close()
    assert parser.open == []
    return parser


def test_record_text_with_a_script_is_shown_and_not_run(gap_report: Report) -> None:
    page = render_html(gap_report)
    parsed = _parse(page)
    assert "script" not in parsed.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    assert any(SCRIPT in chunk for chunk in parsed.text)
    assert not [name for name, _ in parsed.attrs if name.startswith("on")]


def test_self_contained_no_external_fonts_scripts_or_styles(gap_report: Report) -> None:
    page = render_html(gap_report)
    parsed = _parse(page)
    assert not {"link", "iframe", "object"} & set(parsed.tags)
    assert "@import" not in page and "url(" not in page
    # Charts are inline pictures: the only source a page may name is a data: PNG.
    sources = [v for k, v in parsed.attrs if k in ("src", "href")]
    assert sources and all(v.startswith("data:image/png;base64,") for v in sources)
    assert parsed.tags.count("img") == len(sources)
    assert "default-src 'none'" in page


def test_phone_and_a4_print_layout(gap_report: Report) -> None:
    page = render_html(gap_report)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media print" in page and "size: A4" in page
    assert "display: table-header-group" in page  # table headers repeat on every printed page
    assert 'class="table-wrap"' in page  # wide tables scroll sideways on a phone


def test_gaps_are_one_numbered_sequence_under_their_headings(gap_report: Report) -> None:
    page = render_html(gap_report)
    parsed = _parse(page)
    assert parsed.tags.count("li") == len(GAP_RULES_IN_ORDER)
    assert '<ol class="gaps" start="2">' in page  # numbering runs on under the second heading
    for rule_id in GAP_RULES_IN_ORDER:
        assert f'data-rule="{rule_id}"' in page
    assert page.index("（一）推进行政决策科学民主合法") < page.index("（二）严格行政执法") < page.index("（三）上年度报告所列不足的整改")
    assert page.count("<strong>问题：</strong>") == len(GAP_RULES_IN_ORDER)
    for label in ("依据", "表现", "整改措施", "责任科室", "整改时限"):
        assert page.count(f"<dt>{label}</dt>") == len(GAP_RULES_IN_ORDER)


def test_a_year_without_gaps_says_so(clean_report: Report) -> None:
    page = render_html(clean_report)
    assert "未发现问题" in page and "<ol" not in page and "下一步工作安排" not in page


def test_the_command_prints_html_without_output(gap_bureau: Path, rules_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("report", str(gap_bureau), "--rules", str(rules_dir), "--as-of", "2020-12-31", "--format", "html")
    assert code == 1
    assert out.startswith("<!DOCTYPE html>") and "&lt;script&gt;" in out
