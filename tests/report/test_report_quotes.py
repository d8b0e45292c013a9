"""Long quotes in 依据: cut at a sentence end in the body, the full text once in the appendix."""

from __future__ import annotations

from pathlib import Path

from report_helpers import make_report

from checker.report import render
from checker.report.model import cut_quote
from checker.report.outline import Heading, Table, outline

LONG = "执法人员不得少于两人。执法人员应当出示执法证件。当事人有权进行陈述和申辩，行政机关必须充分听取当事人的意见。"


def test_cut_at_the_last_sentence_end_within_the_bound() -> None:
    assert cut_quote(LONG, 200) is None
    assert cut_quote(LONG, 24) == "执法人员不得少于两人。执法人员应当出示执法证件。"
    assert cut_quote(LONG, 5) == "执法人员不得少于两人。"  # the first sentence, when it alone is longer
    assert cut_quote("一句很长的话没有句号" * 5, 10) is None  # no sentence end to cut at: kept whole


def test_long_quote_is_cut_in_the_body_and_given_whole_in_the_appendix(gap_bureau: Path, rules_dir: Path) -> None:
    rule = rules_dir / "test.two-officers.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("quote: 执法人员不得少于两人", f"quote: {LONG}"), encoding="utf-8")
    (gap_bureau / "report.yaml").write_text("quote_chars: 30\n", encoding="utf-8")
    from checker.report.settings import load_settings

    report = make_report(gap_bureau, rules_dir)
    assert all("全文见附件" not in c for g in report.gaps for c in g.citations)  # the default bound (100) keeps it whole

    from checker.commands.check import run_check
    from checker.records import load_bureau
    from checker.report import build_report
    from checker.rulebook import load_rulebook

    settings = load_settings(gap_bureau)
    assert settings.quote_chars == 30
    result = run_check(gap_bureau, rules_dir, report.as_of, 30)
    report = build_report(result, load_rulebook(rules_dir), load_bureau(gap_bureau), 30, settings)
    item = next(g for g in report.gaps if g.rule_id == "test.two-officers")
    cited = "；".join(item.citations)
    assert "“执法人员不得少于两人。执法人员应当出示执法证件。……”（全文见附件2）" in cited and "陈述和申辩" not in cited
    assert report.full_quotes == [("《中华人民共和国行政处罚法》第四十二条", LONG, [item.number])]
    blocks = outline(report)
    headings = [b.text for b in blocks if isinstance(b, Heading) and b.text.startswith("附件")]
    assert headings == ["附件1：问题事项与记录编号", "附件2：依据原文", "附件3：已落实义务清单"]
    table = blocks[next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "附件2：依据原文") + 1]
    assert isinstance(table, Table) and table.rows == [["1", "《中华人民共和国行政处罚法》第四十二条", LONG, str(item.number)]]
    md = render(report, "markdown").decode("utf-8")
    assert md.count("陈述和申辩") == 1  # the full text once, in the appendix


def test_a_bad_quote_bound_is_refused_with_the_file_and_line(gap_bureau: Path, rules_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (gap_bureau / "report.yaml").write_text("recipient: 局党组\nquote_chars: 5\n", encoding="utf-8")
    code, _, err = cli("report", str(gap_bureau), "--rules", str(rules_dir), "--as-of", "2020-12-31", "--format", "markdown")
    assert code == 2 and "report.yaml:2" in err and "quote_chars" in err and "20 至 2000" in err
