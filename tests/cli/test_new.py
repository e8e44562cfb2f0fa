"""`capitolato new` and `capitolato presets` through CliRunner: interactive answers, options, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.spec.load import load_spec

runner = CliRunner()


def test_presets_lists_name_description_procedure() -> None:
    result = runner.invoke(app, ["presets"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    for name in ("servizi-persona-oepv", "prezzo-fisso-alta-intensita", "riservato-art61", "convenzione-381",
                 "coprogettazione-art55", "convenzione-art56", "pnrr"):
        assert name in result.stdout
    assert "art. 108 c. 5" in result.stdout


def test_interactive_answers_with_a_retry_and_defaults(tmp_path: Path) -> None:
    folder = tmp_path / "gara"
    answers = "\n".join([
        "Comune di Melzo",                     # ente
        "Servizi per le autonomie personali",  # oggetto
        "non so",                              # importo_base: invalid, asked again
        "2.400.000,00",                        # importo_base
        "1680000",                             # costo_manodopera
        "",                                    # oneri_sicurezza: default 0
        "48",                                  # durata_mesi
        "",                                    # data_pubblicazione: default
        "2026-07-20",                          # termine_offerte
        "Sintel",                              # piattaforma
        "https://www.sintel.regione.lombardia.it",  # indirizzo_piattaforma
        "",                                    # ccnl: default
        "",                                    # codice_cnel: default
    ]) + "\n"
    result = runner.invoke(app, ["new", str(folder), "--preset", "servizi-persona-oepv", "--chiedi"], input=answers)
    assert result.exit_code == 0, result.output
    assert "valore non valido" in result.stderr
    spec = load_spec(folder)
    assert spec.authority.name == "Comune di Melzo"
    assert spec.amounts.base_amount == 2_400_000 and spec.procedure.duration_months == 48
    assert spec.ccnl is not None and spec.ccnl.cnel_code == "T151"
    assert spec.tendering.offer_deadline.date.isoformat() == "2026-07-20"
    assert spec.tendering.platform.address == "https://www.sintel.regione.lombardia.it"


def test_set_answers_are_not_asked_again(tmp_path: Path) -> None:
    answers = "Servizio di prova\n180000\n120000\n\n\n\n\n\n\n"
    result = runner.invoke(app, ["new", str(tmp_path / "g"), "--preset", "convenzione-381", "--chiedi",
                                 "--set", "ente=Comune di Prova"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Nome dell'ente" not in result.output
    assert load_spec(tmp_path / "g").procedure.subject == "Servizio di prova"


def test_missing_essentials_are_listed(tmp_path: Path) -> None:
    folder = tmp_path / "gara"
    result = runner.invoke(app, ["new", str(folder), "--preset", "pnrr", "--no-input", "--set", "ente=Comune"])
    assert result.exit_code == 2
    for name in ("oggetto", "cup", "importo_base", "costo_manodopera"):
        assert f"{name}: errore: dato obbligatorio mancante" in result.stderr
    assert "--set oggetto=…" in result.stderr
    assert not folder.exists()


def test_data_file_and_set_override(tmp_path: Path) -> None:
    data = tmp_path / "dati.yaml"
    data.write_text("ente: Comune di Prova\noggetto: Progetto di comunità\nimporto_base: 300000\n"
                    "durata_mesi: 24\n", encoding="utf-8")
    result = runner.invoke(app, ["new", str(tmp_path / "g"), "--preset", "coprogettazione-art55", "--no-input",
                                 "--dati", str(data), "--set", "durata_mesi=18"])
    assert result.exit_code == 0, result.output
    assert load_spec(tmp_path / "g").procedure.duration_months == 18


@pytest.mark.parametrize(("option", "message"), [
    ("--set=entee=X", "forse intendevi «ente»"),
    ("--set=importo_base=300000,00,00", "non è un importo"),
])
def test_bad_answers(tmp_path: Path, option: str, message: str) -> None:
    result = runner.invoke(app, ["new", str(tmp_path / "g"), "--preset", "coprogettazione-art55", "--no-input",
                                 "--set", "ente=E", "--set", "oggetto=O", "--set", "importo_base=1", option])
    assert result.exit_code == 2
    assert message in result.stderr


def test_refuses_a_non_empty_folder_and_never_deletes(tmp_path: Path) -> None:
    folder = tmp_path / "gara"
    folder.mkdir()
    (folder / "appunti.txt").write_text("non toccare", encoding="utf-8")
    options = ["--no-input", "--set", "ente=E", "--set", "oggetto=O", "--set", "importo_base=1000"]
    refused = runner.invoke(app, ["new", str(folder), "--preset", "coprogettazione-art55", *options])
    assert refused.exit_code == 2
    assert "la cartella non è vuota" in refused.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["appunti.txt"]
    forced = runner.invoke(app, ["new", str(folder), "--preset", "coprogettazione-art55", *options, "--force"])
    assert forced.exit_code == 0, forced.output
    assert (folder / "appunti.txt").read_text(encoding="utf-8") == "non toccare"
    assert (folder / "capitolato.yaml").is_file()


def test_unknown_preset_suggests(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", str(tmp_path / "g"), "--preset", "riservato-art-61", "--no-input"])
    assert result.exit_code == 2
    assert "forse intendevi «riservato-art61»" in result.stderr


def test_invalid_spec_is_never_written(tmp_path: Path) -> None:
    """Labour cost above the base amount passes each question but not the spec: nothing is written."""
    folder = tmp_path / "g"
    result = runner.invoke(app, ["new", str(folder), "--preset", "servizi-persona-oepv", "--no-input",
                                 "--set", "ente=E", "--set", "oggetto=O", "--set", "importo_base=1000",
                                 "--set", "costo_manodopera=5000"])
    assert result.exit_code == 2
    assert "superano l'importo a base di gara" in result.stderr
    assert not folder.exists()
