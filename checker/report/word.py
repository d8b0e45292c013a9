"""Word rendering: the document offices edit before the Party group meeting.

Laid out as a government office lays out a report (GB/T 9704 habits): A4, 仿宋 三号 body with a
two-character first-line indent, 黑体 for first-level headings, 楷体 for second-level ones, a
centred title, page numbers in the footer. Everything uses real Word styles (Title, Heading 1/2,
List Number with its own numbering definition, Table Grid with repeating header rows), so the
office can restyle the whole document in one place and the navigation pane shows the outline.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph
from lxml import etree

from .chart import figure_png
from .formats import report_format
from .model import Report
from .outline import Figure, GapEntry, Heading, Para, Recipient, Signature, Table, Title, gap_fields, outline

__all__ = ["FIELD_STYLE", "FONTS", "FONT_CHAINS", "GAP_STYLE", "HEADING_PT", "RECIPIENT_STYLE", "SIGNATURE_STYLE", "TABLE_TEXT_STYLE", "render_docx"]

LATIN = "Times New Roman"
FONT_CHAINS: dict[str, list[str]] = {
    "body": ["仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "AR PL UMing CN", "Noto Serif CJK SC"],
    "heading": ["黑体", "SimHei", "STHeiti", "WenQuanYi Zen Hei", "Noto Sans CJK SC"],
    "subheading": ["楷体_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC"],
    "title": ["方正小标宋简体", "宋体", "SimSun", "STSong", "AR PL UMing CN", "Noto Serif CJK SC"],
}
"""Each role's official font (GB/T 9704: 仿宋_GB2312 body, 黑体 and 楷体_GB2312 headings, 小标宋 title),
then, in order, what a Chinese Windows (仿宋/FangSong …), a Mac (ST…) or a Linux office machine
(AR PL, WenQuanYi) has, ending with Noto CJK. The runs name the first; the font table gives each
name the next as its ``w:altName`` (Word and LibreOffice try it when a font is missing) and the
generic family (serif or sans) to fall back on after the last."""
FONTS = {role: chain[0] for role, chain in FONT_CHAINS.items()}
SANS = {"heading"}
GAP_STYLE = "List Number"
FIELD_STYLE = "Gap Field"
TABLE_TEXT_STYLE = "Table Text"
RECIPIENT_STYLE = "Recipient"
SIGNATURE_STYLE = "Signature"
BODY_PT, TABLE_PT = 16, 10.5
"""三号 body, 五号 tables."""
TABLE_LINE_PT = 12
SMALL_TABLE_PT, SMALL_TABLE_LINE_PT = 9, 10.5
"""小五 for a long overview table (Table.small)."""
"""Exact line pitch in table cells: "single" spacing with Noto CJK is about 1.45 em, which made the
troubled year's overview table alone run to more than three pages."""
CELL_MARGIN_MM = 1.0
"""Left and right cell margins: Word's 1.9 mm each side broke 序号 and 2021-01-15 in narrow columns."""
HEADING_PT = (18, 17)
"""Heading 1 (小二) and Heading 2, both above the body's 16 pt (三号)."""
TEXT_WIDTH_MM = 210 - 28 - 26


