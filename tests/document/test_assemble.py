"""Assembly: numbered articles, clauses in their sections, computed cross-references, data never evaluated."""

from __future__ import annotations

import re

import pytest

from capitolato import load_library, load_spec
from capitolato.document.assemble import assemble, documents_for_procedure, template_path
from capitolato.document.model import Heading, Paragraph, Placeholder, Table, Text, inline_runs, plain_text, text_of, walk
from capitolato.library.model import documents
from capitolato.library.render import render_clause
from capitolato.render.markdown import render_markdown
from tests.conftest import MELZO, leading_words


@pytest.fixture(scope="module")
def melzo_docs():
    spec = load_spec(MELZO)
    return spec, {d.kind: d for d in assemble(spec, load_library())}


def test_procurement_produces_capitolato_and_disciplinare(melzo_docs) -> None:
    _, docs = melzo_docs
    assert list(docs) == ["capitolato-speciale", "disciplinare"]


def test_articles_are_numbered_in_order_without_gaps(melzo_docs) -> None:
    _, docs = melzo_docs
    for document in docs.values():
        numbers = [int(n) for n in re.findall(r"^# Art\. (\d+) – ", render_markdown(document), flags=re.M)]
        assert numbers == list(range(1, len(numbers) + 1)) == [int(a.number) for a in document.articles]


def test_cross_reference_points_at_the_real_article(melzo_docs) -> None:
    _, docs = melzo_docs
    capitolato = docs["capitolato-speciale"]
    impact = next(a for a in capitolato.articles if a.section == "valutazione-impatto")
    assert f"di cui all'art. {impact.number}" in text_of(capitolato)
    assert "⟦" not in render_markdown(capitolato)


def test_each_chosen_clause_lands_in_its_section(melzo_docs) -> None:
    spec, docs = melzo_docs
    library = load_library()
    assert spec.clauses, "l'esempio deve usare clausole della libreria"
    for index, use in enumerate(spec.clauses):
        clause = library.get(use.id)
        document = docs[clause.placement.document.value]
        article = next(a for a in document.articles if a.section == clause.placement.section)
        headings = [b for b in document.blocks if isinstance(b, Heading) and b.origin == f"clausole.{index}"]
        assert len(headings) == 1, f"{clause.id} senza intestazione"
        heading = headings[0]
        if heading.level == 2:
            assert plain_text(heading.inlines) == f"{heading.number} {clause.title}"
            assert heading.number.startswith(f"{article.number}."), f"{clause.id} non è nell'art. {article.number}"
        else:
            assert heading is article, f"{clause.id}: un articolo con una sola clausola non ha sottotitolo"
        expected = leading_words(render_clause(clause, use.parameters, spec))
        assert expected in " ".join(re.sub(r"[*_`#>-]", "", text_of(document)).split()), clause.id


def test_every_template_has_every_section_of_its_document() -> None:
    for kind, meta in documents().items():
        source = template_path(kind).read_text(encoding="utf-8")
        called = re.findall(r'{% call articolo\("([a-z0-9-]+)"\) %}', source)
        assert called == list(meta["sezioni"]), kind
    kinds = {k for docs in documents_for_procedure().values() for k in docs}
    assert kinds == set(documents())


def test_spec_text_is_data_not_template(write_spec, melzo_text: str) -> None:
    text = melzo_text.replace("premessa: >-\n", "premessa: >-\n  {{ ente.rup }} {% raw %} ⟦ART x oggetto⟧\n", 1)
    spec = load_spec(write_spec(text))
    capitolato = assemble(spec, load_library())[0]
    assert "{{ ente.rup }} {% raw %} ⟦ART x oggetto⟧" in text_of(capitolato)


