"""``compliance rules test|show|new|catalog|list`` through the command line's ``main``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from checker.authoring.catalog import OUTLINE, heading_of
from checker.cli import main
from checker.kinds import KINDS
from checker.rulebook import DEFAULT_RULES, load_rulebook

TWO_OFFICERS = DEFAULT_RULES / "1.4-enforcement" / "enforcement.two-officers.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out + captured.err


@pytest.fixture(scope="module")
def rulebook():  # type: ignore[no-untyped-def]
    return load_rulebook(DEFAULT_RULES)


# --- rules test ------------------------------------------------------------------


def test_bundled_examples_pass(capsys: pytest.CaptureFixture[str], rulebook) -> None:  # type: ignore[no-untyped-def]
    code, out = run(capsys, "rules", "test", str(DEFAULT_RULES))
    examples = sum(len(r.examples) for r in rulebook.rules)
    assert code == 0, out
    assert f"共 {len(rulebook.rules)} 条规则、{examples} 个案例：通过 {examples} 个，失败 0 个" in out


def test_a_wrong_example_fails_with_rule_example_expected_and_actual(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = TWO_OFFICERS.read_text(encoding="utf-8")
    assert "      A-1: met\n" in text
    target = tmp_path / TWO_OFFICERS.name
    target.write_text(text.replace("      A-1: met\n", "      A-1: gap\n"), encoding="utf-8")
    code, out = run(capsys, "rules", "test", str(target))
    assert code == 1
    assert "失败：enforcement.two-officers" in out
    assert "案例「两名执法人员共同检查，符合要求」" in out
    assert "A-1: 期望 gap，实际 met" in out
    assert "失败 1 个" in out


def test_an_unexpected_finding_fails_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = TWO_OFFICERS.read_text(encoding="utf-8")
    target = tmp_path / TWO_OFFICERS.name
    target.write_text(text.replace("      A-2: gap\n", "      A-9: gap\n"), encoding="utf-8")
    code, out = run(capsys, "rules", "test", str(target))
    assert code == 1
    assert "A-2: 期望 （无此结论），实际 gap" in out and "A-9: 期望 gap，实际 （无此结论）" in out


def test_example_records_that_do_not_validate_are_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = TWO_OFFICERS.read_text(encoding="utf-8")
    target = tmp_path / TWO_OFFICERS.name
    target.write_text(text.replace("action: 送达, officers: [P1]", "action: 送达, officer: [P1]"), encoding="utf-8")
    code, out = run(capsys, "rules", "test", str(target))
    assert code == 2
    assert "未知字段（是否应为 officers？）" in out


def test_a_broken_rule_file_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "rules", "test", str(Path(__file__).parent / "broken" / "broken.misspelt-key.yaml"))
    assert code == 2
    assert "未知字段（是否应为 title？）" in out


# --- rules list --------------------------------------------------------------------


def test_list_json_has_every_rule_with_its_fields(capsys: pytest.CaptureFixture[str], rulebook) -> None:  # type: ignore[no-untyped-def]
    code, out = run(capsys, "rules", "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {r["id"] for r in rows} == {r.id for r in rulebook.rules}
    by_id = {r.id: r for r in rulebook.rules}
    for row in rows:
        assert set(row) == {"id", "kind", "heading", "title", "severity", "owner", "citations"}
        rule = by_id[row["id"]]
        assert (row["kind"], row["heading"], row["title"], row["owner"]) == (rule.kind_name, rule.heading, rule.title, rule.owner)
        assert [c["source"] for c in row["citations"]] == [c.source for c in rule.citations]


def test_list_table_names_every_rule(capsys: pytest.CaptureFixture[str], rulebook) -> None:  # type: ignore[no-untyped-def]
    code, out = run(capsys, "rules", "list")
    assert code == 0
    for rule in rulebook.rules:
        assert rule.id in out and rule.citations[0].source in out
    assert not re.search(r"\b(high|medium|low)\b", out), "severity in Chinese (高/中/低), not English"


# --- rules show ---------------------------------------------------------------------


def test_show_explains_a_rule_from_its_yaml(capsys: pytest.CaptureFixture[str], rulebook) -> None:  # type: ignore[no-untyped-def]
    rule = rulebook.get("enforcement.two-officers")
    code, out = run(capsys, "rules", "show", rule.id, "--as-of", "2020-12-31")
    assert code == 0
    value = rule.params["min_officers"][-1]
    assert f"min_officers：现行取值 {value.value}，自 {value.from_.isoformat()} 起" in out
    assert "执法行为台账中的每一条记录都必须满足" in out
    for part in (rule.title, rule.heading, rule.remedy, rule.owner, *(c.source for c in rule.citations)):
        assert part in out


def test_show_names_the_version_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    _, before = run(capsys, "rules", "show", "interference.quarterly-self-check", "--as-of", "2020-12-31")
    _, after = run(capsys, "rules", "show", "interference.quarterly-self-check", "--as-of", "2024-01-01")
    assert "2017 版，自 2017-10-01 起（现行）" in before and "2023 版，自 2023-10-27 起（现行）" not in before
    assert "2023 版，自 2023-10-27 起（现行）" in after and "2017 版，自 2017-10-01 起（现行）" not in after


def test_show_gives_the_parameter_value_in_force_and_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = TWO_OFFICERS.read_text(encoding="utf-8")
    target = tmp_path / "rules"
    target.mkdir()
    changed = text.replace("      value: 2\n", "      value: 2\n    - from: 2030-01-01\n      value: 3\n")
    (target / TWO_OFFICERS.name).write_text(changed, encoding="utf-8")
    _, now = run(capsys, "rules", "show", "enforcement.two-officers", "--rules", str(target), "--as-of", "2025-01-01")
    _, later = run(capsys, "rules", "show", "enforcement.two-officers", "--rules", str(target), "--as-of", "2030-06-01")
    assert "现行取值 2，自 1996-10-01 起" in now and "将自 2030-01-01 起改为 3" in now
    assert "现行取值 3，自 2030-01-01 起" in later and "此前自 1996-10-01 起为 2" in later


def test_show_unknown_id_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "rules", "show", "enforcement.two-oficers")
    assert code == 2
    assert "是否应为 enforcement.two-officers" in out


# --- rules new ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_skeleton_is_a_working_rule(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule_id = f"draft.new-{kind}"
    target = tmp_path / f"{rule_id}.yaml"
    assert run(capsys, "rules", "new", "--kind", kind, rule_id, "--output", str(target))[0] == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../rule.schema.json")
    assert f"kind: {kind}" in text and "待填写" in text
    # Unfilled, it is refused, each placeholder named: a skeleton must never run as a rule.
    code, out = run(capsys, "rules", "lint", str(target))
    problems = [line for line in out.splitlines() if line.startswith(str(target))]
    assert code == 2 and problems and all("错误 unfilled-placeholder" in line for line in problems), out
    assert len(problems) == sum(line.count("（待填写") for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert run(capsys, "rules", "test", str(target))[0] == 2
    # Filled in, it is a working rule: it lints clean and its examples pass.
    filled = re.sub(r"（待填写：[^）]*）", "已填写", text).replace("heading: 已填写", "heading: 一(四)2").replace("owner: 已填写", "owner: 法规科")
    target.write_text(filled, encoding="utf-8")
    code, out = run(capsys, "rules", "lint", str(target))
    assert code == 0, out
    code, out = run(capsys, "rules", "test", str(target))
    assert code == 0, out


def test_new_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "draft.exists.yaml"
    target.write_text("mine\n", encoding="utf-8")
    code, out = run(capsys, "rules", "new", "--kind", "deadline", "draft.exists", "--output", str(target))
    assert code == 2 and target.read_text(encoding="utf-8") == "mine\n"
    assert "文件已存在，未覆盖（确需覆盖请加 --force）" in out
    assert run(capsys, "rules", "new", "--kind", "deadline", "draft.exists", "--output", str(target), "--force")[0] == 0
    assert "id: draft.exists" in target.read_text(encoding="utf-8")


def test_new_to_stdout_and_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "rules", "new", "--kind", "deadline", "draft.to-stdout")
    assert code == 0 and "id: draft.to-stdout" in out
    assert run(capsys, "rules", "new", "--kind", "deadline", "Not An Id")[0] == 2
    with pytest.raises(SystemExit) as exit_:
        main(["rules", "new", "--kind", "deadlines", "draft.x"])
    assert exit_.value.code == 2
    assert "用法错误" in capsys.readouterr().err


# --- rules catalog ------------------------------------------------------------------


def test_heading_of_reads_the_outline_numbers() -> None:
    assert heading_of("一(四)2") == ("一", "一(四)")
    assert heading_of("一（三）1") == ("一", "一(三)")
    assert heading_of("一(一)3, 一(四)2") == ("一", "一(一)")
    assert heading_of("二（不足一）") == ("二", None)
    assert heading_of("附录") == ("", None)


def test_markdown_catalog_follows_the_outline(capsys: pytest.CaptureFixture[str], rulebook) -> None:  # type: ignore[no-untyped-def]
    code, out = run(capsys, "rules", "catalog", "--format", "markdown", "--as-of", "2020-12-31")
    assert code == 0
    positions = [out.index(OUTLINE[h]) for h in ("一", "一(三)", "一(四)", "二")]
    assert positions == sorted(positions)
    for rule in rulebook.rules:
        assert f"`{rule.id}`" in out
        section, part = heading_of(rule.heading)
        assert out.index(OUTLINE[part or section]) < out.index(f"`{rule.id}`")
        for name in rule.params:
            assert f"{name} = " in out
    assert f"规则库 {rulebook.version} · {rulebook.digest}" in out


def test_html_catalog_is_self_contained_and_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES, rules)
    path = rules / "1.4-enforcement" / TWO_OFFICERS.name
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: 执法行为由两名以上执法人员实施", 'title: "执法 <script>alert(1)</script> & 两人"'), encoding="utf-8")
    out_file = tmp_path / "catalog.html"
    code, _ = run(capsys, "rules", "catalog", "--format", "html", "--rules", str(rules), "--output", str(out_file))
    assert code == 0
    page = out_file.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 两人" in page
    assert "src=" not in page and "http" not in page.split("<body>")[1]
    assert page.index(OUTLINE["一(四)"]) < page.index("enforcement.two-officers")


BROKEN = Path(__file__).parent / "broken"


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_rules_test_never_crashes_on_a_broken_rule(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A rule naming a missing field or parameter would fail inside the engine: loading refuses it first."""
    code, out = run(capsys, "rules", "test", str(path))
    text = path.read_text(encoding="utf-8")
    if "未在 params 中定义" in text or "没有字段" in text:
        assert code == 2, out
    assert code in (0, 1, 2)


def test_check_refuses_a_rule_naming_a_missing_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES, rules)
    path = rules / "1.4-enforcement" / TWO_OFFICERS.name
    path.write_text(path.read_text(encoding="utf-8").replace("field: officers_count", "field: officer_count"), encoding="utf-8")
    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "district-bureau-2020"
    code, out = run(capsys, "check", str(fixture), "--rules", str(rules), "--as-of", "2020-12-31")
    assert code == 2
    assert "台账 enforcement_action 没有字段 'officer_count'（是否应为 officers_count？）" in out
