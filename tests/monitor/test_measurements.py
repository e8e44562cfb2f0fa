"""Measurement files as officers keep them, and every validation error located at file:line:column."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from capitolato.monitor import MeasurementError, load_measurements
from capitolato.spec.load import load_spec
from tests.conftest import MELZO
from tests.monitor.conftest import write

HEADER_IT = "indicatore;data;valore;unita;fonte;rilevatore;note\n"


@pytest.fixture(scope="module")
def spec():
    return load_spec(MELZO)


def problems_of(spec, *paths: Path) -> list[str]:
    with pytest.raises(MeasurementError) as caught:
        load_measurements(spec, list(paths))
    return [str(p) for p in caught.value.problems]


def test_semicolon_csv_with_decimal_comma_italian_dates_and_thousands(spec, tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", HEADER_IT + "I1;31/12/2026;1.104;persone;;;\nI5;30.06.27;17,4;%;;;\n"
                                                "I3;31 dicembre 2027;15;;;;\n")
    measurements = load_measurements(spec, [path])
    assert [(m.indicator, m.date, m.value) for m in measurements] == [
        ("I1", dt.date(2026, 12, 31), Decimal(1104)), ("I3", dt.date(2027, 12, 31), Decimal(15)),
        ("I5", dt.date(2027, 6, 30), Decimal("17.4"))]


def test_comma_csv_with_decimal_point_iso_dates_and_quoted_fields(spec, tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", 'indicatore,data,valore,note\nI2,2027-06-30,47.5,"una nota, con virgola\n'
                                    'su due righe"\nI2,2027-12-31,1250,\n')
    first, second = load_measurements(spec, [path])
    assert (first.value, first.note) == (Decimal("47.5"), "una nota, con virgola\nsu due righe")
    assert second.value == Decimal(1250) and second.location.line == 4


def test_windows_1252_csv_as_excel_saves_it(spec, tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", "Indicatore;Data;Valore;Unità;Note\nI1;31/12/2026;104;persone;più progetti\n",
                 encoding="cp1252")
    (measurement,) = load_measurements(spec, [path])
    assert measurement.note == "più progetti"


def test_yaml_measurements_with_qualitative_text_and_score(spec, tmp_path: Path) -> None:
    path = write(tmp_path, "m.yaml", "misure:\n  - {indicatore: I4, data: 2027-12-31, valore: buono, punteggio: 4}\n"
                                     "  - {indicatore: I4, data: 2026-12-31, valore: '3,9'}\n")
    scored, textual = sorted(load_measurements(spec, [path]), key=lambda m: m.date, reverse=True)
    assert (scored.value, scored.text) == (Decimal(4), "buono")
    assert (textual.value, textual.text) == (Decimal("3.9"), None)


def test_xlsx_workbook_read_from_its_sheets(spec, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Misure"
    sheet.append(["Indicatore", "Data", "Valore", "Fonte"])
    sheet.append(["I1", dt.datetime(2026, 12, 31), 104, "cartella sociale"])
    sheet.append(["I5", "31/12/2027", 21.3, None])
    workbook.create_sheet("Appunti").append(["testo libero"])
    path = tmp_path / "misure.xlsx"
    workbook.save(path)
    measurements = load_measurements(spec, [path])
    assert [(m.indicator, m.date, m.value) for m in measurements] == [
        ("I1", dt.date(2026, 12, 31), Decimal(104)), ("I5", dt.date(2027, 12, 31), Decimal("21.3"))]
    assert str(measurements[0].location) == f"{path}:Misure!A2"


def test_xlsx_errors_point_at_sheet_and_cell(spec, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.title = "2027"
    workbook.active.append(["indicatore", "data", "valore"])
    workbook.active.append(["I9", dt.datetime(2027, 12, 31), 3])
    path = tmp_path / "misure.xlsx"
    workbook.save(path)
    assert problems_of(spec, path) == [f"{path}:2027!A2: indicatore sconosciuto «I9» (indicatori dello spec: "
                                       "I1, I2, I3, I4, I5)"]


def test_unknown_indicator_with_suggestion(spec, tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", HEADER_IT + "i5;31/12/2026;17;%;;;\nTasso annuo di turnover degli operatori;"
                                                "31/12/2027;18;%;;;\n")
    assert problems_of(spec, path) == [
        f"{path}:2:1: indicatore sconosciuto «i5»: forse «I5»? (indicatori dello spec: I1, I2, I3, I4, I5)",
        f"{path}:3:1: indicatore sconosciuto «Tasso annuo di turnover degli operatori»: forse «I5»? "
        "(indicatori dello spec: I1, I2, I3, I4, I5)"]


def test_value_of_the_wrong_type(spec, tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", HEADER_IT + "I1;31/12/2026;circa cento;persone;;;\n")
    (problem,) = problems_of(spec, path)
    assert problem.startswith(f"{path}:2:15: valore non numerico «circa cento»: I1 è un indicatore quantitativo")


def test_score_outside_the_qualitative_scale(spec, tmp_path: Path) -> None:
    path = write(tmp_path, "m.yaml", "- indicatore: I4\n  data: 2027-12-31\n  valore: ottimo\n  punteggio: 7\n")
    assert problems_of(spec, path) == [f"{path}:4:14: punteggio 7 fuori dalla scala di I4 (1–5)"]


def test_date_outside_the_contract(spec, tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", HEADER_IT + "I1;31/12/2025;95;persone;;;\nI1;31/12/2032;130;persone;;;\n"
                                                "I1;31/02/2027;100;persone;;;\n")
    problems = problems_of(spec, path)
    assert problems[0] == (f"{path}:2:4: la data 31 dicembre 2025 è fuori dal periodo del contratto (dal 1° luglio "
                           "2026 al 31 dicembre 2031) (il periodo va da procedura.inizio_esecuzione (o dalla data di "
                           "pubblicazione) per la durata, il rinnovo e la proroga tecnica)")
    assert problems[1].startswith(f"{path}:3:4: la data 31 dicembre 2032 è fuori dal periodo del contratto")
    assert problems[2] == f"{path}:4:4: data non valida «31/02/2027»: scriverla come 30/06/2027 o 2027-06-30"


def test_duplicated_measurement_across_files(spec, tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", HEADER_IT + "I1;31/12/2026;104;persone;;;\n")
    second = write(tmp_path, "b.yaml", "- {indicatore: I1, data: 2026-12-31, valore: 105}\n")
    assert problems_of(spec, tmp_path) == [
        f"{second}:1:26: misura duplicata: I1 al 31 dicembre 2026 è già in {first}:2:1"]


def test_unit_that_does_not_match_the_indicator(spec, tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", HEADER_IT + "I1;31/12/2026;104;ore;;;\nI5;31/12/2026;17 persone;;;;\n"
                                                "I2;31/12/2026;44 %;;;;\n")
    assert problems_of(spec, path) == [
        f"{path}:2:19: unità «ore» diversa da quella dell'indicatore I1 («persone»)",
        f"{path}:3:15: unità «persone» diversa da quella dell'indicatore I5 («percentuale»)"]


def test_missing_columns_are_named_with_a_suggestion(spec, tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", "indicatore;dat;vaolre\nI1;31/12/2026;104\n")
    (problem,) = problems_of(spec, path)
    assert problem.startswith(f"{path}:1:1: mancano le colonne «data» (forse «dat»?), «valore» (forse «vaolre»?)")


def test_every_problem_of_every_file_at_once(spec, tmp_path: Path) -> None:
    write(tmp_path, "a.csv", HEADER_IT + "I7;31/12/2026;1;;;;\n")
    write(tmp_path, "b.csv", HEADER_IT + "I1;domani;1;;;;\n")
    write(tmp_path, "c.yaml", "misure: 3\n")
    assert len(problems_of(spec, tmp_path)) == 3
