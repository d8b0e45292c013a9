"""Safe YAML loading that remembers where each mapping and key came from.

Errors must name file and line; plain ``yaml.safe_load`` forgets both. The loader builds on
PyYAML's safe constructor (never the global loader), attaches positions to the mappings it
builds, and rejects duplicate keys, which YAML would silently overwrite.

Parsing uses libyaml (PyYAML's C parser) when present, about five times faster here, and the
pure-Python parser otherwise. Both feed the same composer and constructor (below), so values
and positions are the same; the equivalence is tested on every YAML file of the repository.
The two parsers word their syntax errors differently (libyaml says less: "did not find
expected ',' or ']'" where Python says what it found), so a document libyaml rejects is parsed
again by the Python parser and its message is the one reported: errors read the same whichever
parser is installed.

Hostile or mistaken input is refused with a located message instead of a traceback, a hang or
exhausted memory: files over a size bound (:mod:`checker.files`), nesting deeper than
:data:`MAX_DEPTH`, aliases expanding beyond :data:`MAX_ALIAS_NODES` nodes ("billion laughs"),
an anchor used inside itself, list or mapping keys, and lone UTF-16 surrogates.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .errors import InputError, Problem
from .files import MAX_YAML_BYTES, read_input

__all__ = ["C_PARSER", "MAX_ALIAS_NODES", "MAX_DEPTH", "Located", "load_yaml", "position_of"]

MAX_DEPTH = 100
"""Most lists and mappings nested inside one another (aliases expanded). Rules nest about 6
deep, ledgers 3; beyond 100 is a mistake or an attack, and Python's recursion would fail
somewhere past 300."""

MAX_ALIAS_NODES = 100_000
"""Most nodes reachable through aliases (``*name``), counting each expansion. No rule file uses
aliases; a ledger repeating a list of staff by alias stays far below. Nine anchors of nine
aliases each ("billion laughs") would expand to 387 million nodes for whoever walks the
result (validation, JSON output), though PyYAML itself shares them."""

_CParser: type | None
try:
    from yaml.cyaml import CParser  # only importable when PyYAML was built with libyaml

    _CParser = CParser
except ImportError:  # pragma: no cover - the PyPI wheels include libyaml
    _CParser = None
C_PARSER = _CParser is not None
"""Whether libyaml is present (the ``PyYAML`` wheels from PyPI bundle it for Linux, macOS and Windows)."""

# Escapes like "\ud800" in a double-quoted scalar give the Python parser a lone surrogate,
# which is not a character: it cannot be written as UTF-8 and would fail far from its source.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SCALAR = (1, 0)  # a scalar's measure: one node, no collection depth


class Located(dict):  # type: ignore[type-arg]
    """A mapping that knows its own line and the line and column of each key (1-based)."""

    line: int = 0
    column: int = 0
    key_positions: dict[str, tuple[int, int]]


class _Refused(Exception):
    """Input refused by a bound of this module; reported as is, with its position."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _GuardedComposer(Composer):
    """PyYAML's composer, measuring as it goes: nesting depth, alias expansion, recursion.

    Used with both parsers (libyaml's own composer is C code that recurses without limit, so a
    deep document could crash the process). The checks run while the document is read, before
    anything is built, so a hostile document is refused after reading only what it takes.
    """

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0
        self._alias_nodes = 0
        # Per composed collection: (nodes in it with aliases expanded, collection depth). A
        # collection is entered here only when complete, so an alias to one still missing is
        # an alias inside its own anchor. Scalars are not entered (they are most nodes): (1, 0).
        self._measures: dict[int, tuple[int, int]] = {}

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            node: Node = super().compose_node(parent, index)  # undefined aliases: PyYAML's own message
            measure = _SCALAR if isinstance(node, ScalarNode) else self._measures.get(id(node))
            if measure is None:
                raise _Refused(f"锚点 &{event.anchor} 在其自身内部被引用（递归引用），无法展开", event.start_mark)
            size, depth = measure
            self._alias_nodes += size
            if self._alias_nodes > MAX_ALIAS_NODES:
                raise _Refused(
                    f"别名（*{event.anchor} 等）展开后超过 {MAX_ALIAS_NODES} 个节点，拒绝读取（疑为“十亿笑声”式攻击）",
                    event.start_mark,
                )
            if self._depth + depth > MAX_DEPTH:
                raise _Refused(f"列表和映射嵌套超过 {MAX_DEPTH} 层（上限），拒绝读取", event.start_mark)
            return node
        if self.check_event(ScalarEvent):
            node = super().compose_node(parent, index)
            bad = _SURROGATE.search(node.value)
            if bad:
                code = f"\\u{ord(bad.group()):04x}"
                raise _Refused(f"文字中含有不成对的 UTF-16 代理码位 {code}（不是有效字符），请删除或改正", node.start_mark)
            return node
        event = self.peek_event()
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(f"列表和映射嵌套超过 {MAX_DEPTH} 层（上限），拒绝读取", event.start_mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._measures[id(node)] = self._measure(node)
        return node

    def _measure(self, node: Node) -> tuple[int, int]:
        """Size and depth of a complete collection, from its children's."""
        children: list[Node]
        if isinstance(node, SequenceNode):
            children = node.value
        else:
            children = [n for pair in node.value for n in pair]
        size, depth = 1, 0
        measures = self._measures
        for child in children:
            s, d = _SCALAR if isinstance(child, ScalarNode) else measures[id(child)]
            size += s
            if d > depth:
                depth = d
        return size, depth + 1

    def compose_document(self) -> Node:
        node: Node = super().compose_document()
        self._measures = {}
        return node


class _Constructor(SafeConstructor):
    """The safe constructor, building Located mappings with positions and refusing duplicate keys."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> Located:  # type: ignore[override]
        mapping = Located()
        mapping.line = node.start_mark.line + 1
        mapping.column = node.start_mark.column + 1
        mapping.key_positions = {}
        self.flatten_mapping(node)  # type: ignore[no-untyped-call]
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                # A list or mapping key ("? [a, b] : 1") cannot be a dict key: Python would
                # raise TypeError without a position.
                raise _Refused("键不能是列表或映射；请改用文字作键", key_node.start_mark)
            key = self.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
            if key in mapping:
                raise ConstructorError(None, None, f"重复的键 {key!r}", key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=deep)  # type: ignore[no-untyped-call]
            mapping.key_positions[str(key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return mapping


def _timestamp_or_text(loader: _Constructor, node: ScalarNode) -> Any:
    """A date YAML recognises by shape but that does not exist (2020-13-01, 2021-02-29) stays text.

    PyYAML would raise a bare ValueError without a position; as text, the model's date
    check reports it with file, line and field like any other bad date.
    """
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[no-untyped-call]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[no-untyped-call]


_Constructor.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Constructor.construct_mapping)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class _PyLoader(Reader, Scanner, Parser, _GuardedComposer, _Constructor, Resolver):
    """The pure-Python parser with the guarded composer and the located constructor."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)  # type: ignore[no-untyped-call]
        Scanner.__init__(self)  # type: ignore[no-untyped-call]
        Parser.__init__(self)  # type: ignore[no-untyped-call]
        _GuardedComposer.__init__(self)
        _Constructor.__init__(self)  # type: ignore[no-untyped-call]
        Resolver.__init__(self)  # type: ignore[no-untyped-call]


_CLoader: type | None = None
if _CParser is not None:

    class _CLoaderImpl(_GuardedComposer, _CParser, _Constructor, Resolver):  # type: ignore[misc, valid-type]
        """libyaml's scanner and parser (the slow part in Python) with the same composer and constructor.

        The guarded composer comes first so that its ``get_single_node`` and ``compose_node``
        are used, not libyaml's unguarded ones; it reads libyaml's events.
        """

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)  # type: ignore[misc]
            _GuardedComposer.__init__(self)
            _Constructor.__init__(self)  # type: ignore[no-untyped-call]
            Resolver.__init__(self)  # type: ignore[no-untyped-call]

    _CLoader = _CLoaderImpl


