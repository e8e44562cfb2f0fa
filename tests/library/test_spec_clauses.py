"""Clauses chosen in a spec are checked against the library, at the spec's line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from capitolato import SpecError, load_library, load_spec, render_clause
from capitolato.errors import RenderError
from tests.conftest import line_of, with_clauses

CCNL = """\
clausole:
  - id: ccnl-applicabile
    parametri:
      zona: Città metropolitana di Milano
"""


def problems(text: str, write_spec) -> list[tuple[int, int, str]]:
    with pytest.raises(SpecError) as info:
        load_spec(write_spec(text))
    return [(p.location.line, p.location.column, p.message) for p in info.value.problems]


def test_defaults_are_filled_and_facts_read_from_the_spec(write_spec, melzo_text: str) -> None:
    spec = load_spec(write_spec(with_clauses(melzo_text, CCNL)))
    assert spec.clauses[0].parameters["livello"] == "nazionale"
    assert spec.clauses[0].parameters["zona"] == "Città metropolitana di Milano"
    assert spec.clauses[0].parameters["firmatari"] == spec.ccnl.signatories
    assert spec.clauses[0].parameters["ccnl_nome"] == spec.ccnl.name


def test_unknown_clause_id_with_suggestion(write_spec, melzo_text: str) -> None:
    text = with_clauses(melzo_text, CCNL.replace("id: ccnl-applicabile", "id: ccnl-aplicabile"))
    [(line, column, message)] = problems(text, write_spec)
    assert (line, column) == (line_of(text, "ccnl-aplicabile"), 9)
    assert message.startswith("clausola sconosciuta «ccnl-aplicabile»: forse intendevi «ccnl-applicabile»?")


def test_unknown_parameter_is_located_at_its_key(write_spec, melzo_text: str) -> None:
    text = with_clauses(melzo_text, CCNL + "      livelo: nazionale\n")
    [(line, column, message)] = problems(text, write_spec)
    assert (line, column) == (line_of(text, "livelo:"), 7)
    assert "non ha il parametro «livelo»: forse intendevi «livello»?" in message


def test_missing_required_parameter(write_spec, melzo_text: str) -> None:
    text = with_clauses(melzo_text, "clausole:\n  - id: penali\n    parametri:\n      tetto_percentuale: 10\n")
    [(line, _column, message)] = problems(text, write_spec)
    assert line == line_of(text, "parametri:")
    assert "manca il parametro obbligatorio «permille_giornaliero» della clausola «penali»" in message


@pytest.mark.parametrize(("value", "expected"), [
    ("territoriali", "valore «territoriali» non ammesso; forse intendevi «territoriale»?"),
    ("42", "valore «42» non ammesso"),
])
def test_choice_out_of_range(write_spec, melzo_text: str, value: str, expected: str) -> None:
    text = with_clauses(melzo_text, CCNL + f"      livello: {value}\n")
    [(line, column, message)] = problems(text, write_spec)
    assert (line, column) == (line_of(text, f"livello: {value}"), 16)
    assert expected in message


def test_percent_out_of_range_and_wrong_type(write_spec, melzo_text: str, ente_library) -> None:
    folder, write = ente_library
    write("riserva-ente")
    block = f"""\
libreria: {folder}
clausole:
  - id: riserva-ente
    parametri:
      quota: 20
      referente: 12
"""
    text = with_clauses(melzo_text, block)
    found = problems(text, write_spec)
    assert (line_of(text, "quota: 20"), 14,
            "parametro «quota» della clausola «riserva-ente»: il valore 20 è sotto il minimo ammesso (30)") in found
    assert (line_of(text, "referente: 12"), 18,
            "parametro «referente» della clausola «riserva-ente»: atteso un testo non vuoto") in found


def test_ente_library_adds_and_overrides(tmp_path: Path, ente_library) -> None:
    folder, write = ente_library
    write("riserva-ente")
    override = write("ccnl-applicabile", title="CCNL secondo la formula dell'ente")
    library = load_library([folder])
    assert library.get("riserva-ente") is not None
    assert library.get("ccnl-applicabile").title == "CCNL secondo la formula dell'ente"
    [replacement] = library.replacements
    assert replacement.clause_id == "ccnl-applicabile" and replacement.by == override
    assert len(load_library()) == len(library) - 1


def test_missing_value_in_text_names_clause_and_value(write_spec, melzo_text: str, ente_library) -> None:
    folder, write = ente_library
    path = write("riserva-ente", text="  Si applica la {{ penale_sociale }}.")
    spec = load_spec(write_spec(with_clauses(
        melzo_text, f"libreria: {folder}\nclausole:\n  - id: riserva-ente\n    parametri: {{referente: Ufficio}}\n")))
    clause = load_library([folder]).get("riserva-ente")
    with pytest.raises(RenderError) as info:
        render_clause(clause, spec.clauses[0].parameters, spec)
    [problem] = info.value.problems
    assert problem.message == "clausola «riserva-ente»: manca il valore «penale_sociale»"
    assert problem.location.file == str(path) and problem.location.line == line_of(path.read_text(), "penale_sociale")


def test_text_reaching_python_internals_is_blocked(write_spec, melzo_text: str, ente_library) -> None:
    folder, write = ente_library
    write("riserva-ente", text="  {{ referente.__class__.__mro__[1].__subclasses__() }}")
    spec = load_spec(write_spec(with_clauses(
        melzo_text, f"libreria: {folder}\nclausole:\n  - id: riserva-ente\n    parametri: {{referente: Ufficio}}\n")))
    clause = load_library([folder]).get("riserva-ente")
    with pytest.raises(RenderError, match="riserva-ente"):
        render_clause(clause, spec.clauses[0].parameters, spec)


def test_spec_values_are_data_not_templates(write_spec, melzo_text: str) -> None:
    text = with_clauses(melzo_text.replace("  nome: Comune di Melzo", "  nome: \"{{ 7 * 7 }} Comune di Melzo"), CCNL)
    text = text.replace("{{ 7 * 7 }} Comune di Melzo — capofila dell'Ambito distrettuale 5",
                        "{{ 7 * 7 }} Comune di Melzo — capofila dell'Ambito distrettuale 5\"")
    spec = load_spec(write_spec(text))
    clause = load_library().get("ccnl-applicabile")
    rendered = render_clause(clause, spec.clauses[0].parameters, spec)
    assert "{{ 7 * 7 }} Comune di Melzo" in rendered and "49" not in rendered
