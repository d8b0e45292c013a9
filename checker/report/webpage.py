"""HTML rendering: one self-contained file, readable on a phone, printable on A4.

No external fonts, scripts or styles; every piece of text goes through ``html.escape``, so a
record that reads ``<script>…</script>`` is shown, never run.
"""

from __future__ import annotations

import base64
from html import escape

from .chart import figure_png
from .formats import report_format
from .model import Report
from .outline import Figure, GapEntry, Heading, Para, Recipient, Signature, Table, Title, gap_fields, outline

__all__ = ["render_html"]

CSS = """
:root { color-scheme: light; }
body { font-family: "仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "AR PL UMing CN", "Noto Serif CJK SC", "Source Han Serif SC", serif;
       font-size: 16px; line-height: 1.8; margin: 0 auto; padding: 1em; max-width: 52em; color: #000; background: #fff; }
h1 { font-family: "方正小标宋简体", "宋体", "SimSun", "STSong", "Noto Serif CJK SC", serif; font-weight: bold; font-size: 1.6em; text-align: center; margin: .8em 0 .2em; }
.subtitle { text-align: center; margin: 0 0 1.2em; }
h2 { font-family: "黑体", "SimHei", "STHeiti", "WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif; font-size: 1.15em; font-weight: bold; color: #000; margin: 1.2em 0 .4em; }
h3 { font-family: "楷体_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC", serif; font-size: 1.08em; font-weight: bold; color: #000; margin: 1em 0 .3em; }
p { margin: .3em 0; text-indent: 2em; }
p.recipient { text-indent: 0; margin-top: 1em; }
p.signature { text-indent: 0; text-align: right; margin: 2em 4em 1em 0; }
p.lead-only { text-indent: 2em; font-weight: bold; }
ol.gaps { padding-left: 2em; margin: .3em 0; }
ol.gaps > li { margin: .6em 0; }
ol.gaps dl { margin: .2em 0 0; }
ol.gaps dt { font-weight: bold; float: left; clear: left; margin-right: .2em; }
ol.gaps dt::after { content: "："; }
ol.gaps dd { margin: 0 0 .2em 0; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .5em 0 1em; }
table { border-collapse: collapse; width: 100%; font-size: .9em; }
th, td { border: 1px solid #333; padding: .3em .5em; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
thead th { background: #eee; font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; }
.meta { color: #555; font-size: .85em; text-align: center; margin-top: 2em; }
@media (max-width: 36em) { body { font-size: 15px; padding: .6em; } p { text-indent: 0; } }
@media print {
  @page { size: A4; margin: 37mm 26mm 35mm 28mm; @bottom-center { content: counter(page); } }
  body { max-width: none; padding: 0; font-size: 16pt; line-height: 1.6; }
  .table-wrap { overflow: visible; }
  table { font-size: 11pt; page-break-inside: auto; }
  thead { display: table-header-group; }
  tr, ol.gaps > li { page-break-inside: avoid; break-inside: avoid; }
  h2, h3 { page-break-after: avoid; break-after: avoid; }
  .new-page { page-break-before: always; break-before: page; }
}
"""


@report_format("html", ".html", "合规检查报告", text=True)
def render_html(report: Report) -> str:
    body: list[str] = []
    in_list = False
    for block in outline(report):
        if in_list and not isinstance(block, GapEntry):
            body.append("</ol>")
            in_list = False
        if isinstance(block, Title):
            body.append(f"<h1>{escape(block.text)}</h1>")
            body.append(f'<p class="subtitle">{escape(block.subtitle)}</p>')
        elif isinstance(block, Recipient):
            body.append(f'<p class="recipient">{escape(block.text)}</p>')
        elif isinstance(block, Signature):
            body.append(f'<p class="signature">{escape(block.unit)}<br>{escape(block.date)}</p>')
        elif isinstance(block, Heading):
            cls = ' class="new-page"' if block.new_page else ""
            body.append(f"<h{block.level + 1}{cls}>{escape(block.text)}</h{block.level + 1}>")
        elif isinstance(block, Para):
            lead = f"<strong>{escape(block.lead)}</strong>" if block.lead else ""
            cls = ' class="lead-only"' if block.lead and not block.text else ""
            body.append(f"<p{cls}>{lead}{escape(block.text)}</p>")
        elif isinstance(block, GapEntry):
            item = block.item
            if not in_list:
                body.append(f'<ol class="gaps" start="{item.number}">')
                in_list = True
            fields = "".join(f"<dt>{escape(label)}</dt><dd>{escape(text)}</dd>" for label, text in gap_fields(item))
            body.append(
                f'<li id="gap-{item.number}" data-rule="{escape(item.rule_id)}"><strong>问题：</strong>'
                f"{escape(item.problem)}<dl>{fields}</dl></li>"
            )
        elif isinstance(block, Figure):
            png = base64.b64encode(figure_png(block)).decode("ascii")
            text = "；".join(f"{m.month}：{m.gaps}（新增{m.new}，持续{m.persisting}，已解决{m.resolved}）" for m in block.months) \
                or "；".join(f"{m}：{n}" for m, n in block.points)
            body.append(f'<figure><img src="data:image/png;base64,{png}" alt="{escape(text)}" style="max-width:100%">'
                        f"<figcaption>{escape(block.caption)}</figcaption></figure>")
        elif isinstance(block, Table):
            head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.headers)
            rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            body.append(f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>')
    if in_list:
        body.append("</ol>")
    body.append(
        f'<p class="meta">规则库 {escape(report.rulebook_version)}（{escape(report.rulebook_digest)}）'
        f"· 检查日期 {report.as_of.isoformat()}</p>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{escape(report.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
