"""PDF housekeeping and page counts.

Without LibreOffice (it cannot be installed everywhere) a stand-in ``soffice`` on PATH checks what
``checker.report.pdf`` does around the conversion: a private temporary folder (LibreOffice's own
TMPDIR files included) that is always removed, the PDF written through the guarded writer, a
failure as exit 2. With LibreOffice, both fixtures' reports are converted and their pages counted.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from checker.commands.check import run_check
from checker.records import load_bureau
from checker.report import build_report, render
from checker.report.settings import load_settings
from checker.rulebook import DEFAULT_RULES, load_rulebook

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
OFFICE = shutil.which("libreoffice") or shutil.which("soffice")



FAKE_SOFFICE = """#!/bin/sh
# Stands in for LibreOffice: leaves a file in its TMPDIR (as LibreOffice does) and writes the PDF.
for last; do :; done
outdir=""
while [ $# -gt 0 ]; do [ "$1" = "--outdir" ] && outdir="$2"; shift; done
echo scratch > "${TMPDIR:-/tmp}/lu-fake.tmp"
[ -n "$FAIL" ] && { echo "conversion failed" >&2; exit 1; }
printf '%%PDF-1.4\\n1 0 obj << /Type /Pages /Count 1 >> endobj\\n2 0 obj << /Type /Page >> endobj\\n%%%%EOF\\n' > "$outdir/report.pdf"
"""


def _fake_office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(FAKE_SOFFICE, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("TMPDIR", str(scratch))
    return scratch


@pytest.mark.skipif(os.name != "posix", reason="the stand-in soffice is a shell script")
class TestWithAStandIn:
    def test_pdf_written_atomically_and_every_temporary_file_removed(self, gap_bureau: Path, rules_dir: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch, cli) -> None:  # type: ignore[no-untyped-def]
        scratch = _fake_office(tmp_path, monkeypatch)
        out = tmp_path / "out" / "r.pdf"
        out.parent.mkdir()
        code, _, err = cli("report", str(gap_bureau), "--rules", str(rules_dir), "--as-of", "2020-12-31", "--output", str(out))
        assert code == 1, err
        assert out.read_bytes().startswith(b"%PDF") and pdf_pages(out.read_bytes()) == 1
        assert list(scratch.iterdir()) == []  # the private folder, and LibreOffice's TMPDIR files in it, are gone
        assert [p.name for p in out.parent.iterdir()] == ["r.pdf"]  # no temporary file of the writer either

    def test_a_failed_conversion_is_exit_two_and_leaves_nothing(self, gap_bureau: Path, rules_dir: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch, cli) -> None:  # type: ignore[no-untyped-def]
        scratch = _fake_office(tmp_path, monkeypatch)
        monkeypatch.setenv("FAIL", "1")
        out = tmp_path / "r.pdf"
        code, _, err = cli("report", str(gap_bureau), "--rules", str(rules_dir), "--as-of", "2020-12-31", "--output", str(out))
        assert code == 2 and "LibreOffice 未能生成 PDF" in err and "conversion failed" in err and "Traceback" not in err
        assert not out.exists() and list(scratch.iterdir()) == []


def pdf_pages(data: bytes) -> int:
    """Pages of a PDF, counted from its page objects (/Type /Page, not /Pages): no PDF library needed."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))



PDFTOTEXT = shutil.which("pdftotext")


def body_pages(pdf: Path, pages: int) -> int:
    """Pages before the first appendix (a page whose first line is 附件…), read with poppler's pdftotext."""
    import subprocess

    for page in range(1, pages + 1):
        text = subprocess.run([str(PDFTOTEXT), "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines and lines[0].replace(" ", "").startswith("附件"):
            return page - 1
    return pages


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui fonts-noto-cjk)")
@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler's pdftotext not installed (apt-get install poppler-utils)")
@pytest.mark.parametrize(("fixture", "as_of", "body_most", "most"),
                         [("district-bureau-2020", "2020-12-31", 6, 11), ("troubled-bureau-2021", "2021-12-31", 10, 62)])
def test_fixture_reports_page_count(fixture: str, as_of: str, body_most: int, most: int, tmp_path: Path) -> None:
    """The body the meeting reads stays short: measured with LibreOffice 7.4 and Noto CJK, the seed year is 5
    body pages of 8, the troubled year 9 of 56 (11 of 58 before the overview table went to 小五 with exact
    cell line pitch; its body was 54 pages before the gaps were briefed in the
    body and detailed in the appendix). The bounds leave a page or so for another office program's fonts."""
    folder = FIXTURES / fixture
    day = dt.date.fromisoformat(as_of)
    result = run_check(folder, DEFAULT_RULES, day, 30)
    report = build_report(result, load_rulebook(DEFAULT_RULES), load_bureau(folder), 30, load_settings(folder))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render(report, "pdf"))
    pages = pdf_pages(pdf.read_bytes())
    body = body_pages(pdf, pages)
    print(f"{fixture}: body {body} of {pages} pages")
    assert 1 <= body < pages <= most and body <= body_most
