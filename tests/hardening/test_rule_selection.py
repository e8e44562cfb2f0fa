"""Class 6 — configuration that disables itself: a selection naming no rule is an error (exit 2, Italian,
located), wherever it is written: --select, --ignore, the spec's `controlli`, capitolato.toml."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capitolato.cli.app import app
from capitolato.rules.registry import all_rules
from tests.conftest import MELZO, line_of
from tests.hardening.helpers import runner


@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("code", ["AWD999", "XYZ", "QQQ001", "awd9"])
def test_unknown_codes_on_the_command_line(option: str, code: str) -> None:
    result = runner.invoke(app, ["check", str(MELZO), option, code])
    assert result.exit_code == 2, result.output
    assert f"{option}: errore: nessuna regola ha il codice o la famiglia «{code.upper()}»" in result.stderr
    assert "0 errori" not in result.stderr


def test_known_codes_and_families_still_work() -> None:
    for selection in ("AWD001", "AWD", "awd", "ALL", "AWD00", "AWD001,LAB"):
        result = runner.invoke(app, ["check", str(MELZO), "--select", selection, "-q"])
        assert result.exit_code in (0, 1), (selection, result.output)


@given(st.from_regex(r"\A[A-Z]{3}\d{0,3}\Z"))
def test_any_code_shape_is_either_known_or_refused(code: str) -> None:
    known = any(rule.startswith(code) for rule in all_rules())
    result = runner.invoke(app, ["check", str(MELZO), "--select", code, "-q"])
    assert (result.exit_code == 2) == (not known), (code, result.output)


def test_unknown_code_in_the_spec_is_located(write_spec) -> None:
    text = MELZO.read_text(encoding="utf-8").rstrip("\n") + "\ncontrolli:\n  seleziona: [AWD001, ZZZ123]\n"
    spec = write_spec(text)
    result = runner.invoke(app, ["check", str(spec)])
    assert result.exit_code == 2, result.output
    assert f"{spec}:{line_of(text, 'seleziona:')}:" in result.stderr and "ZZZ123" in result.stderr


def test_unknown_code_in_the_configuration_file(tmp_path: Path, write_spec) -> None:
    spec = write_spec(MELZO.read_text(encoding="utf-8"))
    (spec.parent / "capitolato.toml").write_text('ignore = ["AWD9"]\n', encoding="utf-8")
    result = runner.invoke(app, ["check", str(spec)])
    assert result.exit_code == 2 and "capitolato.toml" in result.stderr and "AWD9" in result.stderr
