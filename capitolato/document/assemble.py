"""Assembles each document of a tender as Markdown: numbered articles, clauses in their sections, cross-references.

A document template calls `articolo("sezione")` around each article's text and `rif("sezione")` where it cites
another article. Rendering marks both with a per-run nonce; once every section's text and clauses are known, the
empty sections are dropped, the others numbered, and the references replaced by the real article numbers.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from capitolato.document import tables
from capitolato.errors import Location, Problem, RenderError
from capitolato.library.load import Library
from capitolato.library.model import documents
from capitolato.library.render import render_clause, spec_context
from capitolato.model.facts import Facts, derive
from capitolato.model.tender import Spec
from capitolato.resources import data_path, package_data
from capitolato.templating import TemplateFailure, render_source


@dataclass(frozen=True)
class Article:
    section: str
    number: int
    title: str


@dataclass(frozen=True)
class Piece:
    """Text of an article: the template's own (no title) or a clause's (with its title)."""

    text: str
    clause_title: str | None = None


@dataclass(frozen=True)
class AssembledDocument:
    """One document of the tender as Markdown, with its articles for tests and the table of contents."""

    kind: str
    title: str
    markdown: str
    articles: tuple[Article, ...]


def documents_for_procedure() -> dict[str, list[str]]:
    """Which documents each procedure kind produces (capitolato/data/procedure.yaml)."""
    return package_data("procedure.yaml")


def template_path(kind: str) -> Path:
    return data_path("templates", "documenti", f"{kind}.md.j2")


def assemble(spec: Spec, library: Library) -> list[AssembledDocument]:
    facts = derive(spec)
    return [assemble_document(kind, spec, library, facts)
            for kind in documents_for_procedure()[spec.procedure.kind.value]]


def assemble_document(kind: str, spec: Spec, library: Library, facts: Facts) -> AssembledDocument:
    markers = _Markers(secrets.token_hex(8))
    context = _document_context(spec, facts, markers)
    body = _render_template(kind, context)
    sections = markers.split(body)
    _add_clauses(kind, spec, library, sections, markers, context)
    articles = _number(kind, sections)
    markdown = _write(kind, sections, articles, markers)
    return AssembledDocument(kind, documents()[kind]["titolo"], markdown, tuple(articles))


class _Markers:
    """Nonce-tagged markers: text from the spec can never forge one."""

    def __init__(self, nonce: str) -> None:
        self.article_re = re.compile(rf"⟦ART {nonce} ([a-z0-9-]+)⟧\n?")
        self.reference_re = re.compile(rf"⟦RIF {nonce} ([a-z0-9-]+)⟧")
        self.nonce = nonce

    def article(self, section: str, caller: Callable[[], str]) -> str:
        return f"⟦ART {self.nonce} {section}⟧\n{caller()}\n"

    def reference(self, section: str) -> str:
        return f"⟦RIF {self.nonce} {section}⟧"

    def split(self, body: str) -> dict[str, list[Piece]]:
        """Section → its pieces of text, in template order (dicts keep insertion order)."""
        parts = self.article_re.split(body)
        sections: dict[str, list[Piece]] = {}
        for section, text in zip(parts[1::2], parts[2::2], strict=True):
            sections.setdefault(section, []).append(Piece(text.strip()))
        return sections


def _document_context(spec: Spec, facts: Facts, markers: _Markers) -> dict[str, Any]:
    data = spec.model_dump(by_alias=True, mode="python")
    context = spec_context(spec)
    context.update({key: data[key] for key in ("premessa", "obiettivo", "strategie", "descrizione_servizio",
                                               "governance", "linee_supporto", "valutazione_impatto",
                                               "aggiudicazione", "caratteristiche")})
    context["tabelle"] = _tables(spec, facts)
    context["articolo"] = markers.article
    context["rif"] = markers.reference
    return context


def _tables(spec: Spec, facts: Facts) -> dict[str, Any]:
    award = spec.award
    partner = tables.partner_name(facts.outside_codice)
    return {
        "importi": tables.amounts_table(spec, facts),
        "governance": (tables.governance_table(spec.governance, partner)
                       if spec.governance and spec.governance.levels else ""),
        "linee_supporto": tables.support_lines_table(spec.support_lines) if spec.support_lines else "",
        "indicatori": tables.indicators_table(spec.impact, partner) if spec.impact and spec.impact.indicators else "",
        "criteri": tables.criteria_table(award) if award and award.criteria else "",
        "criteri_proposte": tables.criteria_table(award, "Criteri di valutazione delle proposte progettuali",
                                                  "Totale") if award and award.criteria else "",
        "tabellari": [tables.tabular_levels_table(c) for c in _tabular(award.criteria if award else [])],
    }


def _tabular(criteria: list) -> list:
    found = []
    for criterion in criteria:
        if criterion.levels:
            found.append(criterion)
        found += _tabular(criterion.subcriteria)
    return found


def _render_template(kind: str, context: dict[str, Any]) -> str:
    path = template_path(kind)
    try:
        return render_source(path.read_text(encoding="utf-8"), context, name=path.name)
    except TemplateFailure as exc:
        raise RenderError([Problem(Location(str(path), exc.line or 0, 1 if exc.line else 0),
                                   f"modello «{path.name}»: {exc.reason}")]) from None


def _add_clauses(kind: str, spec: Spec, library: Library, sections: dict[str, list[Piece]], markers: _Markers,
                 context: dict[str, Any]) -> None:
    """Each chosen clause lands in its section, in the order the spec lists them."""
    clause_context = spec_context(spec)
    for use in spec.clauses:
        clause = library.get(use.id)
        if clause is None or clause.placement.document.value != kind:
            continue
        text = render_clause(clause, use.parameters, spec, refer=markers.reference, context=clause_context)
        sections.setdefault(clause.placement.section, []).append(Piece(text.strip(), clause.title))


def _number(kind: str, sections: dict[str, list[Piece]]) -> list[Article]:
    titles = documents()[kind]["sezioni"]
    present = [section for section, pieces in sections.items() if any(piece.text for piece in pieces)]
    return [Article(section, index, titles.get(section, section)) for index, section in enumerate(present, start=1)]


def _write(kind: str, sections: dict[str, list[Piece]], articles: list[Article], markers: _Markers) -> str:
    numbers = {article.section: article.number for article in articles}
    out: list[str] = []
    for article in articles:
        out.append(f"# Art. {article.number} – {article.title}\n")
        clauses = 0
        for piece in sections[article.section]:
            if piece.clause_title is not None:
                clauses += 1
                out.append(f"## {article.number}.{clauses} {piece.clause_title}\n")
            if piece.text:
                out.append(piece.text + "\n")
    markdown = "\n".join(out)
    return markers.reference_re.sub(lambda m: _reference(kind, m.group(1), numbers), markdown)


def _reference(kind: str, section: str, numbers: dict[str, int]) -> str:
    if section in numbers:
        return f"art. {numbers[section]}"
    title = documents()[kind]["sezioni"].get(section)
    if title is None:
        raise RenderError([Problem(Location(str(template_path(kind))),
                                   f"riferimento a una sezione inesistente: «{section}»")])
    return f"l'articolo «{title}» dei documenti di gara"
