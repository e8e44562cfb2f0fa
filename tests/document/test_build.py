"""Built .docx files opened with python-docx: headings, governance, scoring grid, indicators, clauses, amounts."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from capitolato import load_library, load_spec
from capitolato.document.build import build
from capitolato.errors import OutputError
from capitolato.library.render import render_clause
from tests.conftest import MELZO, REPO, leading_words, untypeset

ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("build")
    paths = build(load_spec(MELZO), out, ["docx", "md"])
    return {p.name.split("_")[0] + p.suffix: p for p in paths}


def paragraphs(path: Path) -> list[docx.text.paragraph.Paragraph]:
    return docx.Document(str(path)).paragraphs


def table_with(path: Path, header: str):
    document = docx.Document(str(path))
    return next(t for t in document.tables if t.rows[0].cells[0].text == header)


def test_headings_are_numbered_articles_with_heading_style(built) -> None:
    headings = [p.text for p in paragraphs(built["capitolato-speciale.docx"]) if p.style.name == "Heading 1"]
    assert headings[0] == "Art.\u00a01 – Premessa"  # typeset: «Art.» and its number never split
    numbers = [int(re.match(r"Art\.\u00a0(\d+) – ", h).group(1)) for h in headings]
    assert numbers == list(range(1, len(headings) + 1))
    assert "Art.\u00a02 – Oggetto, durata e valore dell’appalto" in headings


def test_markdown_and_docx_come_from_the_same_text(built) -> None:
    md_headings = re.findall(r"^# (.+)$", built["capitolato-speciale.md"].read_text(encoding="utf-8"), flags=re.M)
    docx_headings = [p.text for p in paragraphs(built["capitolato-speciale.docx"]) if p.style.name == "Heading 1"]
    assert md_headings == docx_headings


def test_governance_table_has_three_levels(built) -> None:
    table = table_with(built["capitolato-speciale.docx"], "Livello")
    assert [c.text for c in table.rows[0].cells] == ["Livello", "Ruoli dell’ente", "Ruoli dell’aggiudicatario",
                                                      "Funzioni", "Frequenza"]
    levels = [row.cells[0].text for row in table.rows[1:]]
    assert len(levels) == 3
    assert any("Direzione strategica" in c for c in levels) and any("Pool territoriale" in c for c in levels)


def test_scoring_table_leaves_sum_to_the_totals(built) -> None:
    table = table_with(built["disciplinare.docx"], "Criterio")
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    *leaves, total = body
    assert total[-1] == "80" and "Totale offerta tecnica" in total
    assert sum(Decimal(row[-1]) for row in leaves) == 80
    assert [row[-2] for row in leaves].count("T") == 2
    merged_a = [row[0] for row in leaves if row[0].startswith("A – ")]
    assert len(merged_a) == 8, "il criterio A si estende sui suoi 8 sottocriteri foglia"


def test_tabular_levels_and_threshold_in_disciplinare(built) -> None:
    document = docx.Document(str(built["disciplinare.docx"]))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "soglia di sbarramento" in text and "40 punti" in text
    levels = table_with(built["disciplinare.docx"], "Condizione")
    assert [row.cells[-1].text for row in levels.rows[1:]] == ["3", "2", "1"]


def test_indicator_table_has_baseline_and_target(built) -> None:
    table = table_with(built["capitolato-speciale.docx"], "Cod.")
    header = [c.text for c in table.rows[0].cells]
    assert "Baseline" in header and "Target" in header
    i2 = next(row for row in table.rows if row.cells[0].text == "I2")
    cells = [c.text for c in i2.cells]
    assert cells[header.index("Baseline")] == "40 (31/12/2025)"
    assert cells[header.index("Target")] == "60 (31/12/2028)"


def test_labour_cost_shown_apart_from_base_amount(built) -> None:
    table = table_with(built["capitolato-speciale.docx"], "Voce")
    rows = {row.cells[0].text: row.cells[1].text for row in table.rows[1:]}
    assert rows["Importo a base di gara (IVA esclusa)"] == "2.400.000,00\u00a0€"
    assert rows["di cui costi della manodopera stimati"] == "1.680.000,00\u00a0€"
    assert rows["di cui oneri della sicurezza non soggetti a ribasso"] == "6.000,00\u00a0€"


def test_each_selected_clause_text_is_in_its_document(built) -> None:
    spec = load_spec(MELZO)
    library = load_library()
    texts = {kind: "\n".join(p.text for p in paragraphs(built[f"{kind}.docx"]))
             for kind in ("capitolato-speciale", "disciplinare")}
    assert spec.clauses
    for use in spec.clauses:
        clause = library.get(use.id)
        document_text = texts[clause.placement.document.value]
        expected = leading_words(render_clause(clause, use.parameters, spec))
        assert expected in " ".join(re.sub(r"[*_`#>-]", "", untypeset(document_text)).split()), clause.id


def test_build_is_deterministic(tmp_path: Path, monkeypatch) -> None:
    spec = load_spec(MELZO)
    first = build(spec, tmp_path / "a", ["docx"])
    second = build(spec, tmp_path / "b", ["docx"])
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    third = build(spec, tmp_path / "c", ["docx"])
    fourth = build(spec, tmp_path / "d", ["docx"])
    assert [p.read_bytes() for p in third] == [p.read_bytes() for p in fourth]


def test_existing_file_is_never_overwritten_without_force(tmp_path: Path) -> None:
    spec = load_spec(MELZO)
    [first, *_] = build(spec, tmp_path, ["md"])
    first.write_text("versione dell'ufficio", encoding="utf-8")
    with pytest.raises(OutputError, match="esiste già"):
        build(spec, tmp_path, ["md"])
    assert first.read_text(encoding="utf-8") == "versione dell'ufficio"
    build(spec, tmp_path, ["md"], force=True)
    assert first.read_text(encoding="utf-8").startswith("# Art.\u00a01")


def test_output_path_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "uscita"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="è un file"):
        build(load_spec(MELZO), blocker, ["md"])


def test_docx_package_is_valid_ooxml(built) -> None:
    openxml_audit = pytest.importorskip("openxml_audit")
    for name in ("capitolato-speciale.docx", "disciplinare.docx"):
        result = openxml_audit.OpenXmlValidator().validate(str(built[name]))
        assert result.is_valid, [str(e) for e in result.errors][:5]


def test_draft_has_findings_appendix(tmp_path: Path) -> None:
    from capitolato.document.build import OpenFinding

    spec = load_spec(MELZO)
    paths = build(spec, tmp_path, ["docx"], draft=True,
                  open_findings=[OpenFinding("AWD011", "errore", "Manca il premio", "capitolato.yaml:3:1")])
    document = docx.Document(str(paths[0]))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Allegato – Rilievi aperti della bozza" in text and "AWD011" in text
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert "BOZZA" in header


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice non installato: .ci/run lo installa (apt-get install libreoffice-writer-nogui)")
def test_libreoffice_converts_with_expected_pages(built, tmp_path: Path) -> None:
    from capitolato.render.pdf import docx_to_pdf

    expected = {"capitolato-speciale.docx": 23, "disciplinare.docx": 24}
    ARTIFACTS.mkdir(exist_ok=True)
    for name, pages in expected.items():
        pdf = docx_to_pdf(built[name], tmp_path)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert abs(count - pages) <= 2, (name, count)
        stem = ARTIFACTS / Path(name).stem
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                       check=True)
        assert stem.with_suffix(".png").stat().st_size > 1000


def test_the_cli_assembles_each_document_once_and_writes_the_same_bytes(tmp_path: Path, monkeypatch) -> None:
    """The documents the check's rules assembled are the ones written (issue 21): one assembly, same files."""
    from typer.testing import CliRunner

    from capitolato.cli.app import app
    from capitolato.document import assemble as assemble_module
    from capitolato.document import build as build_module

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    direct = {p.name: p.read_bytes() for p in build(load_spec(MELZO), tmp_path / "api", ["docx", "md"])}
    calls = []
    original = assemble_module.assemble

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(assemble_module, "assemble", counted)
    monkeypatch.setattr(build_module, "assemble", counted)
    result = CliRunner().invoke(app, ["build", str(MELZO), "-o", str(tmp_path / "cli"), "--formato", "docx",
                                      "--formato", "md", "-q"])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    assert {p.name: p.read_bytes() for p in (tmp_path / "cli").iterdir()} == direct
