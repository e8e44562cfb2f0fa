"""Italian formatting of money, numbers, percentages and dates (the shared filters)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from capitolato.italian import date, euro, number, percent
from capitolato.templating import TemplateFailure, render_source


@pytest.mark.parametrize(("value", "expected"), [
    (1234567.891, "1.234.567,89 €"), (Decimal("0"), "0,00 €"), (1000, "1.000,00 €"), (-2.5, "-2,50 €"),
    (Decimal("0.005"), "0,01 €"),
])
def test_euro(value, expected) -> None:
    assert euro(value) == expected


def test_numbers_and_percent() -> None:
    assert number(1234.5) == "1.234,5"
    assert number(Decimal("2400000.00")) == "2.400.000"
    assert number(3.14159, 2) == "3,14"
    assert percent(30) == "30 %"
    assert percent(Decimal("12.5")) == "12,5 %"


def test_dates() -> None:
    assert date(dt.date(2026, 3, 31)) == "31 marzo 2026"
    assert date("2026-12-01") == "1° dicembre 2026"
    assert date(dt.date(2026, 6, 9)) == "9 giugno 2026"


def test_filters_reject_non_numbers_with_italian_reason() -> None:
    with pytest.raises(TemplateFailure, match="non è un numero"):
        render_source("{{ x | euro }}", {"x": "tanti"})
    with pytest.raises(TemplateFailure, match="non è un numero finito"):
        render_source("{{ x | euro }}", {"x": float("nan")})


def test_filters_in_templates() -> None:
    text = render_source("{{ a | euro }} · {{ p | percento }} · {{ d | data }}",
                         {"a": 2400000, "p": 70, "d": dt.date(2026, 3, 2)})
    assert text == "2.400.000,00 € · 70 % · 2 marzo 2026"
