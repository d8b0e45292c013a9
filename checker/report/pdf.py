"""PDF: the Word report converted by LibreOffice, so the PDF is the very document offices edit.

LibreOffice is not a Python package; when it is missing, ``office_program`` says so and the
command refuses with how to install it, before any check is run.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError, Problem
from .formats import report_format
from .model import Report
from .word import render_docx

__all__ = ["INSTALL_HINT", "office_program", "render_pdf"]

INSTALL_HINT = (
    "生成 PDF 需要 LibreOffice 和中文字体。Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk；"
    "Windows：安装 LibreOffice（https://zh-cn.libreoffice.org/）。也可先生成 Word 报告（--format docx）再另存为 PDF"
)

CONVERT_SECONDS = 240


def office_program() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@report_format("pdf", ".pdf", "合规检查报告")
def render_pdf(report: Report) -> bytes:
    program = office_program()
    if program is None:
        raise InputError([Problem("--format pdf", INSTALL_HINT)])
    with tempfile.TemporaryDirectory(prefix="compliance-pdf-") as folder:
        work = Path(folder)
        source = work / "report.docx"
        source.write_bytes(render_docx(report))
        # A profile of its own: a LibreOffice already open on the desktop would otherwise take the job.
        done = subprocess.run(
            [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
             "--convert-to", "pdf", "--outdir", str(work), str(source)],
            capture_output=True, text=True, timeout=CONVERT_SECONDS, check=False,
        )
        target = work / "report.pdf"
        if not target.is_file():
            raise InputError([Problem("--format pdf", f"LibreOffice 未能生成 PDF：{(done.stderr or done.stdout).strip()[-300:]}")])
        return target.read_bytes()
