"""The rule catalogue and listing: every rule under the report outline's headings.

For the Party group and the adviser's own review: grouped as the annual report is
(一、(一)…(八), 二, 三), each rule with its citations and the parameters in force.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from ..conditions import show_value
from ..outline import PARTS, SECTIONS, heading_of, outline_key
from ..params import value_in_force
from ..rulebook import Rulebook
from ..rules import SEVERITY_ZH, RuleBase
from .explain import requirement

__all__ = ["OUTLINE", "catalog_html", "catalog_markdown", "heading_of", "outline_key", "rule_summary"]

OUTLINE: dict[str, str] = {
    **{section: f"{section}、{name}" for section, name in SECTIONS.items() if section == "一"},
    **{part: f"（{part[2:-1]}）{name}" for part, name in PARTS.items()},
    **{section: f"{section}、{name}" for section, name in SECTIONS.items() if section != "一"},
}
"""The seed report's headings as the catalogue prints them (section 一 and its eight parts, 二, 三)."""


def rule_summary(rule: RuleBase) -> dict[str, Any]:
    """What ``rules list`` shows of a rule."""
    return {
        "id": rule.id,
        "kind": rule.kind_name,
        "heading": rule.heading,
        "title": rule.title,
        "severity": rule.severity,
        "owner": rule.owner,
        "citations": [c.model_dump(by_alias=True) for c in rule.citations],
    }


def _grouped(rulebook: Rulebook) -> list[tuple[str, list[tuple[str | None, list[RuleBase]]]]]:
    """Sections in outline order, each with its parts in order, each with its rules."""
    sections: dict[str, dict[str | None, list[RuleBase]]] = {}
    for rule in sorted(rulebook.rules, key=lambda r: (outline_key(r.heading), r.id)):
        section, part = heading_of(rule.heading)
        sections.setdefault(section, {}).setdefault(part, []).append(rule)
    return [(s, list(parts.items())) for s, parts in sections.items()]


def _section_title(section: str) -> str:
    return OUTLINE.get(section, f"{section}、" if section else "（未标明出处）")


def _params_now(rule: RuleBase, day: dt.date) -> list[str]:
    out = []
    for name, values in rule.params.items():
        current, in_force = value_in_force(values, day)
        since = f"自 {current.from_.isoformat()} 起" if in_force else f"将自 {current.from_.isoformat()} 起"
        out.append(f"{name} = {show_value(current.value)}（{since}" + (f"；{current.source}" if current.source else "") + "）")
    return out


def catalog_markdown(rulebook: Rulebook, day: dt.date) -> str:
    lines = [f"# 规则目录（规则库 {rulebook.version} · {rulebook.digest}）", "",
             f"共 {len(rulebook.rules)} 条规则，参数为 {day.isoformat()} 现行取值。", ""]
    for section, parts in _grouped(rulebook):
        lines += [f"## {_section_title(section)}", ""]
        for part, rules in parts:
            if part:
                lines += [f"### {OUTLINE[part]}", ""]
            for rule in rules:
                lines += [
                    f"#### {_md(rule.title)}（`{rule.id}`）", "",
                    f"- 出处：{_md(rule.heading)}；类型：{rule.kind_title}；严重程度：{SEVERITY_ZH[rule.severity]}；责任科室：{_md(rule.owner)}",
                    f"- 要求：{_md(requirement(rule, day))}",
                ]
                lines += [f"- 依据：{_md(c.text())}" for c in rule.citations]
                lines += [f"- 参数：{_md(p)}" for p in _params_now(rule, day)]
                if rule.versions:
                    lines.append("- 版本：" + "；".join(f"{_md(v.version)}（自 {v.from_.isoformat()} 起）" for v in rule.versions))
                lines += [f"- 整改：{_md(rule.remedy)}", ""]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text safe inside a Markdown list item: no stray emphasis, links or HTML.

    Underscores are left alone: inside a word (``min_officers``) they never emphasise.
    """
    return re.sub(r"([\\`*\[\]<>|])", r"\\\1", text)


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.6;color:#222}
h1{font-size:1.5em}h2{border-bottom:2px solid #a33;padding-bottom:.2em;margin-top:2em}h3{color:#a33}
section.rule{border:1px solid #ddd;border-radius:4px;padding:.5em 1em;margin:1em 0}
section.rule h4{margin:.3em 0}code{background:#f4f4f4;padding:0 .3em}
dl{display:grid;grid-template-columns:6em 1fr;gap:.2em 1em;margin:.5em 0}dt{color:#666}dd{margin:0}
.sev-high{color:#a00;font-weight:bold}nav a{margin-right:1em}
"""


def catalog_html(rulebook: Rulebook, day: dt.date) -> str:
    """One self-contained HTML page (no scripts, no external files); every text escaped."""
    e = html.escape
    body: list[str] = []
    toc: list[str] = []
    for n, (section, parts) in enumerate(_grouped(rulebook)):
        toc.append(f'<a href="#s{n}">{e(_section_title(section))}</a>')
        body.append(f'<h2 id="s{n}">{e(_section_title(section))}</h2>')
        for part, rules in parts:
            if part:
                body.append(f"<h3>{e(OUTLINE[part])}</h3>")
            for rule in rules:
                rows = [
                    ("出处", e(rule.heading)),
                    ("类型", e(f"{rule.kind_title}（{rule.kind_name}）")),
                    ("严重程度", f'<span class="sev-{e(rule.severity)}">{e(SEVERITY_ZH[rule.severity])}</span>'),
                    ("责任科室", e(rule.owner)),
                    ("要求", e(requirement(rule, day))),
                    ("依据", "<ol>" + "".join(f"<li>{e(c.text())}</li>" for c in rule.citations) + "</ol>"),
                ]
                params = _params_now(rule, day)
                if params:
                    rows.append(("参数", "<ul>" + "".join(f"<li>{e(p)}</li>" for p in params) + "</ul>"))
                if rule.versions:
                    rows.append(("版本", e("；".join(f"{v.version}（自 {v.from_.isoformat()} 起）" for v in rule.versions))))
                rows.append(("整改", e(rule.remedy)))
                cells = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
                body.append(f'<section class="rule" id="{e(rule.id)}"><h4>{e(rule.title)} <code>{e(rule.id)}</code></h4><dl>{cells}</dl></section>')
    title = f"规则目录（规则库 {rulebook.version} · {rulebook.digest}）"
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
        f"<title>{e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{e(title)}</h1>",
        f"<p>共 {len(rulebook.rules)} 条规则，参数为 {e(day.isoformat())} 现行取值。</p>",
        f"<nav>{''.join(toc)}</nav>", *body, "</body>", "</html>", "",
    ])
