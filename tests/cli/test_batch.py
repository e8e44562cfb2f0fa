"""Many tenders at once: parallel workers, one failing tender never stops the others, summary and exit code."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from capitolato.batch import discover
from capitolato.cli.app import app
from tests.conftest import EXAMPLES, copy_example

runner = CliRunner()


@pytest.fixture
def tenders(tmp_path: Path) -> Path:
    """A folder of four tenders: two good, one that does not load, one that check blocks."""
    root = tmp_path / "gare"
    copy_example(EXAMPLES / "melzo-servizi-persona", root / "melzo")
    copy_example(EXAMPLES / "appalto-riservato-art61", root / "riservato")
    copy_example(EXAMPLES / "melzo-servizi-persona", root / "rotto")
    spec = root / "rotto" / "capitolato.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("  tipo: aperta", "  tipo: asta"), encoding="utf-8")
    copy_example(EXAMPLES / "melzo-servizi-persona", root / "bloccato")
    spec = root / "bloccato" / "capitolato.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("  punti_economici: 20", "  punti_economici: 40")
                    .replace("  punti_totali: 100", ""), encoding="utf-8")
    return root


def test_discover_folders_globs_and_missing(tenders: Path) -> None:
    found = discover([tenders])
    assert [p.parent.name for p in found] == ["bloccato", "melzo", "riservato", "rotto"]
    assert discover([str(tenders / "m*")]) == [tenders / "melzo" / "capitolato.yaml"]
    assert discover([tenders / "nessuna"]) == [tenders / "nessuna"]
    (tenders / "melzo" / "build").mkdir()
    shutil.copy(tenders / "melzo" / "capitolato.yaml", tenders / "melzo" / "build" / "capitolato.yaml")
    assert len(discover([tenders])) == 4


def test_build_batch_continues_past_failures(tenders: Path, tmp_path: Path) -> None:
    out = tmp_path / "bozze"
    result = runner.invoke(app, ["build", str(tenders), "-o", str(out), "-j", "2", "--formato", "docx"],
                           env={"CI": "true"})
    assert result.exit_code == 2, result.output
    assert ("2 gare generate (4 file scritti), 1 gara bloccata dal controllo, 1 gara con errori di input "
            "(su 4 gare)") in result.stderr
    assert "valore non ammesso «asta»" in result.stderr
    assert "AWD002" in result.stderr
    built = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx"))
    assert [p.split("/")[0] for p in built] == ["melzo", "melzo", "riservato", "riservato"]
    assert docx.Document(str(next(out.rglob("disciplinare_*.docx")))).paragraphs


def test_check_batch_reports_every_tender(tenders: Path) -> None:
    result = runner.invoke(app, ["check", str(tenders), "-j", "2", "--format", "json"], env={"CI": "true"})
    assert result.exit_code == 2
    assert "(3 capitolati controllati); 1 capitolato con errori di input" in result.stderr
    assert "bloccato/capitolato.yaml" in result.stdout and "melzo/capitolato.yaml" in result.stdout
    assert "rotto/capitolato.yaml" in result.stderr


def test_validate_many_paths(tenders: Path) -> None:
    specs = [str(p) for p in discover([tenders])]
    result = runner.invoke(app, ["validate", *specs])
    assert result.exit_code == 2
    assert result.stderr.count("spec valido") == 3 and "«asta»" in result.stderr
