"""The one validator of rule files: every problem of a rulebook, each with a code, a level and a place.

``rules lint`` prints what it finds; the loader (``checker.rulebook``) runs the same checks and
refuses a rulebook with any error. It works in two layers that never stop at the first problem:
the models check the shape of a file (unknown keys, wrong types, missing fields), then the
meaning is checked on the raw YAML, part by part, whatever else is wrong: ids, ledgers and
fields named, parameters used, defined and of the right type, citations, headings, examples,
effective dates, placeholders of an unfilled skeleton, keys that were renamed. Where both
layers find the same thing, the located one is kept.

Warnings (a parameter defined but unused, a renamed key, an owner no other rule knows, a rule
without an example that meets it and one that fails it, example records the rule does not read)
are reported but never stop a check; ``rules lint --strict`` fails on them, and the bundled
rulebook is held to none.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from .dates import parse_day
from .errors import InputError, Level, Problem
from .files import MAX_RULE_FILE_BYTES
from .interpretations import INTERPRETATIONS_FILE, Register, load_register
from .kinds import KINDS
from .kinds.aggregate import THRESHOLDS, Measure
from .laws import DEFAULT_LAWS, Law, article_refs, laws_by_key, quote_in
from .outline import is_known_heading
from .params import ParamRef, quantity_of
from .records import LEDGERS, StaffMember
from .records.base import StrictModel, references
from .rules import FieldPath, RuleBase, models_reachable, param_refs
from .text import printable
from .validation import problems_from, suggest
from .yamlsrc import Located, load_yaml, position_of

__all__ = ["PLACEHOLDER", "CheckedFile", "RuleChecker", "record_fields"]

Loc = tuple[Any, ...]

PLACEHOLDER = "（待填写"
"""How ``rules new`` marks what the adviser must replace; a rule still holding one is not finished."""

NOT_LOGIC = ("params", "versions", "examples", "citations")
"""Top-level keys that cannot refer to a parameter."""

_LEGACY_STEPS = {new: old for kind in KINDS.values() for model in [kind, *models_reachable(kind)]
                 if issubclass(model, StrictModel) for old, new in model.renamed.items()}
"""Current name → former name of every renamed key (the models' ``renamed``): field paths walk either."""


def record_fields(ledger: str, counts: bool) -> list[str]:
    """Fields a rule can name on a ledger; conditions also see ``<list>_count`` and never ``id``."""
    model = LEDGERS[ledger]
    names = list(model.model_fields)
    if not counts:
        return names
    lists = [n for n, f in model.model_fields.items() if "list" in str(f.annotation)]
    return [n for n in names if n != "id"] + [f"{n}_count" for n in lists]


@dataclass
class CheckedFile:
    """One rule file after checking: the rule (None when it has errors) and its problems in file order."""

    path: Path
    rule: RuleBase | None
    problems: list[Problem]
    owner: str | None = None
    owner_at: tuple[int | None, int | None] = (None, None)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]


@dataclass
class _Findings:
    """The problems of one file, kept in the order found, without repeats."""

    name: str
    doc: Located
    problems: list[Problem] = field(default_factory=list)
    replaces: set[tuple[Any, ...]] = field(default_factory=set)
    """Places where a problem found here stands instead of whatever the models said there."""

    def at(self, loc: Loc, code: str, message: str, level: Level = "error", suggestion: str | None = None,
           replaces: bool = False) -> None:
        line, column = position_of(self.doc, loc)
        where = ".".join(str(s) for s in loc) or None
        self.problems.append(Problem(self.name, message, line, column, None, where, code, level, suggestion))
        if replaces:
            self.replaces.add((line, column, where))


def _get(node: Any, *steps: Any) -> Any:
    """``node[steps...]`` where every step exists and has the right shape, else None."""
    for step in steps:
        if isinstance(step, int):
            if not isinstance(node, list) or not 0 <= step < len(node):
                return None
        elif not isinstance(node, dict):
            return None
        elif step in node:
            node = node[step]
            continue
        elif _LEGACY_STEPS.get(step) in node:
            node = node[_LEGACY_STEPS[step]]
            continue
        else:
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


