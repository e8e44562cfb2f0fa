"""PUB: the published text, read as the documents `build` writes — what a bidder or a judge would read.

These rules run on the assembled documents (the typed document model), not on the spec: placeholders still in the
text, the same quantity stated twice with different values, points no criterion of the grid carries, discretionary
criteria without their scale and motivational criteria, references that do not resolve, markup printed literally,
procurement vocabulary in a shared-administration document. Each finding points at the spec value or the clause that
produced the text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from capitolato.document.model import Document, Heading, Inline, Placeholder, Reference, Text, inline_runs, walk
from capitolato.errors import Location
from capitolato.italian import bare_denominations
from capitolato.model.placeholders import is_placeholder
from capitolato.model.tender import Criterion, CriterionKind
from capitolato.rules.context import Context, affirmed
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import Basis, Status, art, rule

BANDO_TIPO = Basis("ANAC, Bando-tipo n. 1 (delibera n. 309 del 27.6.2023, aggiornata con delibera n. 365 del 16.9.2025)")
TRANSPARENCY = Basis("L. 241/1990, art. 1 (chiarezza e trasparenza dell'azione amministrativa)")
MARKUP = re.compile(r"</?(?:sub|sup|b|i|u|em|strong|br|p|span|div|script|a|img)\b[^>]*>|```|\{\{|\{%|\{\"|⟦"
                    r"|!?\[[^\]\n]+\]\([^)\s]+\)|&#x?[0-9a-fA-F]+;|\*\*[^*\n]+\*\*", re.IGNORECASE)
POINTS = re.compile(r"(\d+(?:[.,]\d+)?)\s+punt[oi]\b")
AWARDING = re.compile(r"\b(attribui\w*|assegna\w*|fino a|massimo|riconosciut\w*)\b", re.IGNORECASE)
SENTENCES = re.compile(r"[^.;\n]+(?:[.;\n]|$)")
PROCUREMENT_WORDS = re.compile(r"\b(ribass\w*|base d'asta|base di gara|offerta economica|aggiudica\w*|appalt\w*|"
                               r"corrispettiv\w*|prezz[oi])\b", re.IGNORECASE)
DISCOUNT_BASES = (("al-netto-manodopera", re.compile(r"al netto dei costi della manodopera", re.IGNORECASE)),
                  ("totale-con-manodopera", re.compile(r"comprensivo dei costi della manodopera|sull'importo a base "
                                                       r"di gara(?! al netto)(?! comprensivo)", re.IGNORECASE)))


@dataclass(frozen=True)
class Span:
    """An inline node of a document with the spec path that produced it (a value, or the clause that wrote it)."""

    node: Inline
    producer: str | None
    document: Document


def spans(documents: Iterable[Document]) -> Iterator[Span]:
    """Every inline node in reading order; text a clause wrote is produced by that clause's use in the spec."""
    for document in documents:
        clause: str | None = None
        for block in walk(document.blocks):
            if isinstance(block, Heading) and (block.level == 1 or block.origin):
                clause = block.origin
            for run in inline_runs(block):
                for node in run:
                    origin = getattr(node, "origin", None)
                    yield Span(node, origin or clause, document)


def _where(ctx: Context, producer: str | None) -> Location:
    """The spec value or clause use that wrote the text; the spec itself for the document template's own text."""
    if producer is None:
        return ctx.at()
    return ctx.at(*(int(part) if part.isdigit() else part for part in producer.split(".")))


def _name(document: Document) -> str:
    return document.title.lower() if document.title else document.kind


@rule("PUB001", "placeholder-in-document", Severity.ERROR, "Segnaposto ancora nel testo del documento",
      rationale="Un documento pubblicato con «DA COMPLETARE», «da nominare» o un valore lasciato in bianco non è "
                "applicabile: i concorrenti non sanno che cosa è richiesto e l'atto è impugnabile. Con --bozza i "
                "documenti si generano comunque e ogni segnaposto è evidenziato.",
      basis=[TRANSPARENCY, art("15", "art. 15 d.lgs. 36/2023 (RUP indicato nel bando)")], status=Status.DESIGN,
      fix="scrivere il valore nello spec alla riga indicata (o generare una bozza con --bozza)")
