"""The history of monthly runs: what is new and what was resolved since the last check.

Each run is kept as its JSON (``<as-of>.json``) in a history folder; the comparison is with
the latest earlier run. Findings are matched by rule id and key (subject and/or period), the
stable names reports and waivers use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, Problem
from .evaluate import CheckResult
from .files import write_atomic
from .findings import Finding

__all__ = ["Changes", "compare_with_history", "save_run"]


@dataclass
class Changes:
    since: str | None
    new: list[dict[str, Any]] = field(default_factory=list)
    resolved: list[dict[str, Any]] = field(default_factory=list)
    still_open: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"since": self.since, "new": self.new, "resolved": self.resolved, "still_open": self.still_open}


def _key(f: dict[str, Any]) -> tuple[str, str]:
    """A finding read back from a run's JSON, named as ``Finding.key`` names it."""
    return f["rule_id"], Finding.key_of(f.get("subject"), f.get("period"))


def _runs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if len(p.stem) == 10)


def compare_with_history(result: CheckResult, folder: Path) -> Changes:
    earlier = [p for p in _runs(folder) if p.stem < result.as_of.isoformat()] if folder.exists() else []
    if not earlier:
        return Changes(since=None, new=[f.to_json() for f in result.gaps])
    path = earlier[-1]
    try:
        before = json.loads(path.read_text(encoding="utf-8"))
        old_gaps = {_key(f): f for f in before["findings"] if f["status"] == "gap"}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError([Problem(str(path), f"历史记录无法读取：{exc}")]) from None
    now = {_key(f.to_json()): f.to_json() for f in result.findings}
    now_gaps = {k: f for k, f in now.items() if f["status"] == "gap"}
    resolved = []
    for k, f in sorted(old_gaps.items()):
        if k not in now_gaps:
            current = now.get(k)
            resolved.append({**f, "now": current["status"] if current else "absent"})
    return Changes(
        since=path.stem,
        new=[f for k, f in sorted(now_gaps.items()) if k not in old_gaps],
        resolved=resolved,
        still_open=len(set(now_gaps) & set(old_gaps)),
    )


def save_run(result: CheckResult, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{result.as_of.isoformat()}.json"
    write_atomic(path, json.dumps(result.to_json(), ensure_ascii=False, indent=2).encode("utf-8"))
    return path
