"""``compliance rules …``: what the legal adviser uses to write, check and publish rules."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from tabulate import tabulate

from ..authoring.catalog import catalog_html, catalog_markdown, outline_key, rule_summary
from ..authoring.explain import explain
from ..authoring.schema import schema_text
from ..authoring.skeleton import skeleton
from ..errors import LEVEL_ZH, InputError, Problem
from ..examples import ExampleOutcome, run_example
from ..files import write_atomic
from ..kinds import KINDS
from ..rulebook import DEFAULT_RULES, check_rule_paths, load_rulebook
from ..rules import SEVERITY_ZH, RuleBase
from ..text import printable
from ._common import EXIT_BAD_INPUT, EXIT_GAPS, EXIT_OK, day_arg

EXIT_EXAMPLES_FAILED = EXIT_GAPS


def register(commands: Any) -> None:
    rules = commands.add_parser("rules", help="编写和检查规则：schema、lint、test、show、new、catalog、list")
    sub = rules.add_subparsers(dest="rules_command", required=True)

    p = sub.add_parser("schema", help="输出规则文件的 JSON Schema（供编辑器自动补全和提示）")
    p.add_argument("--output", type=Path, default=None, help="写入文件（默认输出到屏幕）")
    p.set_defaults(handler=run_schema)

    p = sub.add_parser("lint", help="检查规则文件，列出全部问题（文件:行:列: 级别 代码: 说明）；有错误时退出状态 2")
    _paths(p)
    p.add_argument("--strict", action="store_true", help="有警告也以退出状态 2 结束")
    p.set_defaults(handler=run_lint)

    p = sub.add_parser("test", help="运行每条规则的案例")
    _paths(p)
    p.set_defaults(handler=run_test)

    p = sub.add_parser("show", help="用中文说明一条规则")
    p.add_argument("id", help="规则编号，如 enforcement.two-officers")
    p.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="规则目录（默认随附规则库）")
    p.add_argument("--as-of", type=day_arg, default=None, help="按哪一天说明现行参数（默认今天）")
    p.set_defaults(handler=run_show)

    p = sub.add_parser("new", help="生成一条规则的带注释骨架")
    p.add_argument("--kind", required=True, choices=list(KINDS), help="规则类型")
    p.add_argument("id", help="新规则的编号，如 enforcement.new-obligation")
    p.add_argument("--output", type=Path, default=None, help="写入文件（默认输出到屏幕）")
    p.add_argument("--force", action="store_true", help="覆盖已有的文件")
    p.set_defaults(handler=run_new)

    p = sub.add_parser("catalog", help="按报告提纲列出全部规则（Markdown 或 HTML）")
    p.add_argument("--format", choices=["markdown", "html"], default="markdown")
    p.add_argument("--output", type=Path, default=None, help="写入文件（默认输出到屏幕）")
    p.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="规则目录（默认随附规则库）")
    p.add_argument("--as-of", type=day_arg, default=None, help="按哪一天列出现行参数（默认今天）")
    p.set_defaults(handler=run_catalog)

    p = sub.add_parser("list", help="列出全部规则：编号、类型、出处、名称、严重程度、责任科室、依据")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="规则目录（默认随附规则库）")
    p.set_defaults(handler=run_list)


def _paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", type=Path, nargs="*", help="规则文件或目录（默认随附规则库）")
    p.add_argument("--rules", type=Path, action="append", default=None, help="规则目录（同 paths，可重复；与其他命令一致）")


def _chosen(args: argparse.Namespace) -> list[Path]:
    return [*args.paths, *(args.rules or [])] or [DEFAULT_RULES]


def format_problem(problem: Problem) -> str:
    """``file:line:column: 级别 代码: field: message``, the form editors and CI logs understand."""
    where = f"{problem.file}:{problem.line or 1}:{problem.column or 1}"
    head = f"{where}: {LEVEL_ZH[problem.level]} {problem.code or 'invalid'}"
    # The message may quote the file (a record id, a file name): shown, never obeyed by the terminal.
    return printable(f"{head}: {problem.field}: {problem.text}" if problem.field else f"{head}: {problem.text}")


def _write(text: str, output: Path | None) -> None:
    if output is None:
        print(text, end="" if text.endswith("\n") else "\n")
        return
    # The one guarded writer: whole or not at all, never through a symlink or over a device.
    write_atomic(output, text.encode("utf-8"))
    print(f"已写入 {output}")


def run_schema(args: argparse.Namespace) -> int:
    _write(schema_text(), args.output)
    return EXIT_OK


def run_lint(args: argparse.Namespace) -> int:
    checked, rulebook_wide = check_rule_paths(_chosen(args))
    problems = sorted([*(p for f in checked for p in f.problems), *rulebook_wide], key=lambda p: (p.file, p.line or 0, p.column or 0))
    for problem in problems:
        print(format_problem(problem))
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    if not problems:
        print(f"共检查 {len(checked)} 个规则文件，未发现问题")
        return EXIT_OK
    print(f"共检查 {len(checked)} 个规则文件，发现错误 {errors} 个、警告 {warnings} 个")
    return EXIT_BAD_INPUT if errors or (warnings and args.strict) else EXIT_OK


def run_test(args: argparse.Namespace) -> int:
    rulebook = load_rulebook(*_chosen(args))
    failures: list[ExampleOutcome] = []
    problems: list[Problem] = []
    count = broken = 0
    for rule in rulebook.rules:
        source = str(rulebook.paths.get(rule.id, rule.id))
        for example in rule.examples:
            count += 1
            try:
                outcome = run_example(rule, example, source)
            except InputError as exc:
                problems.extend(exc.problems)
                broken += 1
                continue
            if not outcome.passed:
                failures.append(outcome)
                print(f"失败：{rule.id}（{source}）案例「{example.name}」")
                for line in outcome.differences():
                    print(f"    {line}")
    untested = [r.id for r in rulebook.rules if not r.examples]
    for problem in problems:
        print(f"错误：{problem}")
    passed = count - len(failures) - broken
    print(f"共 {len(rulebook.rules)} 条规则、{count} 个案例：通过 {passed} 个，失败 {len(failures)} 个"
          + (f"，无法运行 {broken} 个" if broken else ""))
    if untested:
        print(f"没有案例的规则：{'、'.join(untested)}")
    if problems:
        return EXIT_BAD_INPUT
    return EXIT_EXAMPLES_FAILED if failures else EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    rulebook = load_rulebook(args.rules)
    rule = rulebook.get(args.id)
    print(explain(rule, args.as_of or dt.date.today()))
    return EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    text = skeleton(args.kind, args.id)
    if args.output is not None and args.output.exists() and not args.force:
        raise InputError([Problem(str(args.output), "文件已存在，未覆盖（确需覆盖请加 --force）", code="output-exists")])
    _write(text, args.output)
    return EXIT_OK


def run_catalog(args: argparse.Namespace) -> int:
    rulebook = load_rulebook(args.rules)
    day = args.as_of or dt.date.today()
    text = catalog_html(rulebook, day) if args.format == "html" else catalog_markdown(rulebook, day)
    _write(text, args.output)
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    rulebook = load_rulebook(args.rules)
    rows = [rule_summary(rule) for rule in sorted(rulebook.rules, key=_outline_order)]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    table = [
        [r["id"], r["kind"], r["heading"], r["title"], SEVERITY_ZH.get(r["severity"], r["severity"]), r["owner"],
         "；".join(c["source"] + (f" {c['article']}" if c["article"] else "") for c in r["citations"])]
        for r in rows
    ]
    print(tabulate(table, headers=["编号", "类型", "出处", "名称", "严重程度", "责任科室", "依据"], tablefmt="simple"))
    return EXIT_OK


def _outline_order(rule: RuleBase) -> Any:
    return outline_key(rule.heading), rule.id
