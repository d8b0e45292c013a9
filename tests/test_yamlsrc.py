"""checker.yamlsrc: libyaml and Python give the same documents, positions and errors; hostile input is refused, located."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

import checker.yamlsrc as yamlsrc
from checker.errors import InputError, Problem
from checker.files import MAX_RULE_FILE_BYTES
from checker.yamlsrc import MAX_ALIAS_NODES, MAX_DEPTH, Located, load_yaml, position_of

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "authoring" / "broken"
# The two ways load_yaml runs: with libyaml (auto picks it; test_load_yaml_uses_libyaml) and
# without it. (libyaml alone sometimes refuses first, in its own words: 5,000 "[" trip its own
# limit of 1,000 while it scans ahead; "auto" then reports the Python parser's located message.)
PARSERS = ["auto", "python"]


def repository_yaml() -> list[Path]:
    found = {p for top in ("rules", "fixtures", "tests") for ext in ("yaml", "yml") for p in (ROOT / top).rglob(f"*.{ext}")}
    return sorted(found)


def outcome(text: str, parser: str) -> tuple[str, Any]:
    try:
        return "ok", yamlsrc._parse(text, "f.yaml", parser)
    except InputError as exc:
        return "error", exc.problems


def refused(text: str, parser: str = "auto") -> Problem:
    with pytest.raises(InputError) as exc:
        yamlsrc._parse(text, "f.yaml", parser)
    [problem] = exc.value.problems
    return problem


def same_with_positions(a: Any, b: Any, where: str = "") -> None:
    """Equal values, of the same types, and every mapping at the same line and column with its keys at the same places."""
    assert type(a) is type(b), where
    if isinstance(a, Located):
        assert (a.line, a.column) == (b.line, b.column), where
        assert a.key_positions == b.key_positions, where
        assert list(a) == list(b), where
        for key in a:
            same_with_positions(a[key], b[key], f"{where}/{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            same_with_positions(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


# --- libyaml and Python agree ---------------------------------------------------------------


def test_libyaml_is_present() -> None:
    """PyPI's PyYAML wheels bundle libyaml; without it every load would take the slow path."""
    assert yaml.__with_libyaml__
    assert yamlsrc.C_PARSER


