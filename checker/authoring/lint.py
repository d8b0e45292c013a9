"""``rules lint``: every problem of every rule file, in one run, each located to line and column.

Loading a rule (``rulebook.load_rule_file``) stops at the first file-level failure, and
pydantic skips a model's own checks once a field is wrong. The linter does not stop: it runs
the models for the shape of the file (unknown keys, wrong types, missing fields), and then
checks the meaning on the raw YAML, part by part, whatever else is wrong: ids, record types
and fields named by conditions, parameters used and defined, citations, examples, and the
order of effective dates. Where both layers find the same thing, the located one is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from pydantic import BaseModel, ValidationError

from ..dates import parse_day
from ..errors import InputError, Problem
from ..kinds import KINDS
from ..records import RECORD_TYPES, StaffMember
from ..records.base import references
from ..rulebook import rule_files
from ..rules import RuleBase
from ..validation import problems_from, suggest
from ..yamlsrc import Located, load_yaml, position_of

__all__ = ["lint_paths", "reference_problems", "Linter", "format_problem", "record_fields"]

Loc = tuple[Any, ...]

SELECTOR_KEYS = ("subject", "trigger", "evidence", "intervals", "records", "exists")
"""Keys that hold a record selector (``record`` + ``when``) in some kind."""

NOT_LOGIC = ("params", "versions", "examples", "citations")
"""Top-level keys that cannot refer to a parameter."""


def format_problem(problem: Problem) -> str:
    """``file:line:column: message``, the form editors and CI logs understand."""
    where = f"{problem.file}:{problem.line or 1}:{problem.column or 1}"
    return f"{where}: {problem.field}: {problem.message}" if problem.field else f"{where}: {problem.message}"


def record_fields(rtype: str, counts: bool) -> list[str]:
    """Fields a rule can name on a record type; conditions also see ``<list>_count`` and never ``id``."""
    model = RECORD_TYPES[rtype]
    names = list(model.model_fields)
    if not counts:
        return names
    lists = [n for n, f in model.model_fields.items() if "list" in str(f.annotation)]
    return [n for n in names if n != "id"] + [f"{n}_count" for n in lists]


@dataclass
class _FileLint:
    """The problems of one file, kept in the order found, without repeats."""

    name: str
    doc: Located
    problems: list[Problem] = field(default_factory=list)
    replaces: set[tuple[Any, ...]] = field(default_factory=set)
    """Places where a problem found here stands instead of whatever the models said there."""

    def at(self, loc: Loc, message: str, replaces: bool = False) -> None:
        line, column = position_of(self.doc, loc)
        self.problems.append(Problem(self.name, message, line, column, None, _field(loc)))
        if replaces:
            self.replaces.add((line, column, _field(loc)))


def _field(loc: Loc) -> str | None:
    return ".".join(str(s) for s in loc) or None


def _get(node: Any, *steps: Any) -> Any:
    """``node[steps...]`` where every step exists and has the right shape, else None."""
    for step in steps:
        if isinstance(step, int):
            if not isinstance(node, list) or not 0 <= step < len(node):
                return None
        elif not isinstance(node, dict) or step not in node:
            return None
        node = node[step]
    return node


def _items(node: Any) -> Iterator[tuple[int, Any]]:
    return enumerate(node) if isinstance(node, list) else iter(())


def _day(value: Any) -> dt.date | None:
    try:
        day = parse_day(value)
    except ValueError:
        return None
    return day if isinstance(day, dt.date) else None


class Linter:
    """Lints files one by one, remembering ids across them (a rule id is unique in the rulebook)."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def lint(self, path: Path) -> list[Problem]:
        name = str(path)
        try:
            doc = load_yaml(path)
        except InputError as exc:
            return [Problem(p.file, p.message, p.line or 1, p.column or 1, p.record, p.field) for p in exc.problems]
        if not isinstance(doc, Located):
            found = "空文件" if doc is None else "列表" if isinstance(doc, list) else repr(doc)
            return [Problem(name, f"规则文件应为一个映射（键: 值），实为{found}", 1, 1)]
        lint = _FileLint(name, doc)
        model = self._kind(lint)
        rule = self._shape(lint, model) if model else None
        meaning = _FileLint(name, doc)
        self._id(meaning, path)
        _citations(meaning)
        selectors = _selectors(meaning)
        _fields(meaning, selectors)
        _params(meaning, rule)
        _dates(meaning)
        _examples(meaning, selectors)
        return _merge(lint.problems, meaning)

    def _kind(self, lint: _FileLint) -> type[RuleBase] | None:
        kind = lint.doc.get("kind")
        if kind is None:
            lint.at(("kind",), f"缺少必填字段：可选 {'、'.join(KINDS)}")
            return None
        if not isinstance(kind, str) or kind not in KINDS:
            hint = suggest(str(kind), KINDS)
            lint.at(("kind",), f"未知的规则类型 {kind!r}" + (f"（是否应为 {hint}？）" if hint else f"；可选 {'、'.join(KINDS)}"))
            return None
        return KINDS[str(kind)]

    def _shape(self, lint: _FileLint, model: type[RuleBase]) -> RuleBase | None:
        try:
            return model.model_validate(lint.doc)
        except ValidationError as exc:
            lint.problems.extend(problems_from(exc, lint.name, lint.doc, model))
            return None

    def _id(self, lint: _FileLint, path: Path) -> None:
        rule_id = lint.doc.get("id")
        if not isinstance(rule_id, str):
            return
        if rule_id != path.stem:
            lint.at(("id",), f"规则编号 {rule_id} 与文件名 {path.stem} 不一致：文件应命名为 {rule_id}.yaml")
        if rule_id in self.ids:
            lint.at(("id",), f"规则编号 {rule_id} 重复（另见 {self.ids[rule_id]}）")
        else:
            line, column = position_of(lint.doc, ("id",))
            self.ids[rule_id] = f"{lint.name}:{line}:{column}"


