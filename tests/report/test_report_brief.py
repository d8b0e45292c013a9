"""A report with many gaps (more than report.yaml's detail_in_body) briefs them in the body and details
them in an appendix: the meeting reads a few pages, nothing is lost (issue 13, length that fits)."""

from __future__ import annotations

import re
from pathlib import Path

from report_helpers import make_report

from checker.commands.check import run_check
from checker.records import load_bureau
from checker.report import Report, build_report, render
from checker.report.outline import DETAILS, GapEntry, Heading, Para, in_brief, outline
from checker.report.settings import ReportSettings, load_settings
from checker.rulebook import load_rulebook


def _with(report: Report, **settings: object) -> Report:
    report.settings = ReportSettings(**settings)  # type: ignore[arg-type]
    return report


def _after(blocks: list, title: str) -> list:  # type: ignore[type-arg]
    at = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.level == 1 and b.text.endswith(title))
    return blocks[at:]


def test_few_gaps_stay_in_full_in_the_body(gap_report: Report) -> None:
    assert len(gap_report.gaps) <= ReportSettings().detail_in_body and not in_brief(gap_report)
    blocks = outline(gap_report)
    assert not any(isinstance(b, Heading) and b.text.endswith(DETAILS) for b in blocks)
    assert [b.item.number for b in blocks if isinstance(b, GapEntry)] == [g.number for g in gap_report.gaps]


def test_many_gaps_are_briefed_in_the_body_and_each_detailed_once_in_the_appendix(gap_report: Report) -> None:
    report = _with(gap_report, detail_in_body=0)
    assert in_brief(report)
    blocks = outline(report)
    details = _after(blocks, DETAILS)
    body = blocks[: len(blocks) - len(_after(blocks, "问题事项与记录编号"))]
    assert not any(isinstance(b, GapEntry) for b in body)
    assert sorted(b.item.number for b in details if isinstance(b, GapEntry)) == sorted(g.number for g in report.gaps)
    # The appendix is named where the body refers to it.
    name = next(b.text for b in details if isinstance(b, Heading)).split("：")[0]
    text = "".join(b.lead + b.text for b in body if isinstance(b, Para))
    assert f"见{name}" in text and re.fullmatch(r"附件\d", name)
    # Every gap is named in 二: a high one by its own sentence, the others by number.
    problems = body[next(i for i, b in enumerate(body) if isinstance(b, Heading) and b.text.endswith("存在的问题")):]
    problems = problems[: next(i for i, b in enumerate(problems[1:], 1) if isinstance(b, Heading) and b.level == 1)]
    said = "".join(b.lead + b.text for b in problems if isinstance(b, Para))
    listed = {n for group in re.findall(r"问题([0-9、至]+)", said) for n in _expand(group)}
    assert {g.severity for g in report.gaps} >= {"high", "medium"}  # both ways of naming are exercised
    for gap in report.gaps:
        if gap.severity == "high":
            assert f"{gap.number}.{gap.one_line}。" in said and gap.number not in listed
        else:
            assert gap.number in listed


def _expand(group: str) -> set[int]:
    """问题1、3至5 -> {1, 3, 4, 5}."""
    out: set[int] = set()
    for part in group.split("、"):
        low, _, high = part.partition("至")
        out |= set(range(int(low), int(high or low) + 1))
    return out


def test_brief_next_steps_are_one_paragraph_per_office(gap_report: Report) -> None:
    report = _with(gap_report, detail_in_body=0)
    blocks = outline(report)
    steps = _after(blocks, "下一步工作安排")
    steps = steps[1: next(i for i, b in enumerate(steps[1:], 1) if isinstance(b, Heading) or not isinstance(b, Para))]
    offices = [b for b in steps if b.lead.endswith("牵头抓好整改。")]
    assert len(offices) == len(report.next_steps) and all(b.text.endswith("）。") and "各项整改措施见附件" in b.text for b in offices)
    assert len(steps) == len(offices) + 1  # the intro, then one paragraph each


def test_the_brief_body_in_every_format_says_the_same(gap_report: Report) -> None:
    report = _with(gap_report, detail_in_body=0)
    md = render(report, "markdown").decode("utf-8")
    html = render(report, "html").decode("utf-8")
    assert DETAILS in md and DETAILS in html
    for gap in report.gaps:
        assert md.count(gap.remedy) == 1  # the remedy in full once, in the details


def test_detail_in_body_from_report_yaml_and_a_bad_value_refused(gap_bureau: Path, rules_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (gap_bureau / "report.yaml").write_text("detail_in_body: 1\n", encoding="utf-8")
    settings = load_settings(gap_bureau)
    report = build_report(run_check(gap_bureau, rules_dir, make_report(gap_bureau, rules_dir).as_of, 30),
                          load_rulebook(rules_dir), load_bureau(gap_bureau), 30, settings)
    assert settings.detail_in_body == 1 and in_brief(report) == (len(report.gaps) > 1)
    (gap_bureau / "report.yaml").write_text("recipient: 局党组\ndetail_in_body: -3\n", encoding="utf-8")
    code, _, err = cli("report", str(gap_bureau), "--rules", str(rules_dir), "--as-of", "2020-12-31", "--format", "markdown")
    assert code == 2 and "report.yaml:2" in err and "detail_in_body" in err and "0 至 10000" in err


def test_outline_references_in_the_basis_are_written_as_the_annual_report_writes_them() -> None:
    from checker.report.model import _Quotes
    from checker.rules import Citation

    quotes = _Quotes(100)
    seed = Citation(source="区统计局2020年法治政府建设情况报告", article="一(四)5", quote="严格执行财务制度")
    law = Citation(source="《中华人民共和国行政处罚法》", article="第四十二条", quote="执法人员不得少于两人")
    assert quotes.cite(seed, 1).startswith("区统计局2020年法治政府建设情况报告 一（四）5：")
    assert quotes.cite(law, 1) == law.text()
