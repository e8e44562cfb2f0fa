"""Headings of documents written by hand: manual numbering («Art. 5», «5.1», «II.1)», «SEZIONE III») and bold
paragraphs stand in for heading styles, so the readers recognise them from the text (patterns in
data/intestazioni.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from capitolato.resources import package_data


@dataclass(frozen=True)
class Numbering:
    name: str
    pattern: re.Pattern[str]
    level: int
    by_depth: bool
    strong: bool


@dataclass(frozen=True)
class HeadingGuess:
    """A paragraph read as a heading: its level and its printed number («Art. 5», «5.1»)."""

    level: int
    number: str | None
    title: str


@cache
def _numberings() -> tuple[Numbering, ...]:
    return tuple(Numbering(item["nome"], re.compile(item["modello"], re.IGNORECASE), int(item["livello"]),
                           bool(item.get("profondita")), bool(item["forte"]))
                 for item in package_data("intestazioni.yaml")["numerazioni"])


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = package_data("intestazioni.yaml")
    return re.compile(data["indice"]), re.compile(data["numero_pagina"], re.IGNORECASE)


def is_toc_line(text: str) -> bool:
    """A line of a table of contents (dot leaders and a page number)."""
    return bool(_patterns()[0].search(text))


def is_page_number(text: str) -> bool:
    return bool(_patterns()[1].match(text))


def numbering(text: str) -> tuple[Numbering, str, str] | None:
    """The manual numbering a paragraph starts with, the number as printed and the title after it."""
    for candidate in _numberings():
        match = candidate.pattern.match(text.strip())
        if match:
            return candidate, match.group("numero").strip(), match.group("titolo").strip()
    return None


def guess_heading(text: str, *, bold: bool, styled_level: int | None = None) -> HeadingGuess | None:
    """Whether a paragraph is a heading: a heading style, a strong numbering, or a weak numbering or a short line
    that is emphasised (bold or capitals) and does not end like a sentence."""
    text = " ".join(text.split())
    if not text or is_toc_line(text):
        return None
    found = numbering(text)
    if styled_level is not None:
        return HeadingGuess(styled_level, found[1].rstrip(".") if found else None, found[2] if found else text)
    emphasised = bold or (text.upper() == text and any(c.isalpha() for c in text))
    settings = package_data("intestazioni.yaml")["titolo_senza_numero"]
    short = len(text) <= int(settings["massimo_caratteri"]) and text[-1] not in settings["punteggiatura_finale"]
    if found:
        kind, number, title = found
        if not kind.strong and not (emphasised and short):
            return None
        if kind.strong and not (emphasised or short):
            return None
        return HeadingGuess(_level(kind, number), number.rstrip("."), title)
    if emphasised and short and len(text.split()) <= 14:
        return HeadingGuess(3, None, text)
    return None


def _level(kind: Numbering, number: str) -> int:
    if not kind.by_depth:
        return kind.level
    depth = number.rstrip(".)").count(".")
    return min(kind.level + depth, 6)
