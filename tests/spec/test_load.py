"""load_spec: the Melzo grids load exactly; every kind of bad input is a located SpecError."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from capitolato import SpecError, derive, load_spec
from capitolato.model.tender import Criterion
from tests.conftest import MELZO, MELZO_2019, line_of


def tree(criteria: list[Criterion]) -> list[tuple]:
    return [(c.code, int(c.points or 0), tree(c.subcriteria)) for c in criteria]


def test_melzo_2019_grid_is_exact() -> None:
    spec = load_spec(MELZO_2019)
    award = spec.award
    assert (award.technical_points, award.economic_points) == (80, 20)
    assert tree(award.criteria) == [
        ("A", 57, [("a.1", 27, [("a.1.1", 5, []), ("a.1.2", 5, []), ("a.1.3", 17, [])]),
                   ("a.2", 10, []), ("a.3", 7, []),
                   ("a.4", 10, [("a.4.1", 5, []), ("a.4.2", 5, [])]), ("a.5", 3, [])]),
        ("B", 10, [("b.1", 4, []), ("b.2", 6, [])]),
        ("C", 10, [("c.1", 3, []), ("c.2", 1, []), ("c.3", 4, []), ("c.4", 2, [])]),
        ("D", 3, []),
    ]
    d = award.criteria[3]
    assert d.kind.value == "tabellare" and [lv.points for lv in d.levels] == [3, 2, 1]


def test_melzo_2019_sums_at_every_level() -> None:
    def check(criteria: list[Criterion]) -> Decimal:
        total = Decimal(0)
        for criterion in criteria:
            if criterion.subcriteria:
                assert check(criterion.subcriteria) == criterion.points, criterion.code
            total += criterion.points
        return total

    award = load_spec(MELZO_2019).award
    assert check(award.criteria) == award.technical_points == 80
    assert award.technical_points + award.economic_points == award.total_points == 100


def test_example_derived_facts() -> None:
    facts = derive(load_spec(MELZO))
    assert facts.labour_intensive and facts.social_service and facts.codice_route
    assert facts.labour_share == Decimal("0.7")
    assert facts.estimated_value == Decimal("4400000.00")
    assert facts.above_social_threshold and facts.scope_eo


def test_folder_resolves_to_its_spec(tmp_path: Path) -> None:
    assert load_spec(MELZO.parent).procedure.kind.value == "aperta"
    with pytest.raises(SpecError, match="non contiene capitolato.yaml"):
        load_spec(tmp_path)


def located(exc: SpecError) -> list[tuple[int, int, str]]:
    return [(p.location.line, p.location.column, p.message) for p in exc.problems]


def test_all_problems_reported_at_once(write_spec, melzo_text: str) -> None:
    text = (melzo_text.replace("  tipo: aperta", "  tipo: apreta")
            .replace("  rup: ", "  rpu: ")
            .replace("manodopera: 1680000.00", "manodopera: -5"))
    with pytest.raises(SpecError) as info:
        load_spec(write_spec(text))
    problems = located(info.value)
    assert (line_of(text, "tipo: apreta"), 9,
            problems[[p[2] for p in problems].index(next(m for *_, m in problems if "apreta" in m))][2]) in problems
    messages = " | ".join(m for *_, m in problems)
    assert "forse intendevi «aperta»" in messages
    assert "chiave sconosciuta «rpu»: forse intendevi «rup»?" in messages
    assert "manca la chiave obbligatoria «rup»" in messages
    assert "maggiore o uguale a 0" in messages
    assert len(problems) == 4


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ('cpv: ["85312000-9"', 'cpv: ["8531200"', "cpv:", "codice CPV non valido"),
        ("data_pubblicazione: 2026-03-02", "data_pubblicazione: 2026-13-02", "data_pubblicazione",
         "tipo errato: atteso una data"),
        ("durata_mesi: 36", "durata_mesi: trentasei", "durata_mesi", "atteso un numero intero"),
        ("  base: 2400000.00", "  base: .nan", "base: .nan", "numero finito"),
        ("  base: 2400000.00", "  base: 1000.00", "manodopera: 1680000", "superano l'importo a base"),
        ("  criterio: oepv", "  criterio: asta", "criterio: asta", "Valori ammessi: oepv, prezzo-fisso, minor-prezzo"),
        ("- livello: operativo", "- livello: tattico", "livello: tattico", "valore non ammesso «tattico»"),
        ("      misura_di: [S3]", "      misura_di: [S9]", "misura_di: [S9]", "«S9» non è «obiettivo»"),
    ],
)
def test_value_errors_are_located(write_spec, melzo_text: str, old: str, new: str, needle: str, message: str) -> None:
    assert old in melzo_text
    text = melzo_text.replace(old, new, 1)
    with pytest.raises(SpecError) as info:
        load_spec(write_spec(text))
    (line, _column, found), *_ = located(info.value)
    assert message in found
    assert line == line_of(text, needle)


def test_cig_and_cup_formats(write_spec, melzo_text: str) -> None:
    melzo_text = "\n".join(line for line in melzo_text.splitlines() if not line.startswith("  cig: "))
    good = melzo_text.replace("  durata_mesi: 36", "  cig: 9A1B2C3D4E\n  cup: E89F18000510007\n  durata_mesi: 36")
    assert load_spec(write_spec(good)).procedure.cup == "E89F18000510007"
    bad = melzo_text.replace("  durata_mesi: 36", "  cig: ABC123\n  cup: X1\n  durata_mesi: 36")
    with pytest.raises(SpecError) as info:
        load_spec(write_spec(bad))
    messages = [m for *_, m in located(info.value)]
    assert any(m.startswith("CIG non valido") for m in messages)
    assert any(m.startswith("CUP non valido") for m in messages)


def test_duplicate_criterion_code(write_spec, melzo_text: str) -> None:
    text = melzo_text.replace("- codice: B\n", "- codice: A\n")
    with pytest.raises(SpecError, match="codice di criterio «A» ripetuto"):
        load_spec(write_spec(text))
