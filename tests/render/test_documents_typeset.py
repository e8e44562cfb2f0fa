"""Every example and preset, built to Word: Italian grammar of names, typography and tables that fit, on the XML."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from typer.testing import CliRunner

from capitolato import load_spec
from capitolato.cli.app import app
from capitolato.document.build import build
from capitolato.italian import bare_denominations
from tests.conftest import EXAMPLES
from tests.scaffold.test_presets_end_to_end import ESSENTIALS

runner = CliRunner()
NBSP = "\u00a0"
HEADING_STYLES = re.compile(r"^(Heading|Titolo) \d")


def _spec_strings(value: object) -> list[str]:
    """Every text of the spec (the officer's words, kept as written): lines and list items one by one."""
    if isinstance(value, str):
        return [line.strip() for line in re.split(r"[\n;]", value) if len(line.strip()) > 2]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _spec_strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _spec_strings(item)]
    return []


def _folders(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folders = sorted(path.parent for path in EXAMPLES.glob("*/capitolato.yaml"))
    for preset, essentials in sorted(ESSENTIALS.items()):
        folder = tmp_path_factory.mktemp(preset) / "gara"
        options = [f"--set={item}" for item in ["ente=Unione dei Comuni della Martesana", *essentials]]
        result = runner.invoke(app, ["new", str(folder), "--preset", preset, "--no-input", *options])
        assert result.exit_code == 0, result.output
        folders.append(folder)
    return folders


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, list[str], dict]]:
    """(docx, the spec's own texts, the authority) for every document of every example and preset."""
    built = []
    for folder in _folders(tmp_path_factory):
        spec = load_spec(folder)
        out = tmp_path_factory.mktemp("uscita")
        for path in build(spec, out, ("docx",), draft=True):
            data = spec.model_dump(by_alias=True, mode="json")
            built.append((path, sorted(set(_spec_strings(data)), key=len, reverse=True), data["ente"]))
    assert len(built) >= 15
    return built


def _paragraphs(document: docx.document.Document) -> list:
    section = document.sections[0]
    parts = [document, section.header, section.first_page_header, section.footer]
    cells = [p for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return [p for part in parts for p in part.paragraphs] + cells


def _generated(text: str, spec_texts: list[str]) -> str:
    """The text without the spec's own words (case-insensitive: some are printed lower-cased)."""
    for own in spec_texts:
        text = re.sub(re.escape(own), "\u2063", text, flags=re.IGNORECASE)
    return text


def test_no_preposition_before_a_bare_denomination(documents) -> None:
    for path, _, authority in documents:
        text = "\n".join(p.text for p in _paragraphs(docx.Document(str(path))))
        assert bare_denominations(text, authority) == [], path.name


def test_no_straight_apostrophe_or_quote_in_generated_text(documents) -> None:
    for path, spec_texts, _ in documents:
        for p in _paragraphs(docx.Document(str(path))):
            generated = _generated(p.text, spec_texts)
            assert "'" not in generated and '"' not in generated, (path.name, p.text)


def test_amounts_and_articles_are_bound_by_a_non_breaking_space(documents) -> None:
    loose = re.compile(r"\d[ \t]€|€[ \t]\d|\b(?:art|artt|n|c|lett)\.[ \t](?=\d|[a-z]\))|\d[ \t]%", re.IGNORECASE)
    bound = 0
    for path, spec_texts, _ in documents:
        for p in _paragraphs(docx.Document(str(path))):
            generated = _generated(p.text, spec_texts)
            assert not loose.search(generated), (path.name, loose.search(generated)[0], p.text)
            bound += generated.count(f"{NBSP}€") + len(re.findall(rf"art\.{NBSP}\d", generated, re.IGNORECASE))
    assert bound > 100


def _text_width(document: docx.document.Document) -> int:
    section = document.sections[0]
    return round((section.page_width - section.left_margin - section.right_margin) / 635)


def test_tables_fit_the_text_block_and_rows_never_split(documents) -> None:
    tables = 0
    for path, _, _ in documents:
        document = docx.Document(str(path))
        width = _text_width(document)
        for table in document.tables:
            tables += 1
            grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
            assert sum(grid) <= width, (path.name, table.rows[0].cells[0].text, sum(grid), width)
            declared = table._tbl.tblPr.find(qn("w:tblW"))
            assert int(declared.get(qn("w:w"))) <= width
            for row in table._tbl.findall(qn("w:tr")):
                assert row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None, (path.name, "riga divisibile")
    assert tables >= 20


def test_headings_keep_with_the_next_paragraph(documents) -> None:
    headings = 0
    for path, _, _ in documents:
        for p in docx.Document(str(path)).paragraphs:
            if HEADING_STYLES.match(p.style.name or ""):
                headings += 1
                assert p.paragraph_format.keep_with_next, (path.name, p.text)
                assert p.paragraph_format.keep_together, (path.name, p.text)
    assert headings >= 50


def test_text_after_a_table_keeps_a_gap(documents) -> None:
    gaps = 0
    for path, _, _ in documents:
        body = docx.Document(str(path)).element.body
        for table in body.findall(qn("w:tbl")):
            following = table.getnext()
            if following is None or following.tag != qn("w:p") or not "".join(following.itertext()).strip():
                continue
            style = following.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            if style is None or not style.get(qn("w:val"), "").lower().startswith(("heading", "titolo")):
                spacing = following.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
                assert spacing is not None and int(spacing.get(qn("w:before"), "0")) > 0
                gaps += 1
    assert gaps >= 5
