"""Assembles each document of a tender into the typed document: numbered articles, clauses, cross-references.

A document template calls `articolo("sezione")` around each article's text and `rif("sezione")` where it cites
another article; it prints tables with `{{ tabelle.… }}`. Rendering marks the three with a per-document nonce and
prints every value as literal text (spec values tagged with their path). Once every section's text and clauses are
known, the empty sections are dropped, the others numbered, each piece of Markdown read once into blocks, and the
references resolved — within the document, or to the article of another document of the same tender.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from capitolato.document import tables
from capitolato.document.markdown_reader import read_markdown
from capitolato.document.model import Block, Cell, Document, Heading, Inline, ListBlock, Paragraph, Placeholder, \
    Reference, Table, Text
from capitolato.document.values import Markers, marking, with_origins
from capitolato.errors import Location, Problem, RenderError
from capitolato.library.load import Library
from capitolato.library.model import documents
from capitolato.library.render import render_clause, spec_context
from capitolato.model.facts import Facts, derive
from capitolato.model.tender import Spec
from capitolato.resources import data_path, package_data
from capitolato.templating import Structure, TemplateFailure, render_source

@dataclass(frozen=True)
class Piece:
    """Text of an article: the template's own (no title) or a clause's (with its title and its use in the spec)."""

    text: str
    clause_title: str | None = None
    clause_index: int | None = None


@dataclass
class _Draft:
    """A document numbered but with its references still open."""

    kind: str
    blocks: list[Block]
    numbers: dict[str, int]


def documents_for_procedure() -> dict[str, list[str]]:
    """Which documents each procedure kind produces (capitolato/data/procedure.yaml)."""
    return package_data("procedure.yaml")


def template_path(kind: str) -> Path:
    return data_path("templates", "documenti", f"{kind}.md.j2")


def document_title(kind: str) -> str:
    return documents()[kind]["titolo"]


def assemble(spec: Spec, library: Library) -> list[Document]:
    """Every document of the tender, its references resolved across the documents."""
    facts = derive(spec)
    markers = Markers()
    with marking(markers):
        context = _document_context(spec, facts, markers)
        drafts = [_draft(kind, spec, library, context, markers)
                  for kind in documents_for_procedure()[spec.procedure.kind.value]]
    empty = [draft.kind for draft in drafts if not draft.numbers]
    if empty:
        raise RenderError([_empty_document(spec, kind) for kind in empty])
    numbers = {draft.kind: draft.numbers for draft in drafts}
    result = []
    for draft in drafts:
        blocks = tuple(_resolve_block(block, draft.kind, numbers) for block in draft.blocks)
        articles = tuple(b for b in blocks if isinstance(b, Heading) and b.level == 1 and b.section)
        result.append(Document(draft.kind, document_title(draft.kind), blocks, articles=articles))
    return result


def _draft(kind: str, spec: Spec, library: Library, context: dict[str, Any], markers: Markers) -> _Draft:
    sections = _split(_render_template(kind, context, spec), markers)
    _add_clauses(kind, spec, library, sections, context)
    titles = documents()[kind]["sezioni"]
    present = [section for section, pieces in sections.items() if any(piece.text for piece in pieces)]
    numbers = {section: index for index, section in enumerate(present, start=1)}
    blocks: list[Block] = []
    for section in present:
        number = numbers[section]
        pieces = [piece for piece in sections[section] if piece.text]
        alone = pieces[0] if len(pieces) == 1 and pieces[0].clause_index is not None else None
        blocks.append(Heading(1, (Text(f"Art. {number} – {titles.get(section, section)}"),), str(number), section,
                              origin=_clause_origin(alone) if alone else None))
        blocks += _section_blocks(pieces, number, markers, headed=alone is None)
    return _Draft(kind, blocks, numbers)


def _empty_document(spec: Spec, kind: str) -> Problem:
    """A document with no article is not written: the spec lacks what it is made of."""
    where = spec.source.locate(("clausole",), key=True) if spec.source is not None else Location("<spec>")
    return Problem(where, f"il documento «{document_title(kind)}» non avrebbe nessun articolo: scegliere le clausole "
                          f"della procedura (capitolato clauses list --procedura {spec.procedure.kind.value}) e "
                          "completare le sezioni dello spec che il documento richiede")


def _clause_origin(piece: Piece) -> str:
    return f"clausole.{piece.clause_index}"


def _section_blocks(pieces: list[Piece], number: int, markers: Markers, *, headed: bool) -> list[Block]:
    """An article's blocks; a clause gets its own numbered sub-heading unless it is the article's only text."""
    blocks: list[Block] = []
    clauses = 0
    for piece in pieces:
        if piece.clause_title is not None and headed:
            clauses += 1
            blocks.append(Heading(2, (Text(f"{number}.{clauses} {piece.clause_title}"),), f"{number}.{clauses}",
                                  origin=_clause_origin(piece)))
        if piece.text:
            read = read_markdown(piece.text, markers)
            if piece.clause_index is not None:
                read = [_locate_placeholders(block, _clause_origin(piece)) for block in read]
            blocks += read
    return blocks


def _document_context(spec: Spec, facts: Facts, markers: Markers) -> dict[str, Any]:
    context = {key: value if key == "derivati" else with_origins(value, key)
               for key, value in spec_context(spec).items()}
    context["tabelle"] = _Tables(spec, facts, markers)
    context["articolo"] = lambda section, caller: Structure(markers.article(section) + caller())
    context["rif"] = lambda section, documento=None: Structure(
        markers.reference(f"{documento}/{section}" if documento else section))
    return context


class _Tables(Mapping[str, Any]):
    """The tables a template may print, each built the first time a template asks for it."""

    def __init__(self, spec: Spec, facts: Facts, markers: Markers) -> None:
        award = spec.award
        criteria = award.criteria if award else []
        partner = _partner(facts)
        self._markers = markers
        self._built: dict[str, Any] = {}
        self._builders: dict[str, Callable[[], Any]] = {
            "importi": lambda: tables.amounts_table(spec, facts),
            "governance": lambda: (tables.governance_table(spec.governance, partner)
                                   if spec.governance and spec.governance.levels else None),
            "linee_supporto": lambda: tables.support_lines_table(spec.support_lines) if spec.support_lines else None,
            "indicatori": lambda: (tables.indicators_table(spec.impact, partner)
                                   if spec.impact and spec.impact.indicators else None),
            "criteri": lambda: tables.criteria_table(award) if criteria else None,
            "criteri_proposte": lambda: (tables.criteria_table(award, "Criteri di valutazione delle proposte "
                                                               "progettuali", "Totale") if criteria else None),
            "criteri_motivazionali": lambda: tables.guidance_table(award) if criteria else None,
            "tabellari": lambda: [tables.tabular_levels_table(c) for c in _tabular(criteria)],
            "prestazioni": lambda: (tables.activities_table(spec.execution, spec.procedure.duration_months)
                                    if spec.execution.activities else None),
            "profili": lambda: (tables.profiles_table(spec.execution)
                                if spec.execution.profiles else None),
        }

    def __getitem__(self, key: str) -> Any:
        if key not in self._built:
            made = self._builders[key]()
            self._built[key] = [self._mark(t) for t in made] if isinstance(made, list) else self._mark(made)
        return self._built[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)

    def _mark(self, table: Table | None) -> Structure:
        return Structure(self._markers.table(table)) if table is not None else Structure("")


def _partner(facts: Facts) -> str:
    """The counterpart in table headings: ente partner, organizzazione, impresa sociale (381), aggiudicatario."""
    if facts.counterpart:
        return facts.counterpart.get("tabella", facts.counterpart["nome"])
    return tables.partner_name(facts.outside_codice)


def _tabular(criteria: list) -> list:
    found = []
    for criterion in criteria:
        if criterion.levels:
            found.append(criterion)
        found += _tabular(criterion.subcriteria)
    return found


def _render_template(kind: str, context: dict[str, Any], spec: Spec) -> str:
    """The template's Markdown; a failure is the spec's (a value the document needs), reported against the spec."""
    path = template_path(kind)
    try:
        return render_source(path.read_text(encoding="utf-8"), context, name=path.name, markdown=True)
    except TemplateFailure as exc:
        where = Location(str(spec.source.path)) if spec.source is not None else Location("<spec>")
        raise RenderError([Problem(where, f"il {document_title(kind).lower()} non si può generare: {exc.reason}; "
                                          "completare nello spec i valori che il documento richiede")]) from None


def _split(body: str, markers: Markers) -> dict[str, list[Piece]]:
    """Section → its pieces of text, in template order (dicts keep insertion order)."""
    parts = markers.article_re.split(body)
    sections: dict[str, list[Piece]] = {}
    for section, text in zip(parts[1::2], parts[2::2], strict=True):
        sections.setdefault(section, []).append(Piece(text.strip()))
    return sections


def _add_clauses(kind: str, spec: Spec, library: Library, sections: dict[str, list[Piece]],
                 context: dict[str, Any]) -> None:
    """Each chosen clause lands in its section, in the order the spec lists them."""
    clause_context = {key: value for key, value in context.items() if key not in ("tabelle", "articolo")}
    for index, use in enumerate(spec.clauses):
        clause = library.get(use.id)
        if clause is None or clause.placement.document.value != kind:
            continue
        parameters = with_origins(use.parameters, f"clausole.{index}.parametri")
        try:
            text = render_clause(clause, parameters, spec, refer=context["rif"], context=clause_context,
                                 markdown=True)
        except RenderError as exc:
            raise RenderError([_at_clause_use(spec, index, problem) for problem in exc.problems]) from None
        sections.setdefault(clause.placement.section, []).append(Piece(text.strip(), clause.title, index))


def _at_clause_use(spec: Spec, index: int, problem: Problem) -> Problem:
    """A clause that cannot be written: a shipped one is the spec's problem, located at the clause's use (the tool's
    files are not the officer's to edit); the authority's own clause keeps its file, and names the use."""
    use = spec.source.locate(("clausole", index, "id")) if spec.source is not None else Location("<spec>")
    if str(problem.location.file).startswith(str(data_path("clauses"))):
        return Problem(use, f"{problem.message}: indicare nello spec il valore che la clausola richiede")
    return Problem(problem.location, f"{problem.message} (clausola scelta in {use})")


def _locate_placeholders(block: Block, origin: str) -> Block:
    """A placeholder a clause text wrote itself is located at the clause's use in the spec."""
    return _map_inlines(block, lambda node: replace(node, origin=origin)
                        if isinstance(node, Placeholder) and node.origin is None else node)


def _resolve_block(block: Block, kind: str, numbers: dict[str, dict[str, int]]) -> Block:
    return _map_inlines(block, lambda node: _resolve(node, kind, numbers) if isinstance(node, Reference) else node)


def _resolve(reference: Reference, kind: str, numbers: dict[str, dict[str, int]]) -> Reference:
    if "/" in reference.section:
        return _resolve_in(reference, numbers)
    section = reference.section
    if section in numbers.get(kind, {}):
        return Reference(section, f"art. {numbers[kind][section]}", True)
    for other, found in numbers.items():
        if section in found:
            return Reference(section, f"art. {found[section]} {documents()[other]['rinvio']}", True)
    title = documents()[kind]["sezioni"].get(section)
    if title is None:
        raise RenderError([Problem(Location(str(template_path(kind))),
                                   f"riferimento a una sezione inesistente: «{section}»")])
    return Reference(section, f"l'articolo «{title}»", False)


def _resolve_in(reference: Reference, numbers: dict[str, dict[str, int]]) -> Reference:
    """`rif(section, document)`: the article of a named document, when a section of the same name exists in both."""
    kind, _, section = reference.section.partition("/")
    entry = documents().get(kind)
    if entry is None or section not in entry["sezioni"]:
        raise RenderError([Problem(Location(str(template_path(kind))),
                                   f"riferimento a una sezione inesistente: «{reference.section}»")])
    if section in numbers.get(kind, {}):
        return Reference(reference.section, f"art. {numbers[kind][section]} {entry['rinvio']}", True)
    return Reference(reference.section, f"l'articolo «{entry['sezioni'][section]}» {entry['rinvio']}", False)


def _map_inlines(block: Block, change: Callable[[Inline], Inline]) -> Block:
    """The same block with `change` applied to every inline node, in lists and table cells too."""
    def run(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        return tuple(change(node) for node in inlines)

    if isinstance(block, Paragraph | Heading):
        return replace(block, inlines=run(block.inlines))
    if isinstance(block, ListBlock):
        return replace(block, items=tuple(tuple(_map_inlines(b, change) for b in item) for item in block.items))
    if isinstance(block, Table):
        def row(cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
            return tuple(replace(c, inlines=run(c.inlines)) for c in cells)
        return replace(block, rows=tuple(row(r) for r in block.rows),
                       total=row(block.total) if block.total else None)
    return block
