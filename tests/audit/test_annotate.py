"""`--annota`: a copy of the Word file with each finding as a comment on its paragraph; the original untouched."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.readers.docx import body_elements
from tests.audit.synthetic import tender

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _broken(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    return tender(tmp_path / "bando.docx", replace={
        "clausola": None,
        "ccnl": "All'appalto si applica il CCNL delle cooperative sociali, ai sensi dell'art. 30 del d.lgs. 36/2023."})


def test_comments_on_the_paragraphs_of_the_findings(tmp_path: Path) -> None:
    source, at = _broken(tmp_path)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    target = tmp_path / "bando-annotato.docx"
    result = CliRunner().invoke(app, ["check", str(source), "--annota", str(target)])
    assert result.exit_code == 1, result.stderr
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    word = docx.Document(str(target))
    comments = list(word.comments)
    assert {c.author for c in comments} == {"capitolato"}
    texts = [c.text for c in comments]
    assert any(t.startswith("TXT003 (avviso)") and "Base giuridica: art. 11" in t and "Correzione suggerita" in t
               for t in texts)
    elements = list(body_elements(word))
    anchored = {i for i, e in enumerate(elements, start=1) if e.find(f".//{W}commentRangeStart") is not None}
    assert {at["ccnl"], at["titolo"]} <= anchored


def test_existing_copy_needs_force_and_the_source_is_never_the_target(tmp_path: Path) -> None:
    source, _ = _broken(tmp_path)
    target = tmp_path / "copia.docx"
    target.write_bytes(b"da non perdere")
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(source), "--annota", str(target)])
    assert result.exit_code == 2 and "--force" in result.stderr and target.read_bytes() == b"da non perdere"
    assert runner.invoke(app, ["check", str(source), "--annota", str(target), "--force"]).exit_code == 1
    assert docx.Document(str(target)).comments
    result = runner.invoke(app, ["check", str(source), "--annota", str(source), "--force"])
    assert result.exit_code == 2 and "non può sostituire" in result.stderr


def test_annotate_needs_a_single_word_file(tmp_path: Path) -> None:
    source, _ = _broken(tmp_path)
    other, _ = tender(tmp_path / "altro.docx")
    result = CliRunner().invoke(app, ["check", str(source), str(other), "--annota", str(tmp_path / "x.docx")])
    assert result.exit_code == 2 and "un solo documento Word" in result.stderr


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) non installato")
def test_libreoffice_shows_the_comments(tmp_path: Path) -> None:
    source, _ = _broken(tmp_path)
    target = tmp_path / "annotato.docx"
    CliRunner().invoke(app, ["check", str(source), "--annota", str(target)])
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profilo'}", "--headless", "--convert-to",
                    "odt", "--outdir", str(tmp_path / "odt"), str(target)], check=True, capture_output=True, timeout=180)
    import zipfile

    content = zipfile.ZipFile(tmp_path / "odt" / "annotato.odt").read("content.xml").decode()
    assert content.count("<office:annotation") >= 2 and "capitolato" in content and "TXT007" in content


MARGIN_PDF = ('pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"},'
              '"ExportNotesInMargin":{"type":"boolean","value":"true"}}')


def _comments_in_pdf(path: Path) -> list[tuple[str, str, float, float]]:
    """(author, text, top of the note, page height) of each comment of the PDF, as LibreOffice exports it beside
    the text in the margin: a note annotation on its paragraph."""
    import pdfplumber
    from pdfminer.pdftypes import resolve1

    def text(value: object) -> str:
        raw = value if isinstance(value, bytes) else b""
        return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")

    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for annot in (resolve1(a) for a in resolve1(page.page_obj.annots) or []):
                if annot.get("Subtype") is not None and annot["Subtype"].name == "Text":
                    rect = resolve1(annot["Rect"])
                    found.append((text(annot.get("T")), text(annot.get("Contents")), page.height - rect[3],
                                  page.height))
    return found


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) non installato")
def test_pdf_of_the_annotated_copy_carries_the_comments_on_their_paragraphs(tmp_path: Path) -> None:
    """The annotated copy, converted by LibreOffice to PDF with its comments, has each comment beside the paragraph
    of its finding: the title (TXT007, whole document) and the CCNL paragraph (TXT003)."""
    import pdfplumber

    source, _ = _broken(tmp_path)
    target = tmp_path / "annotato.docx"
    CliRunner().invoke(app, ["check", str(source), "--annota", str(target)])
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profilo'}", "--headless", "--convert-to",
                    MARGIN_PDF, "--outdir", str(tmp_path / "pdf"), str(target)],
                   check=True, capture_output=True, timeout=180)
    pdf_path = tmp_path / "pdf" / "annotato.pdf"
    comments = _comments_in_pdf(pdf_path)
    assert {author.split(",")[0] for author, *_ in comments} == {"capitolato"}
    by_code = {body.split(" ")[0]: top for _, body, top, _ in comments}
    assert set(by_code) == {"TXT003", "TXT007"}
    with pdfplumber.open(pdf_path) as pdf:
        words, width = pdf.pages[0].extract_words(), pdf.pages[0].width
    title = next(w["top"] for w in words if w["text"] == "COMUNE")
    ccnl = next(w["top"] for w in words if w["text"] == "CCNL")
    assert abs(by_code["TXT007"] - title) < 12
    assert ccnl - 12 < by_code["TXT003"] < ccnl + 40
    assert any("Base giuridica: art. 11" in body for _, body, *_ in comments)
    _assert_printed_in_the_margin(words, width, {"TXT007": "COMUNE", "TXT003": "CCNL"})


def _assert_printed_in_the_margin(words: list[dict], width: float, anchors: dict[str, str]) -> None:
    """The comment is printed in a column right of the text (LibreOffice 7.6 or later: .ci/run installs it), at
    the height of its paragraph: in the last 30 % of the page, on the line of the paragraph's word."""
    version = subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.strip()
    for code, anchor_text in anchors.items():
        anchor = min((w for w in words if w["text"] == anchor_text), key=lambda w: w["x0"])
        printed = [w for w in words if w["text"] == code]
        assert printed, f"{code} non stampato a margine (serve LibreOffice 7.6 o successivo; c'è {version})"
        assert printed[0]["x0"] > 0.7 * width > anchor["x1"] and abs(printed[0]["top"] - anchor["top"]) < 12, printed
