"""The law as in force on each record's own date (issue 10): records on the day before, the day of
and the day after each change are judged by the version then in force, and the finding's version
cites that version's articles."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import pytest

from checker.evaluate import evaluate
from checker.examples import bureau_of
from checker.findings import Finding
from checker.report.model import citations_for
from checker.rulebook import DEFAULT_RULES, Rulebook, load_rulebook
from checker.rules import Example, RuleBase

STATISTICS_2024 = dt.date(2024, 9, 13)
PENALTY_2021 = dt.date(2021, 7, 15)
ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=1)
def book() -> Rulebook:
    return load_rulebook(DEFAULT_RULES)


def around(change: dt.date) -> list[dt.date]:
    return [change - ONE_DAY, change, change + ONE_DAY]


def judge(rule: RuleBase, records: dict[str, list[dict[str, Any]]], as_of: dt.date, ledgers_from: dt.date,
          matcher: str, staff: list[dict[str, Any]] | None = None) -> dict[str, Finding]:
    example = Example(name="dated", as_of=as_of, ledgers_from=ledgers_from, staff=staff or [], records=records, expect={})
    return {f.key: f for f in evaluate([rule], bureau_of(example, "test"), as_of, matcher=matcher)}  # type: ignore[arg-type]


def cited(rule: RuleBase, finding: Finding) -> list[tuple[str | None, str | None, str | None]]:
    """(law, version, article) of each law citation the finding's version names."""
    return [(c.law, c.version, c.article) for c in citations_for(rule, finding.version) if c.law]


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_survey_approval_cites_the_2024_articles_from_13_september_2024(matcher: str) -> None:
    rule = book().get("survey.project-approved")
    days = around(STATISTICS_2024)
    projects = [
        {"id": day.isoformat(), "name": "调查", "organiser": "区商务局", "approved_on": (day - 10 * ONE_DAY).isoformat(),
         "started_on": day.isoformat()}
        for day in days
    ]
    found = judge(rule, {"survey_project": projects}, dt.date(2024, 12, 31), dt.date(2024, 1, 1), matcher)
    before, on, after = (found[d.isoformat()] for d in days)
    assert {before.status.value, on.status.value, after.status.value} == {"met"}
    assert before.version == "2009"
    assert cited(rule, before) == [("statistics-law", "2009", "第十二条"), ("statistics-law", "2009", "第十四条")]
    for finding in (on, after):
        assert finding.version == "2024"
        assert cited(rule, finding) == [("statistics-law", "2024", "第十四条"), ("statistics-law", "2024", "第十六条")]


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_new_unit_notice_cites_article_8_from_13_september_2024(matcher: str) -> None:
    rule = book().get("pufa.new-unit-notice")
    days = around(STATISTICS_2024)
    batches = [{"id": d.isoformat(), "registered_on": d.isoformat(), "units_count": 3} for d in days]
    notices = [{"id": f"N{i}", "batch_id": d.isoformat(), "sent_on": (d + 5 * ONE_DAY).isoformat(), "units_count": 3}
               for i, d in enumerate(days)]
    found = judge(rule, {"new_unit_batch": batches, "business_notice": notices}, dt.date(2024, 12, 31),
                  dt.date(2024, 1, 1), matcher)
    before, on, after = (found[d.isoformat()] for d in days)
    assert before.version == "2009" and cited(rule, before) == [("statistics-law", "2009", "第七条")]
    for finding in (on, after):
        assert finding.version == "2024" and cited(rule, finding) == [("statistics-law", "2024", "第八条")]


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_antifraud_system_is_statutory_article_9_for_periods_ending_from_13_september_2024(matcher: str) -> None:
    rule = book().get("antifraud.responsibility-system")
    assert [rule.version_at(d) for d in around(STATISTICS_2024)] == ["2016", "2024", "2024"]
    regulation = {"id": "IR-1", "title": "责任制实施办法", "category": "防惩统计造假责任制", "issued_on": "2022-01-01",
                  "effective_from": "2022-01-01", "principal_first_responsibility": True}
    found = judge(rule, {"internal_regulation": [regulation]}, dt.date(2024, 12, 31), dt.date(2023, 1, 1), matcher)
    assert found["2023"].version == "2016" and cited(rule, found["2023"]) == []
    assert found["2024"].version == "2024" and cited(rule, found["2024"]) == [("statistics-law", "2024", "第九条")]
    assert all(c.paraphrase for c in citations_for(rule, "2016") if "意见" in c.source)


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
@pytest.mark.parametrize(
    ("change", "versions", "articles"),
    [
        (PENALTY_2021, ["2010", "2021", "2021"],
         [[("administrative-penalty-law", "2017", "第三十七条"), ("statistics-law", "2009", "第三十五条第二款")],
          [("administrative-penalty-law", "2021", "第四十二条"), ("statistics-law", "2009", "第三十五条第二款")]]),
        (STATISTICS_2024, ["2021", "2024", "2024"],
         [[("administrative-penalty-law", "2021", "第四十二条"), ("statistics-law", "2009", "第三十五条第二款")],
          [("administrative-penalty-law", "2021", "第四十二条"), ("statistics-law", "2024", "第三十八条第二款")]]),
    ],
)
def test_two_officers_cites_the_statistics_law_inspection_rule_in_force(
        matcher: str, change: dt.date, versions: list[str], articles: list[list[tuple[str, str, str]]]) -> None:
    rule = book().get("enforcement.two-officers")
    days = around(change)
    actions = [{"id": d.isoformat(), "date": d.isoformat(), "action": "检查", "officers": ["P1"]} for d in days]
    staff = [{"id": "P1", "name": "甲"}]
    found = judge(rule, {"enforcement_action": actions}, dt.date(change.year, 12, 31), dt.date(change.year, 1, 1),
                  matcher, staff)
    assert [found[d.isoformat()].version for d in days] == versions
    assert all(found[d.isoformat()].status.value == "gap" for d in days)
    assert cited(rule, found[days[0].isoformat()]) == articles[0]
    assert cited(rule, found[days[1].isoformat()]) == articles[1] == cited(rule, found[days[2].isoformat()])