def _merge(shape: list[Problem], meaning: _FileLint) -> list[Problem]:
    """Both layers' problems, in file order. A model's message that a meaning check restates
    (with more detail, or better located) is dropped, and so is one where the meaning check
    stands instead of it (a missing citation)."""
    kept = [p for p in shape if (p.line, p.column, p.field) not in meaning.replaces
            and not any(m.message.startswith(p.message) for m in meaning.problems)]
    out: list[Problem] = []
    for p in sorted([*kept, *meaning.problems], key=lambda p: (p.line or 0, p.column or 0)):
        if p not in out:
            out.append(p)
    return out


def _citations(lint: _FileLint) -> None:
    citations = lint.doc.get("citations")
    if "citations" not in lint.doc:
        lint.at(("citations",), "缺少依据：至少列出一条法律、法规或文件（本单位政策注明 policy: true）", replaces=True)
    elif citations in (None, []):
        lint.at(("citations",), "依据为空：至少列出一条法律、法规或文件（本单位政策注明 policy: true）", replaces=True)


def _selectors(lint: _FileLint) -> dict[str, str]:
    """Each selector key of the rule and the record type it names, when that record type exists."""
    out: dict[str, str] = {}
    for key in SELECTOR_KEYS:
        record = _get(lint.doc, key, "record")
        if not isinstance(record, str):
            continue
        if record in RECORD_TYPES:
            out[key] = record
        else:
            hint = suggest(record, RECORD_TYPES)
            lint.at((key, "record"), f"未知的台账类型 {record!r}" + (f"（是否应为 {hint}？）" if hint else ""))
    return out