class RuleChecker:
    """Checks files one by one, remembering what spans files (ids, owners); ``finish`` adds those problems."""

    def __init__(self, offices: list[str] | None = None) -> None:
        self.ids: dict[str, str] = {}
        self.offices = list(offices or [])
        self.files: list[CheckedFile] = []

    def check(self, path: Path) -> CheckedFile:
        checked = self._check(path)
        self.files.append(checked)
        return checked

    def finish(self) -> list[Problem]:
        """Problems only the whole rulebook shows: an owner that no other rule and no office list knows."""
        owners: dict[str, list[CheckedFile]] = {}
        for f in self.files:
            if f.owner:
                owners.setdefault(f.owner, []).append(f)
        out = []
        for owner, files in owners.items():
            if len(files) > 1 or owner in self.offices or PLACEHOLDER in owner:
                continue
            others = [o for o in owners if o != owner] + self.offices
            line, column = files[0].owner_at
            out.append(Problem(str(files[0].path), f"责任科室 {owner!r} 不见于其他规则，也不在规则库的科室清单（rulebook.yaml 的 offices）中",
                               line, column, None, "owner", "unknown-owner", "warning", suggest(owner, others)))
        return out

    def _check(self, path: Path) -> CheckedFile:
        name = str(path)
        try:
            doc = load_yaml(path, max_bytes=MAX_RULE_FILE_BYTES, what="规则文件")
        except InputError as exc:
            return CheckedFile(path, None, [replace(p, line=p.line or 1, column=p.column or 1, code=p.code or "yaml") for p in exc.problems])
        if not isinstance(doc, Located):
            found = "空文件" if doc is None else "列表" if isinstance(doc, list) else repr(doc)
            return CheckedFile(path, None, [Problem(name, f"规则文件应为一个映射（键: 值），实为{found}", 1, 1, code="not-a-mapping")])
        shape = _Findings(name, doc)
        model = self._kind(shape)
        rule = self._shape(shape, model) if model else None
        meaning = _Findings(name, doc)
        self._id(meaning, path)
        _citations(meaning)
        _law_links(meaning, path)
        _readings(meaning, path)
        _heading(meaning)
        selectors = _selectors(meaning, model)
        _fields(meaning, model, selectors)
        _params(meaning, rule, model, selectors)
        _dates(meaning)
        _examples(meaning, selectors, model)
        _placeholders(meaning, doc, ())
        _control_characters(meaning, doc, ())
        if model is not None:
            _renamed(meaning, doc, model, ())
        problems = _merge(shape.problems, meaning)
        owner = doc.get("owner")
        checked = CheckedFile(path, rule if not any(p.level == "error" for p in problems) else None, problems)
        if isinstance(owner, str):
            checked.owner, checked.owner_at = owner, position_of(doc, ("owner",))
        return checked

    def _kind(self, found: _Findings) -> type[RuleBase] | None:
        kind = found.doc.get("kind")
        if kind is None:
            found.at(("kind",), "missing-kind", f"缺少必填字段：可选 {'、'.join(KINDS)}")
            return None
        if not isinstance(kind, str) or kind not in KINDS:
            hint = suggest(str(kind), KINDS)
            found.at(("kind",), "unknown-kind", f"未知的规则类型 {kind!r}" + ("" if hint else f"；可选 {'、'.join(KINDS)}"), suggestion=hint)
            return None
        return KINDS[kind]

    def _shape(self, found: _Findings, model: type[RuleBase]) -> RuleBase | None:
        try:
            return model.model_validate(found.doc)
        except ValidationError as exc:
            found.problems.extend(problems_from(exc, found.name, found.doc, model))
            return None

    def _id(self, found: _Findings, path: Path) -> None:
        rule_id = found.doc.get("id")
        if not isinstance(rule_id, str):
            return
        if rule_id != path.stem:
            found.at(("id",), "id-mismatch", f"规则编号 {rule_id} 与文件名 {path.stem} 不一致：文件应命名为 {rule_id}.yaml")
        if rule_id in self.ids:
            found.at(("id",), "duplicate-id", f"规则编号 {rule_id} 重复（另见 {self.ids[rule_id]}）")
        else:
            line, column = position_of(found.doc, ("id",))
            self.ids[rule_id] = f"{found.name}:{line}:{column}"


def _merge(shape: list[Problem], meaning: _Findings) -> list[Problem]:
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


def _citations(found: _Findings) -> None:
    citations = found.doc.get("citations")
    if "citations" not in found.doc:
        found.at(("citations",), "no-citation", "缺少依据：至少列出一条法律、法规或文件（本单位政策注明 policy: true）", replaces=True)
    elif citations in (None, []):
        found.at(("citations",), "no-citation", "依据为空：至少列出一条法律、法规或文件（本单位政策注明 policy: true）", replaces=True)