# --- distinct persons (issue 10, item 5: 第四十二条 counts persons) ----------------------------


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_an_officer_listed_twice_is_one_person(matcher: str) -> None:
    rule = book().get("enforcement.two-officers")
    actions = [
        {"id": "twice", "date": "2021-03-01", "action": "检查", "officers": ["P04", "P04"]},
        {"id": "two", "date": "2021-03-01", "action": "检查", "officers": ["P04", "P05", "P04"]},
    ]
    staff = [{"id": "P04", "name": "甲"}, {"id": "P05", "name": "乙"}]
    found = judge(rule, {"enforcement_action": actions}, dt.date(2021, 12, 31), dt.date(2021, 1, 1), matcher, staff)
    assert found["twice"].status.value == "gap" and "1" in found["twice"].message
    assert found["two"].status.value == "met"


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_each_officer_is_judged_once_however_often_listed(matcher: str) -> None:
    from checker.rulebook import RULE_ADAPTER

    rule = RULE_ADAPTER.validate_python({
        "id": "t.each", "kind": "per-record", "title": "每名执法人员", "heading": "一(四)2", "owner": "执法监督科",
        "citations": [{"source": "测试"}], "remedy": "无",
        "subject": {"ledger": "enforcement_action", "each": "officers"},
        "require": [{"field": "item", "op": "exists"}],
    })
    actions = [{"id": "A", "date": "2021-03-01", "action": "检查", "officers": ["P04", "P04", "P05"]}]
    staff = [{"id": "P04", "name": "甲"}, {"id": "P05", "name": "乙"}]
    found = judge(rule, {"enforcement_action": actions}, dt.date(2021, 12, 31), dt.date(2021, 1, 1), matcher, staff)
    assert sorted(found) == ["A/P04", "A/P05"]


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_reconsideration_rights_cite_the_2023_reconsideration_law_from_1_january_2024(matcher: str) -> None:
    rule = book().get("reconsideration.rights-in-decision")
    days = around(dt.date(2024, 1, 1))
    decisions = [{"id": d.isoformat(), "decided_on": d.isoformat(), "party": "企业", "states_review_rights": False} for d in days]
    found = judge(rule, {"penalty_decision": decisions}, dt.date(2024, 12, 31), dt.date(2023, 1, 1), matcher)
    before, on, after = (found[d.isoformat()] for d in days)
    assert all(f.status.value == "gap" for f in (before, on, after))
    assert before.version == "2021"
    assert not any(law == "administrative-reconsideration-law" for law, _, _ in cited(rule, before))
    for finding in (on, after):
        assert finding.version == "2024"
        assert cited(rule, finding) == [("administrative-penalty-law", "2021", "第五十九条第一款第（五）项"),
                                        ("administrative-reconsideration-law", "2023", "第二十条"),
                                        ("administrative-reconsideration-law", "2023", "第二十四条第一款第（一）项")]


