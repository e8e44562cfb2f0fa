"""The Word index shows its page numbers on first opening: computed with LibreOffice, or the field and a note."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.toc_pages import ENVIRONMENT, NOTE_NO_LIBREOFFICE
from tests.conftest import MELZO

runner = CliRunner()
TOOLS = shutil.which("soffice") or shutil.which("libreoffice"), shutil.which("pdftotext")


def _build(tmp_path: Path) -> tuple[Path, str]:
    result = runner.invoke(app, ["build", str(MELZO), "-o", str(tmp_path), "--force"])
    assert result.exit_code == 0, result.output
    return next(tmp_path.glob("capitolato-speciale_*.docx")), result.stderr


def _xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


@pytest.mark.skipif(not all(TOOLS), reason="servono LibreOffice e pdftotext (.ci/run li installa)")
def test_index_page_numbers_are_computed_and_word_does_not_ask(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    path, output = _build(tmp_path)
    document = _xml(path, "word/document.xml")
    results = re.findall(r'PAGEREF _Toc\d+ \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                         r'<w:r><w:t>(\d+)</w:t></w:r>', document)
    entries = document.count("PAGEREF _Toc")
    assert entries >= 10 and len(results) == entries
    pages = [int(page) for page in results]
    assert pages == sorted(pages) and pages[0] >= 3 and pages[-1] > pages[0]
    assert "updateFields" not in _xml(path, "word/settings.xml")
    assert NOTE_NO_LIBREOFFICE not in output


def test_without_libreoffice_the_field_stays_and_the_build_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(ENVIRONMENT, "campo")
    path, output = _build(tmp_path)
    assert '<w:updateFields w:val="true"/>' in _xml(path, "word/settings.xml")
    assert "indice senza numeri di pagina" in " ".join(output.split())