def _construct(loader_class: type, text: str) -> Any:
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _parse(text: str, name: str, parser: str = "auto") -> Any:
    """Parse YAML text; every failure is a located InputError.

    ``parser``: "auto" (libyaml if present, else Python), "c" or "python"; the last two are for
    the tests comparing them.
    """
    try:
        try:
            if parser == "python" or _CLoader is None:
                return _construct(_PyLoader, text)
            try:
                return _construct(_CLoader, text)
            except yaml.YAMLError:
                if parser == "c":
                    raise
                # libyaml's messages are terser than Python's and the Chinese translations
                # follow Python's: read the faulty document again to report it in those words.
                return _construct(_PyLoader, text)
        except RecursionError:
            # The depth bound should make this unreachable; if it happens, still no traceback.
            raise _Refused(f"列表和映射嵌套过深（上限 {MAX_DEPTH} 层），拒绝读取", None) from None
    except _Refused as exc:
        line = exc.mark.line + 1 if exc.mark is not None else None
        column = exc.mark.column + 1 if exc.mark is not None else None
        raise InputError([Problem(name, exc.message, line, column)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        what = _in_chinese(exc.problem or exc.context or "")
        raise InputError([Problem(name, f"YAML 语法错误：{what}", line, column)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, f"YAML 错误：{exc}")]) from None


def load_yaml(
    path: Path, display: str | None = None, *, max_bytes: int = MAX_YAML_BYTES, what: str = "YAML 文件"
) -> Any:
    """Parse one YAML file; any problem becomes an InputError with file, line and column.

    The file is read through :func:`checker.files.read_input` (a regular file of at most
    ``max_bytes``; pass :data:`checker.files.MAX_RULE_FILE_BYTES` for rule files).
    """
    name = display or str(path)
    data = read_input(path, max_bytes=max_bytes, what=what, display=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(name, f"不是 UTF-8 编码的文本（第 {exc.start} 字节）；请另存为 UTF-8")]) from None
    return _parse(text, name)


