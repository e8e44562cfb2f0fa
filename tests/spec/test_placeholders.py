"""Placeholders: what counts as a value still to be written."""

import pytest

from capitolato.model.placeholders import find_marks, is_placeholder


@pytest.mark.parametrize("value", [None, "", "  ", "DA COMPLETARE", "DA COMPLETARE — nome e qualifica del RUP",
                                   "da verificare", "XXX", "…", "...", "[nome del RUP]", "<nome>",
                                   "Responsabile del Settore (da nominare con la decisione di contrarre)"])
def test_placeholders_count_as_missing(value):
    assert is_placeholder(value)


@pytest.mark.parametrize("value", ["Mario Rossi", "Dott.ssa Anna Bianchi, Responsabile dell'Ufficio di Piano",
                                   "Il servizio è da completare entro marzo con le famiglie", 12])
def test_real_values_are_not_placeholders(value):
    assert not is_placeholder(value)


def test_marks_are_found_only_in_upper_case():
    text = "il RUP DA COMPLETARE, il servizio da completare"
    assert [text[a:b] for a, b in find_marks(text)] == ["DA COMPLETARE"]
