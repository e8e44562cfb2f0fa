"""Every rule case: the rule fires (at the intended node) or stays silent; every base checks clean."""

from __future__ import annotations

import pytest

from capitolato.rules.examples import Case, _bases, load_cases
from tests.rules.helpers import active, run_case

CASES = load_cases()


def _id(case: Case) -> str:
    return f"{case.code}-{'fires' if case.fires else 'silent'}-{CASES.index(case)}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_case(case: Case, tmp_path) -> None:
    findings, spec = run_case(case, tmp_path)
    mine = [f for f in active(findings) if f.code == case.code]
    if not case.fires:
        assert not mine, [str(f.location) + " " + f.message for f in mine]
        return
    assert mine, f"{case.code} non rileva; altri rilievi: {[(f.code, f.message) for f in findings]}"
    if case.at is not None:
        expected = {spec.source.locate(case.node_path).line, spec.source.locate(case.node_path, key=True).line}
        assert any(f.location.line in expected for f in mine), \
            f"atteso alla riga {expected}, trovato {[str(f.location) for f in mine]}"


@pytest.mark.parametrize("base", ["melzo", *_bases()])
def test_bases_check_clean(base: str, tmp_path) -> None:
    findings, _ = run_case(Case("-", False, base=base), tmp_path)
    assert findings == []
