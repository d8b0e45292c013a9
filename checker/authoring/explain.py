"""``rules show``: a rule explained in plain Chinese, rendered from its YAML.

The way a legal adviser would explain it to a colleague: what it requires of which records,
by when, the parameter values in force and since when, the versions, where it comes from,
what to do about a gap, and who answers for it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from ..conditions import show_value
from ..errors import InputError
from ..laws import DEFAULT_LAWS, Law, article_refs, article_text, laws_by_key
from ..params import value_in_force
from ..rules import SEVERITY_ZH, Citation, RuleBase

__all__ = ["article_lines", "explain", "requirement"]


def requirement(rule: RuleBase, day: dt.date) -> str:
    """What the rule requires, in one or two sentences, with the parameter values in force on ``day``."""
    return rule.requirement(rule.params_at(day))


@lru_cache(maxsize=1)
def _stored_laws() -> dict[str, Law]:
    try:
        return laws_by_key(DEFAULT_LAWS)
    except InputError:
        return {}


def article_lines(citation: Citation, day: dt.date, indent: str) -> list[str]:
    """The text, in force on ``day``, of the articles a citation linked to a stored law names, one 款 a line.

    A citation of a version not in force on ``day`` says so instead: the same number may then be
    another provision (统计法 第十四条 before and after 2024-09-13).
    """
    if not citation.law or not citation.version or not citation.article:
        return []
    law = _stored_laws().get(citation.law)
    names = article_refs(citation.article)
    version = next((v for v in law.versions if v.version == citation.version), None) if law else None
    if law is None or version is None or not names:
        return []
    if not version.in_force_on(day):
        span = (f"{version.in_force.isoformat()} 至 {version.until.isoformat()} 施行" if version.until
                else f"自 {version.in_force.isoformat()} 起施行")
        current = law.version_on(day)
        now = f"当日施行的是 {current.version} 年版" if current else "当日施行的文本未收录"
        return [f"{indent}（所引 {version.version} 年版{span}，{day.isoformat()} 尚未施行或已失效；{now}）"]
    lines: list[str] = []
    for name in names:
        text = article_text(law, name, day)
        if text is None:
            continue
        lines.append(f"{indent}{name}（{day.isoformat()} 施行的 {version.version} 年版）：")
        lines += [f"{indent}  {paragraph.strip()}" for paragraph in text.splitlines() if paragraph.strip()]
    return lines


def explain(rule: RuleBase, day: dt.date) -> str:
    lines = [
        f"{rule.title}（{rule.id}）",
        f"出处：报告{rule.heading}　类型：{rule.kind_title}（{rule.kind_name}）　严重程度：{SEVERITY_ZH[rule.severity]}　责任科室：{rule.owner}",
        "",
        f"要求：{requirement(rule, day)}",
    ]
    if rule.description:
        lines.append(f"说明：{rule.description}")
    if rule.params:
        lines += ["", f"参数（截至 {day.isoformat()}）："]
        for name, values in rule.params.items():
            current, in_force = value_in_force(values, day)
            since = f"自 {current.from_.isoformat()} 起" if in_force else f"尚未生效，将自 {current.from_.isoformat()} 起"
            text = f"  · {name}：现行取值 {show_value(current.value)}，{since}"
            if current.source:
                text += f"（依据：{current.source}）"
            if current.reading:
                text += f"（所采用的理解：{current.reading}，见 rules/interpretations.yaml）"
            earlier = [v for v in values if v.from_ < current.from_]
            later = [v for v in values if v.from_ > current.from_]
            if earlier:
                text += "；此前" + "，".join(f"自 {v.from_.isoformat()} 起为 {show_value(v.value)}" for v in earlier)
            if later:
                text += "；其后" + "，".join(f"将自 {v.from_.isoformat()} 起改为 {show_value(v.value)}" for v in later)
            lines.append(text + "。")
    if rule.versions:
        current_version = rule.version_at(day)
        lines += ["", "版本（每条结论注明据以判定的版本）："]
        for v in rule.versions:
            mark = "（现行）" if v.version == current_version else ""
            lines.append(f"  · {v.version} 版，自 {v.from_.isoformat()} 起{mark}" + (f"：{v.note}" if v.note else ""))
            for c in v.citations:
                lines.append(f"      依据：{c.text()}")
                lines += article_lines(c, day, "          ")
    lines += ["", "依据："]
    for i, c in enumerate(rule.citations, 1):
        lines.append(f"  {i}. {c.text()}")
        lines += article_lines(c, day, "       ")
    lines += ["", f"整改：{rule.remedy}", f"责任科室：{rule.owner}"]
    statuses = [s.value for ex in rule.examples for s in ex.expect.values()]
    lines.append(f"案例：{len(rule.examples)} 个（期望已落实 {statuses.count('met')} 处，问题 {statuses.count('gap')} 处）")
    return "\n".join(lines)