def _field_refs(doc: Located, selectors: dict[str, str]) -> Iterator[tuple[Loc, str, Any, bool]]:
    """(where, record type, field name, is a condition) for every record field the rule names.

    The kinds differ in where they name fields; this is the one place that knows them all.
    """
    for key, rtype in selectors.items():
        for i, _ in _items(_get(doc, key, "when")):
            yield from _condition_refs((key, "when", i), doc, rtype)
        if key == "evidence":
            yield (key, "date"), rtype, _get(doc, key, "date"), False
        if key == "intervals":
            yield (key, "start"), rtype, _get(doc, key, "start"), False
            yield (key, "end"), rtype, _get(doc, key, "end"), False
        if key == "exists":
            yield (key, "covers", "start"), rtype, _get(doc, key, "covers", "start"), False
            yield (key, "covers", "end"), rtype, _get(doc, key, "covers", "end"), False
            pairs = _get(doc, key, "link")
            if isinstance(pairs, dict):
                for efield, sfield in pairs.items():
                    yield (key, "link", efield), rtype, efield, False
                    if "subject" in selectors and sfield not in ("id", "item"):
                        yield (key, "link", efield), selectors["subject"], sfield, False
        if key == "subject":
            yield (key, "each"), rtype, _get(doc, key, "each"), False
    if "subject" in selectors:
        for i, _ in _items(doc.get("require")):
            yield from _condition_refs(("require", i), doc, selectors["subject"])
        for i, group in _items(doc.get("any_of")):
            for j, _ in _items(group):
                yield from _condition_refs(("any_of", i, j), doc, selectors["subject"])
    if "records" in selectors:
        rtype = selectors["records"]
        for i, _ in _items(doc.get("measures")):
            yield ("measures", i, "field"), rtype, _get(doc, "measures", i, "field"), False
            for j, _ in _items(_get(doc, "measures", i, "where")):
                yield from _condition_refs(("measures", i, "where", j), doc, rtype)
    for key in ("evidence", "records"):
        if key in selectors:
            yield ("per_staff", "field"), selectors[key], _get(doc, "per_staff", "field"), False
    if "evidence" in selectors:
        yield ("period_field",), selectors["evidence"], doc.get("period_field"), False
        yield ("occasion_field",), selectors["evidence"], doc.get("occasion_field"), False
        for mapping in ("link", "totals"):
            pairs = doc.get(mapping)
            if isinstance(pairs, dict):
                for efield, sfield in pairs.items():
                    yield (mapping, efield), selectors["evidence"], efield, False
                    if "trigger" in selectors and sfield != "id":
                        yield (mapping, efield), selectors["trigger"], sfield, False
    if "trigger" in selectors:
        yield ("within", "from"), selectors["trigger"], _get(doc, "within", "from"), False
        for i, _ in _items(_get(doc, "within", "extended", "when")):
            yield from _condition_refs(("within", "extended", "when", i), doc, selectors["trigger"])


def _condition_refs(loc: Loc, doc: Located, rtype: str) -> Iterator[tuple[Loc, str, Any, bool]]:
    for key in ("field", "other"):
        yield (*loc, key), rtype, _get(doc, *loc, key), True


def _fields(lint: _FileLint, selectors: dict[str, str]) -> None:
    for loc, rtype, name, condition in _field_refs(lint.doc, selectors):
        if not isinstance(name, str):
            continue
        known = record_fields(rtype, counts=condition)
        if condition and name == "id":
            lint.at(loc, "条件不能检验记录编号 id（编号只用于标识记录和关联 link）")
        elif name not in known:
            hint = suggest(name, known)
            lint.at(loc, f"台账 {rtype} 没有字段 {name!r}" + (f"（是否应为 {hint}？）" if hint else ""))


