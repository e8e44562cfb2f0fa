"""Italian typesetting of generated text: non-breaking spaces, typographic apostrophes and quotes, list endings.

Pure functions over plain text (never Markdown or other markup: the caller passes the words of one text run).
The spec's own values are left as the officer wrote them unless the caller opts in. `typeset` is idempotent.
The vocabulary (abbreviations, legal acts, symbols, proper names) is data: capitolato/data/tipografia.yaml.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

from capitolato.document.model import (Block, Document, Figure, Heading, Inline, ListBlock, Paragraph, Placeholder,
                                       Reference, Table, Text)

NBSP = "\u00a0"
APOSTROPHE = "\u2019"
OPEN_SINGLE, CLOSE_SINGLE = "\u2018", "\u2019"
OPEN_QUOTE, CLOSE_QUOTE = "«", "»"

# Left alone: addresses, e-mails and file names, where a straight quote or a space is part of the token.
_UNTOUCHABLE = re.compile(r"(https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+\.(?:ya?ml|docx|pdf|csv|json)\b)")
_SPACES = r"[ \u00a0]+"
_LETTER = r"[^\W\d_]"


@cache
def _vocabulary() -> dict[str, list[str]]:
    from capitolato.resources import package_data

    return package_data("tipografia.yaml")


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@cache
def _nbsp_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    data = _vocabulary()
    before_number = _alternatives(data["abbreviazioni_prima_di_numero"])
    before_letter = _alternatives(data["abbreviazioni_prima_di_lettera"])
    acts = "|".join(re.escape(act).replace(r"\.", r"\.\s?") for act in
                    sorted(data["atti"], key=len, reverse=True))
    after = _alternatives(data["simboli_dopo_numero"])
    before = _alternatives(data["simboli_prima_di_numero"])
    return (
        (re.compile(rf"(?<![\w.])((?:{before_number})\.){_SPACES}(?=\d|(?-i:[IVXLC]+\b))", re.IGNORECASE), rf"\1{NBSP}"),
        (re.compile(rf"(?<![\w.])((?:{before_letter})\.){_SPACES}(?=\w)", re.IGNORECASE), rf"\1{NBSP}"),
        (re.compile(rf"(?<![\w.])((?:{acts})\.){_SPACES}(?=(?:n\.{_SPACES})?\d)", re.IGNORECASE), rf"\1{NBSP}"),
        (re.compile(rf"(\d)(?:{_SPACES})?({after})(?!\w)"), rf"\1{NBSP}\2"),
        (re.compile(rf"(?<!\w)({before})(?:{_SPACES})?(?=\d)"), rf"\1{NBSP}"),
    )


def typeset(text: str) -> str:
    """Generated Italian text as a typesetter would print it (idempotent; URLs, e-mails, file names untouched)."""
    if not text:
        return text
    pieces = _UNTOUCHABLE.split(text)
    return "".join(piece if index % 2 else _typeset_words(piece) for index, piece in enumerate(pieces))


_DIGIT = re.compile(r"\d")
_PAIRED_QUOTES = re.compile(r'"([^"\n]*)"')
_OPENING_QUOTE = re.compile(r'(^|[\s(\[])"')
_INNER_APOSTROPHE = re.compile(rf"(?<={_LETTER})'(?={_LETTER}|\d)")
_SINGLE_QUOTES = re.compile(rf"(^|[\s(\[«])'([^'\n]+?)'(?!{_LETTER})")


@lru_cache(maxsize=16384)
def _typeset_words(text: str) -> str:
    """Cached: the same clause sentences come back in every document and every tender of a batch.

    Each rule runs only where it can match: quotes need a «"», apostrophes a «'», the abbreviations and acts a
    full stop and the symbols a digit (the patterns cannot match otherwise; bench/README.md, issue 21)."""
    if '"' in text:
        text = quotes(text)
    if "'" in text:
        text = apostrophes(text)
    rules = _nbsp_rules()
    after_stop, around_number = rules[:3], rules[3:]
    for pattern, replacement in (after_stop if "." in text else ()):
        text = pattern.sub(replacement, text)
    for pattern, replacement in (around_number if _DIGIT.search(text) else ()):
        text = pattern.sub(replacement, text)
    return text


def quotes(text: str) -> str:
    """Straight double quotes become caporali: "testo" → «testo»."""
    text = _PAIRED_QUOTES.sub(rf"{OPEN_QUOTE}\1{CLOSE_QUOTE}", text)
    text = _OPENING_QUOTE.sub(rf"\1{OPEN_QUOTE}", text)
    return text.replace('"', CLOSE_QUOTE)


def apostrophes(text: str) -> str:
    """Straight apostrophes become ’ (l’ente, po’, ’80); a pair of single quotes becomes ‘…’."""
    text = _INNER_APOSTROPHE.sub(APOSTROPHE, text)
    text = _SINGLE_QUOTES.sub(rf"\1{OPEN_SINGLE}\2{CLOSE_SINGLE}", text)
    return text.replace("'", APOSTROPHE)


def punctuate_items(items: Sequence[str]) -> list[str]:
    """Items of a list run on from a lead-in: «;» after each, «.» after the last (what they end with is replaced).

    An item ending with «?», «!» or «…» keeps it.
    """
    return [end_item(item, last=index == len(items) - 1) for index, item in enumerate(items)]


def end_item(item: str, last: bool) -> str:
    """One list item with the ending it takes: «;», or «.» when it is the last."""
    body = item.rstrip()
    if not body or body[-1] in "?!…":
        return body or item
    body = body.rstrip(";,:")
    if body.endswith(".") and not _ends_with_abbreviation(body):
        body = body[:-1]
    if last:
        return body if body.endswith(".") else body + "."
    return body + ";"


def _ends_with_abbreviation(text: str) -> bool:
    return bool(re.search(r"(?<![\w.])(?:ecc|etc|ss|segg|cit|lett|art|artt|n|c)\.$", text, re.IGNORECASE))


def lower_after_colon(text: str, proper_names: Iterable[str] = ()) -> str:
    """«…condivisa: Ogni persona» → «…condivisa: ogni persona»; names, acronyms and «Nome Cognome» keep the capital.

    `proper_names` adds the tender's own names (e.g. the words of the authority's denomination).
    """
    keep = _proper_words(proper_names)
    pattern = rf"(?<=:)([ \u00a0]+)(\S[^:]*)"
    return re.sub(pattern, lambda match: match[1] + _lower_initial(match[2], keep), text)


def lower_initial(text: str, proper_names: Iterable[str] = ()) -> str:
    """The first letter in lower case, for a value that goes inside a sentence («Rapporto annuale» → «rapporto
    annuale»), unless the first word is a proper name, an acronym or followed by another capitalised word."""
    return _lower_initial(text, _proper_words(proper_names))


def _proper_words(proper_names: Iterable[str]) -> set[str]:
    return {*_vocabulary()["nomi_propri"], *(word for name in proper_names for word in name.split())}


def _lower_initial(text: str, keep: set[str]) -> str:
    match = re.match(rf"(?P<word>[A-ZÀ-Ý]{_LETTER}*)(?:[ \u00a0]+(?P<next>{_LETTER}+))?", text)
    if match is None:
        return text
    word, following = match["word"], match["next"] or ""
    if word in keep or word.isupper() or following[:1].isupper():
        return text
    return word[0].lower() + text[1:]


def typeset_document(document: Document, *, spec_values: bool = False) -> Document:
    """The document with its generated text typeset; spec values (`Text.origin` set) stay as the officer wrote
    them unless `spec_values`. Spaces at the edge of two runs are bound too («1.680.000,00» + « €»)."""
    blocks = tuple(_typeset_block(block, spec_values) for block in document.blocks)
    return dataclasses.replace(document, blocks=blocks, title=typeset(document.title))


def _typeset_block(block: Block, spec_values: bool) -> Block:
    def runs(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        return typeset_inlines(inlines, spec_values=spec_values)

    if isinstance(block, Paragraph):
        return dataclasses.replace(block, inlines=runs(block.inlines))
    if isinstance(block, Heading):
        number = typeset(block.number) if block.number else block.number
        return dataclasses.replace(block, inlines=runs(block.inlines), number=number)
    if isinstance(block, ListBlock):
        items = tuple(tuple(_typeset_block(inner, spec_values) for inner in item) for item in block.items)
        return dataclasses.replace(block, items=items)
    if isinstance(block, Table):
        columns = tuple(dataclasses.replace(c, title=runs(c.title)) for c in block.columns)
        rows = tuple(tuple(dataclasses.replace(cell, inlines=runs(cell.inlines)) for cell in row) for row in block.rows)
        total = tuple(dataclasses.replace(c, inlines=runs(c.inlines)) for c in block.total) if block.total else None
        return dataclasses.replace(block, columns=columns, rows=rows, total=total, caption=typeset(block.caption))
    if isinstance(block, Figure):
        return dataclasses.replace(block, caption=typeset(block.caption))
    return block


def typeset_inlines(inlines: Sequence[Inline], *, spec_values: bool = False) -> tuple[Inline, ...]:
    """Each generated run typeset, then the space between two runs bound where the joined text wants it."""
    nodes = [_typeset_node(node, spec_values) for node in inlines]
    for index in range(len(nodes) - 1):
        left, right = nodes[index], nodes[index + 1]
        if not (_has_text(left) and _has_text(right)):
            continue
        joined = typeset(left.text + right.text)
        if left.text.endswith(" ") and _generated(left, spec_values) and joined[len(left.text) - 1] == NBSP:
            nodes[index] = dataclasses.replace(left, text=left.text[:-1] + NBSP)
        elif right.text.startswith(" ") and _generated(right, spec_values) and joined[len(left.text)] == NBSP:
            nodes[index + 1] = dataclasses.replace(right, text=NBSP + right.text[1:])
    return tuple(nodes)


def _typeset_node(node: Inline, spec_values: bool) -> Inline:
    if isinstance(node, Text | Reference) and _generated(node, spec_values):
        return dataclasses.replace(node, text=typeset(node.text))
    return node


def _has_text(node: Inline) -> bool:
    return isinstance(node, Text | Reference | Placeholder) and bool(node.text)


def _generated(node: Inline, spec_values: bool) -> bool:
    return isinstance(node, Reference) or (isinstance(node, Text) and (spec_values or node.origin is None))
