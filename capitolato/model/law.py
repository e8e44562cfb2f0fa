"""Values the law fixes (thresholds, limits, quotas, lists), dated and sourced: capitolato/data/legge.yaml.

Rules and clauses never hard-code such a number: they ask for it on the tender's publication date, so a 2024
tender is judged by the 2024 law and a change of the law is one new period in the data file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from capitolato.resources import package_data

DATA_FILE = "legge.yaml"


class Verification(StrEnum):
    """How far a value has been checked against the act (same words as the clauses' `stato`)."""

    VERIFIED = "verificato"
    TEXT_2023 = "testo-2023"
    TO_VERIFY = "da-verificare"

    @property
    def label(self) -> str:
        return {"verificato": "verificato", "testo-2023": "testo 2023 del Codice",
                "da-verificare": "da verificare"}[self.value]


class UnknownLegalValue(KeyError):
    """A rule or clause asked for a value the data file does not define (a bug, not bad input)."""


@dataclass(frozen=True)
class Source:
    """Where the law fixes a value, and how far that has been checked."""

    act: str
    article: str | None
    paragraph: str | None
    letter: str | None
    amended_by: str | None
    status: Verification
    evidence: str | None
    to_check: str | None

    def citation(self) -> str:
        article = self.article or ""
        head = article if article.lower().startswith(("all", "art")) else f"art. {article}" if article else ""
        parts = [head, f"c. {self.paragraph}" if self.paragraph else "", f"lett. {self.letter}" if self.letter else "",
                 self.act]
        text = " ".join(part for part in parts if part)
        return f"{text}, come modificato da {self.amended_by}" if self.amended_by else text


@dataclass(frozen=True)
class LegalValue:
    """One value of the law in one period: `value` is a number, a {min, max, …} mapping or a list."""

    key: str
    description: str
    unit: str
    value: Any
    start: dt.date
    end: dt.date | None
    source: Source

    def number(self, part: str | None = None) -> Decimal:
        """The value (or one part of a mapping, e.g. "max") as an exact decimal."""
        raw = self.value[part] if part is not None else self.value
        return Decimal(str(raw))

    def bound(self, part: str) -> Decimal | None:
        """The "min" or "max" of an interval value, None when the law sets no such bound."""
        if not isinstance(self.value, dict) or part not in self.value:
            return None
        return self.number(part)

    @property
    def period(self) -> str:
        start = self.start.strftime("%d.%m.%Y")
        return f"dal {start}" + (f" al {self.end.strftime('%d.%m.%Y')}" if self.end else "")

    def shown(self) -> str:
        """The value in Italian notation, for docs and clause notes."""
        return show_value(self.value, self.unit)


def _number(value: Any) -> str:
    text = f"{Decimal(str(value)).normalize():f}"
    whole, _, decimals = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{decimals}" if decimals else grouped


def show_value(value: Any, unit: str) -> str:
    suffix = {"euro": " €", "percentuale": " %", "per mille": " ‰"}.get(unit, f" {unit}" if unit in (
        "mesi", "giorni", "anni", "dipendenti") else "")
    if isinstance(value, bool) or isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y") if isinstance(value, dt.date) else str(value)
    if isinstance(value, (int, float, Decimal)):
        return _number(value) + suffix
    if isinstance(value, dict):
        if set(value) <= {"min", "max"}:
            low, high = value.get("min"), value.get("max")
            if low is not None and high is not None:
                return f"{_number(low)}–{_number(high)}{suffix}"
            return (f"almeno {_number(low)}" if low is not None else f"al massimo {_number(high)}") + suffix
        return ", ".join(f"{name} {_number(part)}{suffix}" for name, part in value.items())
    if isinstance(value, list):
        return "; ".join(_item(item) for item in value)
    return str(value)


def _item(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    if "categoria" in item and "testo" in item:
        return f"{item['testo']} (lett. {item['lettera']})" if "lettera" in item else str(item["testo"])
    if "decreto" in item:
        return f"{item['categoria']}: {item['decreto']}"
    if "stazione_appaltante" in item:
        band = f"{_number(item['da'])}–{_number(item['a'])}" if "a" in item else f"oltre {_number(item['da'])}"
        return f"{band} €: SA {_number(item['stazione_appaltante'])} €, OE {_number(item['operatore'])} €"
    return ", ".join(f"{k} {v}" for k, v in item.items())


@cache
def _table() -> dict[str, tuple[LegalValue, ...]]:
    table: dict[str, tuple[LegalValue, ...]] = {}
    for key, entry in package_data(DATA_FILE)["valori"].items():
        periods = entry["periodi"]
        values = []
        for index, period in enumerate(periods):
            following = periods[index + 1]["dal"] if index + 1 < len(periods) else None
            end = period.get("al") or (following - dt.timedelta(days=1) if following else None)
            source = Source(period["atto"], period.get("articolo"), period.get("comma"), period.get("lettera"),
                            period.get("modificato_da"), Verification(period["stato"]), period.get("fonte"),
                            period.get("verifica"))
            values.append(LegalValue(key, entry["descrizione"], entry["unita"], period["valore"], period["dal"], end,
                                     source))
        table[key] = tuple(values)
    return table


def keys() -> list[str]:
    return list(_table())


def history(key: str) -> tuple[LegalValue, ...]:
    """Every period of a value, oldest first."""
    try:
        return _table()[key]
    except KeyError:
        raise UnknownLegalValue(key) from None


def on(key: str, day: dt.date) -> LegalValue:
    """The value in force on `day`; before its first period the earliest one (the tool models the 2023 Codice on)."""
    periods = history(key)
    for period in periods:
        if period.start <= day and (period.end is None or day <= period.end):
            return period
    return periods[-1] if day > periods[-1].start else periods[0]


def number(key: str, day: dt.date, part: str | None = None) -> Decimal:
    return on(key, day).number(part)


def categories(key: str, day: dt.date) -> frozenset[str]:
    """The `categoria` names (or plain items) of a list value in force on `day`."""
    return frozenset(item["categoria"] if isinstance(item, dict) else item for item in on(key, day).value)


def anac_fee(amount: Decimal, day: dt.date) -> tuple[Decimal, Decimal, LegalValue]:
    """ANAC contribution of the authority and of each bidder for a tender of `amount` (euro)."""
    brackets = on("contributo_anac", day)
    for bracket in brackets.value:
        if Decimal(str(bracket["da"])) <= amount and ("a" not in bracket or amount < Decimal(str(bracket["a"]))):
            return Decimal(str(bracket["stazione_appaltante"])), Decimal(str(bracket["operatore"])), brackets
    raise UnknownLegalValue(f"contributo_anac: nessuna fascia per {amount}")


def describe(key: str) -> list[str]:
    """One Italian line per period: value, period, source and verification status (for docs and notes)."""
    lines = []
    for value in history(key):
        source = value.source
        status = source.status.label + (f": {source.to_check}" if source.to_check and
                                        source.status is Verification.TO_VERIFY else "")
        lines.append(f"{value.shown()} ({value.period}) — {source.citation()} [{status}]")
    return lines
