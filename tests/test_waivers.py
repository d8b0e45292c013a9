"""Waivers (豁免): a gap excused by an accountable approval shows as waived, never as met; an
expired waiver brings the gap back; a stale or mistyped waiver is reported, a malformed one refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import main

STUDY_WAIVER = """\
- rule: learning.breadth
  scope: {period: "2020"}
  reason: 2020年受疫情影响集中学法暂停，已列入2021年学法计划
  approver: 局长张三
  approved_in: 党组会 2021年第1次
  from: 2021-01-01
  until: 2021-06-30
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check_json(capsys: pytest.CaptureFixture[str], folder: Path, as_of: str) -> tuple[int, dict]:
    code, out, err = run(capsys, "check", str(folder), "--as-of", as_of, "--format", "json", "--no-history")
    assert code in (0, 1), err
    return code, json.loads(out)


def finding(doc: dict, rule_id: str, key: str) -> dict:
    [f] = [f for f in doc["findings"] if f["rule_id"] == rule_id and (f["period"] or f["subject"]) == key]
    return f


def test_a_waiver_in_force_excuses_the_gap_but_never_as_met(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    (seed_copy / "waivers.yaml").write_text(STUDY_WAIVER, encoding="utf-8")
    _, doc = check_json(capsys, seed_copy, "2021-01-31")
    study = finding(doc, "learning.breadth", "2020")
    assert study["status"] == "waived"
    assert "党组会 2021年第1次" in study["message"] and "原结论" in study["message"]
    assert doc["summary"]["waived"] == 1
    assert [w["keys"] for w in doc["waivers"]["applied"]] == [["2020"]]
    # The other section-二 gap is untouched.
    assert finding(doc, "publicity.channel-mix", "2020")["status"] == "gap"


def test_an_expired_waiver_brings_the_gap_back_and_says_so(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    (seed_copy / "waivers.yaml").write_text(STUDY_WAIVER, encoding="utf-8")
    _, doc = check_json(capsys, seed_copy, "2021-07-01")
    study = finding(doc, "learning.breadth", "2020")
    assert study["status"] == "gap" and "豁免已于 2021-06-30 到期" in study["message"]
    assert [w["rule"] for w in doc["waivers"]["expired"]] == ["learning.breadth"]
    code, table, _ = run(capsys, "check", str(seed_copy), "--as-of", "2021-07-01", "--no-history")
    assert code == 1 and "豁免已于 2021-06-30 到期，问题恢复：learning.breadth 2020" in table


def test_a_waiver_not_yet_in_force_or_matching_nothing_is_reported(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    text = STUDY_WAIVER + STUDY_WAIVER.replace("learning.breadth", "fines.to-treasury").replace('{period: "2020"}', "{subject: F-NONE}")
    (seed_copy / "waivers.yaml").write_text(text, encoding="utf-8")
    _, doc = check_json(capsys, seed_copy, "2020-12-31")
    assert finding(doc, "learning.breadth", "2020")["status"] == "gap"
    assert [w["rule"] for w in doc["waivers"]["not_yet_in_force"]] == ["learning.breadth", "fines.to-treasury"]
    _, doc = check_json(capsys, seed_copy, "2021-01-31")
    assert [(w["rule"], w["line"]) for w in doc["waivers"]["unmatched"]] == [("fines.to-treasury", 8)]
    _code, table, _ = run(capsys, "check", str(seed_copy), "--as-of", "2021-01-31", "--no-history")
    assert "豁免未对应任何待处理事项：fines.to-treasury F-NONE" in table


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (STUDY_WAIVER.replace("learning.breadth", "learning.bredth"), 1, "没有规则“learning.bredth”"),
        (STUDY_WAIVER.replace("  approver: 局长张三\n", ""), 1, "approver"),
        (STUDY_WAIVER.replace("until: 2021-06-30", "until: 2020-06-30"), 1, "早于生效日期"),
        (STUDY_WAIVER.replace("scope: {period: \"2020\"}", "scope: {}"), 2, "scope"),
        (STUDY_WAIVER + "  approved_by: 某人\n", 8, "approved_by"),
        ("rule: x\n", 1, "列表"),
        ("- rule: [unclosed\n", 2, "方括号"),
    ],
)
def test_a_malformed_waiver_file_is_exit_2_with_file_and_line(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, text: str, line: int, words: str
) -> None:
    path = seed_copy / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    for argv in (("waivers", "lint", str(seed_copy)), ("check", str(seed_copy), "--as-of", "2021-01-31", "--no-history")):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == "", err
        assert f"{path}:{line}" in err and words in err and "Traceback" not in err


def test_waivers_lint_lists_each_waiver_and_its_state(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    code, out, _ = run(capsys, "waivers", "lint", str(seed_copy))
    assert code == 0 and "没有豁免文件" in out
    (seed_copy / "豁免.yaml").write_text(STUDY_WAIVER, encoding="utf-8")
    code, out, _ = run(capsys, "waivers", "lint", str(seed_copy), "--as-of", "2021-07-01")
    assert code == 0 and "1 条豁免" in out and "已到期" in out


def test_the_report_lists_waivers_in_a_section_of_their_own(capsys: pytest.CaptureFixture[str], seed_copy: Path) -> None:
    (seed_copy / "waivers.yaml").write_text(STUDY_WAIVER, encoding="utf-8")
    code, out, _ = run(capsys, "report", str(seed_copy), "--as-of", "2021-01-31", "--format", "markdown")
    assert code == 1
    assert "豁免事项" in out and "党组会 2021年第1次" in out
    assert "经批准豁免一项" in out
    # Not a gap in the report: no 问题 of it, though the other section-二 gap stays.
    assert "未落实“学法不限于统计法" not in out and "未落实“普法宣传渠道多样" in out


def test_rule_examples_can_expect_every_status_but_waived() -> None:
    from checker.findings import JudgedStatus, Status

    assert {s.value for s in JudgedStatus} == {s.value for s in Status} - {"waived"}
