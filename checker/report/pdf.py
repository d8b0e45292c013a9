"""PDF: the Word report converted by LibreOffice, so the PDF is the very document offices edit.

LibreOffice is not a Python package; when it is missing, ``office_program`` says so and the
command refuses with how to install it, before any check is run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
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
    """The PDF's bytes; the command writes them through the guarded writer (atomic, regular files only)."""
    program = office_program()
    if program is None:
        raise InputError([Problem("--format pdf", INSTALL_HINT)])
    # A private folder (mode 0700) for the Word file, LibreOffice's own profile and its temporary
    # files (TMPDIR), removed whatever happens: a timeout, Ctrl-C, a failed conversion.
    with tempfile.TemporaryDirectory(prefix="compliance-pdf-", ignore_cleanup_errors=True) as folder:
        work = Path(folder)
        source = work / "report.docx"
        source.write_bytes(render_docx(report))
        env = {**os.environ, "TMPDIR": str(work), "TMP": str(work), "TEMP": str(work), "HOME": str(work)}
        # A profile of its own: a LibreOffice already open on the desktop would otherwise take the job.
        command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(work), str(source)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=env, cwd=work, start_new_session=True)
        try:
            out, err = process.communicate(timeout=CONVERT_SECONDS)
        except BaseException:
            # Its own session: the whole LibreOffice process group goes, so nothing writes into the
            # folder while it is removed.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            if isinstance(sys.exc_info()[1], subprocess.TimeoutExpired):
                raise InputError([Problem("--format pdf", f"LibreOffice 转换超过 {CONVERT_SECONDS} 秒未完成，已终止")]) from None
            raise
        target = work / "report.pdf"
        if process.returncode != 0 or not target.is_file():
            raise InputError([Problem("--format pdf", f"LibreOffice 未能生成 PDF：{(err or out).strip()[-300:]}")])
        return target.read_bytes()
