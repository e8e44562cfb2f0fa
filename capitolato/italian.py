"""Numbers, money, percentages and dates written the Italian way, for every text the tool produces."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
          "ottobre", "novembre", "dicembre")


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("un valore vero/falso non è un numero")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise TypeError(f"«{value}» non è un numero") from None
    if not number.is_finite():
        raise TypeError(f"«{value}» non è un numero finito")
    return number


def number(value: Any, decimals: int | None = None) -> str:
    """1234567.5 → «1.234.567,5»; with `decimals`, rounded half up to that many places."""
    amount = _decimal(value)
    if decimals is not None:
        amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    else:
        amount = amount.normalize()
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{groups},{fraction}" if fraction else f"{sign}{groups}"


def euro(value: Any) -> str:
    """1234567.891 → «1.234.567,89 €» (always two decimals)."""
    return f"{number(value, 2)} €"


def percent(value: Any) -> str:
    """30 → «30 %», 12.5 → «12,5 %» (the argument is already a percentage, not a fraction)."""
    return f"{number(value)} %"


def date(value: Any) -> str:
    """2026-03-31 → «31 marzo 2026»."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if not isinstance(value, dt.date):
        raise TypeError(f"«{value}» non è una data")
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


FILTERS = {"euro": euro, "percento": percent, "numero": number, "data": date}
