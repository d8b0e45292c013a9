"""``compliance history``: the past runs of a bureau and the gap trend; ``compliance diff``: what changed between two runs."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from tabulate import tabulate

from ..errors import InputError, Problem
from ..files import write_atomic
from ..findings import STATUS_ORDER, STATUS_ZH, Finding, Status
from ..history import DB_ENV, History, counting, default_db, trend
from ..report.chart import trend_png
from ..text import json_safe, printable
from ._common import EXIT_OK


def register(commands: Any) -> None:
    history = commands.add_parser("history", help="历次检查记录与问题数量趋势")
    history.add_argument("records", type=Path, nargs="?", default=None, help="单位台账目录（其历史数据库）")
    history.add_argument("--db", type=Path, default=None, help="历史数据库文件（代替台账目录）")
    history.add_argument("--trend", action="store_true", help="按月显示问题数量的趋势（每月以最后一次检查为准）")
    history.add_argument("--format", choices=["table", "json"], default="table")
    history.add_argument("--output", "-o", type=Path, default=None, help="与 --trend 同用：把趋势图写成 PNG 图片")
    history.set_defaults(handler=run_history)

    diff = commands.add_parser("diff", help="比较两次检查：新出现、已不再是问题和其他变化的结论")
    diff.add_argument("run_a", help="较早的一次：检查记录编号，或检查日期 YYYY-MM-DD（该日最后一次）")
    diff.add_argument("run_b", help="较晚的一次：同上")
    diff.add_argument("--records", type=Path, default=None, help="单位台账目录（其历史数据库）")
    diff.add_argument("--db", type=Path, default=None, help="历史数据库文件")
    diff.add_argument("--format", choices=["table", "json"], default="table")
    diff.set_defaults(handler=run_diff)


def _database(records: Path | None, db: Path | None) -> Path:
    if db is not None:
        return db
    if records is not None:
        if not records.is_dir():
            raise InputError([Problem(str(records), "台账目录不存在或不是目录")])
        return default_db(records)
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV])
    raise InputError([Problem("history", "请给出单位台账目录，或用 --db 指明历史数据库")])


def run_history(args: argparse.Namespace) -> int:
    with History.open(_database(args.records, args.db), create=False) as history:
        runs = history.runs()
    counts = {r.id for r in counting(runs)}
    if args.trend:
        points = [(bureau, month, r.summary.get("gap", 0), r) for bureau, month, r in trend(runs)]
        if args.output is not None:
            bureaus = {b for b, *_ in points}
            if len(bureaus) > 1:
                raise InputError([Problem(str(args.output), "数据库中有多个单位，趋势图只能画一个单位（请用该单位的台账目录）")])
            write_atomic(args.output, trend_png([(m, g) for _, m, g, _ in points]))
            print(f"已写入 {args.output}（{len(points)} 个月）", file=sys.stderr)
            return EXIT_OK
        if args.format == "json":
            print(json_safe(json.dumps([{"bureau": b, "month": m, "gaps": g, "run": r.id, "as_of": r.as_of.isoformat()}
                              for b, m, g, r in points], ensure_ascii=False, indent=2)))
            return EXIT_OK
        top = max((g for _, _, g, _ in points), default=0)
        for bureau in sorted({b for b, *_ in points}):
            print(printable(f"{bureau}　各月问题数（每月最后一次检查）"))
            for b, month, gaps, r in points:
                if b == bureau:
                    bar = "█" * (round(gaps * 40 / top) if top else 0)
                    print(f"  {month}  {bar}{' ' if bar else ''}{gaps}（{r.as_of.isoformat()}）")
        return EXIT_OK
    if args.format == "json":
        print(json_safe(json.dumps([r.to_json() | {"counts": r.id in counts} for r in runs], ensure_ascii=False, indent=2)))
        return EXIT_OK
    rows = [
        [r.id, r.bureau, r.as_of.isoformat(), r.ran_at, f"{r.rulebook_version}·{r.rulebook_digest}",
         *(r.summary.get(s.value, 0) for s in STATUS_ORDER), "完整" if r.data_complete else "不全",
         "" if r.id in counts else "已被同日后一次取代"]
        for r in runs
    ]
    print(printable(tabulate(rows, headers=["编号", "单位", "检查日期", "运行时间", "规则库", *(STATUS_ZH[s] for s in STATUS_ORDER), "数据", "备注"],
                   tablefmt="simple")))
    return EXIT_OK


def run_diff(args: argparse.Namespace) -> int:
    with History.open(_database(args.records, args.db), create=False) as history:
        a = history.run(args.run_a)
        b = history.run(args.run_b, a.bureau)
        before, after = history.findings(a.id), history.findings(b.id)
    rows: dict[str, list[list[str]]] = {"appeared": [], "resolved": [], "other": []}
    docs: dict[str, list[dict[str, Any]]] = {k: [] for k in rows}
    for fp in sorted(set(before) | set(after), key=lambda fp: _order(before.get(fp) or after[fp])):
        old, new = before.get(fp), after.get(fp)
        s_old = old["status"] if old else "absent"
        s_new = new["status"] if new else "absent"
        if s_old == s_new:
            continue
        group = "appeared" if s_new == "gap" else "resolved" if s_old == "gap" else "other"
        doc = new or old
        assert doc is not None
        key = Finding.key_of(doc.get("subject"), doc.get("period"))
        rows[group].append([doc["rule_id"], doc.get("title", ""), key, _zh(s_old), _zh(s_new)])
        docs[group].append({"fingerprint": fp, "rule_id": doc["rule_id"], "title": doc.get("title", ""), "key": key,
                            "before": s_old, "after": s_new})
    if args.format == "json":
        print(json_safe(json.dumps({"a": a.to_json(), "b": b.to_json(), **docs}, ensure_ascii=False, indent=2)))
        return EXIT_OK
    print(printable(f"{a.bureau}　第 {a.id} 次（{a.as_of.isoformat()}）→ 第 {b.id} 次（{b.as_of.isoformat()}）"))
    for group, heading in (("appeared", "新出现的问题"), ("resolved", "已不再是问题"), ("other", "其他变化")):
        print(f"\n{heading}（{len(rows[group])} 项）")
        if rows[group]:
            print(printable(tabulate(rows[group], headers=["规则", "义务", "对象", "前", "后"], tablefmt="simple")))
    return EXIT_OK


def _order(doc: dict[str, Any]) -> tuple[str, str]:
    return doc["rule_id"], Finding.key_of(doc.get("subject"), doc.get("period"))


def _zh(status: str) -> str:
    return "无此项" if status == "absent" else STATUS_ZH[Status(status)]