@report_format("docx", ".docx", "合规检查报告")
def render_docx(report: Report) -> bytes:
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _font_table(doc)
    num_id = _gap_numbering(doc)
    for block in outline(report):
        if isinstance(block, Title):
            doc.add_paragraph(block.text, style="Title")
            doc.add_paragraph(block.subtitle, style="Subtitle")
        elif isinstance(block, Recipient):
            doc.add_paragraph(block.text, style=RECIPIENT_STYLE)
        elif isinstance(block, Signature):
            for line in (block.unit, block.date):
                doc.add_paragraph(line, style=SIGNATURE_STYLE)
        elif isinstance(block, Heading):
            h = doc.add_paragraph(block.text, style="Heading 1" if block.level == 1 else "Heading 2")
            h.paragraph_format.page_break_before = block.new_page or None
        elif isinstance(block, Para):
            p = doc.add_paragraph()
            if block.lead:
                p.add_run(block.lead).bold = True
            if block.text:
                p.add_run(block.text)
        elif isinstance(block, GapEntry):
            item = block.item
            p = doc.add_paragraph(style=GAP_STYLE)
            _number(p, num_id)
            p.add_run("问题：").bold = True
            p.add_run(item.problem)
            for label, text in gap_fields(item):
                f = doc.add_paragraph(style=FIELD_STYLE)
                f.add_run(f"{label}：").bold = True
                f.add_run(text)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Figure):
            picture = doc.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(io.BytesIO(figure_png(block)), width=Cm(15))
            caption = doc.add_paragraph(block.caption)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    props = doc.core_properties
    props.title = report.title
    props.subject = "法治政府建设合规检查"
    props.author = report.bureau
    props.last_modified_by = report.bureau
    props.language = "zh-CN"
    props.keywords = f"规则库 {report.rulebook_version} {report.rulebook_digest}"
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    footer.add_run("— ")
    _field(footer, "PAGE")
    footer.add_run(" —")
    for run in footer.runs:
        run.font.size = Pt(14)
        _set_fonts(run._element.get_or_add_rPr(), FONT_CHAINS["title"][1])  # 宋体 for page numbers (GB/T 9704 7.5)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE): begin, instruction, separate, cached result, end."""
    begin, sep, end = (OxmlElement("w:fldChar") for _ in range(3))
    begin.set(qn("w:fldCharType"), "begin")
    sep.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    for element in (begin, instr, sep):
        paragraph.add_run()._element.append(element)
    paragraph.add_run("1")
    paragraph.add_run()._element.append(end)


def _set_fonts(rpr: etree._Element, east_asia: str, latin: str = LATIN) -> None:
    """Explicit fonts, replacing theme fonts (which would otherwise win for East Asian text)."""
    rfonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")


def _style_fonts(style: BaseStyle, east_asia: str, size: float, bold: bool = False) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element.get_or_add_rPr(), east_asia)


