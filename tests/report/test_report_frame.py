"""Page one and the official document's frame: title, 主送, the gap overview, consistent counts, 落款."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from report_helpers import GAP_RULES_IN_ORDER, PROFILE, make_report

from checker.commands.check import run_check
from checker.records import load_bureau
from checker.report import Report, build_report
from checker.report.model import count_zh, months_text, outline_ref
from checker.report.settings import ReportSettings
from checker.report.word import RECIPIENT_STYLE, SIGNATURE_STYLE, render_docx
from checker.rulebook import load_rulebook

ARGS = ("--as-of", "2020-12-31")


def _paragraphs(report: Report) -> list[tuple[str, str]]:
    doc = Document(io.BytesIO(render_docx(report)))
    return [(p.style.name, p.text) for p in doc.paragraphs]


def test_title_recipient_and_signature_frame_the_body(gap_report: Report) -> None:
    doc = Document(io.BytesIO(render_docx(gap_report)))
    texts = [(p.style.name, p.text) for p in doc.paragraphs]
    assert texts[0] == ("Title", "关于测试区统计局法治政府建设合规检查情况的报告")
    assert texts[2] == (RECIPIENT_STYLE, "局党组：")
    signature = [p for p in doc.paragraphs if p.style.name == SIGNATURE_STYLE]
    assert [p.text for p in signature] == ["测试区统计局", "2020年12月31日"]
    assert doc.styles[SIGNATURE_STYLE].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # 落款 closes the body: after 下一步工作安排, before the appendix.
    at = texts.index((SIGNATURE_STYLE, "测试区统计局"))
    assert texts.index(("Heading 1", "四、下一步工作安排")) < at < texts.index(("Heading 1", "附件2：已落实义务清单"))


def test_first_table_is_the_gap_overview_one_row_per_gap_most_severe_first(gap_report: Report) -> None:
    doc = Document(io.BytesIO(render_docx(gap_report)))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "问题", "对应提纲", "严重程度", "责任科室/责任人", "整改时限"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == len(gap_report.gaps) == len(GAP_RULES_IN_ORDER)
    order = {"高": 0, "中": 1, "低": 2}
    assert [order[r[3]] for r in rows] == sorted(order[r[3]] for r in rows)
    by_number = {str(g.number): g for g in gap_report.gaps}
    for row in rows:
        gap = by_number[row[0]]
        assert row[1].startswith(f"未落实“{gap.title}”") and "\n" not in row[1]
        assert row[2] == outline_ref(gap.heading) and "(" not in row[2]
        assert row[4] == gap.owner
    # The table comes straight after 一、总体情况's counts paragraph, before anything else.
    body = doc.element.body
    first_table = body.index(table._tbl)
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert body.index(headings[0]._p) < first_table < body.index(headings[1]._p)


def test_counts_name_what_they_count_and_agree_with_the_table(gap_report: Report) -> None:
    text = gap_report.overview()
    assert f"义务{count_zh(gap_report.obligations)}项" in text
    headers, rows = gap_report.overview_table()
    assert headers == ["结论", "义务（项）", "检查事项（个）"]
    by_name = {r[0]: r for r in rows}
    met = int(by_name["已落实"][1])
    assert f"已落实{count_zh(met)}项" in text
    assert int(by_name["合计"][1]) == gap_report.obligations
    assert sum(int(r[1]) for r in rows if r[1].isdigit() and r[0] != "合计") == gap_report.obligations


def test_no_rulebook_digest_in_the_body(gap_report: Report) -> None:
    doc = Document(io.BytesIO(render_docx(gap_report)))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert gap_report.rulebook_digest not in body
    assert "规则库" not in gap_report.overview()
    assert gap_report.rulebook_digest in doc.core_properties.keywords


def test_numbers_in_running_text_follow_official_usage() -> None:
    assert [count_zh(n) for n in (1, 2, 3, 10, 11, 44)] == ["一", "两", "三", "十", "11", "44"]
    assert months_text(None) == "" and months_text(0) == "新增" and months_text(1) == "持续1个月" and months_text(3) == "持续3个月"
    assert outline_ref("一(四)5") == "一（四）5" and outline_ref("二（不足一）") == "二（不足一）"


def test_months_open_adds_a_column_and_orders_within_a_severity(gap_bureau: Path, rules_dir: Path) -> None:
    result = run_check(gap_bureau, rules_dir, make_report(gap_bureau, rules_dir).as_of, 30)
    months = {rid: n for n, rid in enumerate(GAP_RULES_IN_ORDER)}
    report = build_report(result, load_rulebook(rules_dir), load_bureau(gap_bureau), 30, months_open=months)
    headers, rows, _ = report.gap_overview_table()
    assert headers[-1] == "新增/持续"
    medium = [g for g in report.gaps_by_priority() if g.severity == "medium"]
    assert [g.months_open for g in medium] == sorted((g.months_open or 0 for g in medium), reverse=True)
    assert {r[-1] for r in rows} >= {"新增"}
    without = make_report(gap_bureau, rules_dir)
    assert "新增/持续" not in without.gap_overview_table()[0]


def test_responsible_person_is_the_head_of_the_owning_office(gap_bureau: Path, rules_dir: Path) -> None:
    (gap_bureau / "profile.yaml").write_text(
        PROFILE.lstrip() + "  - {id: P9, name: 科长丙, roles: [法规科科长]}\n"
        "  - {id: P8, name: 主任丁, roles: [办公室主任]}\n", encoding="utf-8",
    )
    report = make_report(gap_bureau, rules_dir)
    owners = {g.owner: g.who for g in report.gaps}
    assert owners["法规科"] == "法规科/科长丙"
    assert owners["执法监督科"] == "执法监督科"


def test_settings_file_sets_recipient_and_unit(gap_bureau: Path, rules_dir: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (gap_bureau / "report.yaml").write_text("recipient: 区司法局\nunit: 某某区统计局（印）\n", encoding="utf-8")
    out = tmp_path / "r.docx"
    code, _, err = cli("report", str(gap_bureau), "--rules", str(rules_dir), *ARGS, "-o", str(out))
    assert code == 1, err
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert "区司法局：" in texts and "某某区统计局（印）" in texts


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("recipent: 局党组\n", "未知设置项“recipent”"),
        ("recipient: ''\n", "设置项“recipient”应为非空文字"),
        ("- 局党组\n", "报告设置应为“键: 值”形式"),
    ],
)
def test_bad_settings_file_is_refused_with_its_name(gap_bureau: Path, rules_dir: Path, cli, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    (gap_bureau / "report.yaml").write_text(text, encoding="utf-8")
    code, _, err = cli("report", str(gap_bureau), "--rules", str(rules_dir), *ARGS, "--format", "markdown")
    assert code == 2
    assert "report.yaml" in err and message in err


def test_default_settings() -> None:
    assert ReportSettings().recipient == "局党组" and ReportSettings().unit is None


def test_deadlines_come_from_the_rule_or_the_settings_and_say_so(gap_bureau: Path, rules_dir: Path) -> None:
    from checker.report.model import deadline_for
    from checker.report.settings import DeadlineDays, ReportSettings
    from checker.rulebook import load_rulebook as load

    rule = load(rules_dir).rules[0]
    day = dt.date(2021, 1, 31)
    assert deadline_for("high", day) == (day + dt.timedelta(days=30), "严重程度高，30日，默认")
    custom = ReportSettings(deadlines=DeadlineDays(high=15), deadlines_set=True)
    assert deadline_for("high", day, None, custom) == (day + dt.timedelta(days=15), "严重程度高，15日，报告设置")
    own = rule.model_copy(update={"rectify_within_days": 10})
    assert deadline_for("high", day, own, custom) == (day + dt.timedelta(days=10), "规则规定10日")


def test_report_yaml_sets_deadlines_and_bad_values_are_located(gap_bureau: Path, rules_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (gap_bureau / "report.yaml").write_text("deadlines:\n  high: 15\n  medium: 45\n", encoding="utf-8")
    code, out, _ = cli("report", str(gap_bureau), "--rules", str(rules_dir), "--as-of", "2020-12-31", "--format", "markdown")
    assert code == 1 and "按本单位报告设置（report.yaml），严重程度为“高”的问题 15 日内完成，“中” 45 日内" in out
    assert "严重程度高，15日，报告设置" in out
    (gap_bureau / "report.yaml").write_text("deadlines:\n  high: fifteen\n  urgent: 3\n", encoding="utf-8")
    code, out, err = cli("report", str(gap_bureau), "--rules", str(rules_dir), "--as-of", "2020-12-31", "--format", "markdown")
    assert code == 2 and out == ""
    assert "report.yaml:2" in err and "deadlines.high" in err and "1 至 366" in err
    assert "report.yaml:3" in err and "未知设置项“deadlines.urgent”" in err


def test_the_supervising_leader_is_named_beside_the_office(gap_bureau: Path, rules_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    import yaml

    path = gap_bureau / "profile.yaml"
    profile = yaml.safe_load(path.read_text(encoding="utf-8"))
    profile["staff"].append({"id": "PX", "name": "王某", "roles": ["副局长"], "supervises": ["法规科", "执法监督科"]})
    path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    code, out, _ = cli("report", str(gap_bureau), "--rules", str(rules_dir), "--as-of", "2020-12-31", "--format", "markdown")
    assert code == 1 and "执法监督科（分管领导：副局长王某）" in out
