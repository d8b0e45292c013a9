"""Safe YAML loading that remembers where each mapping and key came from.

Errors must name file and line; plain ``yaml.safe_load`` forgets both. This loader
subclasses ``SafeLoader`` (never the global loader) and attaches positions to the
mappings it builds, and rejects duplicate keys, which YAML would silently overwrite.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

__all__ = ["Located", "load_yaml", "position_of"]


class Located(dict):  # type: ignore[type-arg]
    """A mapping that knows its own line and the line and column of each key (1-based)."""

    line: int = 0
    column: int = 0
    key_positions: dict[str, tuple[int, int]]


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Located:  # type: ignore[override]
        mapping = Located()
        mapping.line = node.start_mark.line + 1
        mapping.column = node.start_mark.column + 1
        mapping.key_positions = {}
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"重复的键 {key!r}", key_node.start_mark
                )
            mapping[key] = self.construct_object(value_node, deep=deep)  # type: ignore[no-untyped-call]
            mapping.key_positions[str(key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return mapping


def _timestamp_or_text(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """A date YAML recognises by shape but that does not exist (2020-13-01, 2021-02-29) stays text.

    PyYAML would raise a bare ValueError without a position; as text, the model's date
    check reports it with file, line and field like any other bad date.
    """
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[no-untyped-call]
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def load_yaml(path: Path, display: str | None = None) -> Any:
    """Parse one YAML file; syntax errors become an InputError with file, line and column."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(name, f"不是 UTF-8 编码的文本（第 {exc.start} 字节）；请另存为 UTF-8")]) from None
    except OSError as exc:
        raise InputError([Problem(name, f"无法读取：{exc.strerror}")]) from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        what = _in_chinese(exc.problem or exc.context or "")
        raise InputError([Problem(name, f"YAML 语法错误：{what}", line, column)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, f"YAML 错误：{exc}")]) from None


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