def _laws_folder(path: Path) -> Path:
    """The ``laws/`` of the rulebook a rule file belongs to (the folder holding rulebook.yaml), else the bundled one."""
    for parent in path.resolve().parents:
        if (parent / "rulebook.yaml").is_file():
            folder = parent / "laws"
            return folder if folder.is_dir() else DEFAULT_LAWS
    return DEFAULT_LAWS


def _register_path(path: Path) -> Path:
    """The interpretation register of the rulebook a rule file belongs to, else the bundled one."""
    for parent in path.resolve().parents:
        if (parent / "rulebook.yaml").is_file() and (parent / INTERPRETATIONS_FILE).is_file():
            return parent / INTERPRETATIONS_FILE
    return DEFAULT_LAWS.parent / INTERPRETATIONS_FILE


def register_problems(paths: list[Path] | tuple[Path, ...] | typing.Sequence[Path]) -> list[Problem]:
    """The register of each rulebook folder checked, validated: problems with file, line and field."""
    out: list[Problem] = []
    for root in paths:
        register = root / INTERPRETATIONS_FILE if root.is_dir() else None
        if register is None or not register.is_file():
            continue
        try:
            load_register(register)
        except InputError as exc:
            out += [replace(p, code=p.code or "bad-register") for p in exc.problems]
    return out


def _readings(found: _Findings, path: Path) -> None:
    """Every parameter value's ``reading`` names an entry of the interpretation register."""
    named: list[tuple[Loc, str]] = []
    for name, values in (found.doc.get("params") or {}).items() if isinstance(found.doc.get("params"), dict) else []:
        for i, value in _items(values):
            if isinstance(value, dict) and value.get("reading") is not None:
                named.append((("params", name, i, "reading"), str(value.get("reading"))))
    if not named:
        return
    where = _register_path(path)
    try:
        register: Register | None = load_register(where) if where.is_file() else None
    except InputError:
        register = None
    if register is None:
        found.at(named[0][0], "register-unreadable", f"解释登记簿 {where} 不存在或无法读取，无法核对 reading")
        return
    known = register.by_id()
    for loc, reading in named:
        if reading not in known:
            found.at(loc, "unknown-reading", f"reading {reading!r} 不在解释登记簿 {where.name} 中",
                     suggestion=suggest(reading, list(known)))


_LAWS: dict[Path, dict[str, Law]] = {}


def _laws(folder: Path) -> dict[str, Law]:
    """The stored law texts keyed as ``law:`` names them, read once per folder."""
    if folder not in _LAWS:
        _LAWS[folder] = laws_by_key(folder)
    return _LAWS[folder]


def _citation_places(doc: Located) -> Iterator[tuple[Loc, Any]]:
    """Every citation of the rule and of its versions, with its location."""
    for i, citation in _items(doc.get("citations")):
        yield ("citations", i), citation
    for j, version in _items(doc.get("versions")):
        for i, citation in _items(_get(version, "citations")):
            yield ("versions", j, "citations", i), citation


def _law_links(found: _Findings, path: Path) -> None:
    """Citations linked to a stored law (``law:``, ``version:``): the law, version and article exist,
    and a quote not marked ``paraphrase`` is verbatim in that version's article (whitespace aside)."""
    linked: list[tuple[Loc, dict[str, Any]]] = []
    for loc, citation in _citation_places(found.doc):
        if not isinstance(citation, dict):
            continue
        if citation.get("law") is not None:
            linked.append((loc, citation))
        elif citation.get("version") is not None:
            found.at((*loc, "version"), "version-without-law",
                     "填写了 version 却没有 law：version 是所引法律文本的版本，须与 law（rules/laws/ 中的文件名）同用")
    if not linked:
        return
    folder = _laws_folder(path)
    try:
        laws = _laws(folder)
    except InputError as exc:
        first = exc.problems[0]
        found.at((*linked[0][0], "law"), "laws-unreadable",
                 f"法律文本目录 {folder} 无法读取（{first.file}：{first.message}），无法核对引文")
        return
    for loc, citation in linked:
        _law_link(found, loc, citation, laws)


