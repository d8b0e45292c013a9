"""The trend chart from a three-month history: each month's gap items as new, persisting and resolved.

October: the bureau's first check, every gap new. November: one enforcement action gets its second
officer (resolved), the rest persist. December (the report): a study session without the 宪法 is
added (new). The counts are asserted in all three formats the reader sees them in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docx import Document
from report_helpers import FORMULA_ID

from checker.findings import Status
from checker.report.trend import MonthPoint, month_points


def _check(cli, bureau: Path, rules: Path, as_of: str) -> dict:  # type: ignore[no-untyped-def]
    code, out, err = cli("check", str(bureau), "--rules", str(rules), "--as-of", as_of, "--format", "json")
    assert code in (0, 1), err
    return json.loads(out)


def _gaps(doc: dict) -> set[str]:
    return {f["fingerprint"] for f in doc["findings"] if f["status"] == "gap"}


@pytest.fixture
def three_months(gap_bureau: Path, rules_dir: Path, cli) -> tuple[Path, list[set[str]]]:  # type: ignore[no-untyped-def]
    oct_gaps = _gaps(_check(cli, gap_bureau, rules_dir, "2020-10-31"))
    actions = gap_bureau / "enforcement_action.yaml"
    text = actions.read_text(encoding="utf-8")
    fixed = text.replace(f'{{id: "{FORMULA_ID}", date: 2020-03-02, action: "', f'{{id: "{FORMULA_ID}", date: 2020-03-02, officers: [P1, P2], action: "')
    fixed = re.sub(r"(id: \"=1\+2\".*?), officers: \[P1\]\}", r"\1}", fixed)
    assert fixed != text
    actions.write_text(fixed, encoding="utf-8")
    nov_gaps = _gaps(_check(cli, gap_bureau, rules_dir, "2020-11-30"))
    with (gap_bureau / "study_session.yaml").open("a", encoding="utf-8") as f:
        f.write("- {id: SS-3, date: 2020-12-10, topic: 保密法学习, laws: [保密法]}\n")
    dec_gaps = _gaps(_check(cli, gap_bureau, rules_dir, "2020-12-31"))
    return gap_bureau, [oct_gaps, nov_gaps, dec_gaps]


def test_months_split_into_new_persisting_and_resolved(three_months, rules_dir: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bureau, (oct_gaps, nov_gaps, dec_gaps) = three_months
    # The history itself: one resolved in November, one new in December.
    assert len(oct_gaps - nov_gaps) == 1 and nov_gaps < oct_gaps
    assert len(dec_gaps - nov_gaps) == 1 and nov_gaps < dec_gaps
    expected = [
        ("2020-10", len(oct_gaps), len(oct_gaps), 0, 0),
        ("2020-11", len(nov_gaps), 0, len(nov_gaps), 1),
        ("2020-12", len(dec_gaps), 1, len(nov_gaps), 0),
    ]
    base = ("report", str(bureau), "--rules", str(rules_dir), "--as-of", "2020-12-31")

    code, md, err = cli(*base, "--format", "markdown")
    assert code == 1, err
    assert "图1 2020-10至2020-12各月检查发现的问题事项数" in md and "绿色为已解决" in md
    table = [[c.strip() for c in line.strip("|").split("|")] for line in md.splitlines() if re.match(r"\| 2020-1\d ", line)]
    assert [tuple(row[:1]) + tuple(int(c) for c in row[1:5]) for row in table] == expected

    out = tmp_path / "r.docx"
    assert cli(*base, "--output", str(out))[0] == 1
    doc = Document(str(out))
    assert len(doc.inline_shapes) == 2  # the trend, then gaps by heading
    captions = [p.text for p in doc.paragraphs if p.text.startswith("图")]
    assert captions[0].startswith("图1 2020-10至2020-12") and captions[1].startswith("图2 问题事项按年度报告提纲分布")
    overview = doc.tables[0]
    assert [c.text for c in overview.rows[0].cells][-1] == "新增/持续"
    # Each obligation's months open beside it: every one has had a gap since October (the December
    # study session joins an obligation that was failing already).
    assert [r.cells[-1].text for r in overview.rows[1:]] == ["持续2个月"] * (len(overview.rows) - 1)

    code, html, _ = cli(*base, "--format", "html")
    assert html.count('<img src="data:image/png;base64,') == 2
    assert f"2020-11：{len(nov_gaps)}（新增0，持续{len(nov_gaps)}，已解决1）" in html
    assert "http" not in re.sub(r'content="[^"]*"|lang="[^"]*"', "", html.split("<body>", 1)[1])  # self-contained


def test_without_history_only_the_chart_by_heading(gap_bureau: Path, rules_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    code, md, _ = cli("report", str(gap_bureau), "--rules", str(rules_dir), "--as-of", "2020-12-31", "--format", "markdown")
    assert code == 1
    assert "各月检查发现的问题事项数" not in md and "图1 问题事项按年度报告提纲分布" in md


def test_a_gap_that_turns_unknown_is_not_resolved() -> None:
    gap, met, unknown, waived = Status.gap.value, Status.met.value, Status.unknown.value, Status.waived.value
    points = month_points([
        ("2021-01", {"a": gap, "b": gap, "c": gap, "d": gap}),
        ("2021-02", {"a": met, "b": unknown, "c": waived, "e": gap}),  # d no longer checked at all
    ])
    assert points == [MonthPoint("2021-01", 4, 4, 0, 0), MonthPoint("2021-02", 1, 1, 0, 1, other=3)]
