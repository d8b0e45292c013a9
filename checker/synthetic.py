"""Synthetic ledgers: random but valid records, for the engine-vs-oracle tests and the benchmark.

The draws are deliberately rough (missing optional fields, late and short remittances, lone
officers, overlapping contracts) so that every status and every rule shape is exercised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .files import write_atomic
from .records import LEDGERS, Bureau, Profile, StaffMember

__all__ = ["LAWS", "STAFF", "START", "SYNTH_FORMATS", "SYNTH_MARKER", "bureau", "ledger_csv", "ledger_yaml", "synthetic_bureau", "write_bureau"]

START = dt.date(2020, 1, 1)
STAFF = [f"P{i:02d}" for i in range(1, 13)]
LAWS = ["统计法", "统计法实施条例", "宪法", "民法典", "行政处罚法", "保密法"]


def _day(rng: random.Random, span: int = 730) -> dt.date:
    return START + dt.timedelta(days=rng.randrange(span))


def _certificates(rng: random.Random, holders: list[str]) -> list[dict[str, Any]]:
    """One or two certificates per person, as real officers hold: some expired before or during
    the two years, some renewed late (a gap of days), some open-ended, a few people with none."""
    out: list[dict[str, Any]] = []
    for holder in holders:
        if rng.random() < 0.1:
            continue
        start = START - dt.timedelta(days=rng.randrange(-200, 900))
        for _ in range(rng.choice([1, 1, 2])):
            end = start + dt.timedelta(days=rng.randrange(300, 1500)) if rng.random() < 0.85 else None
            out.append({"id": f"EC{len(out)}", "holder": holder, "valid_from": start, **({"valid_to": end} if end else {})})
            if end is None:
                break
            start = end + dt.timedelta(days=rng.randrange(-30, 60))
    return out


def _payments(rng: random.Random, fines: list[dict[str, Any]], decisions: int, people: list[str]) -> list[dict[str, Any]]:
    """How the parties paid about half the fines: some late, some short, some on the spot and handed in late."""
    out: list[dict[str, Any]] = []
    for f in fines:
        if rng.random() < 0.5 or not decisions:
            continue
        paid = f["decided_on"] + dt.timedelta(days=rng.randrange(-2, 30))
        handed = paid + dt.timedelta(days=rng.randrange(0, 5))
        spot = rng.random() < 0.2
        out.append({
            "id": f"FP{len(out)}", "decision_id": f"D{rng.randrange(decisions)}", "fine_id": f["id"],
            "amount": f["amount"] if rng.random() < 0.85 else f["amount"] // 2, "channel": "当场收缴" if spot else rng.choice(["指定银行", "电子支付"]),
            "paid_on": paid, "handed_in_on": handed if spot else paid, "banked_on": (handed if spot else paid) + dt.timedelta(days=rng.randrange(0, 3)),
            **({"collected_by": [rng.choice(people)]} if spot else {}),
        })
    return out


def bureau(rng: random.Random, n: int, staff_count: int = len(STAFF)) -> Bureau:
    """A random bureau of about n records, spread over the core ledgers.

    ``staff_count`` people (P01, P02, …) share the work; a bigger bureau has more of them, each
    with one or two certificates, which is what makes a join per officer × certificate visible.
    """
    people = STAFF if staff_count == len(STAFF) else [f"P{i:02d}" for i in range(1, staff_count + 1)]
    staff = [
        StaffMember(id=s, name=s, roles=rng.sample(["领导干部", "执法人员", "办公室"], k=rng.randint(1, 2)),
                    joined=_day(rng, 300) if rng.random() < 0.2 else None)
        for s in people
    ]
    raw: dict[str, list[dict[str, Any]]] = {t: [] for t in LEDGERS}
    fines: list[dict[str, Any]] = []
    for i in range(n // 6):
        d = _day(rng)
        fines.append({"id": f"F{i}", "decided_on": d, "amount": rng.choice([100, 500, 1000, 2000])})
    raw["fine"] = fines
    for i in range(n // 6):
        f = rng.choice(fines)
        amount = f["amount"] if rng.random() < 0.8 else f["amount"] // 2
        raw["remittance"].append({"id": f"R{i}", "fine_id": f["id"], "remitted_on": f["decided_on"] + dt.timedelta(days=rng.randrange(-3, 40)), "amount": amount})
    for i in range(n // 6):
        raw["enforcement_action"].append({
            "id": f"A{i}", "date": _day(rng), "action": rng.choice(["检查", "调查取证", "送达", "决定"]),
            "officers": rng.sample(people, k=rng.choice([1, 1, 2, 2, 3])),  # none recorded is an unreadable record, not a fact
            **({"party": "企业"} if rng.random() < 0.5 else {}),
        })
    for i in range(n // 6):
        decided = _day(rng)
        rec: dict[str, Any] = {"id": f"D{i}", "decided_on": decided, "party": "企业", "major": rng.random() < 0.3}
        if rng.random() < 0.8:
            rec["rights_notice_on"] = decided + dt.timedelta(days=rng.randrange(-20, 5))
        if rng.random() < 0.6:
            rec["legal_review_on"] = decided + dt.timedelta(days=rng.randrange(-10, 3))
        if rng.random() < 0.7:
            rec["states_review_rights"] = rng.random() < 0.8
        raw["penalty_decision"].append(rec)
    quarters = [f"{y}Q{q}" for y in (2019, 2020, 2021) for q in range(1, 5)]
    for i in range(n // 12):
        q = rng.choice(quarters)
        raw["interference_report"].append({"id": f"I{i}", "quarter": q, "reported_on": _day(rng), "recorded_count": rng.randrange(3)})
    for i in range(n // 12):
        start = _day(rng)
        end = start + dt.timedelta(days=rng.randrange(30, 400)) if rng.random() < 0.9 else None
        raw["legal_adviser_contract"].append({
            "id": f"C{i}", "firm": "所", "adviser": rng.choice(people), "signed_on": start - dt.timedelta(days=rng.randrange(20)),
            "start": start, **({"end": end} if end else {}),
        })
    for i in range(n // 6):
        raw["study_session"].append({"id": f"S{i}", "date": _day(rng), "topic": "学法", "laws": rng.sample(LAWS, k=rng.randint(1, 3))})
    # Drawn last, so that the draws above (and the tests built on them) stay as they were.
    raw["enforcement_certificate"] = _certificates(rng, [m.id for m in staff])
    raw["fine_payment"] = _payments(rng, fines, len(raw["penalty_decision"]), [m.id for m in staff])
    records = {t: [LEDGERS[t].model_validate(r) for r in items] for t, items in raw.items() if items}
    return Bureau(Profile(name="随机局", ledgers_from=START, staff=staff), records)


# --- synthetic bureaus as folders on disk (``compliance synth``) --------------------------------

SYNTH_FORMATS = ("yaml", "csv", "xlsx")
SYNTH_MARKER = ".synthetic"
"""Written in every bureau folder ``synth`` makes: ``--force`` replaces only folders that carry it."""


def synthetic_bureau(seed: int, index: int, records: int) -> Bureau:
    """Bureau ``index`` of a run with ``seed``: the same every time, whatever the other bureaus are.

    Its staff grows with it (one person per 60 records, at least 12), each with one or two
    certificates, as in the growth benchmark; the name carries the index so a league table tells them apart.
    """
    rng = random.Random(seed * 1_000_003 + index)
    drawn = bureau(rng, records, staff_count=max(len(STAFF), records // 60))
    # Every ledger this generator does not draw is declared as having no records this period, so a
    # synthetic bureau's check is complete: its other obligations are not_applicable, never unknown.
    none = sorted(set(LEDGERS) - set(drawn.records))
    profile = drawn.profile.model_copy(update={"name": f"合成{index + 1:04d}区统计局", "parent": "合成市统计局", "no_records": none})
    return Bureau(profile, drawn.records)


def _yaml_scalar(value: Any) -> str:
    # JSON strings and numbers are valid YAML flow scalars; writing them by hand is ~20x faster than
    # yaml.safe_dump per record, which matters for a 50 MB ledger.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return f"'{value.isoformat()}'"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_scalar(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _plain_rows(items: list[Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.model_dump().items() if v is not None and v != []} for r in items]


def ledger_yaml(items: list[Any]) -> bytes:
    """A YAML ledger, one record per line in flow style, as the fixtures are written."""
    lines = ["- {" + ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in row.items()) + "}\n" for row in _plain_rows(items)]
    return ("".join(lines) or "[]\n").encode("utf-8")


def _csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "、".join(_csv_cell(v) for v in value)
    return str(value)


def ledger_csv(ledger: str, items: list[Any]) -> bytes:
    """A CSV ledger with the field names as its header (UTF-8, commas)."""
    rows = _plain_rows(items)
    fields = [name for name in LEDGERS[ledger].model_fields if any(name in r for r in rows)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    for r in rows:
        writer.writerow(["" if name not in r else _csv_cell(r[name]) for name in fields])
    return buffer.getvalue().encode("utf-8")


def profile_yaml(profile: Profile) -> bytes:
    data = profile.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["ledgers_from"] = profile.ledgers_from.isoformat()  # written even where it equals a default
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def write_bureau(b: Bureau, folder: Path, fmt: str) -> list[Path]:
    """The bureau's profile and ledgers as files in ``folder``, each through the guarded writer
    (atomic: a failed run never leaves a half-written ledger)."""
    if fmt not in SYNTH_FORMATS:
        raise ValueError(fmt)
    written = [folder / "profile.yaml"]
    write_atomic(written[0], profile_yaml(b.profile))
    if fmt == "xlsx":
        from .records.workbooks import export_clerk_style  # noqa: PLC0415 - openpyxl only when workbooks are asked for

        written += export_clerk_style(b, folder)
    else:
        for ledger, items in sorted(b.records.items()):
            path = folder / f"{ledger}.{fmt}"
            write_atomic(path, ledger_yaml(items) if fmt == "yaml" else ledger_csv(ledger, items))
            written.append(path)
    write_atomic(folder / SYNTH_MARKER, b"written by compliance synth\n")
    return written