def test_load_yaml_uses_libyaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[type] = []
    real = yamlsrc._construct

    def spy(loader: type, text: str) -> Any:
        used.append(loader)
        return real(loader, text)

    monkeypatch.setattr(yamlsrc, "_construct", spy)
    (tmp_path / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    assert load_yaml(tmp_path / "a.yaml") == {"a": 1}
    assert used == [yamlsrc._CLoader]


def test_the_repository_has_yaml_to_compare() -> None:
    files = repository_yaml()
    assert len(files) > 100
    assert any(p.parts[-3:-1] == ("authoring", "broken") for p in files)


@pytest.mark.parametrize("path", repository_yaml(), ids=lambda p: str(p.relative_to(ROOT)))
def test_libyaml_and_python_give_identical_documents(path: Path) -> None:
    """For every YAML file here: same values and positions; for a broken one, the same located problems."""
    text = path.read_bytes().decode("utf-8")
    c_kind, c_value = outcome(text, "c")
    py_kind, py_value = outcome(text, "python")
    assert c_kind == py_kind
    if py_kind == "ok":
        same_with_positions(c_value, py_value)
    else:
        # libyaml words its errors differently but places them the same...
        assert [(p.line, p.column) for p in c_value] == [(p.line, p.column) for p in py_value]
        # ...and what the user is shown is the Python wording either way.
        assert outcome(text, "auto") == (py_kind, py_value)


@pytest.mark.parametrize("path", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.name)
def test_broken_corpus_messages_do_not_depend_on_the_parser(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """load_yaml with libyaml and load_yaml without it (as on a system lacking it) report the same."""
    results = []
    for loader in (yamlsrc._CLoader, None):
        monkeypatch.setattr(yamlsrc, "_CLoader", loader)
        try:
            results.append(("ok", load_yaml(path)))
        except InputError as exc:
            results.append(("error", exc.problems))
    if results[0][0] == "ok":
        same_with_positions(results[0][1], results[1][1])
    else:
        assert results[0] == results[1]


SAMPLES = [
    'a: "x\\ud800y"\n',
    "a: [1, 2\nb: 3\n",
    "a:\n\tb: 1\n",
    "a: b: c\n",
    'a: "unterminated\n',
    "a: *nope\n",
    "a: &x 1\nb: &x 2\n",
    "- a\nb: 1\n",
    "a: 1\n---\nb: 2\n",
    "a: {b: 1\n",
    'a: "\\q"\n',
    "a: \x07\n",
    "a: 1\na: 2\n",
    "? [a, b]\n: 1\n",
    "a: !!python/object:os.system x\n",
    "",
    "# only a comment\n",
    "a: 2021-02-29\nb: 2020-02-29\nc: 2020-02-29 10:00:00\n",
    "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n",
    "\ufeffa: 中文\n",
    'a: "\\x41\\U0001F600\\u4e2d"\n',
    "a: |\n  第一行\n  第二行\nb: >\n  折叠\n  文字\n",
    "- [1, 2.5, true, null, ~, 0x1f, 1e3, .inf, '']\n",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_samples_read_the_same_whichever_parser(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    auto = outcome(text, "auto")
    monkeypatch.setattr(yamlsrc, "_CLoader", None)
    python = outcome(text, "auto")
    assert auto[0] == python[0]
    if auto[0] == "ok":
        same_with_positions(auto[1], python[1])
    else:
        assert auto == python


def test_messages_stay_in_chinese() -> None:
    problem = refused("a: [1, 2\nb: 3\n")
    assert (problem.line, problem.column) == (2, 2)
    assert problem.message == "YAML 语法错误：方括号 [ ] 未正确结束（缺少 ] 或逗号），此处遇到 ':'"
    assert refused("a:\n\tb: 1\n").message == "YAML 语法错误：不能用 Tab 缩进，请改用空格"
    problem = refused("a: 1\nb: 2\na: 3\n")
    assert (problem.message, problem.line, problem.column) == ("YAML 语法错误：重复的键 'a'", 3, 1)


def test_positions_kept() -> None:
    doc = yamlsrc._parse("id: x\nparams:\n  n:\n    - from: 2020-01-01\n      value: 2\n", "f.yaml")
    assert doc["params"].key_positions == {"n": (3, 3)}
    assert position_of(doc, ("params", "n", 0, "value")) == (5, 7)
    assert doc["params"]["n"][0]["from"] == dt.date(2020, 1, 1)


# --- nesting ---------------------------------------------------------------------------------

DEPTH_MESSAGE = f"列表和映射嵌套超过 {MAX_DEPTH} 层（上限），拒绝读取"


@pytest.mark.parametrize("parser", PARSERS)
def test_5000_brackets(parser: str) -> None:
    problem = refused("[" * 5000, parser)
    assert (problem.file, problem.message, problem.line, problem.column) == ("f.yaml", DEPTH_MESSAGE, 1, MAX_DEPTH + 1)


@pytest.mark.parametrize("parser", PARSERS)
def test_5000_flow_mappings(parser: str) -> None:
    problem = refused("{a: " * 5000, parser)
    assert (problem.message, problem.line, problem.column) == (DEPTH_MESSAGE, 1, 4 * MAX_DEPTH + 1)


@pytest.mark.parametrize("parser", PARSERS)
def test_3000_level_block_mapping(parser: str) -> None:
    text = "".join(" " * i + "a:\n" for i in range(3000)) + " " * 3000 + "1\n"
    problem = refused(text, parser)
    assert (problem.message, problem.line, problem.column) == (DEPTH_MESSAGE, MAX_DEPTH + 1, MAX_DEPTH + 1)


@pytest.mark.parametrize("parser", PARSERS)
def test_3000_level_block_sequence(parser: str) -> None:
    problem = refused("- " * 3000 + "x\n", parser)
    assert (problem.message, problem.line) == (DEPTH_MESSAGE, 1)


@pytest.mark.parametrize("parser", PARSERS)
def test_nesting_up_to_the_bound_is_read(parser: str) -> None:
    doc = yamlsrc._parse("[" * MAX_DEPTH + "]" * MAX_DEPTH, "f.yaml", parser)
    for _ in range(MAX_DEPTH - 1):
        doc = doc[0]
    assert doc == []
    assert refused("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), parser).message == DEPTH_MESSAGE


@pytest.mark.parametrize("parser", PARSERS)
def test_depth_through_an_alias_counts(parser: str) -> None:
    deep = "[" * 60 + "]" * 60
    problem = refused(f"a: &deep {deep}\nb: {'[' * 60}*deep{']' * 60}\n", parser)
    assert (problem.message, problem.line, problem.column) == (DEPTH_MESSAGE, 2, 64)


def test_recursion_error_is_still_a_located_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the bound be raised past what Python's recursion allows, still no traceback."""
    monkeypatch.setattr(yamlsrc, "MAX_DEPTH", 100_000)
    problem = refused("[" * 5000 + "]" * 5000, "python")
    assert problem.message == "列表和映射嵌套过深（上限 100000 层），拒绝读取"
    assert problem.file == "f.yaml"


# --- aliases ---------------------------------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["l0: &l0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("parser", PARSERS)
def test_billion_laughs_refused_quickly(parser: str) -> None:
    start = time.perf_counter()
    problem = refused(billion_laughs(), parser)
    assert time.perf_counter() - start < 1.0
    assert problem.message == f"别名（*l4 等）展开后超过 {MAX_ALIAS_NODES} 个节点，拒绝读取（疑为“十亿笑声”式攻击）"
    assert problem.line == 6 and problem.column is not None


@pytest.mark.parametrize("parser", PARSERS)
def test_moderate_aliases_allowed(parser: str) -> None:
    doc = yamlsrc._parse(billion_laughs(levels=3, width=9), "f.yaml", parser)
    assert doc["l2"][8][8][8] == "lol"
    doc = yamlsrc._parse("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  z: 3\n", "f.yaml", parser)
    assert doc["d"] == {"x": 1, "y": 2, "z": 3}


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("text", ["a: &a [1, *a]\n", "a: &a {x: *a}\n"])
def test_anchor_used_inside_itself(parser: str, text: str) -> None:
    problem = refused(text, parser)
    assert problem.message == "锚点 &a 在其自身内部被引用（递归引用），无法展开"
    assert problem.line == 1


def test_undefined_alias_keeps_its_message() -> None:
    assert refused("a: *nope\n").message == "YAML 语法错误：引用了未定义的锚点 'nope'"


# --- keys and characters -----------------------------------------------------------------------


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(
    ("text", "line", "column"),
    [("? [a, b]\n: 1\n", 1, 3), ("x: 1\n? {a: 1}\n: 2\n", 2, 3), ("{[a]: 1}\n", 1, 2), ("m:\n  ? - a\n  : 1\n", 2, 5)],
)
def test_list_or_mapping_keys_refused(parser: str, text: str, line: int, column: int) -> None:
    problem = refused(text, parser)
    assert (problem.message, problem.line, problem.column) == ("键不能是列表或映射；请改用文字作键", line, column)


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        ('a: "x\\ud800y"\n', "\\ud800", 1, 4),
        ('title: ok\n"\\udfff": 1\n', "\\udfff", 2, 1),
        ('- "\\U0000d800"\n', "\\ud800", 1, 3),
        ('- "\\ud83d\\ude00"\n', "\\ud83d", 1, 3),  # a pair written as two escapes is not how YAML spells 😀
    ],
)
def test_lone_surrogates_refused(text: str, code: str, line: int, column: int, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = (f"文字中含有不成对的 UTF-16 代理码位 {code}（不是有效字符），请删除或改正", line, column)
    problem = refused(text)
    assert (problem.message, problem.line, problem.column) == expected
    monkeypatch.setattr(yamlsrc, "_CLoader", None)
    problem = refused(text)
    assert (problem.message, problem.line, problem.column) == expected


def test_not_utf8_keeps_its_message(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_bytes("name: 区统计局\n".encode("gbk"))
    with pytest.raises(InputError) as exc:
        load_yaml(path)
    [problem] = exc.value.problems
    assert problem.message == "不是 UTF-8 编码的文本（第 6 字节）；请另存为 UTF-8"
    assert problem.file == str(path)


# --- through read_input ----------------------------------------------------------------------


def test_load_yaml_reads_only_regular_files(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_yaml(tmp_path, display="rules/x.yaml")
    assert str(exc.value) == "rules/x.yaml: 不是普通文件（是目录）"


def test_load_yaml_size_bound(tmp_path: Path) -> None:
    path = tmp_path / "rule.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * MAX_RULE_FILE_BYTES)
    assert load_yaml(path) == {"a": 1}  # the default bound is the ledgers'
    with pytest.raises(InputError) as exc:
        load_yaml(path, max_bytes=MAX_RULE_FILE_BYTES, what="规则文件")
    assert exc.value.problems[0].message.startswith("规则文件过大：1 MiB（1048581 字节），超过上限 1 MiB")
