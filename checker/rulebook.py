"""Loading the rulebook: every rule file under ``rules/``, checked by the one validator, located, hashed."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Union

from pydantic import Field, TypeAdapter

from .errors import InputError, Problem
from .interpretations import INTERPRETATIONS_FILE
from .kinds import KINDS
from .rulecheck import CheckedFile, RuleChecker, register_problems
from .rules import RuleBase
from .validation import suggest
from .yamlsrc import load_yaml

__all__ = [
    "DEFAULT_RULES", "RULE_ADAPTER", "Rule", "Rulebook", "check_rule_paths", "load_rule_file", "load_rulebook", "rule_files", "shortfall",
]

Rule = Annotated[Union[tuple(KINDS.values())], Field(discriminator="kind")]  # type: ignore[valid-type]  # noqa: UP007 - a union built at run time
RULE_ADAPTER: TypeAdapter[Any] = TypeAdapter(Rule)  # type: ignore[arg-type]
"""Every kind as one discriminated union: for the schema, and for rules built in code (tests)."""

DEFAULT_RULES = Path(__file__).resolve().parent.parent / "rules"
RULEBOOK_FILE = "rulebook.yaml"
RULE_SUFFIXES = (".yaml", ".yml")
NOT_RULES = ("laws",)
"""Folders under ``rules/`` that hold data the rules use, not rules."""


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
        raise InputError([Problem(rule_id, "没有这条规则", code="unknown-rule", suggestion=suggest(rule_id, [r.id for r in self.rules]))])


def rule_files(root: Path) -> list[Path]:
    if not root.is_dir():
        # A file named on purpose, or something that is no folder (a FIFO, a device, a symlink
        # leading nowhere or in a loop): checked as a rule file, so reading it says what it is.
        return [root]
    return sorted(
        p for p in root.rglob("*")
        # Any case, as ledgers: a rule saved as X.YAML or x.Yml is loaded, never silently skipped.
        if p.suffix.lower() in RULE_SUFFIXES and p.name not in (RULEBOOK_FILE, INTERPRETATIONS_FILE) and not set(p.relative_to(root).parts[:-1]) & set(NOT_RULES)
    )


def _meta(folder: Path) -> dict[str, Any]:
    path = folder / RULEBOOK_FILE
    meta = load_yaml(path) if path.exists() else None
    return meta if isinstance(meta, dict) else {}


def check_rule_paths(paths: Sequence[Path]) -> tuple[list[CheckedFile], list[Problem]]:
    """Every rule file under ``paths`` checked, ids unique across them all; with the rulebook-wide problems."""
    # The shipped rulebook's offices are known wherever a rule file is checked (a single draft too).
    folders = [DEFAULT_RULES, *(p if p.is_dir() else p.parent for p in paths if p.exists())]
    offices = [str(o) for f in dict.fromkeys(folders) for o in (_meta(f).get("offices") or []) if isinstance(o, str)]
    checker = RuleChecker(offices)
    # A symlink that leads nowhere (or in a loop) is there but does not exist: it is read, and the
    # reading names what is wrong with it rather than "no such path".
    present = [p for p in paths if os.path.lexists(p)]
    missing = [Problem(str(p), "路径不存在", 1, 1, code="no-such-path") for p in paths if not os.path.lexists(p)]
    found = {root: rule_files(root) for root in present}
    # Checking nothing must never look like compliance (or a clean lint): a folder without rules is an error.
    empty = [
        Problem(str(root), f"规则目录中没有规则文件（*{'、*'.join(RULE_SUFFIXES)}）：不检查任何义务的结果不能当作合规", code="no-rules")
        for root, files in found.items() if not files
    ]
    checked = [checker.check(path) for files in found.values() for path in files]
    return checked, missing + empty + register_problems(paths) + checker.finish()


def load_rule_file(path: Path) -> RuleBase:
    """One rule file, checked as ``rules lint`` checks it; any error refuses it."""
    checked, problems = check_rule_paths([path])
    errors = [p for f in checked for p in f.errors] + [p for p in problems if p.level == "error"]
    if errors:
        raise InputError(errors)
    assert checked[0].rule is not None
    return checked[0].rule


def load_rulebook(root: Path = DEFAULT_RULES, *more: Path) -> Rulebook:
    """Every rule under ``root`` (and ``more``); all errors of all files are reported together."""
    roots = [root, *more]
    checked, problems = check_rule_paths(roots)
    errors = [p for p in problems if p.level == "error"] + [p for f in checked for p in f.errors]
    if errors:
        raise InputError(errors)
    digest = hashlib.sha256()
    paths: dict[str, Path] = {}
    for f in checked:
        base = next(r for r in roots if f.path == r or r in f.path.parents)
        digest.update(f.path.relative_to(base if base.is_dir() else base.parent).as_posix().encode() + b"\0" + f.path.read_bytes())
        assert f.rule is not None
        paths[f.rule.id] = f.path
    first = root if root.is_dir() else root.parent
    version = str(_meta(first).get("version") or "unversioned")
    return Rulebook([f.rule for f in checked if f.rule is not None], version, digest.hexdigest()[:12], paths)


def _manifest_ids(folder: Path) -> list[str] | None:
    """The rule ids the folder's rulebook.yaml lists under ``rules``; None when it lists none."""
    listed = _meta(folder).get("rules")
    if not isinstance(listed, list):
        return None
    return [str(i) for i in listed if isinstance(i, (str, int))]


def shortfall(rulebook: Rulebook, root: Path) -> str | None:
    """A warning when the rulebook loaded from ``root`` holds fewer rules than it should, else None.

    A rule file deleted from the shipped folder, or a partial copy of it, would otherwise give a
    check that simply does not look at some obligations and reports fewer gaps: checking less must
    never look like compliance. What "should" is comes from the manifest (``rules`` in
    rulebook.yaml); the shipped folder without such a list cannot be confirmed whole, and says so.
    A folder of one's own without a manifest list is taken as it is (the user chose it).
    """
    folder = root if root.is_dir() else root.parent
    listed = _manifest_ids(folder)
    shipped = folder.resolve() == DEFAULT_RULES
    if listed is None:
        if shipped:
            return f"警告：随附规则库 {folder} 的 {RULEBOOK_FILE} 缺少规则清单（rules），无法确认规则是否齐全；本次检查了 {len(rulebook.rules)} 条规则"
        return None
    have = {r.id for r in rulebook.rules}
    missing = [i for i in dict.fromkeys(listed) if i not in have]
    if not missing:
        return None
    shown = "、".join(missing[:10]) + (f" 等 {len(missing)} 条" if len(missing) > 10 else "")
    return (f"警告：规则库 {folder} 只有 {len(have & set(listed))}/{len(set(listed))} 条清单所列规则（{RULEBOOK_FILE}），"
            f"缺少 {shown}：这些义务本次未检查，结果不能当作已合规")
