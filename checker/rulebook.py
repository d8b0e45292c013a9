"""Loading the rulebook: every rule file under ``rules/``, validated, located, hashed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Union

from pydantic import Field, TypeAdapter, ValidationError

from .errors import InputError, Problem
from .kinds import KINDS
from .rules import RuleBase
from .validation import problems_from, suggest
from .yamlsrc import Located, load_yaml

__all__ = ["Rule", "RULE_ADAPTER", "Rulebook", "load_rulebook", "load_rule_file", "DEFAULT_RULES"]

Rule = Annotated[Union[tuple(KINDS.values())], Field(discriminator="kind")]  # type: ignore[valid-type]
RULE_ADAPTER: TypeAdapter[Any] = TypeAdapter(Rule)  # type: ignore[arg-type]

DEFAULT_RULES = Path(__file__).resolve().parent.parent / "rules"
RULEBOOK_FILE = "rulebook.yaml"


@dataclass
class Rulebook:
    rules: list[RuleBase]
    version: str = "unversioned"
    digest: str = ""
    paths: dict[str, Path] = field(default_factory=dict)

    def find(self, rule_id: str) -> RuleBase | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def get(self, rule_id: str) -> RuleBase:
        """The rule with this id; an unknown id is bad input, with the nearest id suggested."""
        rule = self.find(rule_id)
        if rule is not None:
            return rule
        hint = suggest(rule_id, [r.id for r in self.rules])
        raise InputError([Problem(rule_id, "没有这条规则" + (f"（是否应为 {hint}？）" if hint else ""))])


def load_rule_file(path: Path) -> RuleBase:
    """One rule file, validated; its id must be its file name (stable ids, one obvious place)."""
    doc = load_yaml(path)
    name = str(path)
    if not isinstance(doc, Located):
        raise InputError([Problem(name, "规则文件应为一个映射（键: 值）", 1, 1)])
    kind = doc.get("kind")
    if kind is not None and (not isinstance(kind, str) or kind not in KINDS):
        hint = suggest(str(kind), KINDS)
        line, col = doc.key_positions.get("kind", (doc.line, doc.column))
        raise InputError([Problem(name, f"未知的规则类型 {kind!r}" + (f"（是否应为 {hint}？）" if hint else f"；可选 {', '.join(KINDS)}"), line, col, field="kind")])
    try:
        rule: RuleBase = RULE_ADAPTER.validate_python(doc)
    except ValidationError as exc:
        model = KINDS.get(str(kind)) if kind else None
        # The discriminated union puts the kind first in every error path: not a field anyone wrote.
        problems = [
            replace(p, field=p.field.removeprefix(f"{kind}.")) if p.field and kind else p
            for p in problems_from(exc, name, doc, model)
        ]
        raise InputError(problems) from None
    if rule.id != path.stem:
        line, col = doc.key_positions.get("id", (1, 1))
        raise InputError([Problem(name, f"规则编号 {rule.id} 与文件名 {path.stem} 不一致：文件应命名为 {rule.id}.yaml", line, col, field="id")])
    from .authoring.lint import reference_problems  # here, not at the top: authoring builds on this module

    problems = reference_problems(name, doc)
    if problems:
        raise InputError(problems)
    return rule


def rule_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*.yaml") if p.name != RULEBOOK_FILE and "laws" not in p.relative_to(root).parts)


def load_rulebook(root: Path = DEFAULT_RULES) -> Rulebook:
    """Every rule under ``root``; all problems of all files are reported together."""
    if not root.exists():
        raise InputError([Problem(str(root), "规则目录不存在")])
    problems: list[Problem] = []
    rules: list[RuleBase] = []
    paths: dict[str, Path] = {}
    digest = hashlib.sha256()
    for path in rule_files(root):
        digest.update(path.relative_to(root if root.is_dir() else root.parent).as_posix().encode() + b"\0" + path.read_bytes())
        try:
            rule = load_rule_file(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if rule.id in paths:
            problems.append(Problem(str(path), f"规则编号 {rule.id} 重复（另见 {paths[rule.id]}）", field="id"))
            continue
        paths[rule.id] = path
        rules.append(rule)
    if problems:
        raise InputError(problems)
    version = "unversioned"
    meta_path = (root if root.is_dir() else root.parent) / RULEBOOK_FILE
    if meta_path.exists():
        meta = load_yaml(meta_path)
        if isinstance(meta, dict) and meta.get("version"):
            version = str(meta["version"])
    return Rulebook(rules, version, digest.hexdigest()[:12], paths)