def _law_link(found: _Findings, loc: Loc, citation: dict[str, Any], laws: dict[str, Law]) -> None:
    key = citation.get("law")
    if not isinstance(key, str):
        return  # the model reports the type
    law = laws.get(key)
    if law is None:
        hint = suggest(key, laws)
        found.at((*loc, "law"), "unknown-law",
                 f"未知的法律文本 {key!r}：rules/laws/ 中没有 {key}.yaml" + ("" if hint else f"；可选 {'、'.join(sorted(laws))}"),
                 suggestion=hint)
        return
    labels = [v.version for v in law.versions]
    label = citation.get("version")
    if label is None:
        found.at((*loc, "law"), "unknown-law-version",
                 f"链接了《{law.law}》却没有写 version：可选 {'、'.join(labels)}", suggestion=labels[-1])
        return
    version = next((v for v in law.versions if v.version == str(label)), None)
    if version is None:
        hint = suggest(str(label), labels)
        found.at((*loc, "version"), "unknown-law-version",
                 f"《{law.law}》没有版本 {str(label)!r}：rules/laws/{key}.yaml 中存有 {'、'.join(labels)}", suggestion=hint)
        return
    article = citation.get("article")
    if not isinstance(article, str):
        found.at((*loc, "law"), "article-not-article", "链接法律文本时须写明条号（article: 第…条，可带款、项）")
        return
    names = article_refs(article)
    if names is None:
        found.at((*loc, "article"), "article-not-article",
                 f"{article!r} 不是条（“第…章”“第…节”是章节）：链接法律文本时 article 应写作“第…条”，可带款、项，多条用“、”分隔")
        return
    missing = [n for n in names if n not in version.articles]
    if missing:
        elsewhere = [v.version for v in law.versions if v is not version and missing[0] in v.articles]
        note = f"；该条存于 {'、'.join(elsewhere)} 年版" if elsewhere else ""
        found.at((*loc, "article"), "unknown-article",
                 f"《{law.law}》{version.version} 年版未存{'、'.join(missing)}（已存：{'、'.join(version.articles)}）{note}",
                 suggestion=suggest(missing[0], version.articles))
        return
    quote = citation.get("quote")
    checked = isinstance(quote, str) and citation.get("paraphrase") is not True
    if checked and not any(quote_in(str(quote), version.articles[n]) for n in names):
        found.at((*loc, "quote"), "quote-not-verbatim",
                 f"摘录与《{law.law}》{version.version} 年版{article}的存档条文（rules/laws/{key}.yaml）不一致"
                 "（不计空白，“……”表示省略）：请照存档条文逐字改正；确为概括大意的，注明 paraphrase: true")


def _heading(found: _Findings) -> None:
    key = "heading" if "heading" in found.doc else "where"
    heading = found.doc.get(key)
    if isinstance(heading, str) and PLACEHOLDER not in heading and not is_known_heading(heading):
        found.at((key,), "unknown-heading", f"出处 {heading!r} 不在年度报告提纲中（应如 一(四)2、一(七)、二（不足一））")


def _selectors(found: _Findings, model: type[RuleBase] | None) -> dict[str, str]:
    """Each selector key of the rule and the ledger it names, when that ledger exists."""
    out: dict[str, str] = {}
    for key in (model.selector_keys() if model else {}):
        ledger = _get(found.doc, key, "ledger")
        if not isinstance(ledger, str):
            continue
        if ledger in LEDGERS:
            out[key] = ledger
        else:
            step = "ledger" if "ledger" in (_get(found.doc, key) or {}) else "record"
            found.at((key, step), "unknown-ledger", f"未知的台账类型 {ledger!r}", suggestion=suggest(ledger, LEDGERS))
    return out


