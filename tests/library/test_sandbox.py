"""Clause texts are untrusted: no Python internals, no mutation, no silent blanks, bounded output."""

from __future__ import annotations

import pytest

from capitolato.templating import MAX_OUTPUT_CHARS, TemplateFailure, render_source


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__ }}",
    "{{ x.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% set l = [1] %}{{ l.append(2) }}",
    "{{ d.update({'a': 1}) }}",
])
def test_sandbox_blocks_internals_and_mutation(source: str) -> None:
    with pytest.raises(TemplateFailure):
        render_source(source, {"x": object(), "d": {}})


def test_undefined_is_an_error_naming_the_value() -> None:
    with pytest.raises(TemplateFailure, match="manca il valore «penale»"):
        render_source("Penale: {{ penale }}", {})
    with pytest.raises(TemplateFailure, match="manca il valore «rup»"):
        render_source("RUP: {{ ente.rup }}", {"ente": {"nome": "Comune"}})


def test_output_and_loops_are_bounded() -> None:
    with pytest.raises(TemplateFailure, match="supera"):
        render_source("{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}", {})
    assert MAX_OUTPUT_CHARS >= 1_000_000


def test_recursion_is_caught() -> None:
    with pytest.raises(TemplateFailure, match="ricorsione|errore"):
        render_source("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", {})


def test_syntax_error_is_reported() -> None:
    with pytest.raises(TemplateFailure, match="sintassi"):
        render_source("{% if %}", {})
