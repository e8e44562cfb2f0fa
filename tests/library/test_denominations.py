"""The authority's denomination with its article, and the articulated prepositions before it."""

from __future__ import annotations

import pytest

from capitolato.italian import denomination, ordinal, quoted, with_article, with_preposition
from capitolato.templating import TemplateFailure, render_source


@pytest.mark.parametrize(("name", "article", "di", "da", "a"), [
    ("Comune di Melzo", "il Comune di Melzo", "del Comune di Melzo", "dal Comune di Melzo", "al Comune di Melzo"),
    ("Unione dei Comuni della Martesana", "l’Unione dei Comuni della Martesana",
     "dell’Unione dei Comuni della Martesana", "dall’Unione dei Comuni della Martesana",
     "all’Unione dei Comuni della Martesana"),
    ("Città metropolitana di Milano", "la Città metropolitana di Milano", "della Città metropolitana di Milano",
     "dalla Città metropolitana di Milano", "alla Città metropolitana di Milano"),
    ("Azienda speciale consortile Comuni Insieme", "l’Azienda speciale consortile Comuni Insieme",
     "dell’Azienda speciale consortile Comuni Insieme", "dall’Azienda speciale consortile Comuni Insieme",
     "all’Azienda speciale consortile Comuni Insieme"),
    ("Consorzio Desio-Brianza", "il Consorzio Desio-Brianza", "del Consorzio Desio-Brianza",
     "dal Consorzio Desio-Brianza", "al Consorzio Desio-Brianza"),
    ("Ambito distrettuale 5", "l’Ambito distrettuale 5", "dell’Ambito distrettuale 5",
     "dall’Ambito distrettuale 5", "all’Ambito distrettuale 5"),
    ("Comuni di Pioltello e Segrate", "i Comuni di Pioltello e Segrate", "dei Comuni di Pioltello e Segrate",
     "dai Comuni di Pioltello e Segrate", "ai Comuni di Pioltello e Segrate"),
    ("ATS Città metropolitana", "l’ATS Città metropolitana", "dell’ATS Città metropolitana",
     "dall’ATS Città metropolitana", "all’ATS Città metropolitana"),
    ("Melzo", "Melzo", "di Melzo", "da Melzo", "a Melzo"),
])
def test_article_and_prepositions_from_the_first_word(name: str, article: str, di: str, da: str, a: str) -> None:
    assert with_article(name) == article
    assert with_preposition(name, "di") == di
    assert with_preposition(name, "da") == da
    assert with_preposition(name, "a") == a


def test_the_other_prepositions() -> None:
    assert with_preposition("Comune di Melzo", "in") == "nel Comune di Melzo"
    assert with_preposition("Comune di Melzo", "su") == "sul Comune di Melzo"
    assert with_preposition("Unione dei Comuni", "su") == "sull’Unione dei Comuni"
    assert with_preposition("Comune di Melzo", "con") == "con il Comune di Melzo"
    assert with_preposition("Città di Segrate", "tra") == "tra la Città di Segrate"
    with pytest.raises(TypeError, match="non è una preposizione ammessa"):
        with_preposition("Comune di Melzo", "sotto")


def test_the_lo_and_gli_forms() -> None:
    assert denomination("Studio associato").article == ""  # not an authority's first word: no article
    assert with_preposition({"nome": "Sportello unico", "articolo": "lo"}, "di") == "dello Sportello unico"
    assert with_preposition({"nome": "Ambiti della Martesana", "articolo": "gli"}, "a") == "agli Ambiti della Martesana"


def test_a_declared_article_wins_and_none_means_none() -> None:
    assert with_preposition({"nome": "Melzo Servizi", "articolo": "la"}, "da") == "dalla Melzo Servizi"
    assert with_preposition({"nome": "Roma Capitale", "articolo": "nessuno"}, "di") == "di Roma Capitale"
    assert with_preposition({"nome": "Comune di Melzo", "articolo": None}, "di") == "del Comune di Melzo"
    assert denomination({"nome": "Ente X", "articolo": "l’"}).article == "l'"


def test_a_name_typed_with_its_article_keeps_it_once() -> None:
    assert with_preposition("Il Comune di Melzo", "da") == "dal Comune di Melzo"
    assert with_preposition("l'Unione dei Comuni", "di") == "dell’Unione dei Comuni"


def test_gender_and_number() -> None:
    assert (denomination("Unione dei Comuni").gender, denomination("Unione dei Comuni").plural) == ("f", False)
    assert (denomination("Comuni di A e B").gender, denomination("Comuni di A e B").plural) == ("m", True)
    assert denomination({"nome": "X", "articolo": "le"}).gender == "f"


def test_filters_in_templates() -> None:
    ente = {"nome": "Comune di Melzo", "articolo": None}
    text = render_source("{{ ente | articolo | maiuscola }} indice la gara; sito {{ ente | preposizione('di') }}; "
                         "appalto di {{ oggetto | virgolette }}", {"ente": ente, "oggetto": "Servizi per le autonomie"})
    assert text == "Il Comune di Melzo indice la gara; sito del Comune di Melzo; appalto di «Servizi per le autonomie»"
    with pytest.raises(TemplateFailure, match="non è una denominazione"):
        render_source("{{ x | articolo }}", {"x": 3})


def test_ordinals() -> None:
    assert ordinal(1) == "primo" and ordinal(3, "f") == "terza" and ordinal(10) == "decimo"
    assert ordinal(11) == "11°" and ordinal(12, "f") == "12ª"
    with pytest.raises(TypeError):
        ordinal(0)


def test_quoted_once() -> None:
    assert quoted("Servizi") == "«Servizi»" and quoted("«Servizi»") == "«Servizi»"


def test_bare_denominations_are_found_with_their_offset() -> None:
    from capitolato.italian import bare_denominations

    text = "Il capitolato indetto da Comune di Melzo, sul sito istituzionale di Comune di Melzo e dal Comune di Melzo."
    found = bare_denominations(text, {"nome": "Comune di Melzo", "articolo": None})
    assert found == [(text.index("da Comune"), "da Comune di Melzo"), (text.index("di Comune"), "di Comune di Melzo")]
    assert bare_denominations("il Comune di Melzo, dal Comune di Melzo", "Comune di Melzo") == []
    assert bare_denominations("il sindaco di Melzo", "Melzo") == []  # a place name wants no article
    assert bare_denominations("di Roma Capitale", {"nome": "Roma Capitale", "articolo": "nessuno"}) == []


def test_list_items_in_a_template_loop() -> None:
    text = render_source("{% for x in xs %}- {{ x | minuscola | voce(loop.last) }}\n{% endfor %}",
                         {"xs": ["Rapporto annuale.", "Relazione finale", "Incontro con ANAC;"]})
    assert text == "- rapporto annuale;\n- relazione finale;\n- incontro con ANAC.\n"
