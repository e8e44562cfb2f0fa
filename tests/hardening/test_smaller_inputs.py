"""Class 10 — the smaller inputs: each ends in a located Italian message (exit 2) or a warning, never a crash:
huge amounts in `new`, SOURCE_DATE_EPOCH out of range, an OCID prefix of the wrong form, names over the file
system's limit, a library outside the project, and messages always located in the officer's own file."""

from __future__ import annotations

from pathlib import Path

import pytest

from capitolato.cli.app import app
from tests.conftest import EXAMPLES, MELZO, copy_example, line_of
from tests.hardening.helpers import runner

PRESET = ["--preset", "servizi-persona-oepv", "--no-input"]
ESSENTIALS = {"ente": "Comune di Prova", "oggetto": "Servizi educativi", "importo_base": "100000",
              "costo_manodopera": "60000"}


def _sets(**changes: str) -> list[str]:
    return [item for key, value in {**ESSENTIALS, **changes}.items() for item in ("--set", f"{key}={value}")]


@pytest.mark.parametrize("amount", ["1e30", "9" * 34, "1e15", "NaN", "Infinity", "-5"])
def test_absurd_amounts_in_set_are_refused_where_given(tmp_path: Path, amount: str) -> None:
    result = runner.invoke(app, ["new", str(tmp_path / "g"), *PRESET, *_sets(importo_base=amount)])
    assert result.exit_code == 2, result.output
    assert "--set importo_base: errore:" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "g").exists()


def test_a_34_digit_amount_in_the_data_file_is_located_there(tmp_path: Path) -> None:
    data = tmp_path / "dati.yaml"
    text = "".join(f"{key}: {value}\n" for key, value in {**ESSENTIALS, "importo_base": "9" * 34}.items())
    data.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["new", str(tmp_path / "g"), *PRESET, "--dati", str(data)])
    assert result.exit_code == 2, result.output
    assert f"{data}:{line_of(text, 'importo_base')}:" in result.stderr


@pytest.mark.parametrize("value", ["99999999999999999", "4354819200", "1" * 400])
def test_source_date_epoch_out_of_range(tmp_path: Path, monkeypatch, value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = runner.invoke(app, ["build", str(MELZO), "-o", str(tmp_path / "u")])
    assert result.exit_code == 2, result.output
    assert "SOURCE_DATE_EPOCH: errore: valore fuori dall'intervallo" in result.stderr


@pytest.mark.parametrize("prefix", ["", "ocds", "ocds-ABC-", "ocds-abc", "http://x/", "ocds-a b-", "ocds-\x1b-"])
def test_ocid_prefix_is_validated(prefix: str) -> None:
    result = runner.invoke(app, ["export", str(MELZO), "--formato", "ocds", "--prefisso-ocid", prefix])
    assert result.exit_code == 2, result.output
    assert "--prefisso-ocid: errore: prefisso OCID non valido" in result.stderr and result.stdout == ""


def test_a_valid_ocid_prefix_is_used() -> None:
    result = runner.invoke(app, ["export", str(MELZO), "--formato", "ocds", "--prefisso-ocid", "ocds-a1b2c3-"])
    assert result.exit_code == 0 and '"ocid": "ocds-a1b2c3-' in result.stdout


@pytest.mark.parametrize("length", [250, 300])
def test_long_output_names(tmp_path: Path, length: int) -> None:
    out = tmp_path / ("u" * length)
    build = runner.invoke(app, ["build", str(MELZO), "--formato", "md", "-o", str(out)])
    report = runner.invoke(app, ["check", str(MELZO), "--format", "json", "-o", str(tmp_path / ("r" * length))])
    for result in (build, report):
        assert "Traceback" not in result.output and result.exit_code in (0, 1, 2), result.output
        if length > 255:
            assert result.exit_code == 2 and "troppo lungo" in result.stderr, result.output
    if length <= 255:
        assert build.exit_code == 0 and any(out.iterdir())
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_library_outside_the_project_is_a_warning(tmp_path: Path) -> None:
    project = tmp_path / "progetto"
    gara = copy_example(EXAMPLES / "melzo-servizi-persona", project / "gara")
    (project / "capitolato.toml").write_text("", encoding="utf-8")
    foreign = tmp_path / "altrove" / "clausole"
    foreign.mkdir(parents=True)
    spec = gara / "capitolato.yaml"
    text = spec.read_text(encoding="utf-8").rstrip("\n") + f"\nlibreria: {foreign}\n"
    spec.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(spec)])
    assert result.exit_code == 0, result.output
    assert f"{spec}:{line_of(text, 'libreria:')}:" in result.stderr and "avviso" in result.stderr
    assert "fuori dal progetto" in result.stderr
    inside = project / "clausole-ente"
    inside.mkdir()
    spec.write_text(text.replace(str(foreign), "../clausole-ente"), encoding="utf-8")
    assert "fuori dal progetto" not in runner.invoke(app, ["validate", str(spec)]).stderr


def test_an_edit_that_would_break_the_spec_is_located_in_the_officer_file(tmp_path: Path) -> None:
    """The edited text is validated through a scratch copy; the message names the officer's file, not the copy."""
    gara = copy_example(EXAMPLES / "melzo-servizi-persona", tmp_path / "gara")
    spec = gara / "capitolato.yaml"
    result = runner.invoke(app, ["aggiungi-clausola", "revisione-prezzi", str(spec), "--set", "indici=12"])
    assert "Traceback" not in result.output
    for line in result.stderr.splitlines():
        if ": errore: " in line:
            assert line.startswith(str(spec)) or line.startswith("--set") or line.startswith("revisione-prezzi"), line
            assert "capitolato-" not in line.split(":", 1)[0]
