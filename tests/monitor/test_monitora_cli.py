"""`capitolato monitora` through the CLI: files written together, bad input exits 2 with nothing written."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from capitolato.cli.app import app
from tests.monitor.conftest import write

runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, ["monitora", *(str(a) for a in args)])


def test_melzo_writes_open_data_beside_the_spec(melzo_copy: Path) -> None:
    result = run(melzo_copy, "--formato", "json", "--formato", "csv")
    assert result.exit_code == 0, result.output
    data = json.loads((melzo_copy / "build" / "indicatori_2028-06-30.json").read_text(encoding="utf-8"))
    assert {i["codice"]: i["stato"] for i in data["indicatori"]} == {
        "I1": "raggiunto", "I2": "in linea", "I3": "in ritardo", "I4": "in linea", "I5": "peggiorato"}
    assert data["indicatori"][1]["misure_mancanti"] == [{"periodo": "1° semestre 2027", "dal": "2027-01-01",
                                                         "al": "2027-06-30"}]
    assert [a["importo"] for a in data["importi"]] == [30400, 7600, 2700, 4650]
    with (melzo_copy / "build" / "indicatori_2028-06-30.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["codice"], r["stato"], r["avanzamento_percento"]) for r in rows] == [
        ("I1", "raggiunto", "116"), ("I2", "in linea", "80"), ("I3", "in ritardo", "23.1"),
        ("I4", "in linea", "83.3"), ("I5", "peggiorato", "-33")]
    assert "5 indicatori al 30/06/2028: 1 raggiunto, 2 in linea, 1 in ritardo, 1 peggiorato" in result.output


def test_al_option_and_explicit_measurement_files(melzo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "uscita"
    result = run(melzo_copy, "--misure", melzo_copy / "misure" / "aggiudicatario.csv", "--al", "31/12/2027",
                 "-o", out, "--formato", "json")
    assert result.exit_code == 0, result.output
    data = json.loads((out / "indicatori_2027-12-31.json").read_text(encoding="utf-8"))
    assert {i["codice"]: i["stato"] for i in data["indicatori"]}["I2"] == "senza dati"


def test_bad_date_option_is_an_italian_input_error(melzo_copy: Path) -> None:
    result = run(melzo_copy, "--al", "ieri")
    assert result.exit_code == 2
    assert "--al: errore: data non valida «ieri»" in result.output


def test_bad_measurement_file_exits_2_and_writes_nothing(melzo_copy: Path) -> None:
    write(melzo_copy / "misure", "zz-errori.csv", "indicatore;data;valore\nI8;31/12/2027;3\n")
    result = run(melzo_copy, "--formato", "json", "--formato", "csv")
    assert result.exit_code == 2
    assert "zz-errori.csv:2:1: errore: indicatore sconosciuto «I8»" in result.output.replace("\n", "")
    assert not (melzo_copy / "build").exists()


def test_existing_outputs_are_kept_without_force(melzo_copy: Path) -> None:
    assert run(melzo_copy, "--formato", "csv").exit_code == 0
    target = melzo_copy / "build" / "indicatori_2028-06-30.csv"
    target.write_text("mio file\n", encoding="utf-8")
    result = run(melzo_copy, "--formato", "csv", "--formato", "json")
    assert result.exit_code == 2 and "usare --force" in result.output
    assert target.read_text(encoding="utf-8") == "mio file\n"
    assert not (melzo_copy / "build" / "indicatori_2028-06-30.json").exists(), "all outputs or none"
    assert run(melzo_copy, "--formato", "csv", "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("codice,")


def test_an_input_is_never_an_output(melzo_copy: Path) -> None:
    result = run(melzo_copy, "--formato", "csv", "-o", melzo_copy / "misure", "--force",
                 "--misure", melzo_copy / "misure" / "ente.csv")
    assert result.exit_code == 0, "the output name differs from every input"
    clash = melzo_copy / "misure" / "indicatori_2028-06-30.csv"
    result = run(melzo_copy, "--formato", "csv", "-o", melzo_copy / "misure", "--force", "--misure", clash)
    assert result.exit_code == 2


def test_same_inputs_same_bytes(melzo_copy: Path, tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert run(melzo_copy, "-o", tmp_path / name, "--formato", "json", "--formato", "csv").exit_code == 0
    for produced in (tmp_path / "a").iterdir():
        assert produced.read_bytes() == (tmp_path / "b" / produced.name).read_bytes()


def test_spec_without_indicators_is_an_input_error(melzo_copy: Path) -> None:
    from tests.conftest import without_sections

    spec = melzo_copy / "capitolato.yaml"
    spec.write_text(without_sections(spec.read_text(encoding="utf-8"), "valutazione_impatto"), encoding="utf-8")
    result = run(melzo_copy)
    assert result.exit_code == 2 and "niente da monitorare" in result.output


def test_direction_against_baseline_and_target_is_located(melzo_copy: Path) -> None:
    spec = melzo_copy / "capitolato.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("direzione: diminuzione", "direzione: aumento"),
                    encoding="utf-8")
    result = run(melzo_copy)
    assert result.exit_code == 2
    assert "direzione «aumento» di I5 in contrasto con baseline (18) e target (8)" in result.output


def test_other_commands_do_not_import_plotting_or_spreadsheets(melzo_copy: Path) -> None:
    probe = ("import sys\nfrom typer.testing import CliRunner\nfrom capitolato.cli.app import app\n"
             "runner = CliRunner()\n"
             f"assert runner.invoke(app, ['--help']).exit_code == 0\n"
             f"assert runner.invoke(app, ['check', {str(melzo_copy)!r}]).exit_code == 0\n"
             "heavy = lambda: sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'openpyxl'})\n"
             "print(heavy())\n"
             f"assert runner.invoke(app, ['monitora', {str(melzo_copy)!r}, '--formato', 'html']).exit_code == 0\n"
             "print(heavy())\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split("\n")[:2] == ["[]", "['matplotlib']"], "only monitora pays for the charts"


def test_tender_without_measurements_warns_and_reports_no_data(melzo_copy: Path) -> None:
    import shutil

    shutil.rmtree(melzo_copy / "misure")
    result = run(melzo_copy, "--formato", "json")
    assert result.exit_code == 0
    assert "nessuna misura fino alla data del rapporto" in result.output
    data = json.loads((melzo_copy / "build" / "indicatori_2026-07-01.json").read_text(encoding="utf-8"))
    assert {i["stato"] for i in data["indicatori"]} == {"senza dati"}
