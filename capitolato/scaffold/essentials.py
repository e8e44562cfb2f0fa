"""The few facts a preset asks before it can write a spec: typed, validated, with defaults."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from capitolato.errors import CapitolatoError, Location, Problem
from capitolato.model.characters import Meaning, first_unusual
from capitolato.model.tender import SpecModel, it

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 15


class EssentialsError(CapitolatoError):
    """Essentials missing, unknown or invalid: every one is listed."""


class EssentialType(StrEnum):
    TEXT = "testo"
    MONEY = "importo"
    INTEGER = "intero"
    DATE = "data"
    CHOICE = "scelta"
    REGION = "regione"


class InvalidValue(ValueError):
    """A value that does not fit its essential; the message is Italian."""


class Essential(SpecModel):
    """One question of a preset: `default` absent means the officer must answer it."""

    question: str = it("domanda", min_length=1, max_length=300)
    kind: EssentialType = it("tipo", EssentialType.TEXT)
    default: Any = it("default", None)
    minimum: Decimal | None = it("min", None)
    maximum: Decimal | None = it("max", None)
    choices: list[str] = it("scelte", default_factory=list)
    pattern: str | None = it("formato", None, description="Espressione regolare che un testo deve rispettare")
    example: str | None = it("esempio", None, max_length=100)
    help: str | None = it("aiuto", None, max_length=500)

    @property
    def required(self) -> bool:
        return self.default is None

    def parse(self, value: Any) -> Any:
        """The typed value of an answer given as text (prompt, --set) or as YAML data (--dati)."""
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise InvalidValue("valore vuoto")
        result = _PARSERS[self.kind](self, value)
        self._check_range(result)
        return result

    def default_value(self) -> Any:
        return None if self.default is None else self.parse(self.default)

    def _check_range(self, value: Any) -> None:
        if not isinstance(value, (int, Decimal)):
            return
        if self.minimum is not None and value < self.minimum:
            raise InvalidValue(f"il valore è sotto il minimo ammesso ({_show(self.minimum)})")
        if self.maximum is not None and value > self.maximum:
            raise InvalidValue(f"il valore supera il massimo ammesso ({_show(self.maximum)})")


def _show(number: Decimal) -> str:
    from capitolato.italian import number as italian_number

    return italian_number(number)


def _text(essential: Essential, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidValue("atteso un testo")
    if essential.pattern and not re.fullmatch(essential.pattern, value):
        example = f" (es. {essential.example})" if essential.example else ""
        raise InvalidValue(f"«{value}» non ha il formato atteso{example}")
    if "\n" in value or "\r" in value:
        raise InvalidValue("il testo deve stare su una riga")
    if len(value) > 500:
        raise InvalidValue("testo troppo lungo (massimo 500 caratteri)")
    unusual = first_unusual(value)
    if unusual is not None and unusual[1].meaning is Meaning.REJECTED:
        raise InvalidValue(f"{unusual[1].message} (posizione {unusual[0] + 1})")
    return value


def _money(_: Essential, value: Any) -> Decimal:
    from capitolato.italian import NumberFormatError, parse_amount

    try:
        amount = parse_amount(value)
    except NumberFormatError as exc:
        raise InvalidValue(str(exc)) from None
    if not amount.is_finite() or amount < 0:
        raise InvalidValue("l'importo deve essere un numero positivo")
    if amount >= MAX_AMOUNT:
        raise InvalidValue(f"«{value}» è un importo fuori misura (massimo {_show(MAX_AMOUNT - 1)} euro)")
    return amount.quantize(CENT)


def _integer(_: Essential, value: Any) -> int:
    if isinstance(value, bool):
        raise InvalidValue("atteso un numero intero")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{1,6}", value):
        return int(value)
    raise InvalidValue(f"«{value}» non è un numero intero")


def _date(_: Essential, value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = str(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InvalidValue(f"«{value}» non è una data (AAAA-MM-GG oppure GG/MM/AAAA)")


def _choice(essential: Essential, value: Any) -> str:
    return _pick(str(value), essential.choices)


def _region(_: Essential, value: Any) -> str:
    """A region (or «nazionale»): its rules of shared administration are data (capitolato/data)."""
    from capitolato.model.shared_admin import Region

    text = str(value).strip().lower().replace(" ", "-").replace("'", "-")
    return _pick(text, [region.value for region in Region])


def _pick(text: str, choices: list[str]) -> str:
    if text in choices:
        return text
    close = difflib.get_close_matches(text, choices, n=1, cutoff=0.6)
    hint = f"forse intendevi «{close[0]}»? " if close else ""
    raise InvalidValue(f"valore «{text}» non ammesso; {hint}valori ammessi: {', '.join(choices)}")


_PARSERS = {EssentialType.TEXT: _text, EssentialType.MONEY: _money, EssentialType.INTEGER: _integer,
            EssentialType.DATE: _date, EssentialType.CHOICE: _choice, EssentialType.REGION: _region}


def parse_assignments(assignments: list[str], origin: str = "--set") -> dict[str, str]:
    """`chiave=valore` pairs from the command line; a malformed pair is an error, not ignored."""
    values: dict[str, str] = {}
    problems = []
    for item in assignments:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            problems.append(Problem(Location(origin), f"«{item}» non è nella forma chiave=valore"))
            continue
        values[key.strip()] = value
    if problems:
        raise EssentialsError(problems)
    return values


def resolve(essentials: Mapping[str, Essential], given: Mapping[str, Any],
            origins: Mapping[str, Location] | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Typed values of the answers given plus defaults, and one problem per unknown, invalid or missing answer,
    located where the answer came from (`origins`: the line of a --dati file, or the --set option)."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    origins = origins or {}
    for key in given:
        if key not in essentials:
            close = difflib.get_close_matches(key, list(essentials), n=1, cutoff=0.6)
            hint = f"forse intendevi «{close[0]}»?" if close else f"dati del preset: {', '.join(essentials)}"
            problems.append(Problem(origins.get(key, Location(key)), "dato sconosciuto per questo preset", hint))
    for name, essential in essentials.items():
        try:
            if name in given:
                values[name] = essential.parse(given[name])
            elif not essential.required:
                values[name] = essential.default_value()
        except InvalidValue as exc:
            problems.append(Problem(origins.get(name, Location(name)), f"{essential.question}: {exc}"))
    return values, problems


def missing(essentials: Mapping[str, Essential], given: Mapping[str, Any]) -> list[Problem]:
    """One problem per required essential without an answer, saying how to give it."""
    return [Problem(Location(name), f"dato obbligatorio mancante: {essential.question}", f"--set {name}=…")
            for name, essential in essentials.items() if name not in given and essential.required]