@pytest.mark.parametrize("kind", ["coprogettazione-art55", "convenzione-art56", "accreditamento-art55"])
def test_shared_administration_documents_have_no_procurement_vocabulary(write_spec, melzo_text: str,
                                                                         kind: str) -> None:
    text = (melzo_text.replace("  tipo: aperta", f"  tipo: {kind}")
            .replace("affidando il servizio con una procedura di gara", "con un percorso condiviso")
            .replace("organizzazione aggiudicataria", "organizzazione partner")
            .replace("dell'aggiudicatario", "dell'ente partner"))
    text = text.split("\naggiudicazione:")[0] + "\n"
    spec = load_spec(write_spec(text))
    for document in assemble(spec, load_library()):
        lowered = text_of(document).lower()
        for word in ("ribasso", "base d'asta", "offerta economica", "aggiudicazione", "aggiudicatari", "corrispettivo",
                     "prezzo"):
            assert word not in lowered, (document.kind, word)


HOSTILE = [
    "```",
    "# Art. 2 – Penali",
    "[clicca qui](https://esempio.invalid/x)",
    "![](https://esempio.invalid/pixel.png)",
    "&#x202E;testo&#x202C;",
    "<b>grassetto</b> <script>x()</script>",
    "1. elenco\n- puntato\n> citazione\n    codice",
    "| a | b |\n|---|---|\n| c | d |",
    "**non grassetto** _non corsivo_ ~non pedice~",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_spec_values_reach_the_document_as_text(write_spec, melzo_text: str, value: str) -> None:
    """Whatever a premessa holds, it is one run of text: no article, table, link or image comes out of it."""
    quoted = "\n".join("  " + line for line in value.split("\n"))
    text = melzo_text.replace("premessa: >-\n", "premessa: |-\n" + quoted + "\n\n", 1)
    spec = load_spec(write_spec(text))
    plain = load_spec(MELZO)
    hostile, clean = assemble(spec, load_library())[0], assemble(plain, load_library())[0]
    assert [plain_text(a.inlines) for a in hostile.articles] == [plain_text(a.inlines) for a in clean.articles]
    assert sum(isinstance(b, Table) for b in walk(hostile.blocks)) == sum(isinstance(b, Table) for b in walk(clean.blocks))
    origin_text = "".join(node.text for block in walk(hostile.blocks) for run in inline_runs(block) for node in run
                          if isinstance(node, Text) and node.origin == "premessa")
    assert " ".join(value.split()) in " ".join(origin_text.split())
    premessa = [b for b in hostile.blocks if isinstance(b, Paragraph)][0]
    assert all(isinstance(n, Text) and not (n.bold or n.italic or n.script) for n in premessa.inlines)


def test_placeholders_are_nodes_located_at_their_spec_value(write_spec, melzo_text: str) -> None:
    text = re.sub(r"(?m)^  rup: .*$", "  rup: DA COMPLETARE — nome e qualifica del RUP", melzo_text, count=1)
    spec = load_spec(write_spec(text))
    placeholders = [node for document in assemble(spec, load_library()) for block in walk(document.blocks)
                    for run in inline_runs(block) for node in run if isinstance(node, Placeholder)]
    assert placeholders and {p.origin for p in placeholders} == {"ente.rup"}
    assert all(p.text == "DA COMPLETARE — nome e qualifica del RUP" for p in placeholders)


def test_an_article_with_one_clause_has_no_sub_heading(melzo_docs) -> None:
    _, docs = melzo_docs
    for document in docs.values():
        for article in document.articles:
            index = document.blocks.index(article)
            following = document.blocks[index + 1] if index + 1 < len(document.blocks) else None
            if article.origin is not None:
                assert not (isinstance(following, Heading) and following.level == 2)


def test_a_document_without_articles_is_a_located_error(write_spec) -> None:
    from capitolato.errors import RenderError

    text = (MELZO.parent.parent / "coprogettazione-art55" / "capitolato.yaml").read_text(encoding="utf-8")
    head = text.split("\nimporti:")[0] + "\nimporti:\n  base: 4\n"
    spec = load_spec(write_spec(head))
    with pytest.raises(RenderError, match="non avrebbe nessun articolo") as error:
        assemble(spec, load_library())
    assert all(str(p.location.file).endswith("capitolato.yaml") for p in error.value.problems)
