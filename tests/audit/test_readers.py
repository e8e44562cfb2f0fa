"""Readers: Word, PDF and OpenDocument files into the document model, with headings numbered by hand recognised and
every block positioned."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from capitolato.document.model import Heading, Paragraph, Table, plain_text
from capitolato.readers import DocumentError, read_document
from tests.audit.synthetic import tender

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-tenders" / "mauriziano-2025"
DISCIPLINARE = REAL / "DISCIPLINARE_DI_GARA_RETTIFICATO.pdf"


def _at(document, paragraph: int):
    return next(b for b in document.blocks if b.position and b.position.paragraph == paragraph)


def test_docx_headings_numbered_by_hand_and_bold(tmp_path: Path) -> None:
    path, at = tender(tmp_path / "bando.docx")
    document = read_document(path)
    expected = {"art1": (2, "Art. 1"), "art2": (2, "ARTICOLO 2"), "criteri": (3, "3.1"), "sezione": (1, "SEZIONE III"),
                "penali_titolo": (3, "II.1)"), "documento": (3, None)}
    for marker, (level, number) in expected.items():
        block = _at(document, at[marker])
        assert isinstance(block, Heading), marker
        assert (block.level, block.number) == (level, number), marker
    assert plain_text(_at(document, at["art1"]).inlines) == "Oggetto dell'appalto"
    assert isinstance(_at(document, at["oggetto"]), Paragraph)


def test_docx_table_is_a_table_at_its_place(tmp_path: Path) -> None:
    path, at = tender(tmp_path / "bando.docx")
    table = _at(read_document(path), at["griglia"])
    assert isinstance(table, Table)
    assert [plain_text(c.title) for c in table.columns] == ["Criterio", "Punti max"]
    assert [plain_text(cell.inlines) for cell in table.rows[-1]] == ["TOTALE", "70"]


def test_long_bold_sentence_and_numbered_list_item_are_paragraphs(tmp_path: Path) -> None:
    sentence = "Art. 5 del presente capitolato si applica anche ai servizi aggiuntivi eventualmente richiesti " \
               "dall'amministrazione nel corso dell'esecuzione del contratto, alle medesime condizioni."
    path, at = tender(tmp_path / "bando.docx", extra=[("frase", sentence, False), ("voce", "1. il personale impiegato "
                                                                                  "è in possesso dei titoli richiesti;", False)])
    document = read_document(path)
    assert isinstance(_at(document, at["frase"]), Paragraph)
    assert isinstance(_at(document, at["voce"]), Paragraph)


def test_odt_reader(tmp_path: Path) -> None:
    content = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">
<office:automatic-styles><style:style style:name="P1" style:family="paragraph">
<style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles>
<office:body><office:text>
<text:p text:style-name="P1">Art. 4 – Penali</text:p>
<text:p>Per ogni giorno di ritardo si applica una penale pari all'1 per mille.</text:p>
<text:soft-page-break/>
<text:h text:outline-level="1">Criteri</text:h>
<table:table><table:table-row><table:table-cell><text:p>Criterio</text:p></table:table-cell>
<table:table-cell><text:p>Punti</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell><text:p>Qualità</text:p></table:table-cell>
<table:table-cell><text:p>70</text:p></table:table-cell></table:table-row></table:table>
<text:list><text:list-item><text:p>prima voce</text:p></text:list-item></text:list>
</office:text></office:body></office:document-content>"""
    import zipfile

    path = tmp_path / "bando.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    document = read_document(path)
    first, second, third, table = document.blocks[:4]
    assert isinstance(first, Heading) and first.number == "Art. 4" and first.position.paragraph == 1
    assert isinstance(second, Paragraph) and second.position.page == 1
    assert isinstance(third, Heading) and third.level == 1 and third.position.page == 2
    assert isinstance(table, Table) and plain_text(table.rows[0][1].inlines) == "70"


@pytest.mark.parametrize("name, data, message", [
    ("rotto.docx", b"non un file zip", "non si può aprire"),
    ("rotto.odt", b"non un file zip", "non si può aprire"),
    ("bando.doc", b"\xd0\xcf\x11\xe0", "non supportato"),
])
def test_unreadable_files_are_located_errors(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_scanned_pdf_has_a_clear_message(tmp_path: Path) -> None:
    pytest.importorskip("pdfplumber")
    from PIL import Image

    path = tmp_path / "scansione.pdf"
    Image.new("RGB", (600, 800), "white").save(path)
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert "scansione" in str(caught.value) and "OCR" in str(caught.value)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) non installato")
def test_pdf_of_a_word_tender_keeps_headings_and_grid(tmp_path: Path) -> None:
    pytest.importorskip("pdfplumber")
    path, _ = tender(tmp_path / "bando.docx")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    document = read_document(tmp_path / "bando.pdf")
    numbers = [b.number for b in document.blocks if isinstance(b, Heading)]
    assert ["Art. 1", "ARTICOLO 2", "Art. 3", "3.1", "SEZIONE III", "II.1)"] == [n for n in numbers if n]
    assert all(b.position and b.position.page in (1, 2) and b.position.line for b in document.blocks)


@pytest.mark.skipif(not DISCIPLINARE.is_file(), reason="shared/real-tenders non disponibile")
def test_real_disciplinare_sections_and_tables(real_disciplinare) -> None:
    headings = [b for b in real_disciplinare.blocks if isinstance(b, Heading) and b.number]
    numbers = {h.number for h in headings}
    assert {"1", "3", "3.1", "8", "17.2", "10"} <= numbers
    tables = [b for b in real_disciplinare.blocks if isinstance(b, Table)]
    assert len(tables) >= 3 and all(t.position.page for t in tables)


def test_help_does_not_import_the_readers() -> None:
    code = ("import sys; from typer.testing import CliRunner; from capitolato.cli.app import app; "
            "CliRunner().invoke(app, ['--help']); "
            "print(sorted(m for m in ('pdfplumber', 'docx', 'capitolato.readers', 'capitolato.audit') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