_YAML_PROBLEMS = [
    (re.compile(r"found character '\\t' that cannot start any token"), "不能用 Tab 缩进，请改用空格"),
    (re.compile(r"expected ',' or '\]', but got (.*)"), "方括号 [ ] 未正确结束（缺少 ] 或逗号），此处遇到 {0}"),
    (re.compile(r"expected ',' or '\}', but got (.*)"), "花括号 { } 未正确结束（缺少 } 或逗号），此处遇到 {0}"),
    (re.compile(r"mapping values are not allowed here"), "此处不能出现“键: 值”（检查缩进；值中含冒号时请加引号）"),
    (re.compile(r"could not find expected ':'"), "缺少冒号（应写作 键: 值）"),
    (re.compile(r"expected <block end>, but found (.*)"), "缩进不一致，此处遇到 {0}"),
    (re.compile(r"found unexpected end of stream"), "文件意外结束（引号或括号未闭合）"),
    (re.compile(r"found undefined alias (.*)"), "引用了未定义的锚点 {0}"),
]


def _in_chinese(problem: str) -> str:
    """PyYAML's usual complaints in Chinese; others as PyYAML words them."""
    for pattern, text in _YAML_PROBLEMS:
        found = pattern.search(problem)
        if found:
            return text.replace("{0}", found.group(1)) if found.groups() else text
    return problem or "无法解析"


def position_of(doc: Any, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
    """The line and column of a pydantic error location inside a loaded document.

    Walks the path as far as it goes; a missing key reports the mapping that lacks it.
    """
    node = doc
    line: int | None = getattr(doc, "line", None)
    column: int | None = getattr(doc, "column", None)
    for step in loc:
        if isinstance(node, Located):
            if step in node.key_positions:
                line, column = node.key_positions[str(step)]
                node = node[step]
                continue
            # pydantic puts union tags (e.g. 'per-record') in the path: step over them.
            continue
        if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            if isinstance(node, Located):
                line, column = node.line, node.column
            continue
        break
    return line, column
