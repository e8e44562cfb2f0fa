"""The Word index shows its page numbers on first opening: computed with LibreOffice (from the PDF the build writes
anyway, or from a layout made for the index), or the field and a note saying why."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato import toc_pages
from capitolato.toc_pages import ENVIRONMENT, KEEP_FIELD, NOTE_KEPT_FIELD, NOTE_NO_LIBREOFFICE
from tests.conftest import MELZO

runner = CliRunner()
TOOLS = shutil.which("soffice") or shutil.which("libreoffice"), shutil.which("pdftotext")


def _build(tmp_path: Path, *options: str) -> tuple[Path, str]:
    result = runner.invoke(app, ["build", str(MELZO), "-o", str(tmp_path), "--force", *options])
    assert result.exit_code == 0, result.output
    return next(tmp_path.glob("capitolato-speciale_*.docx")), result.stderr


def _xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


def _page_numbers(path: Path) -> list[int]:
    document = _xml(path, "word/document.xml")
    results = re.findall(r'PAGEREF _Toc\d+ \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                         r'<w:r><w:t>(\d+)</w:t></w:r>', document)
    entries = document.count("PAGEREF _Toc")
    assert entries >= 10 and len(results) == entries
    return [int(page) for page in results]


@pytest.mark.skipif(not all(TOOLS), reason="servono LibreOffice e pdftotext (.ci/run li installa)")
def test_by_default_the_index_page_numbers_are_computed_and_word_does_not_ask(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    path, output = _build(tmp_path)
    pages = _page_numbers(path)
    assert pages == sorted(pages) and pages[0] >= 3 and pages[-1] > pages[0]
    assert "updateFields" not in _xml(path, "word/settings.xml")
    assert "indice senza numeri di pagina" not in " ".join(output.split())


@pytest.mark.skipif(not all(TOOLS), reason="servono LibreOffice e pdftotext (.ci/run li installa)")
def test_beside_a_pdf_the_numbers_come_from_its_one_conversion(tmp_path: Path, monkeypatch) -> None:
    from capitolato.render import pdf

    conversions = []
    convert = pdf.docx_to_pdf
    monkeypatch.setattr(pdf, "docx_to_pdf", lambda *args, **kwargs: conversions.append(args) or convert(*args, **kwargs))
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    path, output = _build(tmp_path, "--formato", "docx", "--formato", "pdf")
    assert len(conversions) == len(list(tmp_path.glob("*.pdf"))) == 2
    pages = _page_numbers(path)
    assert pages == sorted(pages) and pages[0] >= 3
    assert "updateFields" not in _xml(path, "word/settings.xml")
    assert "indice senza numeri di pagina" not in " ".join(output.split())


def test_the_field_chosen_keeps_libreoffice_out_and_the_build_says_so(tmp_path: Path, monkeypatch) -> None:
    from capitolato.render import pdf

    monkeypatch.setattr(pdf, "docx_to_pdf", lambda *_a, **_k: pytest.fail("LibreOffice run with the field chosen"))
    monkeypatch.setenv(ENVIRONMENT, KEEP_FIELD)
    path, output = _build(tmp_path)
    assert '<w:updateFields w:val="true"/>' in _xml(path, "word/settings.xml")
    assert " ".join(NOTE_KEPT_FIELD.split()) in " ".join(output.split())


def test_without_libreoffice_the_field_stays_and_the_build_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    monkeypatch.setattr(toc_pages.shutil, "which", lambda _name: None)
    path, output = _build(tmp_path)
    assert '<w:updateFields w:val="true"/>' in _xml(path, "word/settings.xml")
    assert " ".join(NOTE_NO_LIBREOFFICE.split()) in " ".join(output.split())
