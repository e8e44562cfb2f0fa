"""`capitolato clauses list|show|lint` through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.library.load import shipped_folder

runner = CliRunner()


def test_list_table_and_json_filters() -> None:
    table = runner.invoke(app, ["clauses", "list"])
    assert table.exit_code == 0 and "ccnl-applicabile" in table.stdout
    data = json.loads(runner.invoke(app, ["clauses", "list", "--formato", "json", "--famiglia", "ccnl"]).stdout)
    assert data and {item["famiglia"] for item in data} == {"ccnl"}
    assert all({"id", "titolo", "collocazione", "base_giuridica", "stato", "da_verificare"} <= item.keys()
               for item in data)
    shared = json.loads(runner.invoke(app, ["clauses", "list", "--formato", "json",
                                            "--procedura", "coprogettazione-art55"]).stdout)
    assert all("coprogettazione-art55" in item["procedure"] for item in shared)


def test_show_renders_metadata_parameters_and_text() -> None:
    result = runner.invoke(app, ["clauses", "show", "ccnl-applicabile"])
    assert result.exit_code == 0, result.output
    assert "Contratto collettivo applicabile" in result.stdout
    assert "art. 11" in result.stdout and "Parametri" in result.stdout
    assert "[ccnl_nome]" not in result.stdout  # bound to ccnl.nome: the example's value is shown, not a placeholder
    assert "ccnl.nome" in result.stdout and "cooperative del settore socio-sanitario" in result.stdout


def test_show_displays_to_verify_status() -> None:
    data = json.loads(runner.invoke(app, ["clauses", "list", "--formato", "json"]).stdout)
    doubtful = next(item["id"] for item in data if item["da_verificare"])
    assert "DA VERIFICARE" in runner.invoke(app, ["clauses", "show", doubtful]).stdout


def test_show_unknown_id_suggests() -> None:
    result = runner.invoke(app, ["clauses", "show", "ccnl-aplicabile"])
    assert result.exit_code == 2
    assert "clausola sconosciuta" in result.stderr and "forse intendevi «ccnl-applicabile»?" in result.stderr


def test_lint_shipped_library_is_clean() -> None:
    result = runner.invoke(app, ["clauses", "lint"])
    assert result.exit_code == 0, result.stderr
    assert f"{len(list(shipped_folder().glob('*.yaml')))} clausole senza rilievi" in result.stderr


def test_lint_reports_broken_ente_library(ente_library) -> None:
    folder, write = ente_library
    write("ok-ente")
    write("usa-indefinito", text="  {{ quota }} {{ referente }} {{ sconosciuto }}")
    write("param-inutile", text="  {{ referente }} soltanto.")
    broken = write("sintassi", text="  {% if quota %} aperto")
    (folder / "altro-nome.yaml").write_text(broken.read_text().replace("id: sintassi", "id: nome-diverso"))
    result = runner.invoke(app, ["clauses", "lint", str(folder)])
    assert result.exit_code == 1
    err = result.stderr
    assert "usa «sconosciuto», che non è un parametro dichiarato" in err
    assert "il parametro «quota» non è usato nel testo" in err
    assert "sintassi Jinja non valida" in err
    assert "deve coincidere con il nome del file «altro-nome»" in err
    assert "ok-ente" not in err


def test_lint_missing_folder_is_input_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["clauses", "lint", str(tmp_path / "nessuna")])
    assert result.exit_code == 2 and "cartella della libreria di clausole non trovata" in result.stderr
