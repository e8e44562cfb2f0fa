"""Class 3 — the letterhead carries only what a letterhead is. Hostile reference documents are built in the test
(python-docx, then zip edits); whatever they carry, the output has no external relationship, no template to
fetch, no comment, variable, person's name, OLE object, altChunk or unused media, and keeps the header with its
logo."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from capitolato.cli.app import app
from capitolato.render.reference import sanitised_reference
from tests.conftest import MELZO
from tests.hardening import hostile_docx
from tests.hardening.helpers import runner


def _saved(path: Path) -> bytes:
    buffer = io.BytesIO()
    sanitised_reference(path).save(buffer)
    return buffer.getvalue()


def test_the_hostile_fixture_really_is_hostile(tmp_path: Path) -> None:
    """Guard against a test that cannot fail: unsanitised, the file leaks every feature."""
    data = hostile_docx.hostile(hostile_docx.FEATURES)
    assert len(hostile_docx.leaks(data)) >= len(hostile_docx.FEATURES)
    Document(io.BytesIO(data))


@pytest.mark.parametrize("feature", hostile_docx.FEATURES)
def test_each_hostile_feature_is_dropped(tmp_path: Path, feature: str) -> None:
    reference = hostile_docx.write(tmp_path / "carta.docx", [feature])
    assert hostile_docx.leaks(_saved(reference)) == []


@given(st.sets(st.sampled_from(hostile_docx.FEATURES)))
def test_any_reference_gives_a_package_without_external_parts(features: set[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        reference = hostile_docx.write(Path(scratch) / "carta.docx", sorted(features))
        data = _saved(reference)
    assert hostile_docx.leaks(data) == []
    document = Document(io.BytesIO(data))
    assert "Comune di Prova" in document.sections[0].header.paragraphs[0].text
    assert not document.element.body.findall("{*}p")


def test_the_built_documents_keep_the_letterhead_and_nothing_else(tmp_path: Path) -> None:
    reference = hostile_docx.write(tmp_path / "carta.docx", hostile_docx.FEATURES)
    out = tmp_path / "uscita"
    result = runner.invoke(app, ["build", str(MELZO), "-o", str(out), "--riferimento", str(reference)])
    assert result.exit_code == 0, result.output
    outputs = sorted(out.glob("*.docx"))
    assert outputs
    for output in outputs:
        data = output.read_bytes()
        assert hostile_docx.leaks(data) == [], output
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            media = [name for name in archive.namelist() if name.startswith("word/media/")]
            assert all(archive.getinfo(name).file_size < 100_000 for name in media)
        document = Document(output)
        assert "Testo della carta intestata" not in "\n".join(p.text for p in document.paragraphs)
        assert any("Melzo" in p.text or "Servizi" in p.text for p in document.paragraphs)


@pytest.mark.parametrize("kind", ["fifo", "device", "loop", "dangling"])
def test_a_reference_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    import os

    reference = tmp_path / "carta.docx"
    if kind == "fifo":
        os.mkfifo(reference)
    elif kind == "device":
        reference.symlink_to("/dev/zero")
    elif kind == "loop":
        reference.symlink_to(reference)
    else:
        reference.symlink_to(tmp_path / "manca.docx")
    result = runner.invoke(app, ["build", str(MELZO), "-o", str(tmp_path / "u"), "--riferimento", str(reference)])
    assert result.exit_code == 2, result.output
    assert "carta.docx" in result.stderr and "Traceback" not in result.output
