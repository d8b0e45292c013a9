"""The law's text as data (issue 10): cited articles stored verbatim, per version, with in-force dates.

Each file under ``rules/laws/`` is one law (or one line of successive documents, such as
《信访条例》 and 《信访工作条例》). A version covers ``in_force`` to ``until`` inclusive; the
last version has no ``until``. Only the articles the rulebook cites are stored, each with
its paragraphs (款) on separate lines, as the mirror named in ``mirror`` gives them.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import InputError, Problem
from .validation import problems_from
from .yamlsrc import Located, load_yaml

__all__ = [
    "DEFAULT_LAWS",
    "Law",
    "LawVersion",
    "article_refs",
    "article_text",
    "find_law",
    "laws_by_key",
    "load_law_file",
    "load_laws",
    "normalise",
    "quote_in",
]

DEFAULT_LAWS = Path(__file__).resolve().parent.parent / "rules" / "laws"

_ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零]+条(之[一二三四五六七八九十]+)?$")


class LawVersion(BaseModel):
    """One text of a law, in force from ``in_force`` to ``until`` (both inclusive)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(min_length=1)
    title: str | None = None  # the document's own name, where it differs from the law's
    adopted: date | None = None
    in_force: date
    until: date | None = None  # last day in force; absent while still in force
    source: str = Field(min_length=1)  # the official source the mirror names
    source_url: str | None = None
    mirror: list[str] = Field(min_length=1)  # where the text was copied from
    note: str | None = None
    articles: dict[str, str] = Field(min_length=1)

    @field_validator("articles")
    @classmethod
    def _articles_named_and_filled(cls, articles: dict[str, str]) -> dict[str, str]:
        for name, text in articles.items():
            if not _ARTICLE.match(name):
                raise ValueError(f"条号 {name!r} 应写作“第…条”")
            if not text.strip():
                raise ValueError(f"{name} 没有条文")
        return {name: text.strip("\n") for name, text in articles.items()}

    @model_validator(mode="after")
    def _dates_in_order(self) -> LawVersion:
        if self.until is not None and self.until < self.in_force:
            raise ValueError(f"until {self.until} 早于 in_force {self.in_force}")
        if self.adopted is not None and self.adopted > self.in_force:
            raise ValueError(f"adopted {self.adopted} 晚于 in_force {self.in_force}")
        return self

    def in_force_on(self, day: date) -> bool:
        return self.in_force <= day and (self.until is None or day <= self.until)


class Law(BaseModel):
    """A law and its versions, oldest first, none overlapping."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    law: str = Field(min_length=1)
    short: str = Field(min_length=1)
    note: str | None = None
    versions: list[LawVersion] = Field(min_length=1)

    @model_validator(mode="after")
    def _versions_in_order(self) -> Law:
        labels = [v.version for v in self.versions]
        if len(set(labels)) != len(labels):
            raise ValueError(f"版本标签重复：{labels}")
        for earlier, later in zip(self.versions, self.versions[1:]):
            if earlier.until is None:
                raise ValueError(f"版本 {earlier.version} 后还有版本 {later.version}，应写明 until")
            if earlier.until >= later.in_force:
                raise ValueError(
                    f"版本 {earlier.version}（至 {earlier.until}）与版本 {later.version}（{later.in_force} 起）重叠或顺序颠倒"
                )
        return self

    def version_on(self, day: date) -> LawVersion | None:
        """The version in force on ``day``; None before the first or in a gap not stored."""
        return next((v for v in self.versions if v.in_force_on(day)), None)

    def names(self) -> set[str]:
        """Every name this law is cited by: its full name, short name and version titles."""
        out = {self.law, self.short}
        out.update(v.title for v in self.versions if v.title)
        return out


def load_law_file(path: Path) -> Law:
    """One law file, validated; problems carry file, line and field."""
    doc: Any = load_yaml(path)
    name = str(path)
    if not isinstance(doc, Located):
        raise InputError([Problem(name, "法律文本文件应为一个映射（键: 值）", 1, 1)])
    try:
        return Law.model_validate(doc)
    except ValidationError as exc:
        raise InputError(problems_from(exc, name, doc, Law)) from None


def load_laws(folder: Path = DEFAULT_LAWS) -> dict[str, Law]:
    """Every ``*.yaml`` under ``folder``, keyed by the law's full name; all problems reported together."""
    if not folder.is_dir():
        raise InputError([Problem(str(folder), "法律文本目录不存在")])
    problems: list[Problem] = []
    laws: dict[str, Law] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            law = load_law_file(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if law.law in laws:
            problems.append(Problem(str(path), f"法律 {law.law} 已在另一个文件中", field="law"))
            continue
        laws[law.law] = law
    if problems:
        raise InputError(problems)
    return laws


def article_text(law: Law, article: str, day: date) -> str | None:
    """The text of ``article`` in the version of ``law`` in force on ``day``; None if not stored."""
    version = law.version_on(day)
    if version is None:
        return None
    return version.articles.get(article)


_NUMERAL = "[一二三四五六七八九十百千零]+"
_ARTICLE_REF = re.compile(
    rf"^(第{_NUMERAL}条(?:之[一二三四五六七八九十]+)?)(?:第{_NUMERAL}款)?(?:第[（(]{_NUMERAL}[）)]项)?$"
)


def article_refs(article: str) -> list[str] | None:
    """The articles a citation's ``article`` names, without 款 and 项: 第三条第三款 → [第三条];
    第四十四条、第六十二条 → both. None if any part is not an article (第四章 is a chapter)."""
    out: list[str] = []
    for part in re.split(r"[、，,和及]", article.replace(" ", "").replace("\u3000", "")):
        match = _ARTICLE_REF.match(part)
        if match is None:
            return None
        out.append(match.group(1))
    return out


def laws_by_key(folder: Path = DEFAULT_LAWS) -> dict[str, Law]:
    """Every law under ``folder`` keyed by its file name without ``.yaml`` (statistics-law), as a
    citation's ``law:`` names it; all problems reported together, as ``load_laws`` does."""
    by_name = load_laws(folder)
    out: dict[str, Law] = {}
    for path in sorted(folder.glob("*.yaml")):
        law = load_law_file(path)
        out[path.stem] = by_name[law.law]
    return out


_BRACKETS = re.compile(r"[《》〈〉<>]")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")


def find_law(laws: dict[str, Law], cited: str) -> Law | None:
    """The law a rule's ``source`` names, e.g. 《中华人民共和国行政处罚法》（2021年修订） or 统计法."""
    name = _TRAILING_NOTE.sub("", _BRACKETS.sub("", cited.strip())).strip()
    for law in laws.values():
        if name in law.names():
            return law
    return None


_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"…+|\.{3,}")


def normalise(text: str) -> str:
    """Text with all whitespace removed (款 breaks and full-width indents included)."""
    return _SPACE.sub("", text).replace("\u3000", "")


def quote_in(quote: str, text: str) -> bool:
    """Whether ``quote`` is verbatim in ``text``, whitespace-insensitive.

    An ellipsis (……) in the quote stands for omitted text: the parts on either side must
    appear in order. A full stop ending the quote may stand where the article goes on.
    """
    body = normalise(text)
    parts = [normalise(p) for p in _ELLIPSIS.split(quote)]
    if parts and parts[-1].endswith("。"):
        parts[-1] = parts[-1][:-1]
    at = 0
    for part in parts:
        if not part:
            continue
        found = body.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True
