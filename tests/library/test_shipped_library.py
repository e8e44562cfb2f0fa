"""Every shipped clause passes lint and renders, with defaults and with the Melzo example's values."""

from __future__ import annotations

from pathlib import Path

import pytest

from capitolato import load_library, load_spec, render_clause
from capitolato.library.lint import lint_folder
from capitolato.library.load import shipped_folder
from capitolato.library.sample import sample_parameters
from tests.conftest import MELZO

CLAUSE_FILES = sorted(shipped_folder().glob("*.yaml"))
PROCUREMENT_WORDS = ("ribasso", "base d'asta", "offerta economica", "aggiudicazione", "aggiudicatari", "corrispettiv")
SHARED_ADMINISTRATION_FAMILY = "amministrazione-condivisa"


def test_library_is_large_enough_and_lints_clean() -> None:
    assert len(CLAUSE_FILES) >= 35
    assert lint_folder(shipped_folder()) == []


@pytest.fixture(scope="module")
def melzo():
    return load_spec(MELZO)


@pytest.mark.parametrize("path", CLAUSE_FILES, ids=lambda p: p.stem)
def test_clause_renders_with_defaults(path: Path, melzo) -> None:
    clause = load_library().get(path.stem)
    text = render_clause(clause, sample_parameters(clause, melzo), melzo)
    assert len(text.split()) >= 15, "un testo di clausola così breve non è un testo giuridico"
    assert "None" not in text and "{{" not in text


@pytest.mark.parametrize("path", CLAUSE_FILES, ids=lambda p: p.stem)
def test_clause_renders_with_melzo_values(path: Path, melzo) -> None:
    clause = load_library().get(path.stem)
    chosen = next((use.parameters for use in melzo.clauses if use.id == clause.id), None)
    params = chosen if chosen is not None else sample_parameters(clause, melzo)
    text = render_clause(clause, params, melzo)
    if chosen is not None:
        for value in chosen.values():
            if isinstance(value, str) and len(value) > 3:
                assert value in text or value in {str(c) for c in clause.parameters[_name(chosen, value)].choices}


def _name(params: dict, value: object) -> str:
    return next(name for name, v in params.items() if v == value)


@pytest.mark.parametrize("path", CLAUSE_FILES, ids=lambda p: p.stem)
def test_clause_has_legal_basis_and_placement(path: Path) -> None:
    clause = load_library().get(path.stem)
    assert clause.legal_basis and all(ref.act for ref in clause.legal_basis)
    if clause.family.value == SHARED_ADMINISTRATION_FAMILY:
        lowered = clause.text.lower()
        assert not [w for w in PROCUREMENT_WORDS if w in lowered], "lessico da appalto fuori dal Codice"
