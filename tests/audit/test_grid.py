"""The points grid read back as a tree: criteria, group rows and sub-criteria with their own points, from the grids
capitolato builds (Word and PDF) and from hand-written ones (group rows, merged cells)."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capitolato.audit import audit
from capitolato.audit.grid import Grid
from capitolato.cli.app import app
from capitolato.model.tender import Criterion
from capitolato.spec.load import load_spec
from tests.audit.synthetic import tender
from tests.conftest import EXAMPLES

MELZO = EXAMPLES / "melzo-servizi-persona"


def spec_tree(criteria: list[Criterion], level: int = 0) -> list[tuple[str, Decimal, int]]:
    """Every criterion of the spec in reading order: code, points, level."""
    found: list[tuple[str, Decimal, int]] = []
    for criterion in criteria:
        found.append((criterion.code, Decimal(str(criterion.points)), level))
        found += spec_tree(criterion.subcriteria, level + 1)
    return found


def grid_tree(grid: Grid) -> list[tuple[str, Decimal, int]]:
    return [(row.label.split()[0], row.points, row.level) for row in grid.rows]


@pytest.fixture(scope="module")
def melzo_disciplinare(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The disciplinare built from Melzo, in Word and (when LibreOffice is there) in PDF."""
    target = tmp_path_factory.mktemp("melzo")
    formats = ["docx", "pdf"] if shutil.which("soffice") else ["docx"]
    result = CliRunner().invoke(app, ["build", str(MELZO), "-o", str(target), *(f"--formato={f}" for f in formats),
                                      "--force"])
    assert result.exit_code == 0, result.stderr
    return {fmt: next(target.glob(f"disciplinare*.{fmt}")) for fmt in formats}


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_built_grid_has_the_spec_criteria_and_sub_criteria(melzo_disciplinare: dict[str, Path], fmt: str) -> None:
    if fmt not in melzo_disciplinare:
        pytest.skip("LibreOffice (soffice) non installato")
    if fmt == "pdf":
        pytest.importorskip("pdfplumber")
    award = load_spec(MELZO / "capitolato.yaml").award
    result = audit(melzo_disciplinare[fmt])
    assert grid_tree(result.grid) == spec_tree(award.criteria)
    for row, (criterion, _) in zip(result.grid.rows, _walk(award.criteria)):
        assert criterion.title in row.label.replace("’", "'")
    assert result.grid.total == result.grid.stated_total == award.technical_points
    assert [f.message for f in result.findings if f.code == "TXT006"] == []


def _walk(criteria: list[Criterion]) -> list[tuple[Criterion, int]]:
    found: list[tuple[Criterion, int]] = []
    for criterion in criteria:
        found += [(criterion, 0), *_walk(criterion.subcriteria)]
    return found


GROUP_ROWS = [("Criterio", "Punti max"), ("A. Qualità del progetto di servizio", "40"), ("A.1 Metodologia", "25"),
              ("A.2 Strumenti di verifica", "15"), ("B. Organizzazione e coordinamento", "20"),
              ("B.1 Coordinamento con la rete", "20"), ("C. Formazione del personale", "10"), ("TOTALE", "70")]


def test_group_rows_of_a_hand_written_grid(tmp_path: Path) -> None:
    path, at = tender(tmp_path / "bando.docx", grid=GROUP_ROWS)
    result = audit(path)
    assert grid_tree(result.grid) == [("A.", 40, 0), ("A.1", 25, 1), ("A.2", 15, 1), ("B.", 20, 0), ("B.1", 20, 1),
                                      ("C.", 10, 0)]
    assert (result.grid.total, result.grid.stated_total) == (70, 70)
    assert [f for f in result.findings if f.code == "TXT006"] == []


MERGED = [("N.", "Criteri di valutazione", "Punti max", "Sub-criteri di valutazione", "Punti D max"),
          ("1", "Qualità del progetto di servizio", "40", "1.1 Metodologia", "25"),
          ("", "", "", "1.2 Strumenti di verifica", "15"),
          ("2", "Organizzazione e coordinamento", "30", "", ""),
          ("TOTALE", "", "", "", "70")]
MERGES = [((1, 0), (2, 0)), ((1, 1), (2, 1)), ((1, 2), (2, 2)), ((3, 3), (3, 4)), ((4, 0), (4, 3))]


def test_merged_cells_of_a_hand_written_grid(tmp_path: Path) -> None:
    path, at = tender(tmp_path / "bando.docx", grid=MERGED, merges=MERGES)
    result = audit(path)
    assert [(row.label, row.points, row.level) for row in result.grid.rows] == [
        ("Qualità del progetto di servizio", 40, 0), ("1.1 Metodologia", 25, 1), ("1.2 Strumenti di verifica", 15, 1),
        ("Organizzazione e coordinamento", 30, 0)]
    assert (result.grid.total, result.grid.stated_total, result.grid.position.paragraph) == (70, 70, at["griglia"])
    assert [f for f in result.findings if f.code == "TXT006"] == []


def test_group_whose_sub_criteria_do_not_add_up(tmp_path: Path) -> None:
    rows = [row if row[0] != "A.2 Strumenti di verifica" else ("A.2 Strumenti di verifica", "10") for row in GROUP_ROWS]
    path, at = tender(tmp_path / "bando.docx", grid=rows)
    found = [f for f in audit(path).findings if f.code == "TXT006"]
    assert [(f.location.line, "A. Qualità" in f.message, "35" in f.message, "40" in f.message) for f in found] == [
        (at["griglia"], True, True, True)]


def test_json_report_gives_each_criterion_its_level(tmp_path: Path) -> None:
    path, _ = tender(tmp_path / "bando.docx", grid=GROUP_ROWS)
    result = CliRunner().invoke(app, ["check", str(path), "--formato", "json"])
    grid = json.loads(result.stdout)["documenti"][0]["griglia"]
    assert [(v["voce"].split()[0], v["punti"], v["livello"]) for v in grid["voci"]][:3] == [
        ("A.", "40", 0), ("A.1", "25", 1), ("A.2", "15", 1)]
    assert (grid["somma"], grid["totale_dichiarato"]) == ("70", "70")
