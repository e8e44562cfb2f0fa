"""Located rows checked against the spec's indicators: every problem of every file reported at once, in Italian."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from capitolato.errors import Location, ProblemList
from capitolato.italian import date as italian_date
from capitolato.italian import number as italian_number
from capitolato.model.tender import Indicator, Measure, Spec
from capitolato.monitor.calendar import ContractWindow
from capitolato.monitor.parse import ParseError, split_number, to_date, to_decimal
from capitolato.monitor.sources import Cell, MeasurementError, Row, measurement_files, read_rows

_UNIT_WORDS = {"%": "percentuale", "percento": "percentuale", "perc": "percentuale", "n": "numero",
               "n.": "numero"}


@dataclass(frozen=True)
class Measurement:
    """One value of one indicator at one date: a number (or a qualitative score), or a qualitative judgement."""

    indicator: str
    date: dt.date
    value: Decimal | None
    text: str | None
    source: str
    surveyor: str
    note: str
    location: Location


def load_measurements(spec: Spec, paths: list[Path]) -> list[Measurement]:
    """Every measurement of the files (folders are read whole), sorted by indicator and date; MeasurementError
    lists every problem found."""
    problems = ProblemList()
    validator = _Validator(spec, problems)
    for path in measurement_files(paths):
        try:
            rows = read_rows(path)
        except MeasurementError as exc:
            problems.problems.extend(exc.problems)
            continue
        for row in rows:
            validator.add(row)
    problems.raise_if_any(MeasurementError)
    return sorted(validator.accepted, key=lambda m: (m.indicator, m.date))


class _Validator:
    def __init__(self, spec: Spec, problems: ProblemList) -> None:
        self.indicators = {i.code: i for i in (spec.impact.indicators if spec.impact else [])}
        self.window = ContractWindow.of(spec)
        self.problems = problems
        self.accepted: list[Measurement] = []
        self.seen: dict[tuple[str, dt.date], Location] = {}

    def add(self, row: Row) -> None:
        indicator = self._indicator(row.cells["indicatore"])
        when = self._date(row.cells["data"])
        if indicator is None or when is None:
            return
        read = self._value(indicator, row)
        if read is None:
            return
        value, text = read
        key = (indicator.code, when)
        if key in self.seen:
            self.problems.add(row.cells["data"].location,
                              f"misura duplicata: {indicator.code} al {italian_date(when)} è già in {self.seen[key]}")
            return
        self.seen[key] = row.location
        self.accepted.append(Measurement(indicator.code, when, value, text, _text(row, "fonte"),
                                         _text(row, "rilevatore"), _text(row, "note"), row.location))

    def _indicator(self, cell: Cell) -> Indicator | None:
        code = str(cell.value if cell.value is not None else "").strip()
        if code in self.indicators:
            return self.indicators[code]
        self.problems.add(cell.location, _unknown_indicator(code, list(self.indicators.values())))
        return None

    def _date(self, cell: Cell) -> dt.date | None:
        try:
            when = to_date(cell.value if cell.value is not None else "")
        except ParseError as exc:
            self.problems.add(cell.location, str(exc))
            return None
        if not self.window.contains(when):
            self.problems.add(cell.location, f"la data {italian_date(when)} è fuori dal periodo del contratto "
                                             f"({self.window.describe()})",
                              "il periodo va da procedura.inizio_esecuzione (o dalla data di pubblicazione) per la "
                              "durata, il rinnovo e la proroga tecnica")
            return None
        return when

    def _value(self, indicator: Indicator, row: Row) -> tuple[Decimal | None, str | None] | None:
        cell = row.cells["valore"]
        raw = cell.value
        if raw is None or str(raw).strip() == "":
            self.problems.add(cell.location, f"manca il valore della misura di {indicator.code}")
            return None
        if indicator.measure is Measure.QUALITATIVE:
            return self._qualitative(indicator, row)
        try:
            number, unit = _number(raw, row.thousands_dot)
        except ParseError:
            self.problems.add(cell.location, f"valore non numerico «{raw}»: {indicator.code} è un indicatore "
                                             f"quantitativo ({indicator.unit or 'senza unità'})",
                              "i giudizi testuali vanno negli indicatori qualitativi o nella colonna «note»")
            return None
        units = [(unit, cell.location)] if unit else []
        if "unita" in row.cells and str(row.cells["unita"].value or "").strip():
            units.append((str(row.cells["unita"].value).strip(), row.cells["unita"].location))
        if not all(self._unit_matches(indicator, text, where) for text, where in units):
            return None
        return number, None

    def _qualitative(self, indicator: Indicator, row: Row) -> tuple[Decimal | None, str | None] | None:
        raw = row.cells["valore"].value
        score_cell = row.cells.get("punteggio")
        text: str | None = str(raw).strip()
        score: Decimal | None = None
        try:
            score = _number(raw, row.thousands_dot)[0]
            text = None
        except ParseError:
            pass
        if score_cell is not None and _present(score_cell.value):
            try:
                score = _number(score_cell.value, row.thousands_dot)[0]
            except ParseError:
                self.problems.add(score_cell.location, f"punteggio non numerico «{score_cell.value}»")
                return None
        if score is not None and not self._on_scale(indicator, score, score_cell or row.cells["valore"]):
            return None
        return score, text

    def _on_scale(self, indicator: Indicator, score: Decimal, cell: Cell) -> bool:
        scale = indicator.scale
        if scale is None or scale.minimum <= score <= scale.maximum:
            return True
        self.problems.add(cell.location, f"punteggio {italian_number(score)} fuori dalla scala di {indicator.code} "
                                         f"({italian_number(scale.minimum)}–{italian_number(scale.maximum)})")
        return False

    def _unit_matches(self, indicator: Indicator, unit: str, where: Location) -> bool:
        if indicator.unit and _same_unit(unit, indicator.unit):
            return True
        expected = f"«{indicator.unit}»" if indicator.unit else "nessuna unità"
        self.problems.add(where, f"unità «{unit}» diversa da quella dell'indicatore {indicator.code} ({expected})")
        return False


def _number(raw: Any, thousands_dot: bool) -> tuple[Decimal, str]:
    if isinstance(raw, bool):
        raise ParseError(str(raw))
    if isinstance(raw, (int, float, Decimal)):
        return to_decimal(str(raw)), ""
    return split_number(str(raw), thousands_dot=thousands_dot)


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _text(row: Row, column: str) -> str:
    cell = row.cells.get(column)
    return str(cell.value).strip() if cell is not None and _present(cell.value) else ""


def _unit_key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower().strip()
    first = plain.split()[0] if plain.split() else plain
    return _UNIT_WORDS.get(first, first)


def _same_unit(given: str, declared: str) -> bool:
    """«%» matches «percentuale delle persone in carico»; «persone» matches «persone»: the first word decides."""
    return _unit_key(given) == _unit_key(declared)


def _unknown_indicator(code: str, indicators: list[Indicator]) -> str:
    if not code:
        return "manca il codice dell'indicatore"
    codes = [i.code for i in indicators]
    by_case = next((c for c in codes if c.lower() == code.lower()), None)
    by_name = next((i.code for i in indicators if i.name.lower() == code.lower()), None)
    close = difflib.get_close_matches(code, codes, n=1, cutoff=0.6)
    suggestion = by_case or by_name or (close[0] if close else None)
    message = f"indicatore sconosciuto «{code}»"
    if suggestion:
        message += f": forse «{suggestion}»?"
    return message + f" (indicatori dello spec: {', '.join(codes) or 'nessuno'})"
