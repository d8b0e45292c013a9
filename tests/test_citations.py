"""Citations checked against the law's own text (issue 10): a citation linked to a stored law
(``law:``, ``version:``) quotes it verbatim or says it is a paraphrase, and ``rules show`` prints
the article in force on the day asked."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from checker.cli import main
from checker.laws import DEFAULT_LAWS, Law, article_refs, find_law, laws_by_key, load_laws, quote_in
from checker.rulebook import DEFAULT_RULES, load_rulebook
from checker.rules import Citation, RuleBase

TWO_OFFICERS = DEFAULT_RULES / "1.4-enforcement" / "enforcement.two-officers.yaml"
# The rule-level quote: a newline and four spaces (the versions' copies are indented further).
QUOTE = "\n    quote: 行政处罚应当由具有行政执法资格的执法人员实施。执法人员不得少于两人，法律另有规定的除外。"


@pytest.fixture(scope="module")
def laws() -> dict[str, Law]:
    return laws_by_key(DEFAULT_LAWS)


@pytest.fixture(scope="module")
def rules() -> list[RuleBase]:
    return load_rulebook(DEFAULT_RULES).rules


def all_citations(rule: RuleBase) -> list[Citation]:
    return [*rule.citations, *(c for v in rule.versions for c in v.citations)]


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["rules", "lint", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, [line for line in captured.out.splitlines() if not line.startswith("共检查")]


def show(capsys: pytest.CaptureFixture[str], rule_id: str, day: str) -> str:
    assert main(["rules", "show", rule_id, "--as-of", day]) == 0
    return capsys.readouterr().out


# --- the bundled rules ------------------------------------------------------------------


def not_verbatim(rules: list[RuleBase], laws: dict[str, Law]) -> tuple[int, list[tuple[str, str | None, str | None, str | None]]]:
    """How many citations link a stored law, and those whose quote is not verbatim in the article
    of the version they name (or whose article is not stored there): the check CI runs."""
    linked = 0
    bad: list[tuple[str, str | None, str | None, str | None]] = []
    for rule in rules:
        for c in all_citations(rule):
            if c.law is None:
                continue
            linked += 1
            version = next((v for v in laws[c.law].versions if v.version == c.version), None)
            names = article_refs(c.article or "") or []
            stored = version is not None and bool(names) and all(n in version.articles for n in names)
            verbatim = stored and (not c.quote or c.paraphrase or any(quote_in(c.quote, version.articles[n]) for n in names))  # type: ignore[union-attr]
            if not verbatim:
                bad.append((rule.id, c.law, c.version, c.article))
    return linked, bad


def test_every_linked_quote_is_verbatim(rules: list[RuleBase], laws: dict[str, Law]) -> None:
    linked, bad = not_verbatim(rules, laws)
    assert bad == []
    assert linked >= 30


@pytest.mark.parametrize(("old", "new"), [("不得少于两人", "不得少于三人"), ("执法资格", "执法资质"), ("。执法人员", "，执法人员")])
def test_a_quote_altered_in_memory_fails_the_citation_check(rules: list[RuleBase], laws: dict[str, Law], old: str, new: str) -> None:
    """The check has teeth: one character changed in one bundled quote (not a file: the loaded rule) is caught."""
    two = next(r for r in rules if r.id == "enforcement.two-officers")
    at = next(i for i, c in enumerate(two.citations) if c.law and c.quote and old in c.quote)
    altered_citation = two.citations[at].model_copy(update={"quote": two.citations[at].quote.replace(old, new)})  # type: ignore[union-attr]
    altered = two.model_copy(update={"citations": [*two.citations[:at], altered_citation, *two.citations[at + 1:]]})
    others = [r for r in rules if r.id != two.id]
    assert not_verbatim([*others, two], laws)[1] == []
    assert not_verbatim([*others, altered], laws)[1] == [(two.id, "administrative-penalty-law", "2021", "第四十二条")]


def test_every_citation_of_a_stored_article_is_linked(rules: list[RuleBase]) -> None:
    """A citation naming a stored law and an article stored in some version of it must link it."""
    by_name = load_laws(DEFAULT_LAWS)
    for rule in rules:
        for c in all_citations(rule):
            law = find_law(by_name, c.source)
            if law is None or not c.article or c.policy:
                continue
            names = article_refs(c.article) or []
            stored = any(n in v.articles for v in law.versions for n in names)
            assert c.law is not None or not stored, f"{rule.id}: {c.source}{c.article} 未链接法律文本"


# A chapter, section or part of a law (第四章 年度报告), wherever it is written in ``article``.
CHAPTER = re.compile(r"第[一二三四五六七八九十百零〇\d]+[章节编]")


def cites_a_chapter(c: Citation) -> bool:
    """Whether the citation names a chapter as its article: a citation names an article, never a chapter."""
    return bool(c.article and CHAPTER.search(c.article))


def test_no_citation_names_a_chapter(rules: list[RuleBase]) -> None:
    chapters = [(r.id, c.article) for r in rules for c in all_citations(r) if cites_a_chapter(c)]
    assert chapters == []


def test_a_chapter_is_refused_as_an_article() -> None:
    assert cites_a_chapter(Citation(source="《法治政府建设与责任落实督察工作规定》", article="第四章 年度报告"))
    assert cites_a_chapter(Citation(source="某法", article="第二章第三节"))
    assert not cites_a_chapter(Citation(source="某法", article="第二十四条"))
    assert not cites_a_chapter(Citation(source="某法", article="第五十九条第一款第（五）项"))
    assert not cites_a_chapter(Citation(source="区统计局2020年法治政府建设情况报告", article="一(七)"))


def test_the_annual_report_rules_cite_articles_or_summarise(rules: list[RuleBase]) -> None:
    """The 督察工作规定's text is not stored (no official copy found): its citations are summaries,
    and publication cites 第二十四条; submission names no article until its number is verified."""
    by_id = {r.id: r for r in rules}
    published = by_id["annual-report.published"].citations[0]
    to_government = by_id["annual-report.to-government"].citations[0]
    assert published.article == "第二十四条" and published.paraphrase
    assert to_government.article is None and to_government.paraphrase
    assert "“" not in to_government.text() and "（大意）：每年3月1日之前" in to_government.text()


# The citations the audit found to be paraphrases shown as quotations (issue 10): rule, the cited
# document's words, and the rule version ("" for the rule's own citations).
PARAPHRASES = [
    ("inspection.results-public", "国办发〔2018〕118号", ""),
    ("inspection.double-random", "国办发〔2015〕58号", ""),
    ("antifraud.responsibility-system", "关于深化统计管理体制改革提高统计数据真实性的意见", ""),
    ("antifraud.responsibility-system", "关于深化统计管理体制改革提高统计数据真实性的意见", "2016"),
    ("antifraud.responsibility-system", "关于深化统计管理体制改革提高统计数据真实性的意见", "2024"),
    ("annual-report.published", "法治政府建设与责任落实督察工作规定", ""),
    ("annual-report.to-government", "法治政府建设与责任落实督察工作规定", ""),
]


@pytest.mark.parametrize(("rule_id", "document", "version"), PARAPHRASES)
def test_paraphrases_are_marked_and_shown_as_summaries(rules: list[RuleBase], rule_id: str, document: str,
                                                       version: str) -> None:
    """Marked ``paraphrase``, and shown as （大意） without quotation marks by ``rules show`` and the report's 依据."""
    from checker.report.model import citations_for

    rule = next(r for r in rules if r.id == rule_id)
    cited = citations_for(rule, version or None) if version else rule.citations
    matching = [c for c in cited if document in c.source]
    assert matching and all(c.paraphrase for c in matching)
    for c in matching:
        assert "（大意）：" in c.text() and "“" not in c.text() and "”" not in c.text()