def _walk(doc: Any, steps: tuple[str, ...], loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """The nodes a field path leads to, with their locations (keys and values of mappings included)."""
    if not steps:
        yield loc, doc
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        for i, item in _items(doc):
            yield from _walk(item, rest, (*loc, i))
    elif step in ("<key>", "<value>"):
        if isinstance(doc, dict):
            for key, value in doc.items():
                yield (*loc, key), key if step == "<key>" else value
    else:
        node = _get(doc, step)
        if node is not None:
            actual = step if isinstance(doc, dict) and step in doc else _LEGACY_STEPS.get(step, step)
            yield from _walk(node, rest, (*loc, actual))


def _field_refs(doc: Located, model: type[RuleBase] | None, selectors: dict[str, str]) -> Iterator[tuple[Loc, str, Any, FieldPath]]:
    """(where, ledger, field name, the path that led there) for every record field the rule names."""
    for path in model.all_field_paths() if model else []:
        ledger = selectors.get(path.ledger_of)
        if ledger is None:
            continue
        for loc, node in _walk(doc, path.path):
            if path.condition:
                for key in ("field", "other"):
                    yield (*loc, key), ledger, _get(node, key), path
            else:
                yield loc, ledger, node, path


def _fields(found: _Findings, model: type[RuleBase] | None, selectors: dict[str, str]) -> None:
    for loc, ledger, name, path in _field_refs(found.doc, model, selectors):
        if not isinstance(name, str) or name in path.not_fields:
            continue
        known = record_fields(ledger, counts=path.condition)
        if path.condition and name == "id":
            found.at(loc, "condition-on-id", "条件不能检验记录编号 id（编号只用于标识记录和关联 link）")
        elif name not in known:
            found.at(loc, "unknown-field", f"台账 {ledger} 没有字段 {name!r}", suggestion=suggest(name, known))


def _raw_param_refs(node: Any, loc: Loc = (), seen: set[int] | None = None) -> Iterator[tuple[Loc, str]]:
    """Every ``param`` (``{param: name}``) or former ``*_param`` key naming a parameter, outside the parts that cannot."""
    seen = set() if seen is None else seen
    if isinstance(node, (dict, list)):
        if id(node) in seen:  # an alias repeats a node: its references were already found
            return
        seen.add(id(node))
    if isinstance(node, dict):
        for key, value in node.items():
            if not loc and key in NOT_LOGIC:
                continue
            if isinstance(key, str) and (key == "param" or key.endswith("_param")) and isinstance(value, str):
                yield (*loc, key), value
            else:
                yield from _raw_param_refs(value, (*loc, key), seen)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _raw_param_refs(item, (*loc, i), seen)


def _defined_params(doc: Located) -> list[str]:
    params = doc.get("params")
    return [str(k) for k in params] if isinstance(params, dict) else []


def _params(found: _Findings, rule: RuleBase | None, model: type[RuleBase] | None, selectors: dict[str, str]) -> None:
    defined = _defined_params(found.doc)
    refs = list(_raw_param_refs(found.doc))
    for loc, name in refs:
        if name not in defined:
            found.at(loc, "param-undefined", f"参数 {name!r} 未在 params 中定义", suggestion=suggest(name, defined))
    used = {name for _, name in refs} | (rule.params_used() if rule else set())
    for name in defined:
        if name not in used:
            found.at(("params", name), "param-unused", f"参数 {name!r} 已定义但未被使用", level="warning")
    if rule is not None:
        _param_types(found, rule, model, selectors)


def _param_types(found: _Findings, rule: RuleBase, model: type[RuleBase] | None, selectors: dict[str, str]) -> None:
    """Every value of a parameter must have the type its uses need (a day count is a whole number of days)."""
    conditions = {loc: ledger for loc, ledger, _, path in _field_refs(found.doc, model, selectors) if path.condition}
    checked: set[tuple[str, int, str]] = set()
    for loc, ref, (owner, field_name) in param_refs(rule):
        expected, meaning = _expected_type(owner, field_name, loc, conditions)
        if expected is None or ref.param not in rule.params:
            continue
        adapter: TypeAdapter[Any] = TypeAdapter(expected)
        for i, value in enumerate(rule.params[ref.param]):
            if (ref.param, i, meaning) in checked:
                continue
            checked.add((ref.param, i, meaning))
            try:
                adapter.validate_python(value.value)
                if _has_bool(value.value):
                    # Lax validation reads true as 1 (a day count of one day): a yes/no is
                    # never a number, so a value holding one must pass strict validation too.
                    adapter.validate_python(value.value, strict=True)
            except ValidationError as exc:
                detail = "；".join(p.message for p in problems_from(exc, found.name))
                found.at(("params", ref.param, i, "value"), "param-type", f"参数 {ref.param} 用作{meaning}，取值不符：{detail}")


def _has_bool(value: Any) -> bool:
    return isinstance(value, bool) or (isinstance(value, list) and any(isinstance(v, bool) for v in value))


def _expected_type(owner: BaseModel, field_name: str, loc: Loc, conditions: dict[Loc, str]) -> tuple[Any, str]:
    """The type a parameter used at ``loc`` must have, and what it is used as, in Chinese."""
    owner_field = type(owner).model_fields[field_name]
    marker = quantity_of(owner_field.annotation, owner_field.metadata)
    if isinstance(owner, Measure) and field_name == "at_least":
        return THRESHOLDS[owner.type]  # narrower than the field's type: by the measure's type
    if marker is not None:
        return marker.type, marker.meaning
    # A condition's value: the type of the field it is compared with.
    ledger = conditions.get((*loc[:-1], "field"))
    cond_field = getattr(owner, "field", None)
    if ledger is None or not isinstance(cond_field, str):
        return None, ""
    info = LEDGERS[ledger].model_fields.get(cond_field)
    if cond_field.endswith("_count") and info is None:
        base: Any = Annotated[int, Field(ge=0)]
    elif info is None:
        return None, ""
    else:
        base = info.annotation
        if typing.get_origin(base) is list:
            base = typing.get_args(base)[0]
        elif info.metadata:
            # The field's own range (a count ge=0): a value outside it makes the comparison hold
            # always or never (count >= -5 is always met), which is never what a rule means.
            base = Annotated[base, *info.metadata]
    op = getattr(owner, "op", "")
    listy = op in ("in", "not_in", "contains_other_than")
    return (list[base] if listy else base), f"{LEDGERS[ledger].model_fields[cond_field].title if info else cond_field}的比较值"


def _dates(found: _Findings) -> None:
    """Dated values and versions in strictly increasing order of their ``from`` dates."""
    params = found.doc.get("params")
    if isinstance(params, dict):
        for name, values in params.items():
            if values in (None, []):
                found.at(("params", name), "param-no-value", f"参数 {name} 没有取值")
            _in_order(found, ("params", name), values, f"参数 {name} 的生效日期应严格递增")
    _in_order(found, ("versions",), found.doc.get("versions"), "versions 的生效日期应严格递增")
    seen: dict[str, int] = {}
    for i, version in _items(found.doc.get("versions")):
        label = _get(version, "version")
        if label is not None and str(label) in seen:
            found.at(("versions", i, "version"), "duplicate-version", f"版本 {label} 重复（另见第 {seen[str(label)] + 1} 个版本）")
        elif label is not None:
            seen[str(label)] = i


def _in_order(found: _Findings, loc: Loc, values: Any, message: str) -> None:
    previous: dt.date | None = None
    for i, value in _items(values):
        day = _day(_get(value, "from"))
        if day is None:
            continue
        if previous is not None and day < previous:
            found.at((*loc, i, "from"), "dates-out-of-order", f"{message}：{day.isoformat()} 早于前一项的 {previous.isoformat()}")
        elif previous is not None and day == previous:
            found.at((*loc, i, "from"), "dates-overlap", f"{message}：与前一项同为 {day.isoformat()}，两项重叠")
        previous = day if previous is None or day > previous else previous


def _examples(found: _Findings, selectors: dict[str, str], model: type[RuleBase] | None) -> None:
    examples = found.doc.get("examples")
    if not isinstance(examples, list) or not examples:
        if examples is None or examples == []:
            found.at(("examples",), "no-examples", "没有案例：至少需要一个符合（met）和一个不符合（gap）的案例", level="warning")
        return
    statuses = {str(s) for _, ex in _items(examples) if isinstance(_get(ex, "expect"), dict) for s in ex["expect"].values()}
    if "met" not in statuses:
        found.at(("examples",), "no-met-example", "没有符合要求的案例：至少一个案例应期望 met", level="warning")
    if "gap" not in statuses:
        found.at(("examples",), "no-gap-example", "没有不符合要求的案例：至少一个案例应期望 gap", level="warning")
    # A ledger the read ones refer to (a payment's penalty decision) belongs in a realistic example.
    read = sorted(set(selectors.values()) | {t for r in selectors.values() for t in references(LEDGERS[r]).values() if t in LEDGERS})
    all_known = model is not None and len(selectors) == sum(1 for key in model.selector_keys() if isinstance(_get(found.doc, key, "ledger"), str))
    for i, example in _items(examples):
        records = _get(example, "records")
        if isinstance(records, dict):
            for ledger, items in records.items():
                _example_records(found, ("examples", i, "records", ledger), str(ledger), items, read, all_known)
        for j, person in _items(_get(example, "staff")):
            _validate(found, ("examples", i, "staff", j), person, StaffMember)


def _example_records(found: _Findings, loc: Loc, ledger: str, items: Any, read: list[str], all_known: bool) -> None:
    model = LEDGERS.get(ledger)
    if model is None:
        found.at(loc, "unknown-ledger", f"未知的台账类型 {ledger!r}", suggestion=suggest(ledger, LEDGERS))
        return
    if read and all_known and ledger not in read:
        found.at(loc, "example-unread-ledger", f"本规则不读取台账 {ledger}（只读取 {'、'.join(read)}），这些记录不影响结论", level="warning")
    for j, item in _items(items):
        _validate(found, (*loc, j), item, model)


def _validate(found: _Findings, loc: Loc, raw: Any, model: type[BaseModel]) -> None:
    if not isinstance(raw, dict):
        found.at(loc, "not-a-mapping", "每条记录应为映射（字段: 值）")
        return
    try:
        model.model_validate(raw)
    except ValidationError as exc:
        for p in problems_from(exc, found.name, raw if isinstance(raw, Located) else None, model, None, loc):
            line, column = (p.line, p.column) if p.line is not None else position_of(found.doc, loc)
            found.problems.append(replace(p, line=line, column=column, record=None))


def _placeholders(found: _Findings, node: Any, loc: Loc, seen: set[int] | None = None) -> None:
    """A （待填写…） left from ``rules new``: the rule is not finished, and must not run as if it were."""
    seen = set() if seen is None else seen
    if isinstance(node, (dict, list)):
        if id(node) in seen:
            return
        seen.add(id(node))
    if isinstance(node, str) and PLACEHOLDER in node:
        found.at(loc, "unfilled-placeholder", f"尚未填写：{node.strip()}")
    elif isinstance(node, dict):
        for key, value in node.items():
            _placeholders(found, value, (*loc, key), seen)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            _placeholders(found, item, (*loc, i), seen)


def _control_characters(found: _Findings, node: Any, loc: Loc, seen: set[int] | None = None) -> None:
    """Control characters (ESC, CR, bidi overrides…) in a rule's text: nothing in an obligation
    needs them, and its title and remedy reach terminals and reports. Refused where written."""
    seen = set() if seen is None else seen
    if isinstance(node, (dict, list)):
        if id(node) in seen:
            return
        seen.add(id(node))
    if isinstance(node, str):
        shown = printable(node)
        if shown != node:
            bad = next(a for a, b in zip(node, shown, strict=False) if a != b)
            found.at(loc, "control-character", f"文字中含有控制字符 {printable(bad)}（不可见，会扰乱终端和报告的显示），请删除：{shown[:60]!s}")
    elif isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and printable(key) != key:
                found.at((*loc, key), "control-character", f"键中含有控制字符：{printable(key)}")
            _control_characters(found, value, (*loc, key), seen)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            _control_characters(found, item, (*loc, i), seen)


def _renamed(found: _Findings, node: Any, model: type[BaseModel], loc: Loc) -> None:
    """A key written by its former name loads, with a warning saying which name to use now."""
    if not isinstance(node, dict):
        return
    renamed = getattr(model, "renamed", {}) if issubclass(model, StrictModel) else {}
    quantities = getattr(model, "quantity_keys", {}) if issubclass(model, StrictModel) else {}
    for key, value in node.items():
        if key in renamed:
            found.at((*loc, key), "renamed-key", f"{key} 已更名为 {renamed[key]}，请改用 {renamed[key]}", level="warning")
        if key in quantities:
            found.at((*loc, key), "renamed-key", f"{key} 已改写为 {quantities[key]}: {{param: {value}}}", level="warning")
        name = str(renamed.get(key, quantities.get(key, key)))
        info = model.model_fields.get(name) or next((f for f in model.model_fields.values() if f.alias == name), None)
        if info is not None:
            _renamed_in(found, value, info.annotation, (*loc, key))


def _renamed_in(found: _Findings, value: Any, annotation: Any, loc: Loc) -> None:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation is not ParamRef:
        _renamed(found, value, annotation, loc)
    elif origin is list and args:
        for i, item in _items(value):
            _renamed_in(found, item, args[0], (*loc, i))
    elif origin is dict and len(args) == 2 and isinstance(value, dict):
        for key, item in value.items():
            _renamed_in(found, item, args[1], (*loc, key))
    else:
        for arg in args:
            if isinstance(value, dict) and isinstance(arg, type) and issubclass(arg, BaseModel) and arg is not ParamRef:
                _renamed(found, value, arg, loc)
            elif typing.get_origin(arg) in (list, dict, typing.Annotated):
                _renamed_in(found, value, arg, loc)
