"""The dated legal data (capitolato/data/legge.yaml): every value sourced, periods ordered, chosen by date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.model import law
from capitolato.model.facts import thresholds_on

runner = CliRunner()


@pytest.mark.parametrize("key", law.keys())
def test_every_value_has_source_status_and_ordered_periods(key: str) -> None:
    periods = law.history(key)
    assert periods and all(p.source.act and p.source.status in law.Verification for p in periods)
    assert all(p.source.to_check for p in periods if p.source.status is law.Verification.TO_VERIFY), \
        f"{key}: un valore da verificare deve dire cosa controllare"
    starts = [p.start for p in periods]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(p.end is None or p.end >= p.start for p in periods)


def test_penalties_follow_the_correttivo() -> None:
    before, after = law.on("penale_giornaliera", dt.date(2024, 12, 30)), law.on("penale_giornaliera", dt.date(2024, 12, 31))
    assert (before.bound("min"), before.bound("max")) == (Decimal("0.3"), Decimal("1"))
    assert (after.bound("min"), after.bound("max")) == (Decimal("0.5"), Decimal("1.5"))
    assert law.on("penale_tetto", dt.date(2026, 3, 1)).bound("max") == Decimal(10)
    assert "209/2024" in after.source.citation()


def test_thresholds_by_period() -> None:
    assert thresholds_on(dt.date(2023, 9, 1)).services_sub_central == Decimal(215000)
    assert thresholds_on(dt.date(2025, 6, 1)).services_sub_central == Decimal(221000)
    assert thresholds_on(dt.date(2026, 1, 1)).services_sub_central == Decimal(216000)
    assert thresholds_on(dt.date(2026, 1, 1)).services_central == Decimal(140000)
    assert law.number("soglia_lavori", dt.date(2027, 12, 31)) == Decimal(5404000)
    assert thresholds_on(dt.date(2026, 5, 1)).social_services == Decimal(750000)


def test_oepv_list_gains_school_trips_with_dl_127_2025() -> None:
    before = law.categories("oepv_obbligatoria", dt.date(2025, 9, 8))
    after = law.categories("oepv_obbligatoria", dt.date(2025, 9, 9))
    assert "ristorazione-scolastica" in before and "trasporto-gite-scolastiche" not in before
    assert after - before == {"trasporto-gite-scolastiche"}
    assert "trasporto-gite-scolastiche" in law.categories("tetto_punteggio_economico_ambito", dt.date(2026, 1, 1))
    assert "D.L. 9.9.2025, n. 127" in law.on("oepv_obbligatoria", dt.date(2026, 1, 1)).source.citation()


def test_anac_fee_brackets() -> None:
    authority, bidder, value = law.anac_fee(Decimal(39999), dt.date(2025, 3, 1))
    assert (authority, bidder) == (0, 0)
    authority, bidder, value = law.anac_fee(Decimal(900000), dt.date(2025, 3, 1))
    assert (authority, bidder) == (Decimal(500), Decimal(90)) and value.source.status is law.Verification.VERIFIED
    assert law.anac_fee(Decimal(900000), dt.date(2026, 3, 1))[2].source.status is law.Verification.TO_VERIFY


def test_unknown_value_is_a_typed_error() -> None:
    with pytest.raises(law.UnknownLegalValue):
        law.on("non-esiste", dt.date(2026, 1, 1))


def test_rules_show_prints_dated_sources() -> None:
    result = runner.invoke(app, ["rules", "show", "DOC002"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "0,5–1,5 ‰ (dal 31.12.2024)" in text and "0,3–1 ‰ (dal 01.07.2023 al 30.12.2024)" in text
    assert "art. 45 D.Lgs. 209/2024" in text


def test_clause_show_prints_the_source_of_its_limits() -> None:
    result = runner.invoke(app, ["clauses", "show", "penali"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Valori di legge" in text and "0,5–1,5 ‰ (dal 31.12.2024)" in text