def test_show_prints_a_paraphrase_as_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    out = show(capsys, "inspection.results-public", "2021-06-30")
    line = next(line for line in out.splitlines() if "国办发〔2018〕118号" in line and "依据" not in line)
    assert "（大意）：" in line and "“" not in line


def test_the_audited_quotes_are_fixed(rules: list[RuleBase]) -> None:
    by_id = {r.id: r for r in rules}
    openness = by_id["openness.annual-disclosure-report"].citations[0]
    assert openness.law == "government-information-disclosure-regulations" and "本行政机关" in (openness.quote or "")
    published = by_id["annual-report.published"].citations[0]
    assert published.paraphrase and published.law is None
    assert "（大意）：" in published.text() and "“" not in published.text()


# --- the check ------------------------------------------------------------------------


def copy_with(tmp_path: Path, old: str, new: str) -> tuple[Path, int, int]:
    """The two-officer rule copied with ``old`` replaced by ``new``; the line and column of the changed line's key."""
    text = TWO_OFFICERS.read_text(encoding="utf-8")
    assert text.count(old) == 1
    target = tmp_path / TWO_OFFICERS.name
    target.write_text(text.replace(old, new), encoding="utf-8")
    for number, line in enumerate(target.read_text(encoding="utf-8").splitlines(), 1):
        if new.lstrip("\n").splitlines()[0] in line:
            return target, number, len(line) - len(line.lstrip()) + 1
    raise AssertionError(new)


