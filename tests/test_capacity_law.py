"""Certified capacity counts certified officers in post, by certificate kind (issue 10, item 5):
《行政处罚法》第四十二条 counts persons with 执法资格; a statistics bureau's enforcement needs the
统计执法证, so provincial general 行政执法证 do not count (reading certificate-kinds-counted), and a
certificate whose kind is not recorded is counted as an assumption, marked, or unknown (reading
certificate-kind-unrecorded), never silently."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.cli import main
from checker.evaluate import evaluate
from checker.examples import bureau_of
from checker.findings import Finding
from checker.rulebook import DEFAULT_RULES, RULE_ADAPTER
from checker.rules import Example, RuleBase

RULE_FILE = DEFAULT_RULES / "1.4-enforcement" / "enforcement.certified-capacity.yaml"
STAFF = [{"id": "P1", "name": "甲"}, {"id": "P2", "name": "乙"}, {"id": "P3", "name": "丙"}]


def capacity(**param_values: Any) -> RuleBase:
    """The bundled rule, with the parameters named given a single value (as the legal adviser would change them)."""
    data = yaml.safe_load(RULE_FILE.read_text(encoding="utf-8"))
    for name, value in param_values.items():
        data["params"][name] = [{**data["params"][name][0], "value": value}]
    return RULE_ADAPTER.validate_python(data)  # type: ignore[no-any-return]


def cert(rid: str, holder: str, kind: str | None, start: str = "2018-03-01", end: str = "2023-02-28") -> dict[str, Any]:
    return {"id": rid, "holder": holder, "valid_from": start, "valid_to": end, **({"kind": kind} if kind else {})}


def year_2021(rule: RuleBase, certificates: list[dict[str, Any]], matcher: str,
              staff: list[dict[str, Any]] | None = None) -> Finding:
    example = Example(name="x", as_of=dt.date(2021, 12, 31), ledgers_from=dt.date(2021, 1, 1), staff=staff or STAFF,
                      records={"enforcement_certificate": certificates}, expect={})
    found = {f.key: f for f in evaluate([rule], bureau_of(example, "t"), example.as_of, matcher=matcher)}  # type: ignore[arg-type]
    return found["2021"]


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_one_statistics_certificate_holder_is_a_gap_even_with_provincial_certificates(matcher: str) -> None:
    found = year_2021(capacity(), [cert("ZF-1", "P1", "统计执法证"), cert("XZ-2", "P2", "行政执法证"),
                                   cert("XZ-3", "P3", "行政执法证")], matcher)
    assert found.status.value == "gap"
    assert found.details["uncovered_days"] == 365
    assert "只计统计执法证" in found.message
    assert found.evidence == ["ZF-1"]  # the provincial certificates are not evidence of capacity


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_provincial_certificates_count_under_the_other_reading(matcher: str) -> None:
    rule = capacity(counted_certificate_kinds=["统计执法证", "行政执法证"])
    found = year_2021(rule, [cert("ZF-1", "P1", "统计执法证"), cert("XZ-2", "P2", "行政执法证")], matcher)
    assert found.status.value == "met"


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_a_certificate_of_another_kind_never_counts(matcher: str) -> None:
    found = year_2021(capacity(), [cert("ZF-1", "P1", "统计执法证"), cert("QT-2", "P2", "其他")], matcher)
    assert found.status.value == "gap"


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_two_statistics_certificates_are_met(matcher: str) -> None:
    found = year_2021(capacity(), [cert("ZF-1", "P1", "统计执法证"), cert("ZF-2", "P2", "统计执法证"),
                                   cert("XZ-3", "P3", "行政执法证")], matcher)
    assert found.status.value == "met" and "推定" not in found.message and "assumed_kind" not in found.details


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_an_unrecorded_kind_is_counted_as_an_assumption_and_named(matcher: str) -> None:
    found = year_2021(capacity(), [cert("ZF-1", "P1", "统计执法证"), cert("ZF-2", "P2", None, start="2021-07-01")], matcher)
    assert found.status.value == "gap"  # January to June: one officer, even counting ZF-2
    found = year_2021(capacity(), [cert("ZF-1", "P1", "统计执法证"), cert("ZF-2", "P2", None)], matcher)
    assert found.status.value == "met"
    assert found.details["assumed_kind"] is True and found.details["unrecorded_kind"] == ["ZF-2"]
    assert "未记载证件种类的ZF-2：推定其为统计执法证，请补记证件种类后复核" in found.message


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_an_unrecorded_kind_is_unknown_under_the_other_reading(matcher: str) -> None:
    rule = capacity(certificate_kind_unrecorded="unknown")
    found = year_2021(rule, [cert("ZF-1", "P1", "统计执法证"), cert("ZF-2", "P2", None)], matcher)
    assert found.status.value == "unknown"
    assert "ZF-2 未记载证件种类" in found.message and found.details["unrecorded_kind"] == ["ZF-2"]
    # short even counting the unrecorded one: a gap under either reading
    found = year_2021(rule, [cert("ZF-1", "P1", "统计执法证"), cert("ZF-2", "P2", None, end="2021-05-31")], matcher)
    assert found.status.value == "gap" and "ZF-2已计入，仍不足" in found.message


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_an_officer_who_left_no_longer_counts(matcher: str) -> None:
    staff = [{"id": "P1", "name": "甲"}, {"id": "P2", "name": "乙", "left": "2021-06-30"}]
    found = year_2021(capacity(), [cert("ZF-1", "P1", "统计执法证"), cert("ZF-2", "P2", "统计执法证")], matcher, staff)
    assert found.status.value == "gap"
    assert found.details["holes"] == [["2021-07-01", "2021-12-31"]]


def test_the_requirement_names_the_kinds_and_the_reading(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "show", "enforcement.certified-capacity", "--as-of", "2021-12-31"]) == 0
    out = capsys.readouterr().out
    assert "只计证件种类为统计执法证的记录，未记载证件种类的推定计入并注明" in out
    assert "certificate-kinds-counted" in out and "certificate-kind-unrecorded" in out


def test_an_unknown_kind_field_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / RULE_FILE.name
    target.write_text(RULE_FILE.read_text(encoding="utf-8").replace("    field: kind\n", "    field: sort\n"), encoding="utf-8")
    assert main(["rules", "lint", str(target)]) == 2
    out = capsys.readouterr().out
    assert "sort" in out and "Traceback" not in out
