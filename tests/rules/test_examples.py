"""The shipped example checks clean; the exact 2019 grid does not, and that is why the example was updated."""

from __future__ import annotations

import capitolato
from capitolato.spec.load import load_spec
from tests.conftest import MELZO, MELZO_2019


def test_melzo_example_checks_clean() -> None:
    assert capitolato.check(load_spec(MELZO)) == []


def test_melzo_2019_grid_fails_gender_premium_and_clause_rules() -> None:
    findings = capitolato.check(load_spec(MELZO_2019))
    codes = {f.code for f in findings if f.severity.value == "error"}
    assert "AWD011" in codes
    assert {"SOC001", "SOC004", "LAB002", "LAB004", "LAB006", "LAB008", "DOC001"} <= codes
    assert "AWD006" not in codes, "la griglia 80/20 del 2019 somma esattamente"


def test_check_works_on_a_spec_built_in_code() -> None:
    spec = load_spec(MELZO)
    spec._source = None
    assert capitolato.check(spec) == []
