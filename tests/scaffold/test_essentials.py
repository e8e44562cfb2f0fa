"""Essentials: typed parsing of answers, Italian number formats, unknown and missing answers listed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from capitolato.scaffold.essentials import Essential, EssentialsError, InvalidValue, missing, parse_assignments, resolve

MONEY = Essential.model_validate({"domanda": "Importo", "tipo": "importo", "max": 2_000_000})


@pytest.mark.parametrize(("raw", "expected"), [
    ("240000", "240000.00"), ("240.000", "240000.00"), ("240.000,50", "240000.50"), ("1.200.000,00 €", "1200000.00"),
    ("2400.5", "2400.50"), (180000, "180000.00"),
])
def test_money(raw, expected) -> None:
    assert MONEY.parse(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["tanti", "-5", "2000000,01", ""])
def test_money_refused(raw) -> None:
    with pytest.raises(InvalidValue):
        MONEY.parse(raw)


def test_dates_and_integers() -> None:
    date = Essential.model_validate({"domanda": "Data", "tipo": "data"})
    assert date.parse("01/06/2026") == date.parse("2026-06-01") == dt.date(2026, 6, 1)
    months = Essential.model_validate({"domanda": "Mesi", "tipo": "intero", "min": 1, "max": 120})
    assert months.parse("36") == 36
    with pytest.raises(InvalidValue, match="massimo"):
        months.parse("500")


def test_text_format_and_single_line() -> None:
    cup = Essential.model_validate({"domanda": "CUP", "formato": "[A-Z][0-9]{2}[A-Z][0-9]{11}",
                                    "esempio": "E89F18000510007"})
    assert cup.parse("E89F18000510007") == "E89F18000510007"
    with pytest.raises(InvalidValue, match="E89F18000510007"):
        cup.parse("abc")
    with pytest.raises(InvalidValue, match="una riga"):
        Essential.model_validate({"domanda": "Ente"}).parse("a\nb")


def test_resolve_lists_unknown_invalid_and_missing() -> None:
    essentials = {"ente": Essential.model_validate({"domanda": "Ente"}), "importo": MONEY,
                  "mesi": Essential.model_validate({"domanda": "Mesi", "tipo": "intero", "default": 36})}
    values, problems = resolve(essentials, {"importo": "x", "entee": "Comune"})
    assert values == {"mesi": 36}
    assert ["entee", "importo"] == [p.location.file for p in problems]
    assert "forse intendevi «ente»" in (problems[0].hint or "")
    assert [p.location.file for p in missing(essentials, {"importo": "1"})] == ["ente"]


def test_assignments() -> None:
    assert parse_assignments(["ente=Comune di X = Y", "a="]) == {"ente": "Comune di X = Y", "a": ""}
    with pytest.raises(EssentialsError):
        parse_assignments(["senza-uguale"])


def test_region_is_one_of_the_regions_with_a_suggestion() -> None:
    region = Essential.model_validate({"domanda": "Regione", "tipo": "regione", "default": "nazionale"})
    assert region.parse("Toscana") == "toscana"
    assert region.parse("Valle d'Aosta") == "valle-d-aosta"
    assert region.default_value() == "nazionale"
    with pytest.raises(InvalidValue, match="forse intendevi «lombardia»"):
        region.parse("lombrdia")


def test_new_asks_the_region_and_the_spec_follows_it(tmp_path) -> None:
    from typer.testing import CliRunner

    from capitolato.cli.app import app
    from capitolato.model.facts import derive
    from capitolato.spec.load import load_spec

    options = ["--set=ente=Comune di Prova", "--set=oggetto=Progetto di comunità", "--set=importo_base=300000",
               "--set=regione=Toscana", "--set=giorni_pubblicazione=15"]
    result = CliRunner().invoke(app, ["new", str(tmp_path / "g"), "--preset", "coprogettazione-art55", "--no-input",
                                      *options])
    assert result.exit_code == 0, result.output
    spec = load_spec(tmp_path / "g")
    assert spec.shared_administration.region.value == "toscana"
    assert derive(spec).regional_rules["tar"] == "Tribunale amministrativo regionale per la Toscana"
    checked = CliRunner().invoke(app, ["check", str(tmp_path / "g")])
    assert "CTS004" in checked.stdout + checked.stderr and "minimo 20" in checked.stdout + checked.stderr
