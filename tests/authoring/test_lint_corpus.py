"""``rules lint`` on a corpus of broken rule files: every expected message, located, and no traceback.

Each file of ``broken/`` (and each folder, for mistakes across files) states, in comments at
its end, the lines ``rules lint`` must print for it: ``# 预期 lint: line:column: message``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main
from checker.errors import Problem
from checker.examples import run_example
from checker.rulebook import DEFAULT_RULES, check_rule_paths, load_rule_file, load_rulebook, rule_files
from checker.rulecheck import _raw_param_refs
from checker.yamlsrc import load_yaml


def lint_paths(paths: list[Path]) -> list[Problem]:
    checked, rulebook_wide = check_rule_paths(paths)
    return [p for f in checked for p in f.problems] + rulebook_wide

BROKEN = Path(__file__).parent / "broken"
EXPECT = "# 预期 lint: "


def cases() -> list[Path]:
    return sorted([*BROKEN.glob("*.yaml"), *(p for p in BROKEN.iterdir() if p.is_dir())])


def expected_lines(target: Path) -> list[str]:
    out = []
    for path in rule_files(target):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(EXPECT):
                out.append(f"{path}:" + line[len(EXPECT):].replace("{dir}", str(target)))
    return out


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["rules", "lint", *args])
    captured = capsys.readouterr()
    lines = [line for line in captured.out.splitlines() if not line.startswith("共检查")]
    return code, lines, captured.out + captured.err


def test_the_corpus_covers_at_least_25_mistakes() -> None:
    assert len(cases()) >= 25
    assert all(expected_lines(case) for case in cases()), "every broken case states what lint must say"


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.stem)
def test_lint_reports_every_problem_located(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, everything = lint(capsys, str(case))
    assert "Traceback" not in everything
    assert lines == expected_lines(case)
    assert code == (2 if any(": 错误 " in line for line in lines) else 0)


def test_one_run_reports_all_files(capsys: pytest.CaptureFixture[str]) -> None:
    """Linting the whole corpus at once gives every file's problems, not only the first file's."""
    code, lines, _ = lint(capsys, str(BROKEN))
    assert code == 2
    expected = [line for case in cases() for line in expected_lines(case)]
    assert sorted(lines) == sorted(expected)


def test_bundled_rules_are_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, everything = lint(capsys)
    assert (code, lines) == (0, []), everything
    assert f"共检查 {len(rule_files(DEFAULT_RULES))} 个规则文件" in everything


def test_missing_path_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = lint(capsys, str(tmp_path / "nowhere"))
    assert code == 2
    assert lines == [f"{tmp_path / 'nowhere'}:1:1: 错误 no-such-path: 路径不存在"]


def test_schema_comment_is_allowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = DEFAULT_RULES / "1.4-enforcement" / "enforcement.two-officers.yaml"
    target = tmp_path / source.name
    target.write_text("# yaml-language-server: $schema=../rule.schema.json\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    assert lint(capsys, str(target))[:2] == (0, [])


def test_parameter_references_agree_with_the_kinds() -> None:
    """Lint finds parameter names in the raw YAML; the kinds' own ``params_used`` must agree."""
    rules = load_rulebook(DEFAULT_RULES)
    for rule in rules.rules:
        doc = load_yaml(rules.paths[rule.id])
        assert {name for _, name in _raw_param_refs(doc)} == rule.params_used(), rule.id


def test_a_problem_in_one_part_does_not_hide_another(tmp_path: Path) -> None:
    """pydantic skips a model's own checks once a field is wrong; lint still checks dates and params."""
    source = (BROKEN / "broken.params-out-of-order.yaml").read_text(encoding="utf-8")
    target = tmp_path / "broken.params-out-of-order.yaml"
    target.write_text(source.replace("owner: 执法监督科", "owner: 执法监督科\nseverity: 紧急"), encoding="utf-8")
    problems = lint_paths([target])
    messages = [p.message for p in problems]
    assert any("取值不在允许范围内" in m for m in messages)
    assert any("生效日期应严格递增" in m for m in messages)


LEGACY = Path(__file__).parent / "legacy"


@pytest.mark.parametrize("path", sorted(LEGACY.glob("*.yaml")), ids=lambda p: p.stem)
def test_renamed_keys_still_load_with_a_warning_naming_the_new_key(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Rule files written before where→heading, record→ledger, measures.where→when and *_param→{param: …}."""
    code, lines, everything = lint(capsys, str(path))
    assert code == 0 and lines, everything
    assert all("警告 renamed-key" in line for line in lines), lines
    assert any("heading" in line for line in lines) and any("ledger" in line for line in lines)
    code, _, _ = lint(capsys, "--strict", str(path))
    assert code == 2
    rule = load_rule_file(path)
    bundled = load_rulebook(DEFAULT_RULES).find(rule.id)
    if bundled is not None:  # the same rule in the current spelling: the models must be identical
        assert rule == bundled
    assert all(run_example(rule, ex).passed for ex in rule.examples)


def test_unknown_owner_is_a_warning_with_the_nearest_office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = DEFAULT_RULES / "1.4-enforcement" / "enforcement.two-officers.yaml"
    target = tmp_path / source.name
    target.write_text(source.read_text(encoding="utf-8").replace("owner: 执法监督科", "owner: 执法监察科"), encoding="utf-8")
    code, lines, _ = lint(capsys, str(target))
    owner_line = target.read_text(encoding="utf-8").splitlines().index("owner: 执法监察科") + 1
    assert code == 0
    assert lines == [f"{target}:{owner_line}:1: 警告 unknown-owner: owner: 责任科室 '执法监察科' 不见于其他规则，也不在规则库的科室清单"
                     "（rulebook.yaml 的 offices）中（是否应为 执法监督科？）"]
    assert lint(capsys, "--strict", str(target))[0] == 2
