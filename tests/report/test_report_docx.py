"""The Word report, opened with python-docx: styles, numbering, tables, fonts, page setup."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import RGBColor
from lxml import etree
from report_helpers import GAP_RULES_IN_ORDER, SCRIPT

from checker.report import Report
from checker.report.model import quoted
from checker.report.word import FIELD_STYLE, GAP_STYLE, render_docx


def _open(report: Report) -> DocxDocument:
    return Document(io.BytesIO(render_docx(report)))


def _styled(doc: DocxDocument, name: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style is not None and p.style.name == name]


def test_title_names_the_bureau_and_the_date(gap_report: Report) -> None:
    doc = _open(gap_report)
    assert _styled(doc, "Title") == ["关于测试区统计局法治政府建设合规检查情况的报告"]
    assert _styled(doc, "Subtitle") == ["（截至2020年12月31日）"]
    assert doc.core_properties.title == "关于测试区统计局法治政府建设合规检查情况的报告"


def test_headings_are_word_headings_in_outline_order(gap_report: Report) -> None:
    doc = _open(gap_report)
    assert _styled(doc, "Heading 1") == [
        "一、总体情况", "二、存在的问题", "三、预警事项", "四、下一步工作安排", "附件1：问题事项与记录编号", "附件2：已落实义务清单",
    ]
    assert _styled(doc, "Heading 2") == ["（一）推进行政决策科学民主合法", "（二）严格行政执法", "（三）上年度报告所列不足的整改"]


def test_gap_items_are_one_numbered_list_with_the_six_labelled_parts(gap_report: Report) -> None:
    doc = _open(gap_report)
    items = [p for p in doc.paragraphs if p.style.name == GAP_STYLE]
    assert len(items) == len(GAP_RULES_IN_ORDER)
    num_ids = {p._p.pPr.numPr.numId.val for p in items}
    assert len(num_ids) == 1
    num_id = num_ids.pop()
    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if int(n.get(qn("w:numId"))) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    level = abstract.find(qn("w:lvl"))
    assert level.find(qn("w:numFmt")).get(qn("w:val")) == "decimal"
    assert level.find(qn("w:lvlText")).get(qn("w:val")) == "%1."
    assert items[1].text.startswith("问题：未落实“执法行为由两名以上执法人员实施”")
    assert items[1].runs[0].bold
    paragraphs = doc.paragraphs
    for item in items:
        at = next(i for i, p in enumerate(paragraphs) if p._p is item._p)
        labels = [p.text.split("：", 1)[0] for p in paragraphs[at + 1 : at + 6]]
        assert labels == ["依据", "表现", "整改措施", "责任科室", "整改时限"]
        assert all(p.style.name == FIELD_STYLE for p in paragraphs[at + 1 : at + 6])
    evidence = next(p.text for p in paragraphs if p.text.startswith("表现：执法行为"))
    assert f"执法行为（2020-03-02，{SCRIPT}）" in evidence and "=1+2" not in evidence
    assert "整改时限：2021年1月30日前（严重程度高，30日，默认）" in [p.text for p in paragraphs]


def test_numbering_definitions_come_before_numbering_instances(gap_report: Report) -> None:
    """Word calls the file corrupt if a w:num precedes a w:abstractNum."""
    numbering = _open(gap_report).part.numbering_part.element
    tags = [etree.QName(e).localname for e in numbering if etree.QName(e).localname in ("abstractNum", "num")]
    assert tags == sorted(tags, key=lambda t: t == "num")


def test_every_table_repeats_its_header_row(gap_report: Report) -> None:
    doc = _open(gap_report)
    assert len(doc.tables) == 5  # gap overview, counts, due soon, the two appendices
    for table in doc.tables:
        header = table.rows[0]._tr
        assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
    due = doc.tables[2]
    assert [c.text for c in due.rows[0].cells] == ["序号", "义务", "事项", "到期日", "责任科室", "说明"]
    assert [c.text for c in due.rows[1].cells][2:4] == ["罚没款（2020-12-28，罚款，5000 元）", "2021-01-12"]


def _east_asia(element: etree._Element) -> str | None:
    fonts = element.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsiaTheme")) is None, "a theme font would override the East Asian font"
    return fonts.get(qn("w:eastAsia"))


def test_chinese_fonts_are_set_for_east_asian_text(gap_report: Report) -> None:
    doc = _open(gap_report)
    assert _east_asia(doc.styles["Normal"].element) == "仿宋_GB2312"
    assert _east_asia(doc.styles["Heading 1"].element) == "黑体"
    assert _east_asia(doc.styles["Heading 2"].element) == "楷体_GB2312"
    assert _east_asia(doc.styles["Title"].element) == "方正小标宋简体"
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert _east_asia(defaults) == "仿宋_GB2312"
    assert defaults.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_each_font_falls_back_in_order_ending_with_noto_cjk(gap_report: Report) -> None:
    with zipfile.ZipFile(io.BytesIO(render_docx(gap_report))) as z:
        fonts = etree.fromstring(z.read("word/fontTable.xml"))
    table = {f.get(qn("w:name")): f for f in fonts.findall(qn("w:font"))}

    def chain(name: str) -> list[str]:
        names = [name]
        while (alt := table[names[-1]].find(qn("w:altName"))) is not None:
            names.append(alt.get(qn("w:val")))
        return names

    assert chain("仿宋_GB2312") == ["仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "AR PL UMing CN", "Noto Serif CJK SC"]
    assert chain("黑体") == ["黑体", "SimHei", "STHeiti", "WenQuanYi Zen Hei", "Noto Sans CJK SC"]
    assert chain("楷体_GB2312")[:3] == ["楷体_GB2312", "楷体", "KaiTi"] and chain("楷体_GB2312")[-1] == "Noto Serif CJK SC"
    assert chain("方正小标宋简体")[:3] == ["方正小标宋简体", "宋体", "SimSun"]
    # After the last name, the generic family: headings fall back to a sans face, the body to a serif one.
    assert table["黑体"].find(qn("w:family")).get(qn("w:val")) == "swiss"
    assert table["仿宋_GB2312"].find(qn("w:family")).get(qn("w:val")) == "roman"
    assert all(f.find(qn("w:charset")).get(qn("w:val")) == "86" for n, f in table.items() if n in chain("仿宋_GB2312"))


def test_headings_look_like_headings_whatever_the_font(gap_report: Report) -> None:
    """Bold, black and larger than the body in the style: a fallback font alone cannot hide them."""
    styles = _open(gap_report).styles
    body = styles["Normal"].font.size
    for name in ("Title", "Heading 1", "Heading 2"):
        font = styles[name].font
        assert font.bold is True, name
        assert font.color.rgb == RGBColor(0, 0, 0) and font.color.theme_color is None, name
        assert font.size > body, name
    assert styles["Heading 1"].font.size >= styles["Heading 2"].font.size
    rpr = styles["Heading 1"].element.find(qn("w:rPr"))
    assert rpr.find(qn("w:b")) is not None and rpr.find(qn("w:color")).get(qn("w:val")) == "000000"


def test_a4_pages_with_a_page_number_field_in_the_footer(gap_report: Report) -> None:
    section = _open(gap_report).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 28 and round(section.top_margin.mm) == 37
    footer = section.footer.paragraphs[0]._p
    assert [t.text.strip() for t in footer.iter(qn("w:instrText"))] == ["PAGE"]
    kinds = [f.get(qn("w:fldCharType")) for f in footer.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]


def test_every_part_is_well_formed_xml(gap_report: Report) -> None:
    with zipfile.ZipFile(io.BytesIO(render_docx(gap_report))) as z:
        assert z.testzip() is None
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))


def test_a_year_without_gaps_reads_plainly(clean_report: Report) -> None:
    doc = _open(clean_report)
    texts = [p.text for p in doc.paragraphs]
    assert _styled(doc, "Heading 1") == ["一、总体情况", "二、存在的问题", "附件：已落实义务清单"]
    assert any("未发现问题" in t for t in texts)
    assert not [p for p in doc.paragraphs if p.style.name == GAP_STYLE]
    appendix = doc.tables[-1]
    assert len(appendix.rows) == 1 + 6
    assert appendix.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_command_writes_the_docx_and_exits_one_on_gaps(gap_bureau: Path, rules_dir: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "报告.docx"
    code, _, err = cli("report", str(gap_bureau), "--rules", str(rules_dir), "--as-of", "2020-12-31", "--format", "docx", "--output", str(out))
    assert code == 1, err
    doc = Document(str(out))
    assert len([p for p in doc.paragraphs if p.style.name == GAP_STYLE]) == 5


@pytest.mark.parametrize("fixture", sorted(p.name for p in (Path(__file__).parents[2] / "fixtures").iterdir() if p.is_dir()))
def test_bundled_fixture_lists_every_gap_the_check_finds(fixture: str, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """Whatever rules the bundled rulebook holds: one numbered item per obligation with a gap, appendix for the rest."""
    from checker.commands.check import run_check
    from checker.records import load_bureau
    from checker.rulebook import DEFAULT_RULES

    folder = Path(__file__).parents[2] / "fixtures" / fixture
    as_of = f"{load_bureau(folder).profile.ledgers_from.year}-12-31"
    result = run_check(folder, DEFAULT_RULES, dt.date.fromisoformat(as_of), 30)
    out = tmp_path / "r.docx"
    code, _, err = cli("report", str(folder), "--as-of", as_of, "--output", str(out))
    assert code == (1 if result.gaps else 0), err
    doc = Document(str(out))
    items = [p.text for p in doc.paragraphs if p.style.name == GAP_STYLE]
    gap_titles = list(dict.fromkeys(f.title for f in result.gaps))
    assert len(items) == len(gap_titles)
    for title in gap_titles:
        assert sum(f"“{quoted(title)}”" in text for text in items) == 1, title


def test_no_record_id_or_rulebook_hash_stands_in_the_body(tmp_path: Path) -> None:
    """The troubled bureau's year: the body names records in words; every id is in the appendix."""
    from checker.cli import main
    from checker.records import load_bureau
    from checker.rulebook import DEFAULT_RULES, load_rulebook

    root = Path(__file__).resolve().parents[2] / "fixtures" / "troubled-bureau-2021"
    out = tmp_path / "r.docx"
    assert main(["report", str(root), "--as-of", "2021-12-31", "--output", str(out)]) == 1
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    start = next(i for i, t in enumerate(texts) if t.startswith("附件"))
    [id_table] = [t for t in doc.tables if t.rows[0].cells[0].text == "问题序号"]
    body_tables = [t for t in doc.tables if t._tbl is not id_table._tbl]
    body = "\n".join(texts[:start]) + "\n".join(c.text for t in body_tables for r in t.rows for c in r.cells)
    appendix = "\n".join(c.text for r in id_table.rows for c in r.cells)
    ids = {r.id for r in load_bureau(root).all_records()}
    assert len(ids) > 50 and all(len(i) >= 4 for i in ids)
    in_body = sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", body))
    assert in_body == []
    cited = {i for i in ids if i in appendix}
    assert len(cited) >= 10
    assert load_rulebook(DEFAULT_RULES).digest not in body + "\n".join(texts)
