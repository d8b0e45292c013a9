"""A rule kind is one module: every part on its class, and a kind missing one is refused at start-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import Field

from checker.kinds import KINDS, IncompleteKind, kind
from checker.kinds.deadline import DeadlineRule
from checker.records.base import StrictModel
from checker.rules import KIND_PARTS, RuleBase, missing_parts

PACKAGE = Path(__file__).resolve().parent.parent / "checker"


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_registered_kind_has_every_part(name: str) -> None:
    cls = KINDS[name]
    assert missing_parts(cls) == []
    assert cls.kind_name == name and cls.__module__ == f"checker.kinds.{name.replace('-', '_')}"


def _without(part: str) -> dict[str, Any]:
    if part in ("plans", "oracle", "judge", "requirement"):
        return {part: getattr(RuleBase, part)}
    if part == "skeleton":
        return {"skeleton": "  "}
    return {}


@pytest.mark.parametrize("part", ["plans", "oracle", "judge", "requirement", "skeleton"])
def test_a_kind_lacking_a_part_is_refused(part: str) -> None:
    cls = type("HalfKind", (DeadlineRule,), {"__module__": __name__, "__annotations__": {"kind": Literal["half"]}, "kind": "half", **_without(part)})
    with pytest.raises(IncompleteKind, match=rf"kind half \(HalfKind\) lacks: {part}"):
        kind("half", "半成品")(cls)
    assert "half" not in KINDS


def test_a_kind_lacking_a_chinese_title_is_refused() -> None:
    cls = type("Untitled", (DeadlineRule,), {"__module__": __name__, "__annotations__": {"kind": Literal["untitled"]}, "kind": "untitled"})
    with pytest.raises(IncompleteKind, match="lacks: kind_title"):
        kind("untitled", "")(cls)


class Undescribed(StrictModel):
    """A part of a rule with no Chinese description for the schema."""

    days: int = 0


def test_a_kind_using_a_model_without_a_chinese_description_is_refused() -> None:
    cls = type("Bare", (DeadlineRule,), {
        "__module__": __name__,
        "__annotations__": {"kind": Literal["bare"], "extra_part": Undescribed},
        "kind": "bare",
        "extra_part": Field(default_factory=Undescribed),
    })
    with pytest.raises(IncompleteKind, match=r"lacks: zh \(Undescribed\)"):
        kind("bare", "无说明")(cls)


def test_kind_parts_are_all_checked() -> None:
    """KIND_PARTS is what the README promises; missing_parts must check each of them."""
    assert set(KIND_PARTS) == {"plans", "oracle", "judge", "requirement", "skeleton", "kind_title", "zh"}


DURABLE_OPERATOR = re.compile(r"""["']\$(and|or|lt|lte|gt|gte|neq|ex|nex|iany|iall|add|sub|mul|div|not|i|l|r|s|m|all|any)["']""")


def test_the_engine_dialect_is_spelled_only_in_the_engine_adapter() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "engine.py":
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(PACKAGE)}: {m.group(0)}" for m in DURABLE_OPERATOR.finditer(text)]
        if re.search(r"^\s*(from|import) durable", text, re.M) or "from durable" in text:
            offenders.append(f"{path.relative_to(PACKAGE)}: imports durable")
    assert offenders == []


def test_the_dialect_check_would_see_an_operator() -> None:
    assert DURABLE_OPERATOR.search('tests.append({"$lte": {d: 1}})')
    assert not DURABLE_OPERATOR.search('{"$ref": "#/$defs/Rule"}')
