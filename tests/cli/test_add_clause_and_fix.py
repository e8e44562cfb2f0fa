"""`capitolato aggiungi-clausola` and `capitolato check --fix/--diff` through CliRunner."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.spec.load import load_spec
from tests.conftest import with_clauses

runner = CliRunner()

PARTIAL_CLAUSES = """\
# Clausole: ne mancano alcune obbligatorie, che check --fix sa aggiungere.
clausole:
  - id: equivalenza-tutele   # tutele equivalenti
  - id: subappalto-parita-trattamento
    parametri:
      quota_massima: 30
      motivazione_limite: continuità degli operatori con le persone assistite
  - id: tutela-retribuzioni
  - id: costi-manodopera-stima
    parametri:
      tabella_settore: cooperative sociali
      tabella_provincia: Milano
      tabella_data: 2024-12-01
  - id: congruita-costo-personale
  - id: oepv-ripartizione-punteggi
  - id: formula-punteggio-economico
  - id: soglia-sbarramento-riparametrazione
  - id: premio-parita-genere
    parametri:
      regola_rti: posseduta da tutti i componenti
  - id: clausola-sociale-riassorbimento
  - id: pubblicazione-dati-personale-uscente
    parametri:
      data_riferimento: 2026-01-31
  - id: progetto-assorbimento
  - id: accettazione-clausola-sociale
  - id: relazione-genere-15-50
    parametri:
      penale: 1000.00
  - id: standard-qualita-servizi-persona
    parametri:
      kpi_qualita: [a]
      kpi_continuita: [b]
      kpi_accessibilita: [c]
      kpi_disponibilita: [d]
      kpi_completezza: [e]
  - id: coinvolgimento-utenti
  - id: monitoraggio-kpi-open-data
    parametri:
      kpi: [I1]
  - id: penali
    parametri:
      permille_giornaliero: 0.5
      penali_sociali: ["mancato assorbimento: 1.000,00 € per lavoratore"]

deroghe: []
"""


@pytest.fixture
def partial(tmp_path: Path, melzo_text: str) -> Path:
    path = tmp_path / "capitolato.yaml"
    path.write_text(with_clauses(melzo_text, PARTIAL_CLAUSES), encoding="utf-8")
    return path


def test_add_clause_writes_and_reports(partial: Path) -> None:
    before = partial.read_text(encoding="utf-8")
    result = runner.invoke(app, ["aggiungi-clausola", "revisione-prezzi", str(partial),
                                 "--set", "indici=[ISTAT FOI, ISTAT retribuzioni contrattuali]"])
    assert result.exit_code == 0, result.output
    after = partial.read_text(encoding="utf-8")
    assert after.startswith(before[:before.index("\n\nderoghe:")])
    assert after.endswith(before[before.index("\n\nderoghe:"):])
    assert "  - id: revisione-prezzi  # DA VERIFICARE" in after
    assert load_spec(partial).clauses[-1].parameters["indici"] == ["ISTAT FOI", "ISTAT retribuzioni contrattuali"]


def test_add_clause_diff_does_not_write(partial: Path) -> None:
    before = partial.read_bytes()
    result = runner.invoke(app, ["aggiungi-clausola", "tutela-retribuzioni", str(partial), "--diff"])
    assert result.exit_code == 2 and "già nello spec" in result.stderr
    result = runner.invoke(app, ["aggiungi-clausola", "obblighi-legge-68", str(partial), "--diff"])
    assert result.exit_code == 0, result.output
    assert "+  - id: obblighi-legge-68" in result.stdout
    assert partial.read_bytes() == before


def test_add_clause_unknown_id(partial: Path) -> None:
    result = runner.invoke(app, ["aggiungi-clausola", "revisione-prezzo", str(partial)])
    assert result.exit_code == 2
    assert "forse intendevi «revisione-prezzi»" in result.stderr


def test_check_diff_shows_safe_fixes_without_writing(partial: Path) -> None:
    before = partial.read_bytes()
    result = runner.invoke(app, ["check", str(partial), "--diff"])
    assert result.exit_code == 1, result.output
    added = re.findall(r"^\+  - id: ([a-z0-9-]+)", result.stdout, flags=re.MULTILINE)
    assert {"ccnl-applicabile", "costi-manodopera-offerta", "obblighi-legge-68",
            "rapporto-personale-oltre-50", "quota-assunzioni-giovani-donne"} <= set(added)
    assert "revisione-prezzi" not in added  # needs the ISTAT indices: a human decision
    assert "da decidere" in result.stderr and "--set indici=…" in result.stderr
    assert partial.read_bytes() == before


def test_check_fix_adds_only_clauses_and_never_touches_points(partial: Path) -> None:
    before = partial.read_text(encoding="utf-8")
    result = runner.invoke(app, ["check", str(partial), "--fix"])
    assert "aggiunta la clausola «ccnl-applicabile»" in result.stderr
    after = partial.read_text(encoding="utf-8")
    insert_at = before.index("\n\nderoghe:")
    assert after.startswith(before[:insert_at]) and after.endswith(before[insert_at:])
    block = after[insert_at:len(after) - len(before) + insert_at]
    assert "punti" not in block and "motivazione" not in block and "importo" not in block
    assert block.count("# DA VERIFICARE: aggiunta da capitolato check --fix") >= 5
    codes = {f for f in re.findall(r"\b([A-Z]{3}\d{3})\b", result.stdout)}
    assert codes == {"DOC001"}, result.stdout  # only the finding that needs a decision is left
    assert result.exit_code == 1
    ccnl = next(use for use in load_spec(partial).clauses if use.id == "ccnl-applicabile")
    assert ccnl.parameters["ccnl_nome"].startswith("CCNL per le lavoratrici e i lavoratori")


def test_check_fix_on_a_clean_spec_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    created = runner.invoke(app, ["new", str(folder), "--preset", "convenzione-381", "--no-input",
                                  "--set", "ente=E", "--set", "oggetto=Pulizia dei parchi",
                                  "--set", "importo_base=1000",
                                  "--set", "costo_manodopera=500"])
    assert created.exit_code == 0, created.output
    before = (folder / "capitolato.yaml").read_bytes()
    result = runner.invoke(app, ["check", str(folder), "--diff"])
    assert result.exit_code == 0 and result.stdout == ""
    assert (folder / "capitolato.yaml").read_bytes() == before
