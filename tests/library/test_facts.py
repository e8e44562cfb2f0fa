"""One fact, one place: clause parameters bound to a spec fact (`fatto`) are read from the spec, never retyped."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capitolato import SpecError, load_library, load_spec, render_clause
from capitolato.cli.app import app
from capitolato.library.fact import derived_names, fact_path_problem
from capitolato.library.lint import lint_folder
from capitolato.model.facts import derive
from capitolato.rules import check
from tests.conftest import MELZO, line_of

runner = CliRunner()
LABOUR_LINE = "  manodopera: 1680000.00      # 70 %: servizio ad alta intensità di manodopera\n"
ESTIMATE = "  - id: costi-manodopera-stima\n    parametri:\n"


@pytest.fixture(scope="module")
def melzo():
    return load_spec(MELZO)


def _problems(text: str, write_spec) -> list[tuple[int, int, str]]:
    with pytest.raises(SpecError) as info:
        load_spec(write_spec(text))
    return [(p.location.line, p.location.column, f"{p.message} ({p.hint})") for p in info.value.problems]


def test_bound_parameters_read_the_spec(melzo) -> None:
    use = next(u for u in melzo.clauses if u.id == "costi-manodopera-stima")
    assert use.parameters["costo_manodopera"] == melzo.amounts.labour_cost == Decimal("1680000.00")
    assert use.parameters["base_ribasso"] == "al-netto-manodopera"
    threshold = next(u for u in melzo.clauses if u.id == "soglia-sbarramento-riparametrazione")
    assert threshold.parameters["punteggio_minimo"] == melzo.award.min_technical_score.points


def test_restated_fact_with_another_value_is_an_error_showing_both_places(write_spec, melzo_text: str) -> None:
    text = melzo_text.replace(ESTIMATE, ESTIMATE + "      costo_manodopera: 1700000.00\n")
    [(line, column, message)] = _problems(text, write_spec)
    assert (line, column) == (line_of(text, "costo_manodopera: 1700000.00"), 25)
    assert "vale 1700000.00, ma importi.manodopera vale 1680000.00" in message
    assert f"capitolato.yaml:{line_of(text, LABOUR_LINE.strip())}:15)" in message
    assert "togliere il parametro" in message


def test_restated_fact_with_the_same_value_is_only_a_warning(write_spec, melzo_text: str) -> None:
    text = melzo_text.replace(ESTIMATE, ESTIMATE + "      costo_manodopera: 1680000\n")
    spec = load_spec(write_spec(text))
    [finding] = [f for f in check(spec, load_library()) if f.code == "FAT001"]
    assert finding.severity.value == "warning"
    assert finding.location.line == line_of(text, "costo_manodopera: 1680000")
    assert "ripete importi.manodopera" in finding.message and "importi.manodopera" in finding.fix


def test_parameter_set_where_the_spec_lacks_the_fact_is_a_removed_parameter(write_spec, melzo_text: str) -> None:
    text = melzo_text.replace(LABOUR_LINE, "").replace(ESTIMATE, ESTIMATE + "      costo_manodopera: 1680000.00\n")
    problems = _problems(text, write_spec)
    assert (line_of(text, "costo_manodopera: 1680000.00"), 25,
            "parametro rimosso: il valore si indica in importi.manodopera, non nel parametro «costo_manodopera» "
            "della clausola «costi-manodopera-stima» (scrivere importi.manodopera: 1680000.00 e togliere il "
            "parametro)") in problems


def test_labour_cost_cannot_live_only_in_the_clause(write_spec, melzo_text: str) -> None:
    """Removing importi.manodopera never silently turns the service into "not labour-intensive"."""
    text = melzo_text.replace(LABOUR_LINE, "")
    [(line, _column, message)] = _problems(text, write_spec)
    assert line == line_of(text, "importi:")
    assert message.startswith("manca importi.manodopera, che la clausola «costi-manodopera-stima» legge dallo spec")


def test_discount_base_is_one_fact_for_clause_and_derived_amount(write_spec, melzo_text: str, melzo) -> None:
    assert derive(melzo).discountable_amount == Decimal("2400000.00") - Decimal("1680000.00") - Decimal("6000.00")
    whole = load_spec(write_spec(melzo_text.replace("base_ribasso: al-netto-manodopera",
                                                    "base_ribasso: totale-con-manodopera")))
    assert derive(whole).discountable_amount == Decimal("2394000.00")
    clause = load_library().get("costi-manodopera-stima")
    use = next(u for u in whole.clauses if u.id == clause.id)
    assert "pari a 2.394.000,00 €" in render_clause(clause, use.parameters, whole)


def test_fixed_price_without_amount_is_an_input_error_at_the_award(write_spec, melzo_text: str) -> None:
    text = melzo_text.replace("  criterio: oepv\n", "  criterio: prezzo-fisso\n")
    result = runner.invoke(app, ["validate", str(write_spec(text))])
    assert result.exit_code == 2
    assert f"capitolato.yaml:{line_of(text, 'criterio: prezzo-fisso')}:13: errore: con il criterio prezzo-fisso " \
           "manca l'importo fisso (indicare aggiudicazione.importo_fisso" in " ".join(result.stderr.split())


@pytest.mark.parametrize(("path", "expected"), [
    ("importi.manodopera", None),
    ("aggiudicazione.soglia_sbarramento.momento", None),
    ("derivati.alta_intensita_manodopera", None),
    ("importi.manodopra", "non è una chiave dello spec"),
    ("procedura.cpv.codice", "non è una chiave dello spec"),
    ("derivati.inventato", "non è un dato derivato"),
])
def test_fact_paths_are_checked_against_the_spec_model(path: str, expected: str | None) -> None:
    reason = fact_path_problem(path)
    assert reason is None if expected is None else expected in reason


def test_derived_names_match_the_template_context(melzo) -> None:
    assert derived_names() == set(derive(melzo).as_template_context())


def test_lint_flags_a_binding_to_a_missing_fact(ente_library) -> None:
    folder, write = ente_library
    path = write("riserva-ente")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    tipo: testo\n    descrizione: Referente", "    tipo: testo\n    fatto: ente.referente\n    descrizione: Referente"),
        encoding="utf-8")
    [problem] = lint_folder(Path(folder), frozenset(c.id for c in load_library()))
    assert "«referente» è legato a «ente.referente» non è una chiave dello spec" in problem.message
    assert problem.location.line == line_of(path.read_text(encoding="utf-8"), "fatto: ente.referente")


def test_show_prints_the_binding() -> None:
    result = runner.invoke(app, ["clauses", "show", "costi-manodopera-stima"])
    assert result.exit_code == 0, result.output
    assert "dallo spec:" in result.stdout and "importi.manodo" in result.stdout


def test_add_clause_refuses_a_value_for_a_bound_parameter(tmp_path: Path, melzo_text: str) -> None:
    from tests.conftest import with_clauses

    spec = tmp_path / "capitolato.yaml"
    spec.write_text(with_clauses(melzo_text, "clausole:\n  - id: tutela-retribuzioni\n"), encoding="utf-8")
    before = spec.read_bytes()
    result = runner.invoke(app, ["aggiungi-clausola", "prezzo-fisso", str(spec), "--set", "importo_fisso=100"])
    assert result.exit_code == 2
    assert "parametro rimosso: il valore si indica in aggiudicazione.importo_fisso" in " ".join(result.stderr.split())
    assert spec.read_bytes() == before


def test_fact_paths_of_later_sections_resolve_in_a_fresh_process() -> None:
    """`esecuzione` and `gara` are imported after `Spec`, which builds lazily: `clauses lint` in a new process must still
    see their keys (in the test process the Spec is already built, so only a subprocess shows it)."""
    import subprocess
    import sys

    probe = ("from capitolato.library.fact import fact_path_problem as p; "
             "print(p('esecuzione.garanzie.definitiva_percentuale'), p('gara.termine_offerte.data'), "
             "p('gara.chiave_inventata') is not None)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["None", "None", "True"]
