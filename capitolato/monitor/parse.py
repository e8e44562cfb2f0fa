"""Numbers and dates as officers write them: decimal comma or point, Italian or ISO dates."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from capitolato.italian import MONTHS

_NUMBER = re.compile(r"^\s*([+-]?(?:\d[\d.,\s\u00a0\u202f']*\d|\d))\s*(.*?)\s*$")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_WORDS_DATE = re.compile(r"^(\d{1,2})\s+([a-zà]+)\s+(\d{4})$")


class ParseError(ValueError):
    """A value that cannot be read; the message is Italian."""


def split_number(text: str, *, thousands_dot: bool = False) -> tuple[Decimal, str]:
    """«1.234,5 persone» → (1234.5, «persone»); «21 %» → (21, «%»). The unit is what follows the number."""
    match = _NUMBER.match(text)
    if not match:
        raise ParseError(f"«{text}» non è un numero")
    return to_decimal(match.group(1), thousands_dot=thousands_dot), match.group(2)


def to_decimal(text: str, *, thousands_dot: bool = False) -> Decimal:
    """A number with a decimal comma or point; the last separator is the decimal one when both appear.

    A lone point followed by groups of three digits («1.250») is a thousands separator in files written the
    Italian way (semicolon-separated), a decimal point otherwise.
    """
    digits = re.sub(r"[\s\u00a0\u202f']", "", text)
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        digits = digits.replace("." if decimal_mark == "," else ",", "").replace(",", ".")
    elif digits.count(",") == 1:
        digits = digits.replace(",", ".")
    elif digits.count(",") > 1:
        digits = digits.replace(",", "")
    elif digits.count(".") > 1 or (thousands_dot and _THOUSANDS_DOT.match(digits.lstrip("+-"))):
        digits = digits.replace(".", "")
    try:
        number = Decimal(digits)
    except InvalidOperation:
        raise ParseError(f"«{text}» non è un numero") from None
    if not number.is_finite():
        raise ParseError(f"«{text}» non è un numero finito")
    return number


def to_date(value: object) -> dt.date:
    """A date from a spreadsheet cell, a YAML date or text: 2027-06-30, 30/06/2027, 30.06.27, 30 giugno 2027."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().lower()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return _italian_date(text)
    except ValueError:
        raise ParseError(f"data non valida «{value}»: scriverla come 30/06/2027 o 2027-06-30") from None


def _italian_date(text: str) -> dt.date:
    numeric = _NUMERIC_DATE.match(text)
    if numeric:
        day, month, year = (int(part) for part in numeric.groups())
        return dt.date(year + 2000 if year < 100 else year, month, day)
    words = _WORDS_DATE.match(text)
    if words and words.group(2) in MONTHS:
        return dt.date(int(words.group(3)), MONTHS.index(words.group(2)) + 1, int(words.group(1)))
    raise ValueError(text)


def spec_number(value: object) -> Decimal | None:
    """A baseline or target as the spec holds it (a number, or text such as «3,6»); None if it is not a number."""
    if isinstance(value, Decimal):
        return value
    try:
        return split_number(str(value))[0]
    except ParseError:
        return None