def _param_refs(node: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every ``param`` or ``*_param`` key naming a parameter, outside the parts that cannot name one."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not loc and key in NOT_LOGIC:
                continue
            if isinstance(key, str) and (key == "param" or key.endswith("_param")) and isinstance(value, str):
                yield (*loc, key), value
            else:
                yield from _param_refs(value, (*loc, key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _param_refs(item, (*loc, i))


def _defined_params(doc: Located) -> list[str]:
    params = doc.get("params")
    return [str(k) for k in params] if isinstance(params, dict) else []


def _undefined_params(lint: _FileLint) -> None:
    defined = _defined_params(lint.doc)
    for loc, name in _param_refs(lint.doc):
        if name not in defined:
            hint = suggest(name, defined)
            lint.at(loc, f"参数 {name!r} 未在 params 中定义" + (f"（是否应为 {hint}？）" if hint else ""))


def _params(lint: _FileLint, rule: RuleBase | None) -> None:
    _undefined_params(lint)
    defined = _defined_params(lint.doc)
    used = {name for _, name in _param_refs(lint.doc)} | (rule.params_used() if rule else set())
    for name in defined:
        if name not in used:
            lint.at(("params", name), f"参数 {name!r} 已定义但未被使用")


def _dates(lint: _FileLint) -> None:
    """Dated values and versions in strictly increasing order of their ``from`` dates."""
    params = lint.doc.get("params")
    if isinstance(params, dict):
        for name, values in params.items():
            if values in (None, []):
                lint.at(("params", name), f"参数 {name} 没有取值")
            _in_order(lint, ("params", name), values, f"参数 {name} 的生效日期应严格递增")
    _in_order(lint, ("versions",), lint.doc.get("versions"), "versions 的生效日期应严格递增")
    seen: dict[str, int] = {}
    for i, version in _items(lint.doc.get("versions")):
        label = _get(version, "version")
        if label is not None and str(label) in seen:
            lint.at(("versions", i, "version"), f"版本 {label} 重复（另见第 {seen[str(label)] + 1} 个版本）")
        elif label is not None:
            seen[str(label)] = i


def _in_order(lint: _FileLint, loc: Loc, values: Any, message: str) -> None:
    previous: dt.date | None = None
    for i, value in _items(values):
        day = _day(_get(value, "from"))
        if day is None:
            continue
        if previous is not None and day < previous:
            lint.at((*loc, i, "from"), f"{message}：{day.isoformat()} 早于前一项的 {previous.isoformat()}")
        elif previous is not None and day == previous:
            lint.at((*loc, i, "from"), f"{message}：与前一项同为 {day.isoformat()}，两项重叠")
        previous = day if previous is None or day > previous else previous


def _examples(lint: _FileLint, selectors: dict[str, str]) -> None:
    examples = lint.doc.get("examples")
    if not isinstance(examples, list) or not examples:
        if examples is None or examples == []:
            lint.at(("examples",), "没有案例：至少需要一个符合（met）和一个不符合（gap）的案例")
        return
    statuses = {str(s) for _, ex in _items(examples) if isinstance(_get(ex, "expect"), dict) for s in ex["expect"].values()}
    if "met" not in statuses:
        lint.at(("examples",), "没有符合要求的案例：至少一个案例应期望 met")
    if "gap" not in statuses:
        lint.at(("examples",), "没有不符合要求的案例：至少一个案例应期望 gap")
    # A ledger the read ones refer to (a payment's penalty decision) belongs in a realistic example.
    read = sorted(set(selectors.values()) | {t for r in selectors.values() for t in references(RECORD_TYPES[r]).values() if t in RECORD_TYPES})
    for i, example in _items(examples):
        records = _get(example, "records")
        if isinstance(records, dict):
            for rtype, items in records.items():
                _example_records(lint, ("examples", i, "records", rtype), str(rtype), items, read, len(selectors) == _declared(lint.doc))
        for j, person in _items(_get(example, "staff")):
            _validate(lint, ("examples", i, "staff", j), person, StaffMember)


def _declared(doc: Located) -> int:
    return sum(1 for key in SELECTOR_KEYS if isinstance(_get(doc, key, "record"), str))


def _example_records(lint: _FileLint, loc: Loc, rtype: str, items: Any, read: list[str], all_known: bool) -> None:
    model = RECORD_TYPES.get(rtype)
    if model is None:
        hint = suggest(rtype, RECORD_TYPES)
        lint.at(loc, f"未知的台账类型 {rtype!r}" + (f"（是否应为 {hint}？）" if hint else ""))
        return
    if read and all_known and rtype not in read:
        lint.at(loc, f"本规则不读取台账 {rtype}（只读取 {'、'.join(read)}），这些记录不影响结论")
    for j, item in _items(items):
        _validate(lint, (*loc, j), item, model)


def _validate(lint: _FileLint, loc: Loc, raw: Any, model: type[BaseModel]) -> None:
    if not isinstance(raw, dict):
        lint.at(loc, "每条记录应为映射（字段: 值）")
        return
    try:
        model.model_validate(raw)
    except ValidationError as exc:
        for p in problems_from(exc, lint.name, raw if isinstance(raw, Located) else None, model, None, loc):
            line, column = (p.line, p.column) if p.line is not None else position_of(lint.doc, loc)
            lint.problems.append(Problem(p.file, p.message, line, column, None, p.field))


def reference_problems(name: str, doc: Located) -> list[Problem]:
    """Names a valid rule uses that do not exist: record fields and parameters.

    The models cannot see these (they need the record types and the ``params`` beside them),
    and a rule that names one fails only when evaluated; ``load_rule_file`` refuses it instead.
    """
    lint = _FileLint(name, doc)
    _fields(lint, _selectors(lint))
    _undefined_params(lint)
    return lint.problems


def lint_paths(paths: Sequence[Path]) -> tuple[list[Problem], int]:
    """Every problem of every rule file under ``paths``, and how many files were read."""
    linter = Linter()
    problems: list[Problem] = []
    count = 0
    for root in paths:
        if not root.exists():
            problems.append(Problem(str(root), "路径不存在", 1, 1))
            continue
        for path in rule_files(root):
            count += 1
            problems.extend(linter.lint(path))
    return problems, count
