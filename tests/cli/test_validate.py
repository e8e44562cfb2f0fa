"""`capitolato validate` through Typer's CliRunner: exit codes and one-line located messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capitolato import __version__
from capitolato.cli.app import app
from tests.conftest import MELZO, MELZO_2019

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_valid_example_exits_0() -> None:
    result = run("validate", str(MELZO.parent))
    assert result.exit_code == 0, result.output
    assert "spec valido" in result.stderr


def test_fixture_2019_validates() -> None:
    assert run("validate", str(MELZO_2019)).exit_code == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("versione: 1\nente: [\n", ":3:1: errore: sintassi YAML non valida"),
        ("versione: 1\nente:\n\tnome: x\n", ":3:1: errore: sintassi YAML non valida: carattere di tabulazione"),
        ("versione: 1\nversione: 1\n", ":2:1: errore: sintassi YAML non valida: chiave duplicata"),
        ("", ":1:1: errore: il file è vuoto"),
        ("# solo un commento\n", ":1:1: errore: il file è vuoto"),
        (b"\x00\x01\x02PK", ":1:1: errore: file binario"),
        (b"ente: \xe8\n", ":1:7: errore: il file non è codificato in UTF-8"),
        ("- a\n- b\n", ":1:1: errore: il file deve contenere una sezione di chiavi"),
    ],
)
def test_bad_files_give_one_located_line_and_exit_2(write_spec, content, expected) -> None:
    path = write_spec(content)
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{path}{expected}" or result.stderr.startswith(f"{path}{expected}")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_missing_file_and_folder_without_spec(tmp_path: Path) -> None:
    missing = run("validate", str(tmp_path / "nessuno.yaml"))
    assert missing.exit_code == 2 and "file non trovato" in missing.stderr
    empty_folder = run("validate", str(tmp_path))
    assert empty_folder.exit_code == 2 and "la cartella non contiene capitolato.yaml" in empty_folder.stderr


def test_bom_and_windows_line_endings_are_accepted(write_spec) -> None:
    text = MELZO.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = write_spec(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert run("validate", str(path)).exit_code == 0


def test_unknown_key_has_suggestion_and_position(write_spec) -> None:
    text = MELZO.read_text(encoding="utf-8").replace("  oggetto: Servizi", "  ogetto: Servizi", 1)
    path = write_spec(text)
    result = run("validate", str(path))
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "ogetto:" in ln)
    assert result.exit_code == 2
    assert f"{path}:{line}:3: errore: chiave sconosciuta «ogetto»: forse intendevi «oggetto»?" in result.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == f"capitolato {__version__}"
    help_text = run("--help").stdout
    assert "validate" in help_text and "schema" in help_text


def test_python_dash_m() -> None:
    done = subprocess.run([sys.executable, "-m", "capitolato", "--version"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and done.stdout.strip() == f"capitolato {__version__}"