def _styles(doc: DocxDocument) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, FONTS["body"])
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")

    normal = styles["Normal"]
    _style_fonts(normal, FONTS["body"], BODY_PT)
    pf = normal.paragraph_format  # type: ignore[attr-defined]
    pf.first_line_indent = Pt(BODY_PT * 2)
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.widow_control = True

    title = styles["Title"]
    ppr = title.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)
    _style_fonts(title, FONTS["title"], 22, bold=True)
    title.font.color.theme_color = None  # type: ignore[attr-defined]
    title.font.color.rgb = RGBColor(0, 0, 0)  # type: ignore[attr-defined]
    tf = title.paragraph_format  # type: ignore[attr-defined]
    tf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tf.first_line_indent = Pt(0)
    tf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    tf.line_spacing = Pt(36)
    tf.space_before, tf.space_after = Pt(12), Pt(0)

    subtitle = styles["Subtitle"]
    _style_fonts(subtitle, FONTS["subheading"], BODY_PT)
    subtitle.font.italic = False  # type: ignore[attr-defined]
    sf = subtitle.paragraph_format  # type: ignore[attr-defined]
    sf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sf.first_line_indent = Pt(0)
    sf.space_before, sf.space_after = Pt(0), Pt(16)

    # Bold, black and larger than the body in the style itself, not only by font face: on a machine
    # without 黑体/楷体 the fallback font is the body's kind, and headings must still look like headings.
    for name, east_asia, size in (("Heading 1", FONTS["heading"], HEADING_PT[0]), ("Heading 2", FONTS["subheading"], HEADING_PT[1])):
        style = styles[name]
        _style_fonts(style, east_asia, size, bold=True)
        style.font.color.theme_color = None  # type: ignore[attr-defined]
        style.font.color.rgb = RGBColor(0, 0, 0)  # type: ignore[attr-defined]
        hf = style.paragraph_format  # type: ignore[attr-defined]
        hf.first_line_indent = Pt(BODY_PT * 2)
        hf.space_before, hf.space_after = Pt(6), Pt(0)
        hf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        hf.line_spacing = Pt(28)
        hf.keep_with_next = True

    gap = styles[GAP_STYLE]
    gap.paragraph_format.keep_with_next = True  # type: ignore[attr-defined]
    gap.paragraph_format.space_before = Pt(6)  # type: ignore[attr-defined]

    field = styles.add_style(FIELD_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    field.base_style = normal
    field.quick_style = True

    recipient = styles.add_style(RECIPIENT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    recipient.base_style = normal
    recipient.paragraph_format.first_line_indent = Pt(0)
    recipient.paragraph_format.space_before = Pt(12)

    # GB/T 9704-2012 7.3.5: 落款 right-aligned, about four characters in from the right margin.
    signature = styles.add_style(SIGNATURE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    signature.base_style = normal
    sg = signature.paragraph_format
    sg.first_line_indent = Pt(0)
    sg.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sg.right_indent = Pt(BODY_PT * 4)
    sg.keep_with_next = True

    cell = styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    _style_fonts(cell, FONTS["body"], TABLE_PT)
    cf = cell.paragraph_format
    cf.first_line_indent = Pt(0)
    cf.alignment = WD_ALIGN_PARAGRAPH.LEFT
    cf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    cf.line_spacing = Pt(TABLE_LINE_PT)


def _font_table(doc: DocxDocument) -> None:
    """Declare every font of the chains: its alternate (the next in its chain), the GB2312 character
    set and its generic family, so each missing font falls back in the chain's order."""
    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    declared: set[str] = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for role, chain in FONT_CHAINS.items():
        family = "swiss" if role in SANS else "roman"
        for name, alt in zip(chain, [*chain[1:], None]):
            if name in declared:
                continue
            declared.add(name)
            alt_name = f'<w:altName w:val="{alt}"/>' if alt else ""
            root.append(parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}">{alt_name}<w:charset w:val="86"/>'
                f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
            ))
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _gap_numbering(doc: DocxDocument) -> int:
    """A decimal list of its own (“1.问题：…”), so gap numbers run on across headings and match the ledger."""
    numbering = doc.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id, num_id = max(abstract_ids, default=0) + 1, max(num_ids, default=0) + 1
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:suff w:val="nothing"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="0" w:firstLine="{BODY_PT * 2 * 20}"/></w:pPr></w:lvl></w:abstractNum>'
    )
    existing = numbering.findall(qn("w:abstractNum"))
    # Schema order: every abstractNum precedes every num, or Word reports the file as corrupt.
    if existing:
        existing[-1].addnext(abstract)
    else:
        numbering.insert(0, abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return num_id


def _number(paragraph: Paragraph, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def _table(doc: DocxDocument, block: Table) -> DocxTable:
    table = doc.add_table(rows=1, cols=len(block.headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    margins = parse_xml(f'<w:tblCellMar {nsdecls("w")}><w:left w:w="{round(CELL_MARGIN_MM * 56.7)}" w:type="dxa"/>'
                        f'<w:right w:w="{round(CELL_MARGIN_MM * 56.7)}" w:type="dxa"/></w:tblCellMar>')
    tbl_pr.append(margins)
    weights = block.widths or [1.0] * len(block.headers)
    widths = [Mm(TEXT_WIDTH_MM * w / sum(weights)) for w in weights]
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        col.w = width
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    # Schema order in trPr: cantSplit before tblHeader.
    for tag in ("w:cantSplit", "w:tblHeader"):
        tr_pr.append(OxmlElement(tag))
    for cell, text, width in zip(header.cells, block.headers, widths):
        cell.width = width
        p = cell.paragraphs[0]
        p.style = doc.styles[TABLE_TEXT_STYLE]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = True
        _set_fonts(run._element.get_or_add_rPr(), FONTS["heading"])
    for values in block.rows:
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, text, width in zip(row.cells, values, widths):
            cell.width = width
            p = cell.paragraphs[0]
            p.style = doc.styles[TABLE_TEXT_STYLE]
            if block.small:
                p.paragraph_format.line_spacing = Pt(SMALL_TABLE_LINE_PT)
            for n, line in enumerate(text.split("\n")):  # a cell's own lines (office, person) as line breaks
                run = p.add_run(line)
                if block.small:
                    run.font.size = Pt(SMALL_TABLE_PT)
                if n:
                    run._element.insert(0, OxmlElement("w:br"))
    return table