# --- 行政处罚法: the 2017 amendment (in force 2018-01-01) and the 2021 revision (2021-07-15) -----------------

PENALTY_2017 = dt.date(2018, 1, 1)
RECORDING_2018 = dt.date(2018, 12, 5)  # 国办发〔2018〕118号
LAW = "administrative-penalty-law"


def _years(change: dt.date) -> tuple[dt.date, dt.date]:
    """An as-of date after the three days and a ledgers_from before them."""
    return dt.date(change.year, 12, 31), dt.date(change.year - 1, 1, 1)


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
@pytest.mark.parametrize(
    ("change", "versions", "before", "after"),
    [
        (PENALTY_2017, ["1996", "2017", "2017"],
         [(LAW, "2017", "第四十六条第三款"), (LAW, "2017", "第五十三条第二款")],
         [(LAW, "2017", "第四十六条第三款"), (LAW, "2017", "第五十三条第二款")]),
        (PENALTY_2021, ["2017", "2021", "2021"],
         [(LAW, "2017", "第四十六条第三款"), (LAW, "2017", "第五十三条第二款")],
         [(LAW, "2021", "第六十七条第三款"), (LAW, "2021", "第七十四条第二款")]),
    ],
)
def test_fines_to_treasury_cites_the_penalty_law_in_force_on_the_decision_date(
        matcher: str, change: dt.date, versions: list[str], before: list[Any], after: list[Any]) -> None:
    rule = book().get("fines.to-treasury")
    days = around(change)
    fines = [{"id": d.isoformat(), "decided_on": d.isoformat(), "served_on": (d + 2 * ONE_DAY).isoformat(), "amount": 100}
             for d in days]
    entries = [{"id": f"R{i}", "fine_id": d.isoformat(), "remitted_on": (d + 17 * ONE_DAY).isoformat(), "amount": 100}
               for i, d in enumerate(days)]
    as_of, since = _years(change)
    found = judge(rule, {"fine": fines, "remittance": entries}, as_of, since, matcher)
    # Day 17 after the decision is day 15 after service: in time under every version.
    assert [found[d.isoformat()].status.value for d in days] == ["met"] * 3
    assert [found[d.isoformat()].version for d in days] == versions
    assert cited(rule, found[days[0].isoformat()]) == before
    assert cited(rule, found[days[1].isoformat()]) == after == cited(rule, found[days[2].isoformat()])


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
@pytest.mark.parametrize(
    ("change", "versions", "before", "after"),
    [
        (PENALTY_2017, ["1996", "2017", "2017"], [(LAW, "2017", "第三十七条第一款")], [(LAW, "2017", "第三十七条第一款")]),
        (PENALTY_2021, ["2017", "2021", "2021"], [(LAW, "2017", "第三十七条第一款")],
         [(LAW, "2021", "第四十二条"), (LAW, "2021", "第五十五条")]),
    ],
)
def test_certified_officers_cite_the_penalty_law_in_force_on_the_action_date(
        matcher: str, change: dt.date, versions: list[str], before: list[Any], after: list[Any]) -> None:
    rule = book().get("enforcement.certified-officers")
    days = around(change)
    actions = [{"id": d.isoformat(), "date": d.isoformat(), "action": "检查", "officers": ["P1"]} for d in days]
    certificate = {"id": "Z1", "holder": "P1", "valid_from": (change - 10 * ONE_DAY).isoformat(), "valid_to": change.isoformat()}
    as_of, since = _years(change)
    found = judge(rule, {"enforcement_action": actions, "enforcement_certificate": [certificate]}, as_of, since, matcher,
                  [{"id": "P1", "name": "甲"}])
    keys = [f"{d.isoformat()}/P1" for d in days]
    assert [found[k].status.value for k in keys] == ["met", "met", "gap"]  # the certificate ends on the day of the change
    assert [found[k].version for k in keys] == versions
    assert cited(rule, found[keys[0]]) == before
    assert cited(rule, found[keys[1]]) == after == cited(rule, found[keys[2]])


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
@pytest.mark.parametrize(
    ("change", "versions", "after"),
    [
        (RECORDING_2018, [None, "2018", "2018"], []),
        (PENALTY_2021, ["2018", "2021", "2021"], [(LAW, "2021", "第四十七条")]),
    ],
)
def test_full_recording_is_judged_from_118_and_cites_article_47_from_2021(
        matcher: str, change: dt.date, versions: list[str | None], after: list[Any]) -> None:
    rule = book().get("enforcement.full-recording")
    days = around(change)
    actions = [{"id": d.isoformat(), "date": d.isoformat(), "action": "检查", "officers": ["P1"]} for d in days]
    as_of, since = _years(change)
    found = judge(rule, {"enforcement_action": actions}, as_of, since, matcher, [{"id": "P1", "name": "甲"}])
    for day, version in zip(days, versions, strict=True):
        if version is None:  # before 国办发〔2018〕118号 the rule does not judge the action
            assert day.isoformat() not in found
        else:
            assert found[day.isoformat()].status.value == "gap" and found[day.isoformat()].version == version
    assert cited(rule, found[days[1].isoformat()]) == after == cited(rule, found[days[2].isoformat()])


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
@pytest.mark.parametrize(
    ("change", "versions", "after"),
    [
        (PENALTY_2017, [None, "2017", "2017"], [(LAW, "2017", "第三十八条第三款")]),
        (RECORDING_2018, ["2017", "2018", "2018"], [(LAW, "2017", "第三十八条第三款")]),
        (PENALTY_2021, ["2018", "2021", "2021"], [(LAW, "2021", "第五十八条")]),
    ],
)
def test_major_legal_review_is_statutory_from_2018_and_cites_the_version_in_force(
        matcher: str, change: dt.date, versions: list[str | None], after: list[Any]) -> None:
    rule = book().get("enforcement.major-legal-review")
    days = around(change)
    decisions = [{"id": d.isoformat(), "decided_on": d.isoformat(), "party": "企业", "major": True,
                  "legal_review_on": (d + 2 * ONE_DAY).isoformat(), "legal_review_passed": True} for d in days]  # reviewed late
    as_of, since = _years(change)
    found = judge(rule, {"penalty_decision": decisions}, as_of, since, matcher)
    for day, version in zip(days, versions, strict=True):
        if version is None:  # before the 2017 amendment no review was required by law
            assert day.isoformat() not in found
        else:
            assert found[day.isoformat()].status.value == "gap" and found[day.isoformat()].version == version
    assert cited(rule, found[days[1].isoformat()]) == after == cited(rule, found[days[2].isoformat()])


