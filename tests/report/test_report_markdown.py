"""The Markdown report: headings, a numbered gap list, tabulate tables, record text kept literal."""

from __future__ import annotations

from report_helpers import GAP_RULES_IN_ORDER

from checker.report import Report
from checker.report.markdown import escape_md, render_markdown


def test_headings_numbered_gaps_and_labelled_parts(gap_report: Report) -> None:
    text = render_markdown(gap_report)
    lines = text.splitlines()
    assert lines[0] == "# 关于测试区统计局法治政府建设合规检查情况的报告"
    assert [l for l in lines if l.startswith("## ")] == [
        "## 一、总体情况", "## 二、存在的问题", "## 三、预警事项", "## 四、下一步工作安排", "## 附件1：问题事项与记录编号", "## 附件2：已落实义务清单",
    ]
    assert [l for l in lines if l.startswith("### ")] == [
        "### （一）推进行政决策科学民主合法", "### （二）严格行政执法", "### （三）上年度报告所列不足的整改",
    ]
    items = [l for l in lines if l[:1].isdigit() and "**问题**" in l]
    assert [l.split(".", 1)[0] for l in items] == [str(n) for n in range(1, len(GAP_RULES_IN_ORDER) + 1)]
    assert "    - **表现**：罚没款（2020-05-06，罚款，20000 元）的上缴国库应于 2020-05-21 前落实，实际 2020-05-28，迟延 7 天" in text
    steps = text[text.index("## 四、下一步工作安排"):]
    assert steps.count("建立执法台账并每月核对") == 1 and "1.严格行政执法方面：" in steps


def test_tables_are_pipe_tables_that_record_text_cannot_break(gap_report: Report) -> None:
    text = render_markdown(gap_report)
    lines = text.splitlines()
    header = next(i for i, l in enumerate(lines) if l.startswith("| 序号") and "到期日" in l)
    assert set(lines[header + 1]) <= {"|", "-", ":"}
    assert "| 罚没款（2020-12-28，罚款，5000 元）" in lines[header + 2]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script" not in text
    assert r"-统计法 \| 学习" in text


def test_escape_keeps_markdown_and_html_literal() -> None:
    assert escape_md("a|b") == r"a\|b"
    assert escape_md("*x* _y_ [l](u)") == r"\*x\* \_y\_ \[l\](u)"
    assert escape_md("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert escape_md("two\nlines") == "two lines"


def test_a_year_without_gaps_says_so(clean_report: Report) -> None:
    text = render_markdown(clean_report)
    assert "未发现问题" in text and "**问题**" not in text and "下一步工作安排" not in text
