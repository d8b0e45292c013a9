"""The stored law texts (rules/laws/): they load, their versions follow each other, and the
text in force on a day is the right version's."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.laws import DEFAULT_LAWS, Law, article_text, find_law, load_law_file, load_laws, quote_in
from checker.rulebook import DEFAULT_RULES, rule_files

LAW_FILES = sorted(DEFAULT_LAWS.glob("*.yaml"))


@pytest.fixture(scope="module")
def laws() -> dict[str, Law]:
    return load_laws(DEFAULT_LAWS)


def test_there_are_law_files() -> None:
    assert len(LAW_FILES) >= 8


@pytest.mark.parametrize("path", LAW_FILES, ids=lambda p: p.stem)
def test_every_law_file_loads(path: Path) -> None:
    law = load_law_file(path)
    assert law.versions


@pytest.mark.parametrize("path", LAW_FILES, ids=lambda p: p.stem)
def test_versions_in_date_order_without_overlap(path: Path) -> None:
    law = load_law_file(path)
    for earlier, later in zip(law.versions, law.versions[1:]):
        assert earlier.in_force < later.in_force
        assert earlier.until is not None and earlier.until < later.in_force
    assert law.versions[-1].until is None or law.versions[-1].until >= law.versions[-1].in_force


@pytest.mark.parametrize("path", LAW_FILES, ids=lambda p: p.stem)
def test_every_article_has_text(path: Path) -> None:
    law = load_law_file(path)
    for version in law.versions:
        assert version.mirror and version.source.strip()
        for name, text in version.articles.items():
            assert text.strip(), f"{law.short} {version.version} {name}"


def test_law_files_are_not_rule_files() -> None:
    assert not [p for p in rule_files(DEFAULT_RULES) if "laws" in p.parts]


@pytest.mark.parametrize(
    ("day", "article", "expected_start"),
    [
        # 统计法 2024 amendment in force 2024-09-13: 第七条 → 第八条, 第九条 new.
        (date(2024, 9, 12), "第七条", "国家机关、企业事业单位和其他组织以及个体工商户和个人等统计调查对象"),
        (date(2024, 9, 12), "第九条", None),
        (date(2024, 9, 12), "第八条", None),
        (date(2024, 9, 13), "第七条", None),
        (date(2024, 9, 13), "第八条", "国家机关、企业事业单位和其他组织以及个体工商户和个人等统计调查对象"),
        (date(2024, 9, 13), "第九条", "地方各级人民政府、县级以上人民政府统计机构和有关部门应当根据国家有关规定"),
        (date(2024, 9, 14), "第九条", "地方各级人民政府、县级以上人民政府统计机构和有关部门应当根据国家有关规定"),
    ],
)
def test_statistics_law_changes_on_2024_09_13(laws: dict[str, Law], day: date, article: str, expected_start: str | None) -> None:
    text = article_text(laws["中华人民共和国统计法"], article, day)
    if expected_start is None:
        assert text is None
    else:
        assert text is not None and text.startswith(expected_start)


def test_statistics_law_versions_around_the_change(laws: dict[str, Law]) -> None:
    law = laws["中华人民共和国统计法"]
    change = date(2024, 9, 13)
    assert law.version_on(change - timedelta(days=1)).version == "2009"  # type: ignore[union-attr]
    assert law.version_on(change).version == "2024"  # type: ignore[union-attr]
    assert law.version_on(change + timedelta(days=1)).version == "2024"  # type: ignore[union-attr]
    # 第十四条 is a different article before and after: survey-system filing, then survey-project approval.
    before = article_text(law, "第十四条", change - timedelta(days=1))
    after = article_text(law, "第十四条", change)
    assert before is not None and before.startswith("制定统计调查项目")
    assert after is not None and after.startswith("国家统计调查项目由国家统计局制定")


def test_administrative_penalty_law_changes_on_2021_07_15(laws: dict[str, Law]) -> None:
    law = laws["中华人民共和国行政处罚法"]
    change = date(2021, 7, 15)
    day_before, day_after = change - timedelta(days=1), change + timedelta(days=1)
    assert law.version_on(day_before).version == "2017"  # type: ignore[union-attr]
    assert law.version_on(change).version == "2021"  # type: ignore[union-attr]
    assert law.version_on(day_after).version == "2021"  # type: ignore[union-attr]
    # On-the-spot fines to the bank: 第五十条 before, 第七十一条 from the change.
    assert article_text(law, "第五十条", day_before) is not None
    assert article_text(law, "第七十一条", day_before) is None
    assert article_text(law, "第五十条", change) is None
    for day in (change, day_after):
        text = article_text(law, "第七十一条", day)
        assert text is not None and "二日内" in text
    # 第四十二条 is the two-officer rule only from the change; no text stored for it before.
    assert article_text(law, "第四十二条", day_before) is None
    two = article_text(law, "第四十二条", change)
    assert two is not None and "执法人员不得少于两人" in two


def test_nothing_in_force_before_the_first_stored_version(laws: dict[str, Law]) -> None:
    law = laws["中华人民共和国行政处罚法"]
    assert law.version_on(date(2017, 12, 31)) is None
    assert article_text(law, "第三十八条", date(2017, 12, 31)) is None
    third = article_text(law, "第三十八条", date(2018, 1, 1))
    assert third is not None and "从事行政处罚决定审核的人员进行审核" in third.splitlines()[-1]


def test_find_law_by_cited_name(laws: dict[str, Law]) -> None:
    assert find_law(laws, "《中华人民共和国行政处罚法》（2021年修订）") is laws["中华人民共和国行政处罚法"]
    assert find_law(laws, "《信访条例》（国务院令第431号，2005）") is laws["信访工作条例"]
    assert find_law(laws, "统计法") is laws["中华人民共和国统计法"]
    assert find_law(laws, "《某无关法规》") is None


def test_quote_in() -> None:
    text = "第一款甲乙丙。\n第二款丁戊己，庚辛。"
    assert quote_in("甲乙丙。", text)
    assert quote_in("甲乙 丙", text)
    assert quote_in("甲乙丙。第二款丁", text)  # across a 款 break
    assert quote_in("甲……庚辛", text)
    assert quote_in("丁戊己。", text)  # a closing full stop where the article goes on
    assert not quote_in("甲丙", text)
    assert not quote_in("庚辛……甲", text)


def test_overlapping_versions_are_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "law: 某法\nshort: 某法\nversions:\n"
        "  - {version: a, in_force: 2020-01-01, until: 2021-01-01, source: s, mirror: [m], articles: {第一条: x}}\n"
        "  - {version: b, in_force: 2021-01-01, source: s, mirror: [m], articles: {第一条: y}}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        load_law_file(bad)
    assert "重叠" in str(exc.value.problems[0])


def test_unknown_field_and_bad_date_are_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "law: 某法\nshort: 某法\nversions:\n"
        "  - {version: a, in_force: 2021-02-29, source: s, mirror: [m], articles: {第一条: x}, extra: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        load_law_file(bad)
    fields = {p.field for p in exc.value.problems}
    assert any(f and "in_force" in f for f in fields)
    assert any(f and "extra" in f for f in fields)
