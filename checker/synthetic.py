"""Synthetic ledgers: random but valid records, for the engine-vs-oracle tests and the benchmark.

The draws are deliberately rough (missing optional fields, late and short remittances, lone
officers, overlapping contracts) so that every status and every rule shape is exercised.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from .records import LEDGERS, Bureau, Profile, StaffMember

__all__ = ["LAWS", "STAFF", "START", "bureau"]

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
