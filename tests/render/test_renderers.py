"""Tests for the renderers of the typed document: Word, HTML, Markdown, PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from capitolato.document import model
from capitolato.document.markdown_reader import read_markdown
from capitolato.document.tables import block, cell
from capitolato.errors import OutputError
from capitolato.fsutil import atomic_write_bytes
from capitolato.render.docx import render_docx
from capitolato.render.errors import ReferenceDocError
from capitolato.render.html import render_html
from capitolato.render.markdown import render_markdown
from capitolato.render.meta import DocumentMeta
from capitolato.render.pdf import docx_to_pdf

REPO = Path(__file__).resolve().parents[2]

SAMPLE = """\
# Art. 1 – Oggetto

Il **capitolato** disciplina il *servizio* di `assistenza`: {{ x }} <script>alert(1)</script>.
Riga uno\\
riga due.

## Art. 2 – Durata

- primo
- secondo
  - annidato

1. uno
2. due

Paragrafo tra le liste.

1. di nuovo uno

> Citazione.

| Voce | Importo |
|:-----|--------:|
| Base | 100,00 |

⟦TABELLA⟧

---

### Art. 3 – Norme finali

Fine.
"""


CRITERIA = block([("Codice", 2.0, None), ("Criterio", 9.0, None), ("Punti", 2.0, "right")],
                 [[cell("A", rows=3), "Progetto di gestione", "57"], ["a.1 Chiarezza", "27"], ["a.2 Coerenza", "30"],
                  [cell("B – Offerta economica", columns=2), "20"]],
                 total=["", "Totale", "80"], caption="Tabella 1 – Criteri")


def sample() -> model.Document:
    """SAMPLE read into the model, with the criteria table where the marker stands."""
    before, after = SAMPLE.split("⟦TABELLA⟧")
    return model.Document("capitolato-speciale", "Capitolato speciale d'appalto",
                          (*read_markdown(before), CRITERIA, *read_markdown(after)))


def markdown_to_docx(_: str, out: Path, meta: DocumentMeta, reference: Path | None = None) -> None:
    out.write_bytes(render_docx(sample(), meta, reference))


def markdown_to_html(_: str, meta: DocumentMeta) -> str:
    return render_html(sample(), meta)


def _meta(**changes: object) -> DocumentMeta:
    base = dict(
        title="Capitolato speciale d'appalto", ente="Comune di Prova", date=dt.date(2026, 11, 24),
        subtitle="Servizio di assistenza domiciliare", office="Settore Servizi sociali",
        cig="A0123456789", cup="J12B34000000001", keywords="capitolato, servizi sociali",
    )
    base.update(changes)
    return DocumentMeta(**base)  # type: ignore[arg-type]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    out = tmp_path / "capitolato.docx"
    markdown_to_docx(SAMPLE, out, _meta())
    return out


def _xml(docx: Path, part: str) -> str:
    with zipfile.ZipFile(docx) as archive:
        return archive.read(part).decode("utf-8")


def _tables_xml(docx: Path) -> list[str]:
    return re.findall(r"<w:tbl>.*?</w:tbl>", _xml(docx, "word/document.xml"))


def test_headings_use_heading_styles(built: Path) -> None:
    doc = Document(str(built))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Art. 1 – Oggetto"),
        ("Heading 2", "Art. 2 – Durata"),
        ("Heading 3", "Art. 3 – Norme finali"),
    ]


def test_inline_formatting_and_hard_break(built: Path) -> None:
    doc = Document(str(built))
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("Il capitolato"))
    runs = {r.text: r for r in paragraph.runs}
    assert runs["capitolato"].bold and runs["servizio"].italic
    assert "Riga uno\nriga due." in paragraph.text


def test_lists_use_list_styles_and_numbering_restarts(built: Path) -> None:
    doc = Document(str(built))
    styled = {p.text: p for p in doc.paragraphs if p.style.name.startswith("List")}
    assert styled["primo"].style.name == "List Bullet"
    assert styled["annidato"].style.name == "List Bullet 2"
    assert styled["uno"].style.name == "List Number"

    def num(p: object) -> tuple[str, str]:
        num_pr = p._p.pPr.numPr  # type: ignore[attr-defined]
        return num_pr.ilvl.val, num_pr.numId.val

    assert num(styled["annidato"])[0] == 1
    assert num(styled["uno"]) == num(styled["due"])
    assert num(styled["uno"])[1] != num(styled["di nuovo uno"])[1]
    assert next(p for p in doc.paragraphs if p.text == "Citazione.").style.name == "Quote"


def test_tabella_block_is_a_fixed_merged_accessible_table(built: Path) -> None:
    doc = Document(str(built))
    assert len(doc.tables) == 2
    xml = _tables_xml(built)[1]
    assert '<w:tblStyle w:val="Tabellacapitolato"/>' in xml
    assert '<w:tblLayout w:type="fixed"/>' in xml
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', xml)]
    assert 9060 <= sum(widths) <= 9072  # declared 2 + 9 + 2 cm, scaled to the 16 cm text block
    assert widths[0] == widths[2] and round(widths[1] / widths[0], 1) == 4.5
    rows = re.findall(r"<w:tr>.*?</w:tr>", xml)
    assert len(rows) == 6
    assert "<w:tblHeader/>" in rows[0] and "<w:tblHeader/>" not in rows[1]
    assert rows[1].count('<w:vMerge w:val="restart"/>') == 1
    assert rows[2].count("<w:vMerge/>") == 1 and rows[3].count("<w:vMerge/>") == 1
    assert '<w:gridSpan w:val="2"/><' in rows[4] and f'<w:tcW w:w="{widths[0] + widths[1]}" w:type="dxa"/>' in rows[4]
    assert all(cell.count("<w:tcW ") == 1 for cell in re.findall(r"<w:tc>.*?</w:tc>", xml))
    assert rows[5].count("<w:b/>") == 2 and "Totale" in rows[5]
    assert '<w:jc w:val="right"/>' in rows[1]
    caption = next(p for p in doc.paragraphs if p.text == "Tabella 1 – Criteri")
    assert caption.style.name == "Caption"
    assert '<w:tblCaption w:val="Tabella 1 – Criteri"/>' in xml


def test_pipe_table_gets_header_row_and_widths_from_content(built: Path) -> None:
    xml = _tables_xml(built)[0]
    assert "<w:tblHeader/>" in xml
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', xml)]
    assert len(widths) == 2 and 9060 <= sum(widths) <= 9072 and min(widths) >= 567


def test_cover_toc_and_update_fields(built: Path) -> None:
    doc = Document(str(built))
    texts = [p.text for p in doc.paragraphs[:12]]
    for expected in ("Comune di Prova", "Settore Servizi sociali", "Capitolato speciale d'appalto",
                     "CIG: A0123456789", "CUP: J12B34000000001", "24 novembre 2026", "Indice"):
        assert expected in texts
    body = _xml(built, "word/document.xml")
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    assert body.count("PAGEREF _Toc") == 3
    assert '<w:updateFields w:val="true"/>' in _xml(built, "word/settings.xml")


def test_core_properties_and_language(built: Path) -> None:
    props = Document(str(built)).core_properties
    assert props.title == "Capitolato speciale d'appalto"
    assert props.author == "Comune di Prova"
    assert props.subject == "Servizio di assistenza domiciliare"
    assert props.keywords == "capitolato, servizi sociali"
    assert props.language == "it-IT"
    assert props.created == props.modified == props.last_printed == dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    assert props.revision == 1
    assert props.last_modified_by == ""
    styles = _xml(built, "word/styles.xml")
    assert re.search(r'<w:docDefaults>.*<w:lang w:val="it-IT"', styles, re.S)
    assert 'w:val="en-US"' not in styles
    with zipfile.ZipFile(built) as archive:
        assert not [n for n in archive.namelist() if "thumbnail" in n]


def test_header_and_footer(tmp_path: Path) -> None:
    out = tmp_path / "bozza.docx"
    markdown_to_docx(SAMPLE, out, _meta(draft=True))
    section = Document(str(out)).sections[0]
    assert section.different_first_page_header_footer
    header_text = "\n".join(p.text for p in section.header.paragraphs)
    assert "Comune di Prova" in header_text and "BOZZA – documento non definitivo" in header_text
    footer = section.footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert "Pagina " in "".join(t.text or "" for t in section.footer._element.iter(qn("w:t")))


def test_output_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    markdown_to_docx(SAMPLE, first, _meta())
    markdown_to_docx(SAMPLE, second, _meta())
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_source_date_epoch_sets_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    markdown_to_docx(SAMPLE, first, _meta())
    markdown_to_docx(SAMPLE, second, _meta())
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    assert Document(str(first)).core_properties.created == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    markdown_to_docx(SAMPLE, first, _meta())
    with zipfile.ZipFile(first) as archive:
        assert archive.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_template_syntax_and_html_stay_literal(built: Path) -> None:
    text = "\n".join(p.text for p in Document(str(built)).paragraphs)
    assert "{{ x }}" in text and "<script>alert(1)</script>" in text
    page = markdown_to_html(SAMPLE, _meta(title="<b>Titolo</b>"))
    assert "{{ x }}" in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Titolo&lt;/b&gt;" in page


def test_html_page_structure() -> None:
    page = markdown_to_html(SAMPLE, _meta(draft=True))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="it">' in page
    assert '<a href="#art-1-oggetto">Art. 1 – Oggetto</a>' in page
    assert '<h1 id="art-1-oggetto">' in page
    assert '<th scope="col">Codice</th>' in page
    assert '<td rowspan="3">A</td>' in page and '<td colspan="2">B – Offerta economica</td>' in page
    assert '<tr class="totale">' in page and "<caption>Tabella 1 – Criteri</caption>" in page
    assert "CIG: A0123456789" in page and "BOZZA – documento non definitivo" in page


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _plain_docx() -> bytes:
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def _with_content_type(data: bytes, old: bytes, new: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(old, new)
    return _zip(entries)


MAIN_CT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.mark.parametrize(("make", "message"), [
    (lambda: b"questo non e' uno zip", "non è un archivio ZIP"),
    (lambda: _plain_docx()[:-200] + b"\0" * 200, "danneggiato|ZIP"),
    (lambda: _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>",
                   "word/media/enorme.bin": b"\0" * (51 * 1024 * 1024)}), "50 MB"),
    (lambda: _with_content_type(_plain_docx(), MAIN_CT,
                                b"application/vnd.ms-word.document.macroEnabled.main+xml"), "macro"),
    (lambda: _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>",
                   "word/vbaProject.bin": b"x"}), "macro"),
    (lambda: _zip({"[Content_Types].xml": b"<Types/>"}), "word/document.xml"),
])
def test_bad_reference_documents_are_rejected(tmp_path: Path, make: object, message: str) -> None:
    reference = tmp_path / "riferimento.docx"
    reference.write_bytes(make())  # type: ignore[operator]
    with pytest.raises(ReferenceDocError, match=message) as info:
        markdown_to_docx(SAMPLE, tmp_path / "out.docx", _meta(), reference=reference)
    assert info.value.message
    assert not (tmp_path / "out.docx").exists()


def test_corrupt_entry_fails_integrity_check(tmp_path: Path) -> None:
    data = bytearray(_plain_docx())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/styles.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 100
    data[start:start + 50] = b"\x55" * 50
    reference = tmp_path / "rotto.docx"
    reference.write_bytes(bytes(data))
    with pytest.raises(ReferenceDocError, match="danneggiato"):
        markdown_to_docx(SAMPLE, tmp_path / "out.docx", _meta(), reference=reference)


def test_user_reference_gets_missing_styles(tmp_path: Path) -> None:
    reference = tmp_path / "semplice.docx"
    reference.write_bytes(_plain_docx())
    out = tmp_path / "out.docx"
    markdown_to_docx(SAMPLE, out, _meta(), reference=reference)
    doc = Document(str(out))
    assert "Tabella capitolato" in [s.name for s in doc.styles]
    assert doc.tables[1].style.name == "Tabella capitolato"
    assert "Art. 1 – Oggetto" in [p.text for p in doc.paragraphs]


def _tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 4, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\0" + b"\x1f\x38\x64" * 4 for _ in range(2)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_logo_has_alt_text(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(_tiny_png())
    out = tmp_path / "logo.docx"
    markdown_to_docx(SAMPLE, out, _meta(logo=logo, logo_alt="Stemma del Comune di Prova"))
    assert re.search(r'<wp:docPr [^>]*descr="Stemma del Comune di Prova"', _xml(out, "word/document.xml"))
    page = markdown_to_html(SAMPLE, _meta(logo=logo, logo_alt="Stemma del Comune di Prova"))
    assert 'alt="Stemma del Comune di Prova"' in page and "data:image/png;base64," in page


def test_atomic_write_removes_temp_file_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "file.bin"
    out.write_bytes(b"vecchio")

    def fail(src: object, dst: object) -> None:
        raise OSError("disco pieno")

    monkeypatch.setattr("capitolato.fsutil.os.replace", fail)
    with pytest.raises(OutputError, match="impossibile scrivere il file: disco pieno"):
        atomic_write_bytes(out, b"nuovo")
    assert out.read_bytes() == b"vecchio"
    assert list(tmp_path.iterdir()) == [out]
    monkeypatch.undo()
    atomic_write_bytes(out, b"nuovo")
    assert out.read_bytes() == b"nuovo"


def test_shipped_reference_is_reproducible(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("genera_riferimento", REPO / "scripts" / "genera_riferimento.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == (REPO / "templates" / "riferimento.docx").read_bytes()


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice (soffice) non installato: conversione PDF non verificabile")
def test_pdf_conversion(built: Path, tmp_path: Path) -> None:
    pdf = docx_to_pdf(built, tmp_path / "pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
        assert "Tagged:          yes" in info
    else:
        pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 2
    assert b"pdfaid:part>2<" in data
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert re.search(r"Art\. 1 – Oggetto\.{3,}\s*\d+", text), "indice senza numeri di pagina"
    if shutil.which("pdftoppm"):
        artifacts = REPO / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(artifacts / "capitolato")],
                       check=True)
        assert list(artifacts.glob("capitolato-*1.png"))


def test_markdown_output_is_readable_commonmark_without_json() -> None:
    text = render_markdown(sample())
    assert "```tabella" not in text and '{"' not in text
    assert "*Tabella 1 – Criteri*" in text
    assert "| Codice | Criterio | Punti |" in text and "| **A** |" not in text
    assert "| A | Progetto di gestione | 57 |" in text and "|  | a.1 Chiarezza | 27 |" in text
    assert "| **Totale** | **80** |" in text.replace("|  | **Totale**", "| **Totale**")
    assert "\\{\\{ x \\}\\}" not in text and "\\<script>" in text


def test_subscripts_are_real_in_word_and_html_and_plain_in_markdown(tmp_path: Path) -> None:
    document = model.Document("disciplinare", "Disciplinare di gara",
                              tuple(read_markdown("Il coefficiente V(a)~i~ = R~i~ / R~max~; 10^3^ m.")))
    out = tmp_path / "formula.docx"
    out.write_bytes(render_docx(document, _meta()))
    xml = _xml(out, "word/document.xml")
    assert xml.count('<w:vertAlign w:val="subscript"/>') == 3 and xml.count('w:val="superscript"') == 1
    assert "&lt;sub" not in xml and "~" not in xml
    page = render_html(document, _meta())
    assert "V(a)<sub>i</sub> = R<sub>i</sub> / R<sub>max</sub>" in page and "10<sup>3</sup>" in page
    assert "V(a)i = Ri / Rmax" in render_markdown(document)
