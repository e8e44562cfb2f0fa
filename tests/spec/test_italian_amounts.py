"""Amounts and percentages written the Italian way in the spec: one parser, with the prompts' rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from capitolato import SpecError, load_spec
from capitolato.italian import NumberFormatError, parse_amount, parse_percent
from capitolato.scaffold.essentials import Essential, InvalidValue
from tests.conftest import line_of

BASE = "  base: 2400000.00"


@pytest.mark.parametrize(("written", "amount"), [
    ("'2.400.000,00'", Decimal("2400000.00")), ('"2.400.000"', Decimal("2400000")),
    ("2400000", Decimal("2400000")), ('"2.400.000,00 €"', Decimal("2400000.00")), ('"2400000,5"', Decimal("2400000.5")),
])
def test_italian_amounts_are_read(write_spec, melzo_text: str, written: str, amount: Decimal) -> None:
    assert BASE in melzo_text
    spec = load_spec(write_spec(melzo_text.replace(BASE, f"  base: {written}", 1)))
    assert spec.amounts.base_amount == amount


@pytest.mark.parametrize(("written", "message"), [
    ('"2,400"', "è ambiguo (1350 o 1,35?)"),
    ('"2,400,000.00"', "scrivere 1350000.00 o 1.350.000,00"),
    ('"70%"', "senza %"),
    ('"due milioni"', "non è un importo"),
])
def test_unreadable_amounts_are_located_and_say_what_to_write(write_spec, melzo_text: str, written: str,
                                                               message: str) -> None:
    text = melzo_text.replace(BASE, f"  base: {written}", 1)
    with pytest.raises(SpecError) as info:
        load_spec(write_spec(text))
    problem = next(p for p in info.value.problems if message in p.message)
    assert problem.location.line == line_of(text, f"base: {written}")
    assert "scrivere" in problem.message


def test_percent_sign_in_a_clause_parameter_says_to_drop_it(write_spec, melzo_text: str) -> None:
    old = "      quota_massima: 30 "
    assert old in melzo_text
    text = melzo_text.replace(old, '      quota_massima: "30%" ', 1)
    with pytest.raises(SpecError) as info:
        load_spec(write_spec(text))
    messages = [p.message for p in info.value.problems]
    assert any("scrivere 80, senza %" in m for m in messages), messages


def test_italian_percent_in_a_clause_parameter(write_spec, melzo_text: str) -> None:
    text = melzo_text.replace("      quota_massima: 30 ", '      quota_massima: "30,0" ', 1)
    load_spec(write_spec(text))


@pytest.mark.parametrize(("written", "amount"), [
    ("1.350", Decimal("1350")),  # a single dot before three digits: the Italian thousands (cents have two digits)
    ("1.350.000,00", Decimal("1350000.00")), ("1350000.00", Decimal("1350000.00")), ("1,35", Decimal("1.35")),
    ("1.35", Decimal("1.35")), (" € 1.080.000 ", Decimal("1080000")), (12, Decimal(12)), (Decimal("3.5"), Decimal("3.5")),
])
def test_the_one_amount_rule(written: object, amount: Decimal) -> None:
    assert parse_amount(written) == amount


@pytest.mark.parametrize("written", ["1,350", "1,350,000.00", "80%", True, "1.35.0", None])
def test_rejected_amounts(written: object) -> None:
    with pytest.raises(NumberFormatError, match="scrivere"):
        parse_amount(written)


def test_percentages() -> None:
    assert parse_percent("12,5") == Decimal("12.5") and parse_percent(80) == Decimal(80)
    with pytest.raises(NumberFormatError, match="scrivere 80, senza %"):
        parse_percent("80%")


def test_prompts_use_the_same_parser() -> None:
    essential = Essential.model_validate({"domanda": "Importo a base di gara", "tipo": "importo"})
    assert essential.parse("1.350.000,00") == Decimal("1350000.00")
    with pytest.raises(InvalidValue, match="ambiguo"):
        essential.parse("1,350")
