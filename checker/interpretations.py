"""The interpretation register (issue 10): each reading the rulebook takes where the law can be read two ways.

``rules/interpretations.yaml`` lists, for each reading, the question, the answer chosen, its
basis, who decided it and when. A parameter value names the reading it rests on
(``reading: <id>``); ``rules lint`` checks that every such name is in the register and that the
register itself is well formed. The legal adviser changes a reading by changing the parameter
and the register entry together.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, model_validator

from .errors import InputError, Problem
from .records.base import StrictModel
from .validation import problems_from
from .yamlsrc import Located, load_yaml

__all__ = ["INTERPRETATIONS_FILE", "Interpretation", "Register", "load_register"]

INTERPRETATIONS_FILE = "interpretations.yaml"


class Interpretation(StrictModel):
    """One reading: the question the law leaves open and the answer the rulebook takes."""

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9.-]*$", description="编号，参数以 reading: 编号 引用")
    question: str = Field(min_length=1, description="法律文本可作两种理解的问题")
    reading: str = Field(min_length=1, description="规则库采用的理解")
    alternatives: list[str] = Field(default_factory=list, description="未采用的其他理解")
    basis: str = Field(min_length=1, description="采用该理解的依据")
    decided_by: str = Field(min_length=1, description="决定人（如 法律顾问、法规科）")
    decided_on: date = Field(description="决定日期")
    rules: list[str] = Field(default_factory=list, description="依赖该理解的规则编号")


class Register(StrictModel):
    readings: list[Interpretation] = Field(min_length=1, description="各项理解")

    @model_validator(mode="after")
    def _ids_unique(self) -> Register:
        ids = [r.id for r in self.readings]
        if len(set(ids)) != len(ids):
            raise ValueError(f"理解编号重复：{sorted({i for i in ids if ids.count(i) > 1})}")
        return self

    def by_id(self) -> dict[str, Interpretation]:
        return {r.id: r for r in self.readings}


def load_register(path: Path) -> Register:
    """The register at ``path``, validated; problems carry file, line and field."""
    doc: Any = load_yaml(path)
    if not isinstance(doc, Located):
        raise InputError([Problem(str(path), "解释登记簿应为一个映射（readings: …）", 1, 1)])
    try:
        return Register.model_validate(doc)
    except ValidationError as exc:
        raise InputError(problems_from(exc, str(path), doc, Register)) from None