def test_an_altered_quote_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target, line, column = copy_with(tmp_path, QUOTE, QUOTE.replace("不得少于两人", "不得少于三人"))
    code, lines = lint(capsys, str(target))
    assert code == 2
    assert len(lines) == 1
    assert lines[0].startswith(f"{target}:{line}:{column}: 错误 quote-not-verbatim: citations.0.quote: ")
    assert "《中华人民共和国行政处罚法》2021 年版第四十二条" in lines[0]


def test_whitespace_does_not_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target, _, _ = copy_with(tmp_path, QUOTE, QUOTE.replace("执法人员不得", "执法人员　不得"))
    assert lint(capsys, str(target)) == (0, [])


def test_a_paraphrase_is_not_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    altered = QUOTE.replace("不得少于两人", "至少两人")
    target, _, _ = copy_with(tmp_path, QUOTE, altered + "\n    paraphrase: true")
    assert lint(capsys, str(target)) == (0, [])


@pytest.mark.parametrize(
    ("old", "new", "code", "says", "suggestion"),
    [
        ("law: administrative-penalty-law", "law: administrative-penalty-laws", "unknown-law",
         "未知的法律文本 'administrative-penalty-laws'", "administrative-penalty-law"),
        ('version: "2021"', 'version: "2012"', "unknown-law-version",
         "《中华人民共和国行政处罚法》没有版本 '2012'：rules/laws/administrative-penalty-law.yaml 中存有 2017、2021", "2021"),
        ("article: 第四十二条", "article: 第四十三条", "unknown-article",
         "《中华人民共和国行政处罚法》2021 年版未存第四十三条", "第四十四条"),
        ("article: 第四十二条", "article: 第三十七条", "unknown-article",
         "该条存于 2017 年版", None),
        ("article: 第四十二条", "article: 第五章", "article-not-article", "'第五章' 不是条", None),
        ('    version: "2021"\n', "", "unknown-law-version", "链接了《中华人民共和国行政处罚法》却没有写 version", "2021"),
    ],
)
def test_unknown_law_version_article(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     old: str, new: str, code: str, says: str, suggestion: str | None) -> None:
    text = TWO_OFFICERS.read_text(encoding="utf-8")
    target = tmp_path / TWO_OFFICERS.name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    status, lines = lint(capsys, str(target))
    assert status == 2
    assert len(lines) == 1, lines
    assert f": 错误 {code}: " in lines[0] and says in lines[0]
    if suggestion:
        assert f"是否应为 {suggestion}？" in lines[0]


