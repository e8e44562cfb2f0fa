"""A clean `check` means `build` writes every document, in every format; no message ever names the tool's own files.

Hypothesis varies the award section, the amounts and the chosen clauses of the shipped examples: whenever `check`
reports no error, `build` must write all the documents; whatever it reports, a draft build either writes them or
fails with a message located in the officer's spec.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capitolato import load_library, load_spec
from capitolato.document.build import build
from capitolato.errors import CapitolatoError
from capitolato.rules import check
from capitolato.rules.examples import base_data, dump, merge
from capitolato.rules.finding import Severity
from capitolato.resources import data_path

EXAMPLES = ("melzo", "riservato61")
FORMATS = ["md", "html", "docx"]
TOOL_FILES = (str(data_path("templates")), str(data_path("clauses")))

award = st.fixed_dictionaries({}, optional={
    "criterio": st.sampled_from(["oepv", "prezzo-fisso", "minor-prezzo"]),
    "punti_tecnici": st.sampled_from([0, 70, 80, 100]),
    "punti_economici": st.sampled_from([0, 20, 30]),
    "importo_fisso": st.sampled_from([None, 2_400_000]),
    "motivazione_prezzo_fisso": st.sampled_from([None, "Prezzo calcolato sulle tabelle ministeriali del costo del lavoro."]),
    "soglia_sbarramento": st.sampled_from([None, {"punti": 40}, {"punti": 50, "momento": "prima-della-riparametrazione"}]),
    "formula_economica": st.sampled_from([None, "lineare", "bilineare", "proporzionalita-inversa"]),
    "coefficiente_x": st.sampled_from([None, 0.85]),
})
amounts = st.fixed_dictionaries({}, optional={
    "manodopera": st.sampled_from([None, 1_000_000, 2_000_000]),
    "sicurezza": st.sampled_from([None, 0, 6_000]),
})
mutation = st.fixed_dictionaries({
    "base": st.sampled_from(EXAMPLES),
    "aggiudicazione": award,
    "importi": amounts,
    "drop": st.sets(st.integers(min_value=0, max_value=30), max_size=4),
})


def _spec_text(change: dict[str, Any]) -> str:
    data = base_data(change["base"])
    data = merge(data, {"aggiudicazione": change["aggiudicazione"], "importi": change["importi"]})
    data["clausole"] = [use for index, use in enumerate(data.get("clausole") or []) if index not in change["drop"]]
    return dump(data)


def _write(folder: Path, change: dict[str, Any]) -> Path:
    path = folder / "capitolato.yaml"
    path.write_text(_spec_text(change), encoding="utf-8")
    return path


def _assert_located_in_spec(error: CapitolatoError, spec_path: Path) -> None:
    for problem in error.problems:
        assert not str(problem.location.file).startswith(TOOL_FILES), str(problem)
        assert "modello «" not in problem.message, str(problem)


@given(mutation)
def test_clean_check_means_every_document_is_written(change: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        path = _write(folder, change)
        try:
            spec = load_spec(path)
        except CapitolatoError as error:
            _assert_located_in_spec(error, path)
            return
        library = load_library()
        findings = check(spec, library)
        if any(f.severity is Severity.ERROR and not f.derogated for f in findings):
            return
        written = build(spec, folder / "out", FORMATS, library=library)
        assert len(written) == 2 * len(FORMATS) and all(p.stat().st_size > 0 for p in written)


@given(mutation)
def test_a_draft_builds_or_says_what_to_fix_in_the_spec(change: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        path = _write(folder, change)
        try:
            spec = load_spec(path)
            written = build(spec, folder / "out", ["md", "docx"], draft=True)
        except CapitolatoError as error:
            _assert_located_in_spec(error, path)
            return
        assert all(p.stat().st_size > 0 for p in written)


def test_melzo_switched_to_fixed_price_the_obvious_way_says_what_to_change(tmp_path: Path) -> None:
    """The officer's trial: change `criterio`, then fix what check reports — never an internal error."""
    change = {"base": "melzo", "aggiudicazione": {"criterio": "prezzo-fisso"}, "importi": {}, "drop": set()}
    path = _write(tmp_path, change)
    try:
        spec = load_spec(path)
    except CapitolatoError as error:
        _assert_located_in_spec(error, path)
        assert any("aggiudicazione.importo_fisso" in str(p) for p in error.problems)
        return
    findings = [f for f in check(spec) if f.severity is Severity.ERROR]
    assert findings and all(f.location.file == str(path) for f in findings)
    assert all(f.fix for f in findings)


@pytest.mark.parametrize("base", EXAMPLES)
def test_every_motivational_criterion_of_the_example_is_printed(base: str, tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, {"base": base, "aggiudicazione": {}, "importi": {}, "drop": set()}))
    written = build(spec, tmp_path / "out", ["md"], draft=True)
    rules = next(p for p in written if p.name.startswith("disciplinare")).read_text(encoding="utf-8")
    flat = " ".join(rules.split())

    def leaves(criteria):
        for criterion in criteria:
            yield from leaves(criterion.subcriteria) if criterion.subcriteria else [criterion]

    guided = [c for c in leaves(spec.award.criteria) if c.guidance]
    assert guided
    for criterion in guided:
        assert " ".join(criterion.guidance.split()) in flat, criterion.code
