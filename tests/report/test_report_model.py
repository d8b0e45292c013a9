"""The report's content, whatever the format: grouping, numbering, evidence, deadlines, next steps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from report_helpers import AS_OF, CLEAN_LEDGERS, GAP_RULES_IN_ORDER, MET_RULES, SCRIPT, SHARED_CLAUSE, make_report, write_bureau

from checker.report import Report, outline_heading
from checker.report.outline import Heading, outline


@pytest.mark.parametrize(
    ("where", "heading"),
    [
        ("一(一)3", ("一(一)", "依法全面履行政府职能")),
        ("一(四)2", ("一(四)", "严格行政执法")),
        ("一（四）6", ("一(四)", "严格行政执法")),
        ("一(八)1", ("一(八)", "强化法治政府建设组织领导")),
        ("二（不足一）", ("二", "上年度报告所列不足的整改")),
        ("三(一)", ("其他", "其他方面")),
    ],
)
def test_where_maps_to_its_outline_heading(where: str, heading: tuple[str, str]) -> None:
    assert outline_heading(where) == heading


def test_gap_items_are_numbered_in_outline_order_across_headings(gap_report: Report) -> None:
    assert [g.rule_id for g in gap_report.gaps] == GAP_RULES_IN_ORDER
    assert [g.number for g in gap_report.gaps] == [1, 2, 3, 4, 5]
    assert [(s.code, [g.number for g in s.items]) for s in gap_report.sections] == [
        ("一(三)", [1]),
        ("一(四)", [2, 3, 4]),
        ("二", [5]),
    ]


def test_evidence_names_records_dates_days_late_amounts_short_and_uncovered_days(gap_report: Report) -> None:
    by_rule = {g.rule_id: g for g in gap_report.gaps}
    officers = by_rule["test.two-officers"]
    assert officers.evidence_ids == ["=1+2", "@SUM(A1)"]
    assert f"执法行为（2020-03-02，{SCRIPT}）" in officers.evidence_text and "=1+2" not in officers.evidence_text
    assert "迟延 7 天" in by_rule["test.fines"].evidence_text
    assert "上缴国库（2020-05-28，20000 元）" in by_rule["test.fines"].evidence_text
    assert "短缺 2000" in by_rule["test.fines-full"].evidence_text
    adviser = by_rule["test.adviser"].evidence_text
    assert "11 天不满足（2020-09-20 至 2020-09-30）" in adviser
    assert "期限 2019-09-20 至 2020-09-19" in adviser


def test_problem_citation_remedy_and_owner_come_from_the_rule(gap_report: Report) -> None:
    officers = gap_report.gaps[1]
    assert officers.problem.startswith("未落实“执法行为由两名以上执法人员实施”的要求，涉及 2 个事项")
    assert officers.citations == ["《中华人民共和国行政处罚法》第四十二条：“执法人员不得少于两人。”"]
    assert officers.owner == "执法监督科"
    assert SHARED_CLAUSE in officers.remedy
    assert gap_report.gaps[-1].citations == ["本局学法计划（本单位或地方政策，非法律规定）"]


def test_deadline_is_thirty_days_for_high_severity_and_sixty_otherwise(gap_report: Report) -> None:
    deadlines = {g.rule_id: (g.severity, g.deadline) for g in gap_report.gaps}
    assert deadlines["test.two-officers"] == ("high", AS_OF + dt.timedelta(days=30))
    assert deadlines["test.fines"] == ("medium", AS_OF + dt.timedelta(days=60))
    assert deadlines["test.constitution"] == ("low", AS_OF + dt.timedelta(days=60))
    assert "30 日" in gap_report.deadline_rule and "60 日" in gap_report.deadline_rule


def test_next_steps_group_remedies_by_owner_and_heading_keeping_each_clause_once(gap_report: Report) -> None:
    steps = {s.owner: s.measures for s in gap_report.next_steps}
    assert list(steps) == ["法规科", "执法监督科"]
    for owner, measures in steps.items():
        items = [g for g in gap_report.gaps if g.owner == owner]
        headings = {outline_heading(g.heading) for g in items}
        # One measure per heading the office answers for, each gap answered exactly once.
        assert len(measures) == len(headings)
        assert sorted(n for _, numbers in measures for n in numbers) == sorted(g.number for g in items)
    enforcement = steps["执法监督科"]
    [shared] = [(m, numbers) for m, numbers in enforcement if SHARED_CLAUSE in m]
    assert {2, 4} <= set(shared[1]) and shared[0].count(SHARED_CLAUSE) == 1
    assert shared[0].startswith("严格行政执法方面：")


def test_due_soon_lists_what_falls_due_in_the_window(gap_report: Report) -> None:
    assert [(d.rule_id, d.subject, d.due) for d in gap_report.due_soon] == [
        ("test.fines", "罚没款（2020-12-28，罚款，5000 元）", dt.date(2021, 1, 12)),
        ("test.fines-full", "罚没款（2020-12-28，罚款，5000 元）", dt.date(2021, 1, 12)),
    ]


def test_overview_counts_obligations_once_each(gap_report: Report, clean_report: Report) -> None:
    assert sum(gap_report.standing.values()) == gap_report.obligations == 6
    assert [m.rule_id for m in gap_report.met] == MET_RULES
    assert "按义务计，已落实一项，存在问题五项（涉及问题事项七个）" in gap_report.overview()
    assert "有两个事项即将到期" in gap_report.overview()
    assert clean_report.gaps == [] and clean_report.next_steps == []
    assert "已落实六项" in clean_report.overview() and "本次检查未发现问题" in clean_report.overview()
    assert sorted(m.rule_id for m in clean_report.met) == sorted(GAP_RULES_IN_ORDER + MET_RULES)


def test_a_year_without_gaps_says_so_and_has_no_empty_headings(clean_report: Report) -> None:
    blocks = outline(clean_report)
    texts = [b.text for b in blocks if isinstance(b, Heading)]
    assert texts == ["一、总体情况", "二、存在的问题", "附件：已落实义务清单"]
    following = blocks[blocks.index(Heading(1, "二、存在的问题")) + 1]
    assert "未发现问题" in following.text  # type: ignore[union-attr]


@pytest.mark.parametrize("report_name", ["gap_report", "clean_report"])
def test_every_heading_has_content_before_the_next_heading_of_its_rank(report_name: str, request: pytest.FixtureRequest) -> None:
    blocks = outline(request.getfixturevalue(report_name))
    for here, after in zip(blocks, [*blocks[1:], None]):
        if isinstance(here, Heading):
            assert not (isinstance(after, Heading) and after.level <= here.level), here.text
            assert after is not None, here.text


def test_many_failing_subjects_are_summarised_in_the_report_but_listed_in_full_in_the_ledger(
    tmp_path: Path, rules_dir: Path
) -> None:
    actions = "".join(f"- {{id: EA-{n:02d}, date: 2020-03-{n:02d}, action: 检查, officers: [P1]}}\n" for n in range(1, 16))
    bureau = write_bureau(tmp_path, "many", {**CLEAN_LEDGERS, "enforcement_action": actions})
    item = make_report(bureau, rules_dir).gaps[0]
    assert len(item.facts) == 15
    assert "另有 5 个事项（详见整改台账）" in item.evidence_text
    assert "执法行为（2020-03-10，检查）：" in item.evidence_text and "执法行为（2020-03-11，检查）：" not in item.evidence_text
    assert item.records_total == 15 and len(item.records) == 12
    assert item.evidence_text.endswith("执法行为（2020-03-12，检查）等，共 15 条（记录编号见附件）。")
