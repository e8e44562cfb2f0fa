"""Italian typesetting of generated text (capitolato.typography)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capitolato.typography import NBSP, lower_after_colon, punctuate_items, typeset

N = NBSP


@pytest.mark.parametrize(("text", "expected"), [
    ("1.680.000,00 € per la durata", f"1.680.000,00{N}€ per la durata"),
    ("importo di 4.400.000,00 €.", f"importo di 4.400.000,00{N}€."),
    ("€ 1.350.000", f"€{N}1.350.000"),
    ("almeno il 30 % dei lavoratori", f"almeno il 30{N}% dei lavoratori"),
    ("almeno il 30% dei lavoratori", f"almeno il 30{N}% dei lavoratori"),
    ("0,5 ‰ dell'importo", f"0,5{N}‰ dell’importo"),
    ("ai sensi dell'art. 41 c. 14", f"ai sensi dell’art.{N}41 c.{N}14"),
    ("Art. 12 – Penali", f"Art.{N}12 – Penali"),
    ("artt. 94 e 95", f"artt.{N}94 e 95"),
    ("di cui alla lett. a) del c. 2", f"di cui alla lett.{N}a) del c.{N}2"),
    ("il d.lgs. 36/2023 e il d.l. 77/2021", f"il d.lgs.{N}36/2023 e il d.l.{N}77/2021"),
    ("la L. 381/1991 e la l. 68/1999", f"la L.{N}381/1991 e la l.{N}68/1999"),
    ("d.lgs. 31 marzo 2023, n. 36", f"d.lgs.{N}31 marzo 2023, n.{N}36"),
    ("il D.Lgs. n. 36/2023", f"il D.Lgs.{N}n.{N}36/2023"),
    ("d.P.R. 445/2000", f"d.P.R.{N}445/2000"),
    ("Allegato II.3, § 4", f"Allegato II.3, §{N}4"),
])
def test_non_breaking_spaces(text: str, expected: str) -> None:
    assert typeset(text) == expected


@pytest.mark.parametrize("text", [
    "la pagina di un'altra c. Il",  # «c.» not followed by a number: an ordinary full stop
    "per n. soggetti",
    "2026 è l'anno",
])
def test_no_space_bound_where_no_number_follows(text: str) -> None:
    result = typeset(text)
    assert result.replace("’", "'") == text


@pytest.mark.parametrize(("text", "expected"), [
    ("l'appalto dell'Ambito", "l’appalto dell’Ambito"),
    ("un po' di tempo", "un po’ di tempo"),
    ("gli anni '80", "gli anni ’80"),
    ("l'art. 108", f"l’art.{N}108"),
    ("la voce 'Totale' della tabella", "la voce ‘Totale’ della tabella"),
    ('la clausola "premio" al concorrente', "la clausola «premio» al concorrente"),
    ('"Capitolato"', "«Capitolato»"),
    ('un " solo', "un « solo"),
    ("d'intesa con l'ente: l'aggiudicatario", "d’intesa con l’ente: l’aggiudicatario"),
])
def test_apostrophes_and_quotes(text: str, expected: str) -> None:
    assert typeset(text) == expected


@pytest.mark.parametrize("token", [
    "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2023-03-31;36~art41",
    "ufficio.piano@comune.example.it",
    "capitolato.yaml",
    "carta-intestata.docx",
])
def test_addresses_and_file_names_untouched(token: str) -> None:
    assert typeset(f"vedi {token} oggi") == f"vedi {token} oggi"


def test_empty() -> None:
    assert typeset("") == ""


TEXT = st.text(alphabet=st.sampled_from(list("ab lA'\"0123.,;:%€ \u00a0art.n.c.d.lgs. l'")), max_size=60)


@given(TEXT)
def test_typeset_is_idempotent_and_leaves_no_straight_quote(text: str) -> None:
    once = typeset(text)
    assert typeset(once) == once
    assert "'" not in once and '"' not in once


@given(TEXT)
def test_typeset_keeps_every_letter_and_digit(text: str) -> None:
    def skeleton(value: str) -> str:
        return "".join(ch for ch in value if ch.isalnum())

    assert skeleton(typeset(text)) == skeleton(text)


@pytest.mark.parametrize(("items", "expected"), [
    (["la prima", "la seconda", "la terza"], ["la prima;", "la seconda;", "la terza."]),
    (["la prima;", "la seconda.", "la terza;"], ["la prima;", "la seconda;", "la terza."]),
    (["la prima,", "la seconda:"], ["la prima;", "la seconda."]),
    (["i costi, ecc.", "gli altri ecc."], ["i costi, ecc.;", "gli altri ecc."]),
    (["chi paga?", "quando"], ["chi paga?", "quando."]),
    (["solo"], ["solo."]),
    ([], []),
])
def test_list_punctuation(items: list[str], expected: list[str]) -> None:
    assert punctuate_items(items) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("visione condivisa: Ogni persona conta", "visione condivisa: ogni persona conta"),
    ("31 dicembre 2027: Rapporto annuale", "31 dicembre 2027: rapporto annuale"),
    ("capofila: Comune di Melzo", "capofila: Comune di Melzo"),
    ("referente: Mario Rossi", "referente: Mario Rossi"),
    ("sigla: ANAC", "sigla: ANAC"),
    ("norma: Codice dei contratti", "norma: Codice dei contratti"),
    ("ore 10:30 Incontro", "ore 10:30 Incontro"),
])
def test_no_capital_after_a_colon(text: str, expected: str) -> None:
    assert lower_after_colon(text) == expected


def test_the_tenders_own_names_keep_their_capital() -> None:
    assert lower_after_colon("ente: Melzo e dintorni", ["Melzo"]) == "ente: Melzo e dintorni"
    assert lower_after_colon("ente: Melzo e dintorni") == "ente: melzo e dintorni"


@pytest.mark.parametrize(("text", "expected"), [
    ("Rapporto annuale", "rapporto annuale"), ("Comune di Melzo", "Comune di Melzo"), ("ANAC", "ANAC"),
    ("Mario Rossi", "Mario Rossi"), ("per l'Ambito", "per l'Ambito"), ("", ""), ("3 incontri", "3 incontri"),
])
def test_lower_initial(text: str, expected: str) -> None:
    from capitolato.typography import lower_initial

    assert lower_initial(text) == expected
