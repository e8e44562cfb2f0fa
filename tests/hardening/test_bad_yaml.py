"""Every kind of bad file: a clear Italian message with a location, exit 2, no traceback, nothing written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capitolato.cli.app import app
from tests.conftest import MELZO

runner = CliRunner()


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        previous, current = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{current}: &{current} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


CASES = {
    "sintassi": ("versione: 1\nente: {nome: [\n", ":3:1:", "sintassi YAML non valida"),
    "tabulazione": ("versione: 1\nente:\n\tnome: x\n", ":3:1:", "tabulazione"),
    "chiave-duplicata": ("versione: 1\nente: {}\nente: {}\n", ":3:1:", "chiave duplicata"),
    "alias-esplosivi": (billion_laughs(), ":", "troppi elementi"),
    "annidamento-profondo": ("versione: 1\nx: " + "[" * 3000 + "]" * 3000 + "\n", "", "annidat"),
    "testo-enorme": ("versione: 1\npremessa: " + "x" * 200_000 + "\n", ":2:11:", "testo troppo lungo"),
    "vuoto": ("", ":1:1:", "il file è vuoto"),
    "latin-1": (b"versione: 1\nente: {nome: Citt\xe0}\n", ":2:", "non è codificato in UTF-8"),
    "binario": (b"\x89PNG\r\n\x1a\n\x00\x00", "", "file binario"),
    "elenco-invece-di-sezioni": ("- uno\n- due\n", ":1:1:", "sezione di chiavi"),
    "alias-non-definito": ("versione: 1\nente: *nessuno\n", ":2:", "alias"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_yaml_is_a_located_error(write_spec, case: str) -> None:
    content, where, message = CASES[case]
    path = write_spec(content)
    before = sorted(p.name for p in path.parent.iterdir())
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"{path}{where}") and message in line for line in lines), lines
    assert sorted(p.name for p in path.parent.iterdir()) == before


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["windows", "vecchio-mac"])
def test_line_endings_and_bom_are_accepted(write_spec, ending: str) -> None:
    text = MELZO.read_text(encoding="utf-8").replace("\n", ending)
    assert runner.invoke(app, ["validate", str(write_spec(b"\xef\xbb\xbf" + text.encode()))]).exit_code == 0


def test_directory_symlink_loop_and_unreadable(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "cartella.yaml"
    folder.mkdir()
    loop = tmp_path / "anello.yaml"
    os.symlink(loop, loop)
    assert "cartella non contiene capitolato.yaml" in runner.invoke(app, ["validate", str(folder)]).stderr
    result = runner.invoke(app, ["validate", str(loop)])
    assert result.exit_code == 2 and "collegamento simbolico non valido o circolare" in result.stderr
    locked = tmp_path / "capitolato.yaml"
    locked.write_text("versione: 1\n")

    real_open = os.open

    def denied(path, *args, **kwargs):
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    result = runner.invoke(app, ["validate", str(locked)])
    assert result.exit_code == 2 and "permesso di lettura negato" in result.stderr


@pytest.mark.parametrize("text, line_column, message", [
    ("versione: 1\nente: [\n", ":3:1:", "manca un valore"),
    ("versione: 1\nente: {nome: x\n", ":3:1:", "parentesi «{» non chiusa"),
    ("versione: 1\nente: @x\n", ":2:7:", "racchiuderlo tra virgolette"),
])
def test_common_syntax_errors_are_explained_in_italian(write_spec, text: str, line_column: str, message: str) -> None:
    result = runner.invoke(app, ["validate", str(write_spec(text))])
    assert result.exit_code == 2 and line_column in result.stderr and message in result.stderr, result.stderr
    assert "expected" not in result.stderr and "found" not in result.stderr
