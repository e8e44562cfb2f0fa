"""What monitora computes on the Melzo example: each indicator's status, progress, missing measurements, amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from capitolato.monitor import monitor_tender
from capitolato.monitor.progress import Status
from capitolato.spec.load import load_spec
from tests.conftest import MELZO
from tests.monitor.conftest import write


@pytest.fixture(scope="module")
def melzo():
    return monitor_tender(load_spec(MELZO))


def close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) < Decimal("1e-12")


def by_code(monitoring):
    return {p.indicator.code: p for p in monitoring.indicators}


def test_report_date_defaults_to_the_latest_measurement(melzo) -> None:
    assert melzo.at == dt.date(2028, 6, 30)
    assert melzo.window.start == dt.date(2026, 7, 1)
    assert melzo.window.duration_end == dt.date(2029, 6, 30)


def test_each_melzo_indicator_has_its_status(melzo) -> None:
    statuses = {code: p.status for code, p in by_code(melzo).items()}
    assert statuses == {"I1": Status.REACHED, "I2": Status.ON_TRACK, "I3": Status.LATE, "I4": Status.ON_TRACK,
                        "I5": Status.WORSE}
    assert [p.indicator.code for p in melzo.off_track] == ["I3", "I5"]


def test_progress_respects_direction_and_expected_path_is_linear(melzo) -> None:
    indicators = by_code(melzo)
    turnover = indicators["I5"]
    assert turnover.direction.value == "diminuzione"
    assert turnover.progress == (Decimal("21.3") - 18) / (8 - 18)
    assert turnover.progress < 0
    days = Decimal((dt.date(2028, 6, 30) - dt.date(2025, 12, 31)).days)
    total = Decimal((dt.date(2028, 12, 31) - dt.date(2025, 12, 31)).days)
    assert close(indicators["I3"].expected, days / total)
    assert close(indicators["I3"].progress, Decimal(3) / 13)
    assert indicators["I2"].progress == Decimal("0.8")
    assert indicators["I1"].expected == 1, "target date passed: the whole distance is expected"


def test_qualitative_indicator_uses_its_score_and_keeps_the_text(melzo) -> None:
    gradimento = by_code(melzo)["I4"]
    assert [m.value for m in gradimento.series] == [Decimal("3.8"), Decimal("4.1")]
    assert "sostituzione degli operatori" in gradimento.series[-1].text
    assert gradimento.baseline.value == Decimal("3.6"), "the spec writes it «3,6»"


def test_missing_measurement_is_the_first_semester_2027_of_i2(melzo) -> None:
    missing = {p.indicator.code: [period.label for period in p.missing] for p in melzo.indicators}
    assert missing == {"I1": [], "I2": ["1° semestre 2027"], "I3": [], "I4": [], "I5": []}
    assert [period.label for period in by_code(melzo)["I2"].due] == [
        "2° semestre 2026", "1° semestre 2027", "2° semestre 2027", "1° semestre 2028"]
    assert [period.label for period in by_code(melzo)["I3"].due] == ["2026", "2027"]


def test_amounts_tied_to_results_with_their_formulas(melzo) -> None:
    amounts = [(a.clause, a.period, a.amount) for a in melzo.money.amounts]
    assert amounts == [
        ("corrispettivo-legato-risultati", "1° anno (1° luglio 2026 – 30 giugno 2027)", Decimal("30400.00")),
        ("corrispettivo-legato-risultati", "2° anno (1° luglio 2027 – 30 giugno 2028)", Decimal("7600.00")),
        ("penale-turnover", "misura del 31 dicembre 2026", Decimal("2700.00")),
        ("penale-turnover", "misura del 31 dicembre 2027", Decimal("4650.00")),
    ]
    assert melzo.money.total == Decimal("45350.00")
    first = melzo.money.amounts[0].formula
    assert "2.280.000,00 € × 12/36 × 5 % = 38.000,00 €" in first
    assert "(44 − 40) / (60 − 40) = 20 %" in first
    assert melzo.money.amounts[3].formula == "max(0; 21,3 − 12) punti × 500,00 € = 4.650,00 €"


def test_summaries_per_strategy_and_objective(melzo) -> None:
    assert [p.indicator.code for p in melzo.objective.indicators] == ["I2", "I3", "I4"]
    assert melzo.objective.describe() == "3 indicatori: 2 in linea, 1 in ritardo"
    assert {s.code: s.describe() for s in melzo.strategies} == {
        "S1": "2 indicatori: 1 raggiunto, 1 in linea", "S2": "1 indicatore: 1 in ritardo",
        "S3": "1 indicatore: 1 peggiorato"}


def test_calendar_and_governance_reviews(melzo) -> None:
    assert [(r.date.isoformat(), r.overdue) for r in melzo.reports] == [
        ("2027-03-31", True), ("2028-03-31", True), ("2029-03-31", False)]
    assert melzo.reports[2].describe(melzo.at) == "tra 274 giorni"
    assert {d.date for d in melzo.measurements_due} == {dt.date(2028, 12, 31)}
    reviews = {r.level.level.value: r for r in melzo.reviews}
    assert "riesame dei risultati di impatto" in reviews["strategico"].level.functions
    assert reviews["strategico"].parts == ("sintesi", "importi", "scadenze")
    assert "mancanti" in reviews["gestionale"].parts


def test_an_earlier_date_reads_only_the_measurements_until_then() -> None:
    early = monitor_tender(load_spec(MELZO), at=dt.date(2027, 1, 15))
    indicators = by_code(early)
    assert [m.date for m in indicators["I1"].series] == [dt.date(2026, 12, 31)]
    assert indicators["I1"].status is Status.LATE, "36 % of the distance when half of it was expected"
    assert early.money.amounts[0].period.startswith("misura del"), "no contract year has ended yet"


def test_a_trajectory_in_the_spec_replaces_the_straight_line(melzo_copy) -> None:
    spec_path = melzo_copy / "capitolato.yaml"
    text = spec_path.read_text(encoding="utf-8").replace(
        "      misura_di: [obiettivo, S2]\n",
        "      misura_di: [obiettivo, S2]\n      traiettoria:\n        - {valore: 13, data: 2027-12-31}\n"
        "        - {valore: 16, data: 2028-06-30}\n")
    spec_path.write_text(text, encoding="utf-8")
    i3 = by_code(monitor_tender(load_spec(spec_path)))["I3"]
    assert i3.expected_value == 16
    assert close(i3.expected, Decimal(4) / 13)
    assert i3.status is Status.ON_TRACK, "15 at the end of 2027, when 13 was expected"


def test_indicator_without_measurements_or_with_text_only_has_no_data(melzo_copy) -> None:
    folder = melzo_copy / "misure"
    (folder / "gradimento.yaml").unlink()
    write(folder, "gradimento.yaml", "- {indicatore: I4, data: 2027-12-31, valore: giudizio positivo}\n")
    (folder / "ente.csv").unlink()
    indicators = by_code(monitor_tender(load_spec(melzo_copy)))
    assert indicators["I2"].status is Status.NO_DATA
    assert len(indicators["I2"].missing) == 4
    assert indicators["I4"].status is Status.NO_DATA
    assert indicators["I4"].latest.text == "giudizio positivo"


def test_outcome_fee_needs_distinct_baseline_and_target(melzo_copy) -> None:
    spec_path = melzo_copy / "capitolato.yaml"
    text = spec_path.read_text(encoding="utf-8").replace("      target: 60\n      quota_variabile", "      target: 40\n"
                                                         "      quota_variabile")
    spec_path.write_text(text, encoding="utf-8")
    money = monitor_tender(load_spec(spec_path)).money
    assert [a.clause for a in money.amounts] == ["penale-turnover", "penale-turnover"]
    assert money.notes == ("«corrispettivo-legato-risultati»: baseline e target coincidono (40): quota non "
                           "calcolabile",)


def test_every_review_part_of_the_data_file_is_known() -> None:
    from capitolato.monitor.report import REVIEW_PARTS
    from capitolato.resources import package_data

    levels = package_data("monitoraggio.yaml")["livelli"]
    assert set(levels) == {"strategico", "gestionale", "operativo"}
    assert {part for level in levels.values() for part in level["parti"]} <= set(REVIEW_PARTS)
