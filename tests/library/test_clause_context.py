"""Clause texts see every top-level section of the spec, the same in `check` and in `build`."""

from __future__ import annotations

from pathlib import Path

from capitolato import load_library, load_spec, render_clause
from capitolato.document.assemble import assemble
from capitolato.document.model import text_of
from capitolato.library.lint import lint_folder
from capitolato.library.render import SPEC_SECTIONS, spec_context
from capitolato.model.facts import derive
from capitolato.model.tender import Spec
from capitolato.rules.context import Context
from tests.conftest import MELZO, with_clauses

TEXT = ("  Punti tecnici {{ aggiudicazione.punti_tecnici | numero }}, "
        "{{ valutazione_impatto.indicatori | length }} indicatori, "
        "{{ governance.livelli | length }} livelli, servizi alla persona: "
        "{% if caratteristiche.servizi_persona %}sì{% else %}no{% endif %}, "
        "{{ strategie | length }} strategie, RUP {{ ente.rup }}, {{ quota | percento }} per {{ referente }}.")


def _ente_clause(ente_library) -> Path:
    folder, write = ente_library
    write("dati-gara-ente", text=TEXT)
    return folder


def _spec(folder: Path, write_spec, melzo_text: str) -> Spec:
    block = f"libreria: {folder}\nclausole:\n  - id: dati-gara-ente\n    parametri: {{referente: Ufficio di piano}}\n"
    return load_spec(write_spec(with_clauses(melzo_text, block)))


def _expected(spec: Spec) -> str:
    return (f"{len(spec.impact.indicators)} indicatori, {len(spec.governance.levels)} livelli, "
            f"servizi alla persona: sì, {len(spec.strategies)} strategie, RUP {spec.authority.rup}")


def test_every_spec_section_is_in_the_context() -> None:
    spec = load_spec(MELZO)
    context = spec_context(spec)
    assert set(SPEC_SECTIONS) == {field.alias for field in Spec.model_fields.values()}
    assert set(context) == {*SPEC_SECTIONS, "derivati", "frasi"}
    assert context["aggiudicazione"]["punti_tecnici"] == spec.award.technical_points
    assert context["valutazione_impatto"]["indicatori"][0]["codice"] == spec.impact.indicators[0].code


def test_clause_reading_any_section_lints_clean(ente_library) -> None:
    folder = _ente_clause(ente_library)
    assert lint_folder(folder, frozenset(c.id for c in load_library())) == []


def test_check_and_build_render_the_same_facts(ente_library, write_spec, melzo_text: str) -> None:
    folder = _ente_clause(ente_library)
    spec = _spec(folder, write_spec, melzo_text)
    library = load_library([folder])
    expected = _expected(spec)
    assert expected in render_clause(library.get("dati-gara-ente"), spec.clauses[0].parameters, spec)
    assert expected in Context(spec, derive(spec), library).texts["dati-gara-ente"]
    capitolato = next(d for d in assemble(spec, library) if d.kind == "capitolato-speciale")
    assert expected in " ".join(text_of(capitolato).split())
