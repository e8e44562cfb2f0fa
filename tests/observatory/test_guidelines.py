"""Guidelines as data: the shipped Melzo set validates; an authority's own file changes the scores; every mistake
in it is a located message (file:line:column) and exit 2, before anything is read or written."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from capitolato.observatory.guidelines import GuidelineError, Outcome, load_guidelines
from tests.conftest import line_of
from tests.observatory.conftest import invoke


def test_default_guidelines_are_the_melzo_set() -> None:
    guidelines = load_guidelines()
    codes = {g.code: g for g in guidelines.items}
    assert codes["LG01"].indicator == "punti_economici" and codes["LG01"].threshold == 20
    assert codes["LG01"].when == {"servizi_persona": True, "oepv": True}
    assert codes["LG02"].condition == "minimo" and codes["LG02"].threshold == 10
    assert codes["LG09"].threshold == 30 and codes["LG09"].when == {"amministrazione_condivisa": True}


def test_outcomes() -> None:
    economic = {g.code: g for g in load_guidelines().items}["LG01"]
    persona = {"servizi_persona": True, "oepv": True}
    assert economic.outcome({**persona, "punti_economici": 20.0}) is Outcome.MET
    assert economic.outcome({**persona, "punti_economici": 30.0}) is Outcome.MISSED
    assert economic.outcome({**persona, "punti_economici": None}) is Outcome.UNKNOWN
    assert economic.outcome({"servizi_persona": False, "oepv": True, "punti_economici": 30.0}) is Outcome.NOT_APPLICABLE


BAD = """versione: 1
nome: Linee guida dell'Ambito
linee_guida:
  - codice: A1
    titolo: Punti economici bassi
    indicatore: punti_economicissimi
    massimo: 20
  - codice: A2
    titolo: Clausola sociale
    indicatore: clausola_sociale
    minimo: 3
  - codice: A3
    titolo: Peso strano
    indicatore: punti_economici
    massimo: 25
    peso: zero
"""


def test_every_mistake_is_located(tmp_path: Path) -> None:
    path = tmp_path / "linee.yaml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(GuidelineError) as caught:
        load_guidelines(path)
    def at(fragment: str) -> tuple[int, int]:
        problem = next(p for p in caught.value.problems if fragment in p.message)
        return problem.location.line, problem.location.column

    assert len(caught.value.problems) == 3
    assert at("indicatore sconosciuto") == (line_of(BAD, "punti_economicissimi"), 17)
    assert at("per un indicatore sì/no") == (line_of(BAD, "minimo: 3"), 13)
    assert at("«peso»") == (line_of(BAD, "peso: zero"), 11)


def test_bad_guidelines_exit_2_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "linee.yaml"
    path.write_text(BAD, encoding="utf-8")
    result = invoke("osservatorio", Path(__file__).parents[2] / "examples", "-o", tmp_path / "out",
                    "--linee-guida", path)
    assert result.exit_code == 2
    assert f"{path}:{line_of(BAD, 'punti_economicissimi')}:17: errore: indicatore sconosciuto" in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    path = tmp_path / "linee.yaml"
    path.write_text("versione: 1\nlinee_guida: [\n", encoding="utf-8")
    result = invoke("osservatorio", tmp_path, "-o", tmp_path / "out", "--linee-guida", path)
    assert result.exit_code == 2 and f"{path}:" in result.output and "Traceback" not in result.output


def test_an_authoritys_own_guidelines_rank_differently(small_archive: Path, tmp_path: Path) -> None:
    own = tmp_path / "ambito.yaml"
    own.write_text("versione: 1\nnome: Linee dell'Ambito\nlinee_guida:\n"
                   "  - {codice: AMB1, titolo: Prezzo fisso, indicatore: prezzo_fisso, valore: true}\n",
                   encoding="utf-8")
    result = invoke("osservatorio", small_archive, "-o", tmp_path / "out", "--linee-guida", own)
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(tmp_path / "out" / "osservatorio.duckdb"), read_only=True) as connection:
        first = connection.execute("SELECT percorso, punteggio FROM gare WHERE posizione = 1").fetchall()
        codes = connection.execute("SELECT codice FROM linee_guida").fetchall()
    assert first[0][0].endswith("assistenza-domiciliare-prezzo-fisso/capitolato.yaml") and first[0][1] == 100.0
    assert codes == [("AMB1",)]


def test_the_guidelines_name_is_printed_as_text_not_markup(small_archive: Path, tmp_path: Path) -> None:
    """The name comes from the authority's file: console markup in it is shown, never interpreted."""
    from capitolato.observatory.guidelines import DEFAULT_FILE

    own = tmp_path / "linee.yaml"
    own.write_text(DEFAULT_FILE.read_text(encoding="utf-8").replace(
        "nome: Linee guida territoriali (modello Melzo)", 'nome: "Linee [bold]nostre[/bold]"'), encoding="utf-8")
    result = invoke("osservatorio", small_archive, "-o", tmp_path / "out", "--linee-guida", own, "-q")
    assert result.exit_code == 0, result.output
    assert "Linee [bold]nostre[/bold]" in result.stderr
