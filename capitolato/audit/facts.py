"""Facts read from a tender's text, each with the places where it was found (patterns in data/estratti.yaml).

A fact is «trovato» (one value, or a list for codes), «ambiguo» (different values for something that has one, e.g.
two base amounts) or «non trovato». Values are typed like the spec's: amounts as Decimal, months and points as int,
dates as date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from typing import Any

from capitolato.audit.units import Unit, sentence_at
from capitolato.document.model import Position
from capitolato.resources import package_data

EXCERPT = 300


class Status(StrEnum):
    FOUND = "trovato"
    AMBIGUOUS = "ambiguo"
    MISSING = "non trovato"


@dataclass(frozen=True)
class Evidence:
    """Where a value was read: the sentence and its place."""

    text: str
    position: Position
    section: str | None
    value: Any


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    status: Status
    value: Any = None
    evidence: tuple[Evidence, ...] = ()
    candidates: tuple[Any, ...] = ()

    @property
    def found(self) -> bool:
        return self.status is not Status.MISSING

    @property
    def where(self) -> Position | None:
        return self.evidence[0].position if self.evidence else None


@dataclass(frozen=True)
class FactSpec:
    key: str
    label: str
    kind: str
    patterns: tuple[re.Pattern[str], ...]
    choices: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = ()
    excluded: tuple[re.Pattern[str], ...] = ()
    context: re.Pattern[str] | None = None
    conflicts: tuple[frozenset[str], ...] = field(default=())
    counts: tuple[re.Pattern[str], ...] = ()
    excluded_sections: tuple[re.Pattern[str], ...] = ()


DATE = r"(?P<valore>\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{1,2}°?\s+[a-z]+\s+\d{4})"
AMOUNT = (r"(?P<valore>€\s*[\d.]+,\d{2}|[\d.]+,\d{2}\s*€|\d{1,3}(?:[ \u00a0.]\d{3})*,\d{2}\s*EUR\b|\d+,\d{2}\s*EUR\b"
          r"|pari a zero)")


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    words = "|".join(sorted(package_data("estratti.yaml")["numeri_in_lettere"], key=len, reverse=True))
    number = rf"\b(?P<valore>\d+|{words})\b"
    return tuple(re.compile(p.replace("{importo}", AMOUNT).replace("{numero}", number).replace("{data}", DATE),
                            re.IGNORECASE) for p in patterns)


@cache
def fact_specs() -> tuple[FactSpec, ...]:
    return tuple(FactSpec(item["chiave"], item["etichetta"], item["tipo"], _compile(item.get("modelli", [])),
                          tuple((value, _compile(ps)) for value, ps in item.get("valori", {}).items()),
                          _compile(item.get("esclusi", [])),
                          _compile([item["contesto"]])[0] if item.get("contesto") else None,
                          tuple(frozenset(pair) for pair in item.get("incompatibili", [])),
                          _compile(item.get("conteggi", [])), _compile(item.get("sezioni_escluse", [])))
                 for item in package_data("estratti.yaml")["fatti"])


def extract(units: list[Unit]) -> dict[str, Fact]:
    """Every fact of the catalogue, found or not, in catalogue order."""
    return {spec.key: _fact(spec, units) for spec in fact_specs()}


def _fact(spec: FactSpec, units: list[Unit]) -> Fact:
    units = [u for u in units if not any(x.search(u.section or "") for x in spec.excluded_sections)] \
        if spec.excluded_sections else units
    evidence = list(_matches(spec, units)) + _counted(spec, units)
    if not evidence:
        return Fact(spec.key, spec.label, Status.MISSING)
    values = [e.value for e in evidence]
    distinct = list(dict.fromkeys(values))
    if spec.kind in ("codici",):
        return Fact(spec.key, spec.label, Status.FOUND, distinct, tuple(evidence))
    if spec.kind == "testo":
        return Fact(spec.key, spec.label, Status.FOUND, evidence[0].text, tuple(evidence))
    if spec.kind == "scelta":
        return _choice(spec, evidence, distinct)
    if len(distinct) == 1:
        return Fact(spec.key, spec.label, Status.FOUND, distinct[0], tuple(evidence))
    commonest = Counter(values).most_common(1)[0][0]
    return Fact(spec.key, spec.label, Status.AMBIGUOUS, commonest, tuple(evidence), tuple(distinct))


def _counted(spec: FactSpec, units: list[Unit]) -> list[Evidence]:
    """One piece of evidence whose value is the number of distinct items (the lots of an EU notice), at the first."""
    items = [(m.group("valore"), unit) for unit in units for p in spec.counts for m in p.finditer(unit.text)]
    if not items:
        return []
    first = items[0][1]
    return [Evidence(first.text[:EXCERPT], first.position, first.section,
                     len(dict.fromkeys(value for value, _ in items)))]


def _choice(spec: FactSpec, evidence: list[Evidence], distinct: list[Any]) -> Fact:
    """The first value in catalogue order wins; two values declared incompatible make the fact ambiguous."""
    order = [value for value, _ in spec.choices]
    ranked = sorted(distinct, key=order.index)
    clash = any(conflict <= set(distinct) for conflict in spec.conflicts)
    status = Status.AMBIGUOUS if clash else Status.FOUND
    chosen = [e for e in evidence if e.value == ranked[0]] + [e for e in evidence if e.value != ranked[0]]
    return Fact(spec.key, spec.label, status, ranked[0], tuple(chosen), tuple(ranked) if clash else ())


def _matches(spec: FactSpec, units: list[Unit]):
    pairs = [(None, p) for p in spec.patterns] + [(value, p) for value, ps in spec.choices for p in ps]
    for unit in units:
        seen: set[tuple[int, Any]] = set()
        for choice, pattern in pairs:
            for match in pattern.finditer(unit.text):
                sentence = sentence_at(unit.text, match.start())
                if any(x.search(sentence) for x in spec.excluded) or (spec.context and not spec.context.search(sentence)):
                    continue
                value = choice if choice is not None else _value(spec.kind, match, sentence)
                if value is None or (match.start(), value) in seen:
                    continue
                seen.add((match.start(), value))
                yield Evidence(sentence[:EXCERPT], unit.position, unit.section, value)


def _value(kind: str, match: re.Match[str], sentence: str) -> Any:
    raw = match.groupdict().get("valore") or match.group(0)
    converters = {"importo": parse_amount, "numero": parse_number, "data": parse_date,
                  "codici": _clean, "nome": _clean, "testo": lambda _text: sentence[:EXCERPT]}
    return converters[kind](raw)


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" ,;:")


def parse_amount(text: str) -> Decimal | None:
    """«1.234,56 €» or «€ 1.234,56» (Italian separators) as a Decimal; «pari a zero» is 0."""
    if "zero" in text.lower():
        return Decimal(0)
    digits = re.sub(r"[€\s.]|EUR", "", text, flags=re.IGNORECASE).replace(",", ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def parse_number(text: str) -> int | None:
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    return package_data("estratti.yaml")["numeri_in_lettere"].get(text)


def parse_date(text: str) -> dt.date | None:
    numeric = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", text.strip())
    try:
        if numeric:
            day, month, year = (int(g) for g in numeric.groups())
            return dt.date(year, month, day)
        words = text.split()
        month = package_data("estratti.yaml")["mesi"].get(words[1].lower()) if len(words) == 3 else None
        return dt.date(int(words[2]), month, int(words[0])) if month else None
    except ValueError:
        return None
