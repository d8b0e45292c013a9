"""The Word report converts to PDF in LibreOffice, with Chinese fonts embedded (so glyphs, not boxes).

Needs ``libreoffice`` (soffice) and poppler's ``pdffonts``/``pdftotext``; skipped with the reason
where they are absent. Install on Debian/Ubuntu with
``apt-get install libreoffice-writer-nogui fonts-noto-cjk poppler-utils``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checker.report import Report
from checker.report.word import render_docx

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")
CJK_FONT = re.compile(r"CJK|FangSong|SimSun|SimHei|KaiTi|Song|Hei|Kai|Fang|Han|WenQuanYi|Droid|AR ?PL|仿宋|宋体|黑体|楷体", re.I)

pytestmark = [
    pytest.mark.skipif(OFFICE is None, reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)"),
    pytest.mark.skipif(shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
                       reason="poppler-utils not installed (apt-get install poppler-utils)"),
]


def test_docx_converts_to_an_a4_pdf_with_chinese_glyphs(gap_report: Report, tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(render_docx(gap_report))
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [str(OFFICE), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=240,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.exists(), done.stderr
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    embedded = [line for line in fonts.splitlines()[2:] if CJK_FONT.search(line.split()[0])]
    if not embedded:
        pytest.fail(f"no Chinese font embedded; the text would show as boxes. Install fonts-noto-cjk.\n{fonts}")
    first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "关于测试区统计局法治政府建设合规检查情况的报告" in re.sub(r"\s", "", first_page)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info