def placeholder_in_document(ctx: Context) -> Iterable[Finding]:
    seen: set[tuple[str | None, str]] = set()
    for span in spans(ctx.documents):
        if isinstance(span.node, Placeholder) and (span.producer, span.node.text) not in seen:
            seen.add((span.producer, span.node.text))
            yield ctx.finding(_where(ctx, span.producer), f"«{span.node.text}» ({_name(span.document)})")


@rule("PUB002", "same-fact-two-values", Severity.ERROR, "Lo stesso dato è scritto con valori diversi",
      rationale="Due valori per la soglia di sbarramento, i punti o la base del ribasso rendono la lex specialis "
                "ambigua: il concorrente non sa quale vale e la clausola più sfavorevole è contestabile.",
      basis=[BANDO_TIPO, art("108", "art. 108 c. 7 d.lgs. 36/2023 (criteri e pesi indicati nei documenti)")],
      status=Status.DESIGN, fix="dare al dato un solo valore nello spec e togliere il parametro che lo ripete")
def same_fact_two_values(ctx: Context) -> Iterable[Finding]:
    statements: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for document in ctx.documents:
        for sentence in _sentences(document):
            for fact, value in _stated_facts(sentence):
                statements[fact][value].add(_name(document))
    for fact, values in statements.items():
        if len(values) > 1:
            where = {"soglia": ("aggiudicazione", "soglia_sbarramento"), "base del ribasso": ("importi",)}[fact]
            listed = "; ".join(f"{value} ({', '.join(sorted(docs))})" for value, docs in sorted(values.items()))
            yield ctx.finding(ctx.at(*where), f"{fact}: {listed}")


def _sentences(document: Document) -> Iterator[str]:
    for block in walk(document.blocks):
        for run in inline_runs(block):
            text = "".join(getattr(node, "text", " ") for node in run)
            yield from (match.group() for match in SENTENCES.finditer(text))


def _stated_facts(sentence: str) -> Iterator[tuple[str, str]]:
    lowered = sentence.lower()
    if "soglia di sbarramento" in lowered or ("sono escluse le offerte" in lowered and "punti" in lowered):
        points = POINTS.search(sentence)
        if points:
            yield "soglia", _number(points.group(1))
    if "ribasso" in lowered and ("si applica" in lowered or "indica il ribasso" in lowered):
        for base, pattern in DISCOUNT_BASES:
            if pattern.search(sentence):
                yield "base del ribasso", base
                break


def _number(text: str) -> str:
    try:
        return str(Decimal(text.replace(".", "").replace(",", ".")).normalize())
    except InvalidOperation:
        return text


@rule("PUB003", "points-outside-grid", Severity.ERROR, "Punti che la griglia dei criteri non prevede",
      rationale="Ogni punto attribuibile va nella griglia pubblicata con il suo peso (art. 108 c. 7): un premio "
                "scritto in una clausola ma assente dalla griglia falsa il totale e non può essere attribuito.",
      basis=[art("108", "art. 108 c. 7 d.lgs. 36/2023")], status=Status.VERIFIED,
      fix="aggiungere alla griglia un criterio con quei punti, o correggere i punti della clausola")