def test_version_without_law(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = TWO_OFFICERS.read_text(encoding="utf-8")
    target = tmp_path / TWO_OFFICERS.name
    target.write_text(text.replace("    law: administrative-penalty-law\n", "", 1), encoding="utf-8")
    status, lines = lint(capsys, str(target))
    assert status == 2 and len(lines) == 1 and ": 错误 version-without-law: citations.0.version: " in lines[0]


def test_article_refs() -> None:
    assert article_refs("第四十二条") == ["第四十二条"]
    assert article_refs("第三条第三款") == ["第三条"]
    assert article_refs("第五十九条第一款第（五）项") == ["第五十九条"]
    assert article_refs("第四十四条、第六十二条") == ["第四十四条", "第六十二条"]
    assert article_refs("第四章 年度报告") is None
    assert article_refs("第四章") is None


# --- how a citation is shown -------------------------------------------------------------


def test_paraphrase_without_quotation_marks() -> None:
    cited = Citation(source="《中华人民共和国统计法》", article="第三十八条", quote="检查人员不少于两人", paraphrase=True,
                     law="statistics-law", version="2024")
    assert cited.text() == "《中华人民共和国统计法》第三十八条（大意）：检查人员不少于两人。"
    verbatim = Citation(source="《中华人民共和国统计法》", article="第三十八条", quote="检查人员不少于两人")
    assert verbatim.text() == "《中华人民共和国统计法》第三十八条：“检查人员不少于两人。”"
    linked = verbatim.model_copy(update={"law": "statistics-law", "version": "2024"})
    assert linked.text() == verbatim.text()


def test_show_prints_the_article_in_force_across_the_2021_change(capsys: pytest.CaptureFixture[str]) -> None:
    before = show(capsys, "enforcement.rights-notice", "2021-07-14")
    after = show(capsys, "enforcement.rights-notice", "2021-07-15")
    old = "第三十一条（2021-07-14 施行的 2017 年版）："
    new = "第四十四条（2021-07-15 施行的 2021 年版）："
    assert old in before and new not in before
    assert new in after and old not in after
    assert "所引 2021 年版自 2021-07-15 起施行，2021-07-14 尚未施行或已失效；当日施行的是 2017 年版" in before
    assert "所引 2017 年版2018-01-01 至 2021-07-14 施行，2021-07-15 尚未施行或已失效；当日施行的是 2021 年版" in after
    # the whole article, indented, including what the quote leaves out
    assert "         行政机关及其执法人员在作出行政处罚决定之前，未依照本法第四十四条" in after


def test_show_prints_the_article_in_force_across_the_2024_statistics_change(capsys: pytest.CaptureFixture[str]) -> None:
    before = show(capsys, "survey.project-approved", "2024-09-12")
    after = show(capsys, "survey.project-approved", "2024-09-13")
    assert "第十四条（2024-09-12 施行的 2009 年版）：" in before
    assert "  制定统计调查项目，应当同时制定该项目的统计调查制度，并依照本法第十二条" in before
    assert "第十四条（2024-09-13 施行的 2024 年版）：" in after
    assert "第十六条（2024-09-13 施行的 2024 年版）：" in after
    assert "  国家统计调查项目由国家统计局制定" in after
    assert "所引 2009 年版2010-01-01 至 2024-09-12 施行，2024-09-13 尚未施行或已失效；当日施行的是 2024 年版" in after
    assert "第十六条（2024-09-12" not in before and "所引 2024 年版自 2024-09-13 起施行" in before


def test_show_without_a_link_prints_no_article(capsys: pytest.CaptureFixture[str]) -> None:
    out = show(capsys, "annual-report.published", str(date(2021, 3, 1)))
    assert "施行的" not in out and "（大意）：" in out


# --- 示范指标 24: policy, two editions ------------------------------------------------------

INDICATORS_2021 = date(2021, 9, 2)


@pytest.mark.parametrize("matcher", ["engine", "oracle"])
def test_indicator_24_is_policy_and_names_its_edition(rules: list[RuleBase], matcher: str) -> None:
    """Documents issued the day before, of and after the 2021 edition: each finding names the edition
    in force on its issue date, and that edition's 指标24 is cited as policy (2019: a summary)."""
    from datetime import timedelta

    from checker.evaluate import evaluate
    from checker.examples import bureau_of
    from checker.report.model import citations_for
    from checker.rules import Example

    rule = next(r for r in rules if r.id == "normdoc.public-comment")
    days = [INDICATORS_2021 - timedelta(days=1), INDICATORS_2021, INDICATORS_2021 + timedelta(days=1)]
    docs = [{"id": d.isoformat(), "title": "某统计管理规定", "comment_working_days": 7, "issued_on": d.isoformat()}
            for d in days]
    example = Example(name="dated", as_of=date(2021, 12, 31), ledgers_from=date(2021, 1, 1),
                      records={"normative_document": docs}, expect={})
    found = {f.key: f for f in evaluate([rule], bureau_of(example, "test"), date(2021, 12, 31), matcher=matcher)}  # type: ignore[arg-type]
    assert [found[d.isoformat()].status.value for d in days] == ["met", "met", "met"]
    assert [found[d.isoformat()].version for d in days] == ["2019", "2021", "2021"]
    for version, edition in (("2019", "（2019年版）"), ("2021", "（2021年版）")):
        indicator = [c for c in citations_for(rule, version) if c.article == "指标24"]
        assert len(indicator) == 1 and indicator[0].policy and edition in indicator[0].source
        assert "非法律规定" in indicator[0].text()
    assert next(c for c in citations_for(rule, "2019") if c.article == "指标24").paraphrase
    assert not next(c for c in citations_for(rule, "2021") if c.article == "指标24").paraphrase
    assert all(c.policy for r in rules for c in all_citations(r) if "示范指标" in c.source)