def _on_the_spot(rid: str, paid: str, handed: str, banked: str | None = None) -> dict[str, Any]:
    return {"id": rid, "decision_id": "PD-1", "amount": 100, "channel": "当场收缴", "collected_by": ["P1", "P2"],
            "paid_on": paid, "handed_in_on": handed, "banked_on": banked or handed}


COLLECTION_STAFF = [{"id": "P1", "name": "甲"}, {"id": "P2", "name": "乙"}]


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_collection_two_days_are_working_days_from_15_july_2021_calendar_days_before(matcher: str) -> None:
    """二日: calendar days (the last day on a rest day runs to the next working day) under the 1996 law,
    working days under the 2021 law's 第八十五条, by the payment's own date. 2021-07-14 is a Wednesday,
    07-15 a Thursday, 07-16 a Friday; 07-09 the Friday a week before."""
    rule = book().get("fines.collection-separated")
    payments = [
        _on_the_spot("wed-0714", "2021-07-14", "2021-07-16"),   # both readings: day 2 is Friday 07-16
        _on_the_spot("wed-0714-late", "2021-07-14", "2021-07-17"),  # Saturday: late by both
        _on_the_spot("thu-0715", "2021-07-15", "2021-07-19"),   # 2021 law: 2nd working day is Monday
        _on_the_spot("fri-0716", "2021-07-16", "2021-07-20"),   # 2021 law over a weekend: Tuesday is the 2nd working day
        _on_the_spot("fri-0716-late", "2021-07-16", "2021-07-21"),
        _on_the_spot("fri-0709-mon", "2021-07-09", "2021-07-12"),  # old law: day 2 is Sunday, runs to Monday
        _on_the_spot("fri-0709-tue", "2021-07-09", "2021-07-13"),  # old law: Tuesday is late (met under the 2021 law)
        _on_the_spot("bank-fri-0709", "2021-07-09", "2021-07-09", "2021-07-13"),  # the bank's two days alike
    ]
    found = judge(rule, {"penalty_decision": [{"id": "PD-1", "decided_on": "2021-07-01", "party": "个体户"}],
                         "fine_payment": payments}, dt.date(2021, 12, 31), dt.date(2021, 1, 1), matcher, COLLECTION_STAFF)
    status = {k: f.status.value for k, f in found.items()}
    assert status == {"wed-0714": "met", "wed-0714-late": "gap", "thu-0715": "met", "fri-0716": "met", "fri-0716-late": "gap",
                      "fri-0709-mon": "met", "fri-0709-tue": "gap", "bank-fri-0709": "gap"}
    assert {found[k].version for k in ("wed-0714", "wed-0714-late", "fri-0709-tue")} == {"1996-民法典"}
    assert {found[k].version for k in ("thu-0715", "fri-0716")} == {"2021"}
    assert ("administrative-penalty-law", "2021", "第八十五条") in cited(rule, found["fri-0716"])
    old = cited(rule, found["fri-0709-tue"])
    assert ("civil-code", "2020", "第二百零三条第一款") in old and not any(a == "第八十五条" for _, _, a in old)
    assert "加 2 日（末日为法定休假日的顺延）" in found["fri-0709-tue"].message


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_collection_before_the_civil_code_cites_the_general_principles(matcher: str) -> None:
    """A 2020 collection: the 1996 law, calendar days, the period counted by 民法通则 第一百五十四条.
    2020-09-30 (Wednesday) + 2 days is 10-02, in the National Day holiday: runs to Friday 10-09."""
    rule = book().get("fines.collection-separated")
    payments = [_on_the_spot("nd-in-time", "2020-09-30", "2020-10-09"), _on_the_spot("nd-late", "2020-09-30", "2020-10-10")]
    found = judge(rule, {"penalty_decision": [{"id": "PD-1", "decided_on": "2020-09-01", "party": "个体户"}],
                         "fine_payment": payments}, dt.date(2020, 12, 31), dt.date(2020, 1, 1), matcher, COLLECTION_STAFF)
    assert found["nd-in-time"].status.value == "met" and found["nd-late"].status.value == "gap"
    assert found["nd-late"].version == "1996"
    sources = [(c.source, c.article) for c in citations_for(rule, found["nd-late"].version)]
    assert ("《中华人民共和国民法通则》", "第一百五十四条") in sources