def points_outside_grid(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    if award is None:
        return
    allowed = _grid_points(award.criteria) | {_number(str(p)) for p in (
        award.total_points, award.technical_points, award.economic_points,
        award.min_technical_score.points if award.min_technical_score else None) if p is not None}
    for clause_id, text in ctx.texts.items():
        for sentence in SENTENCES.finditer(text):
            if not AWARDING.search(sentence.group()) or "soglia" in sentence.group().lower():
                continue
            for match in POINTS.finditer(sentence.group()):
                if _number(match.group(1)) not in allowed:
                    yield ctx.finding(ctx.clause_at(clause_id), f"«{clause_id}» attribuisce {match.group(1)} punti")


def _grid_points(criteria: list[Criterion]) -> set[str]:
    found: set[str] = set()
    for criterion in criteria:
        if criterion.points is not None:
            found.add(_number(str(criterion.points)))
        found |= {_number(str(level.points)) for level in criterion.levels}
        found |= _grid_points(criterion.subcriteria)
    return found


@rule("PUB004", "discretionary-without-guidance", Severity.ERROR,
      "Criterio discrezionale senza scala o criteri motivazionali",
      rationale="Per i criteri discrezionali i documenti di gara fissano i criteri motivazionali e la scala dei "
                "coefficienti: senza, il giudizio della commissione non è verificabile (causa frequente di "
                "annullamento dell'aggiudicazione OEPV).",
      basis=[art("108", "art. 108 cc. 4 e 7 d.lgs. 36/2023"), BANDO_TIPO], status=Status.VERIFIED,
      fix="indicare scala e criteri_motivazionali del criterio")
def discretionary_without_guidance(ctx: Context) -> Iterable[Finding]:
    award = ctx.spec.award
    if award is None:
        return
    for path, criterion in _leaves(award.criteria, ("aggiudicazione", "criteri")):
        if criterion.kind is not CriterionKind.DISCRETIONARY:
            continue
        missing = [label for label, absent in (("scala", not criterion.scale),
                                               ("criteri_motivazionali", is_placeholder(criterion.guidance)))
                   if absent]
        if missing:
            yield ctx.finding(ctx.at(*path), f"«{criterion.code}» senza {' e '.join(missing)}")


def _leaves(criteria: list[Criterion], base: tuple) -> Iterator[tuple[tuple, Criterion]]:
    for index, criterion in enumerate(criteria):
        path = (*base, index)
        if criterion.subcriteria:
            yield from _leaves(criterion.subcriteria, (*path, "sottocriteri"))
        else:
            yield path, criterion


@rule("PUB005", "unresolved-reference", Severity.ERROR, "Rinvio a un articolo che il documento non contiene",
      rationale="Un rinvio interno che non porta a un articolo lascia il lettore senza la regola richiamata.",
      basis=[TRANSPARENCY], status=Status.DESIGN,
      fix="completare nello spec la sezione richiamata, o togliere la clausola che la richiama")
def unresolved_reference(ctx: Context) -> Iterable[Finding]:
    seen: set[tuple[str | None, str]] = set()
    for span in spans(ctx.documents):
        node = span.node
        if isinstance(node, Reference) and not node.resolved and (span.producer, node.section) not in seen:
            seen.add((span.producer, node.section))
            yield ctx.finding(_section_or_producer(ctx, node.section, span.producer),
                              f"{node.text} ({_name(span.document)})")


def _section_or_producer(ctx: Context, section: str, producer: str | None) -> Location:
    """Where the missing article's content belongs in the spec, when it is a section of its own."""
    key = section.replace("-", "_")
    aliases = {field.alias for field in type(ctx.spec).model_fields.values()}
    return ctx.section(key) if key in aliases else _where(ctx, producer)


@rule("PUB006", "markup-in-text", Severity.WARNING, "Marcatori stampati alla lettera nel testo",
      rationale="I valori dello spec sono testo: tag HTML, link Markdown, entità o segni di formattazione scritti "
                "in un valore compaiono così nel documento pubblicato.",
      basis=[TRANSPARENCY], status=Status.DESIGN,
      fix="scrivere il valore come testo semplice, senza marcatori")
def markup_in_text(ctx: Context) -> Iterable[Finding]:
    seen: set[tuple[str | None, str]] = set()
    for span in spans(ctx.documents):
        if not isinstance(span.node, Text):
            continue
        match = MARKUP.search(span.node.text)
        if match and (span.producer, match.group()) not in seen:
            seen.add((span.producer, match.group()))
            yield ctx.finding(_where(ctx, span.producer), f"«{match.group()}» ({_name(span.document)})")


PROSE_READ_BY_CTS002 = ("premessa", "obiettivo", "strategie", "descrizione_servizio", "linee_supporto",
                        "aggiudicazione", "clausole")


def _read_by_cts002(span: Span) -> bool:
    """The spec's prose and the clause texts are CTS002's: PUB007 reads the rest of the published text."""
    return span.producer is not None and span.producer.split(".")[0] in PROSE_READ_BY_CTS002


@rule("PUB007", "procurement-vocabulary", Severity.ERROR,
      "Lessico da appalto nel testo di un procedimento di amministrazione condivisa",
      rationale="La co-progettazione e le convenzioni del Terzo settore non sono appalti (art. 6 d.lgs. 36/2023, "
                "Corte cost. n. 131/2020): ribasso, prezzo, aggiudicazione o corrispettivo nel testo pubblicato "
                "riconducono il rapporto al mercato e ne minano la legittimità.",
      basis=[art("6", "art. 6 d.lgs. 36/2023"), Basis("Corte costituzionale, sentenza n. 131/2020"),
             Basis("D.M. 31 marzo 2021, n. 72 (Linee guida sul rapporto tra PA ed ETS)")],
      status=Status.VERIFIED, fix="usare contributo, rimborso delle spese documentate, proposta progettuale, ente partner")
def procurement_vocabulary(ctx: Context) -> Iterable[Finding]:
    if not ctx.facts.outside_codice:
        return
    seen: set[tuple[str | None, str]] = set()
    for span in spans(ctx.documents):
        if _read_by_cts002(span):
            continue
        match = affirmed(PROCUREMENT_WORDS, span.node.text) if isinstance(span.node, Text) else None
        if match and (span.producer, match.group().lower()) not in seen:
            seen.add((span.producer, match.group().lower()))
            yield ctx.finding(_where(ctx, span.producer), f"«{match.group()}» ({_name(span.document)})")


@rule("PUB008", "document-not-generated", Severity.ERROR, "Un documento di gara non si può generare",
      rationale="Un controllo senza errori deve voler dire documenti generabili: ciò che impedisce a build di "
                "scrivere un documento è un rilievo del controllo, indicato nello spec.",
      basis=[TRANSPARENCY], status=Status.DESIGN, fix="completare nello spec il valore indicato")
def document_not_generated(ctx: Context) -> Iterable[Finding]:
    for problem in ctx.assembled[1]:
        yield ctx.finding(problem.location, problem.message)


@rule("PUB009", "preposition-before-name", Severity.WARNING, "Preposizione senza articolo davanti al nome dell'ente",
      rationale="Dopo una preposizione il nome dell'ente vuole l'articolo («indetto dal Comune di Melzo», non «da "
                "Comune di Melzo»): un atto che sbaglia la grammatica dei nomi va corretto a mano prima della firma.",
      basis=[Basis("Scelta redazionale: articolo e preposizioni articolate davanti alle denominazioni degli enti")],
      status=Status.DESIGN,
      fix="indicare ente.articolo se il nome non è riconosciuto; nei testi dell'ente usare {{ ente | preposizione('da') }}")
def preposition_before_name(ctx: Context) -> Iterable[Finding]:
    authority = ctx.spec.model_dump(by_alias=True)["ente"]
    seen: set[tuple[str, str]] = set()
    for document in ctx.documents:
        for block in walk(document.blocks):
            for run in inline_runs(block):
                text = "".join(getattr(node, "text", " ") for node in run)
                for _, words in bare_denominations(text, authority):
                    if (words, document.kind) not in seen:
                        seen.add((words, document.kind))
                        yield ctx.finding(ctx.at("ente", "nome"), f"«{words}» ({_name(document)})")
