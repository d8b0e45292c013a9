"""Service dates (issue 10, item 4): the fifteen days of 行政处罚法 第六十七条 run from the day the
party receives the decision (送达日期), not from the decision; an unrecorded service date is
judged as the interpretation register says, and the finding says so."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import pytest

from checker.evaluate import evaluate
from checker.examples import bureau_of
from checker.findings import Finding, Status
from checker.interpretations import load_register
from checker.params import ParamValue
from checker.rulebook import DEFAULT_RULES, Rulebook, load_rulebook
from checker.rules import Example, RuleBase

DECIDED = dt.date(2020, 5, 6)  # a Wednesday; no holiday near the days below
SERVED = DECIDED + dt.timedelta(days=6)  # 2020-05-12
AS_OF = dt.date(2020, 12, 31)
MATCHERS = ["engine", "oracle"]


@lru_cache(maxsize=1)
def book() -> Rulebook:
    return load_rulebook(DEFAULT_RULES)


def treasury(unrecorded: str | None = None) -> RuleBase:
    """fines.to-treasury, or a copy whose service-date reading is ``unrecorded``."""
    rule = book().get("fines.to-treasury")
    if unrecorded is None:
        return rule
    values = [ParamValue.model_validate({"from": "1996-10-01", "value": unrecorded, "reading": "service-date-unrecorded"})]
    return rule.model_copy(update={"params": {**rule.params, "service_date_unrecorded": values}})


def judge(rule: RuleBase, records: dict[str, list[dict[str, Any]]], matcher: str, as_of: dt.date = AS_OF) -> dict[str, Finding]:
    example = Example(name="service", as_of=as_of, records=records, expect={})
    return {f.key: f for f in evaluate([rule], bureau_of(example, "test"), as_of, matcher=matcher)}  # type: ignore[arg-type]


def fine(served: dt.date | None = SERVED, amount: int = 20000) -> dict[str, Any]:
    row: dict[str, Any] = {"id": "F-1", "decided_on": DECIDED.isoformat(), "amount": amount}
    if served is not None:
        row["served_on"] = served.isoformat()
    return row


def remitted(day: dt.date, amount: int = 20000, rid: str = "R-1") -> dict[str, Any]:
    return {"id": rid, "fine_id": "F-1", "remitted_on": day.isoformat(), "amount": amount}


@pytest.mark.parametrize("matcher", MATCHERS)
def test_paid_on_day_14_after_service_is_met_though_20_days_after_the_decision(matcher: str) -> None:
    day = SERVED + dt.timedelta(days=14)
    assert (day - DECIDED).days == 20
    found = judge(treasury(), {"fine": [fine()], "remittance": [remitted(day)]}, matcher)["F-1"]
    assert found.status is Status.met
    assert found.due == dt.date(2020, 5, 27)
    assert "期限最后一日 2020-05-27" in found.message and "未记载" not in found.message


@pytest.mark.parametrize("matcher", MATCHERS)
def test_paid_on_day_16_after_service_is_a_gap_naming_the_last_lawful_day(matcher: str) -> None:
    found = judge(treasury(), {"fine": [fine()], "remittance": [remitted(SERVED + dt.timedelta(days=16))]}, matcher)["F-1"]
    assert found.status is Status.gap
    assert "2020-05-27" in found.message and "迟延 1 天" in found.message


@pytest.mark.parametrize("matcher", MATCHERS)
def test_paid_on_day_15_is_the_last_lawful_day(matcher: str) -> None:
    found = judge(treasury(), {"fine": [fine()], "remittance": [remitted(SERVED + dt.timedelta(days=15))]}, matcher)["F-1"]
    assert found.status is Status.met


@pytest.mark.parametrize("matcher", MATCHERS)
def test_instalments_are_summed_from_the_service_date(matcher: str) -> None:
    records = {"fine": [fine()], "remittance": [remitted(SERVED + dt.timedelta(days=3), 15000, "R-1"),
                                                remitted(SERVED + dt.timedelta(days=15), 5000, "R-2")]}
    assert judge(treasury(), records, matcher)["F-1"].status is Status.met
    records["remittance"][1]["amount"] = 4000
    short = judge(treasury(), records, matcher)["F-1"]
    assert short.status is Status.gap and "短缺 1000" in short.message


@pytest.mark.parametrize("matcher", MATCHERS)
def test_no_service_date_is_judged_from_the_decision_and_marked_as_assumed(matcher: str) -> None:
    late = judge(treasury(), {"fine": [fine(served=None)], "remittance": [remitted(SERVED + dt.timedelta(days=14))]}, matcher)["F-1"]
    assert late.status is Status.gap
    assert "未记载送达日期，按决定日期起算" in late.message and "2020-05-21" in late.message
    assert late.details["assumed_start"] == "decided_on" and late.details["unrecorded"] == "served_on"
    early = judge(treasury(), {"fine": [fine(served=None)], "remittance": [remitted(DECIDED + dt.timedelta(days=9))]}, matcher)["F-1"]
    assert early.status is Status.met and "未记载送达日期，按决定日期起算" in early.message


@pytest.mark.parametrize("matcher", MATCHERS)
def test_no_service_date_under_the_other_reading_is_unknown_when_late_from_the_decision(matcher: str) -> None:
    rule = treasury("unknown")
    late = judge(rule, {"fine": [fine(served=None)], "remittance": [remitted(SERVED + dt.timedelta(days=14))]}, matcher)["F-1"]
    assert late.status is Status.unknown and "未记载送达日期" in late.message
    # In time counted from the decision is in time from any later service: met, and it says how it was counted.
    early = judge(rule, {"fine": [fine(served=None)], "remittance": [remitted(DECIDED + dt.timedelta(days=9))]}, matcher)["F-1"]
    assert early.status is Status.met and "未记载送达日期，按决定日期起算" in early.message


@pytest.mark.parametrize("matcher", MATCHERS)
def test_not_yet_served_nor_paid_is_not_yet_due(matcher: str) -> None:
    found = judge(treasury(), {"fine": [fine(served=None)]}, matcher, as_of=DECIDED + dt.timedelta(days=5))["F-1"]
    assert found.status is Status.due_soon


def test_the_reading_is_registered_and_named_by_the_parameter() -> None:
    reading = load_register(DEFAULT_RULES / "interpretations.yaml").by_id()["service-date-unrecorded"]
    assert "fines.to-treasury" in reading.rules and reading.alternatives
    (value,) = treasury().params["service_date_unrecorded"]
    assert value.value == "assume" and value.reading == "service-date-unrecorded"


def test_a_bad_reading_value_is_refused_at_load(tmp_path: Any) -> None:
    from checker.errors import InputError

    source = next(DEFAULT_RULES.rglob("fines.to-treasury.yaml")).read_text(encoding="utf-8")
    (tmp_path / "fines.to-treasury.yaml").write_text(source.replace("value: assume", "value: guess"), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_rulebook(tmp_path)
    assert "service_date_unrecorded" in str(exc.value) and "guess" in str(exc.value)


def test_the_service_date_reads_from_a_clerks_header(tmp_path: Any) -> None:
    from checker.records.loading import read_ledger

    path = tmp_path / "fine.csv"
    path.write_text("编号,处罚决定日期,决定书送达日期,罚款金额\nF-1,2020-05-06,2020年5月12日,20000\nF-2,2020-05-06,,100\n",
                    encoding="utf-8")
    first, second = read_ledger(path, "fine").records
    assert first.served_on == SERVED and second.served_on is None  # type: ignore[attr-defined]


# --- the party's payment (fine_payment) judges the fifteen days; the treasury entry its amount ---------------


def paid(day: dt.date, amount: int = 20000, pid: str = "JK-1", channel: str = "指定银行") -> dict[str, Any]:
    on = day.isoformat()
    return {"id": pid, "decision_id": "PD-1", "fine_id": "F-1", "amount": amount, "channel": channel, "paid_on": on,
            "handed_in_on": on, "banked_on": on}


def with_payments(payments: list[dict[str, Any]], remittances: list[dict[str, Any]], served: dt.date | None = SERVED) -> dict[str, Any]:
    return {"penalty_decision": [{"id": "PD-1", "decided_on": DECIDED.isoformat(), "party": "企业甲"}], "fine": [fine(served)],
            "fine_payment": payments, "remittance": remittances}


@pytest.mark.parametrize("matcher", MATCHERS)
def test_paid_at_the_bank_on_day_14_and_entered_on_day_16_is_met(matcher: str) -> None:
    records = with_payments([paid(SERVED + dt.timedelta(days=14))], [remitted(SERVED + dt.timedelta(days=16))])
    found = judge(treasury(), records, matcher)["F-1"]
    assert found.status is Status.met, found.message
    assert "当事人缴款已按期落实" in found.message and "期限最后一日 2020-05-27" in found.message
    assert found.evidence == ["JK-1", "R-1"]


@pytest.mark.parametrize("matcher", MATCHERS)
def test_paid_on_day_16_is_a_gap_even_when_entered_the_same_day(matcher: str) -> None:
    records = with_payments([paid(SERVED + dt.timedelta(days=16))], [remitted(SERVED + dt.timedelta(days=16))])
    found = judge(treasury(), records, matcher)["F-1"]
    assert found.status is Status.gap
    assert "当事人缴款应于 2020-05-27 前落实，实际 2020-05-28，迟延 1 天" in found.message and found.details["days_late"] == 1


@pytest.mark.parametrize("matcher", MATCHERS)
def test_payments_in_instalments_are_summed(matcher: str) -> None:
    payments = [paid(SERVED + dt.timedelta(days=2), 12000, "JK-1"), paid(SERVED + dt.timedelta(days=15), 8000, "JK-2")]
    entries = [remitted(SERVED + dt.timedelta(days=20))]
    assert judge(treasury(), with_payments(payments, entries), matcher)["F-1"].status is Status.met
    payments[1]["paid_on"] = payments[1]["handed_in_on"] = payments[1]["banked_on"] = (SERVED + dt.timedelta(days=17)).isoformat()
    short = judge(treasury(), with_payments(payments, entries), matcher)["F-1"]
    assert short.status is Status.gap and "应为 20000" in short.message and "短缺 8000" in short.message


@pytest.mark.parametrize("matcher", MATCHERS)
def test_paid_in_time_but_not_entered_in_full_is_a_gap_of_the_treasury_amount(matcher: str) -> None:
    short = judge(treasury(), with_payments([paid(SERVED + dt.timedelta(days=3))], [remitted(SERVED + dt.timedelta(days=5), 15000)]),
                  matcher)["F-1"]
    assert short.status is Status.gap and "已按期落实，但上缴国库" in short.message and "短缺 5000" in short.message
    none = judge(treasury(), with_payments([paid(SERVED + dt.timedelta(days=3))], []), matcher)["F-1"]
    assert none.status is Status.gap and "未见上缴国库记录" in none.message
    # Before the period ends the entry may still come: not yet due.
    early = judge(treasury(), with_payments([paid(SERVED + dt.timedelta(days=3))], []), matcher, as_of=SERVED + dt.timedelta(days=5))
    assert early["F-1"].status is Status.due_soon and "当事人缴款已按期落实，上缴国库尚未足额（未见上缴国库记录）" in early["F-1"].message


@pytest.mark.parametrize("matcher", MATCHERS)
def test_without_a_payment_record_the_entry_date_judges_and_the_gap_says_so(matcher: str) -> None:
    found = judge(treasury(), with_payments([], [remitted(SERVED + dt.timedelta(days=16))]), matcher)["F-1"]
    assert found.status is Status.gap and "未见当事人缴款记录，按入库日期判断" in found.message
    other = dict(paid(SERVED + dt.timedelta(days=3)), fine_id=None)  # a payment of the decision naming no fine does not count
    found = judge(treasury(), with_payments([other], [remitted(SERVED + dt.timedelta(days=16))]), matcher)["F-1"]
    assert found.status is Status.gap


@pytest.mark.parametrize("matcher", MATCHERS)
def test_a_payment_without_a_service_date_is_judged_from_the_decision_and_marked(matcher: str) -> None:
    records = with_payments([paid(DECIDED + dt.timedelta(days=20))], [remitted(DECIDED + dt.timedelta(days=21))], served=None)
    found = judge(treasury(), records, matcher)["F-1"]
    assert found.status is Status.gap and "未记载送达日期，按决定日期起算" in found.message
    assert judge(treasury("unknown"), records, matcher)["F-1"].status is Status.unknown


def test_the_payment_ledger_not_handed_in_leaves_the_fine_unknown() -> None:
    example = Example(name="no payments", as_of=AS_OF, records={"fine": [fine()], "remittance": [remitted(SERVED)]},
                      not_provided=["fine_payment"], expect={})
    (found,) = evaluate([treasury()], bureau_of(example, "test"), AS_OF)
    assert found.status is Status.unknown and "未提供罚款缴纳台账" in found.message


# --- engine and oracle agree on random fines, payments and entries -------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_engine_equals_oracle_on_random_payments_and_entries(seed: int) -> None:
    import random

    rng = random.Random(f"service-{seed}")
    start = dt.date(2020, 1, 1)
    fines, payments, entries = [], [], []
    for i in range(300):
        decided = start + dt.timedelta(days=rng.randrange(700))
        row: dict[str, Any] = {"id": f"F{i}", "decided_on": decided.isoformat(), "amount": rng.choice([100, 500, 1000])}
        served = decided + dt.timedelta(days=rng.randrange(0, 12))
        if rng.random() < 0.7:
            row["served_on"] = served.isoformat()
        fines.append(row)
        for j in range(rng.choice([0, 0, 1, 1, 2])):  # instalments, some late, some naming no fine
            day = (served + dt.timedelta(days=rng.randrange(0, 25))).isoformat()
            payments.append({"id": f"JK{i}-{j}", "decision_id": "PD-1", "fine_id": f"F{i}" if rng.random() < 0.9 else None,
                             "amount": rng.choice([row["amount"], row["amount"] // 2]), "channel": "指定银行",
                             "paid_on": day, "handed_in_on": day, "banked_on": day})
        for j in range(rng.choice([0, 1, 1, 2])):
            day = (served + dt.timedelta(days=rng.randrange(0, 30))).isoformat()
            entries.append({"id": f"R{i}-{j}", "fine_id": f"F{i}", "remitted_on": day,
                            "amount": rng.choice([row["amount"], row["amount"] // 2])})
    records = {"penalty_decision": [{"id": "PD-1", "decided_on": "2019-12-01", "party": "企业"}], "fine": fines,
               "fine_payment": payments, "remittance": entries}
    for unrecorded in ("assume", "unknown"):
        rule = treasury(unrecorded)
        for as_of in (dt.date(2020, 12, 31), dt.date(2021, 12, 31)):
            example = Example(name="random", as_of=as_of, ledgers_from=dt.date(2020, 1, 1), records=records, expect={})
            engine, oracle = ({f.key: f for f in evaluate([rule], bureau_of(example, "test"), as_of, matcher=m)}  # type: ignore[arg-type]
                              for m in MATCHERS)
            assert engine == oracle
            statuses = {f.status for f in engine.values()}
            assert {Status.met, Status.gap} <= statuses


@pytest.mark.parametrize("matcher", MATCHERS)
def test_a_short_payment_gap_names_the_last_lawful_day_too(matcher: str) -> None:
    found = judge(treasury(), {"fine": [fine()], "remittance": [remitted(SERVED + dt.timedelta(days=2), 15000)]}, matcher)["F-1"]
    assert found.status is Status.gap and "短缺 5000" in found.message and "期限最后一日 2020-05-27" in found.message
