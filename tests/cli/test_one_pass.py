"""One pass, all problems: structure, clause ids and clause values in the same run; summaries that say what happened."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.cli.summary import build_line, check_line, validate_line
from tests.conftest import MELZO, copy_example, line_of

runner = CliRunner()


def _three_kinds(melzo_text: str) -> str:
    """A structure error, an unknown clause id and a bad clause value in one spec."""
    return (melzo_text.replace("  tipo: aperta", "  tipo: apreta")
            .replace("  - id: tutela-retribuzioni", "  - id: tutela-retribuzione")
            .replace("      quota_massima: 30 ", "      quota_massima: 150 "))


@pytest.mark.parametrize("command", ["validate", "check", "build"])
def test_all_three_kinds_are_reported_in_one_run(command: str, write_spec, melzo_text: str, tmp_path: Path) -> None:
    text = _three_kinds(melzo_text)
    path = write_spec(text)
    extra = ["-o", str(tmp_path / "out")] if command == "build" else []
    result = runner.invoke(app, [command, str(path), *extra])
    assert result.exit_code == 2, result.output
    errors = " ".join(result.stderr.split())
    assert f"capitolato.yaml:{line_of(text, 'tipo: apreta')}:9: errore: valore non ammesso «apreta»" in errors
    assert (f"capitolato.yaml:{line_of(text, 'tutela-retribuzione')}:9: errore: clausola sconosciuta "
            "«tutela-retribuzione»: forse intendevi «tutela-retribuzioni»?") in errors
    assert (f"capitolato.yaml:{line_of(text, 'quota_massima: 150')}:22: errore: parametro «quota_massima» della "
            "clausola «subappalto-parita-trattamento»: una percentuale va da 0 a 100") in errors
    assert "0 capitolati" not in errors and "0 errori" not in errors


def test_check_summary_after_input_errors_says_what_happened(write_spec, melzo_text: str) -> None:
    result = runner.invoke(app, ["check", str(write_spec(_three_kinds(melzo_text)))])
    assert result.stderr.strip().splitlines()[-1] == "1 capitolato con errori di input: nessun controllo eseguito"


def test_validate_summary_of_several_specs(write_spec, melzo_text: str) -> None:
    broken = write_spec(_three_kinds(melzo_text))
    result = runner.invoke(app, ["validate", str(MELZO), str(broken)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == "1 capitolato con errori di input, 1 valido"


def test_build_summary_counts_tenders_and_files(tmp_path: Path) -> None:
    folder = copy_example(MELZO.parent, tmp_path / "melzo")
    result = runner.invoke(app, ["build", str(folder), "-o", str(tmp_path / "out"), "--formato", "md",
                                 "--formato", "html"])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().splitlines()[-1] == "1 gara generata (4 file scritti)"


@pytest.mark.parametrize(("line", "expected"), [
    (check_line("0 errori, 1 avviso, 0 informazioni, 0 derogate", 1, 0),
     "0 errori, 1 avviso, 0 informazioni, 0 derogate (1 capitolato)"),
    (check_line("2 errori, 0 avvisi, 0 informazioni, 0 derogate", 2, 1),
     "2 errori, 0 avvisi, 0 informazioni, 0 derogate (2 capitolati controllati); 1 capitolato con errori di input"),
    (check_line("0 errori, 0 avvisi, 0 informazioni, 0 derogate", 0, 2),
     "2 capitolati con errori di input: nessun controllo eseguito"),
    (build_line(1, 2, 0, 0), "1 gara generata (2 file scritti)"),
    (build_line(0, 0, 1, 0), "1 gara bloccata dal controllo"),
    (build_line(0, 0, 0, 1), "1 gara con errori di input"),
    (build_line(2, 1, 0, 3), "2 gare generate (1 file scritto), 3 gare con errori di input (su 5 gare)"),
    (validate_line(2, 0), "2 capitolati validi"),
    (validate_line(1, 1), "1 capitolato con errori di input, 1 valido"),
])
def test_summary_lines_agree_in_number(line: str, expected: str) -> None:
    assert line == expected
