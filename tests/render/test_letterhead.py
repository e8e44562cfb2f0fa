"""The authority's letterhead (`--riferimento carta-intestata.docx`): its headers, footers and page setup survive."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import docx
import pytest
from docx.shared import Cm

from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.letterhead import has_content, header_texts
from tests.conftest import MELZO

NAME = "COMUNE DI CERNUSCO SUL NAVIGLIO"
FIRST = "Città metropolitana di Milano · prima pagina"
FOOTER = "Via Tizio 1, 20063 · PEC protocollo@pec.example.it"


def png(width: int = 8, height: int = 8) -> bytes:
    """A small valid PNG (the coat of arms of the test)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def letterhead(path: Path, *, distinct_first: bool = True) -> Path:
    """A letterhead as an office makes it in Word: coat of arms and name on top, its own footer, its own margins."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(3)
    section.top_margin = Cm(3.5)
    section.different_first_page_header_footer = distinct_first
    header = section.header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(png()), width=Cm(1.5))
    header.add_run(NAME)
    section.footer.paragraphs[0].add_run(FOOTER)
    if distinct_first:
        first = section.first_page_header.paragraphs[0]
        first.add_run().add_picture(io.BytesIO(png(16, 16)), width=Cm(3))
        first.add_run(FIRST)
    document.save(str(path))
    return path


@pytest.fixture
def built_on(tmp_path: Path):
    """The Melzo capitolato built with `capitolato build --riferimento`."""

    def build_with(reference: Path, *extra: str) -> Path:
        out = tmp_path / "out"
        result = CliRunner().invoke(app, ["build", str(MELZO), "-o", str(out), "--riferimento", str(reference),
                                          "--force", *extra])
        assert result.exit_code == 0, result.output
        return next(out.glob("capitolato-speciale_*.docx"))

    return build_with


def test_letterhead_headers_footers_images_and_margins(tmp_path: Path, built_on) -> None:
    reference = letterhead(tmp_path / "carta-intestata.docx")
    output = built_on(reference)
    result = docx.Document(str(output))
    section = result.sections[0]
    texts = header_texts(section)
    assert NAME in texts["header"] and FIRST in texts["first_page_header"]
    assert FOOTER in texts["footer"]
    assert texts["first_page_footer"] == "" or FOOTER not in texts["first_page_footer"]
    for part in (section.header.part, section.first_page_header.part):
        images = [rel for rel in part.rels.values() if rel.reltype.endswith("/image")]
        assert images and images[0].target_part.blob.startswith(b"\x89PNG")
        embeds = {node.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
                  for node in part.element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")}
        assert embeds and embeds <= set(part.rels)
    def mm(length: int) -> int:
        return round(length / 36000)

    assert [mm(v) for v in (section.left_margin, section.right_margin, section.top_margin)] == [30, 30, 35]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)


def test_a_letterhead_without_a_first_page_heads_the_cover_too(tmp_path: Path, built_on) -> None:
    reference = letterhead(tmp_path / "semplice.docx", distinct_first=False)
    output = built_on(reference)
    section = docx.Document(str(output)).sections[0]
    texts = header_texts(section)
    assert NAME in texts["header"] and NAME in texts["first_page_header"]
    assert FOOTER in texts["footer"]


def test_empty_parts_of_the_letterhead_keep_ours(tmp_path: Path, built_on) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].add_run(NAME)
    reference = tmp_path / "solo-intestazione.docx"
    document.save(str(reference))
    output = built_on(reference)
    section = docx.Document(str(output)).sections[0]
    texts = header_texts(section)
    assert NAME in texts["header"]
    assert "Pagina" in texts["footer"]  # the letterhead has no footer: ours stays


def test_has_content() -> None:
    section = docx.Document().sections[0]
    assert not has_content(section.header._element)
    section.header.paragraphs[0].add_run("  ")
    assert not has_content(section.header._element)
    section.header.paragraphs[0].add_run("Ente")
    assert has_content(section.header._element)


def test_a_draft_keeps_its_notice_under_the_letterhead(tmp_path: Path, built_on) -> None:
    from capitolato.render.meta import DRAFT_NOTICE

    reference = letterhead(tmp_path / "carta-intestata.docx")
    section = docx.Document(str(built_on(reference, "--bozza"))).sections[0]
    texts = header_texts(section)
    assert NAME in texts["header"] and DRAFT_NOTICE in texts["header"]
