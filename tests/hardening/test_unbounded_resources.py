"""Class 5 — unbounded resources: what a small input could expand into is bounded before the work is done.
Alias expansion in any YAML (spec, clause library), Jinja's compile-time constant folding and one-step string
builders, and files that are not regular files (/dev/zero, FIFO, looping or dangling links) wherever a file is
named: the spec, a clause, the logo, the reference, the data file of `new`."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from capitolato.cli.app import app
from capitolato.errors import SpecError
from capitolato.spec.yamlsource import MAX_ALIAS_NODES, load_yaml
from capitolato.templating import TemplateFailure, render_source
from tests.conftest import EXAMPLES, MELZO, copy_example, line_of
from tests.hardening.helpers import runner

FOLDED = ["{{ '%0999999999d'|format(1) }}", "{{ 'x'|center(300000000) }}", "{{ '%0999999999d' % 1 }}",
          "{{ '{:>999999999}'.format(1) }}", "{{ 'x'.ljust(999999999) }}", "{{ 'x'.zfill(10**9) }}",
          "{{ 'ab'|indent(99999999) }}", "{{ ('x' * 1000)|replace('x', 'x' * 10000) }}",
          "{{ '{:>{}}'.format(1, 10**9) }}", "{{ '%*d' % (10**9, 1) }}", "{{ lipsum(10**9) }}"]


@pytest.mark.parametrize("source", FOLDED)
def test_one_step_string_builders_are_refused_before_the_work(source: str) -> None:
    started = time.monotonic()
    with pytest.raises(TemplateFailure):
        render_source(source, {})
    assert time.monotonic() - started < 2.0


def test_ordinary_formatting_still_works() -> None:
    text = "{{ 'anno %d'|format(3) }}|{{ 'a'|center(5) }}|{{ '%.2f' % 1.5 }}|{{ '{:>5}'.format(1) }}|" \
           "{{ 'a-b'|replace('-', ' e ') }}"
    assert render_source(text, {}) == "anno 3|  a  |1.50|    1|a e b"


def _alias_table(rows: int, columns: int) -> str:
    """A table of rows × columns cells written in a few lines with aliases."""
    return (f"riga: &r [{', '.join(['cella'] * columns)}]\n"
            f"tabella: [{', '.join(['*r'] * rows)}]\n")


def test_alias_expansion_is_bounded_in_any_yaml(tmp_path: Path) -> None:
    path = tmp_path / "capitolato.yaml"
    path.write_text(_alias_table(1000, 1000), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_yaml(path)
    problem = caught.value.problems[0]
    assert "alias" in problem.message and problem.location.line in (1, 2)


def test_modest_aliases_stay_allowed(tmp_path: Path) -> None:
    path = tmp_path / "capitolato.yaml"
    path.write_text(_alias_table(10, 10), encoding="utf-8")
    assert len(load_yaml(path).data["tabella"]) == 10
    assert MAX_ALIAS_NODES > 100


def test_a_clause_library_with_an_alias_bomb_is_a_located_error(tmp_path: Path) -> None:
    library = tmp_path / "clausole"
    library.mkdir()
    bomb = "id: bomba\n" + "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'x'}]\n"
                                   for i in range(9))
    (library / "bomba.yaml").write_text(bomb, encoding="utf-8")
    started = time.monotonic()
    result = runner.invoke(app, ["clauses", "list", "--libreria", str(library)])
    assert result.exit_code == 2, result.output
    assert f"{library / 'bomba.yaml'}:" in result.stderr and time.monotonic() - started < 30


def _special(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    elif kind == "loop":
        path.symlink_to(path)
    else:
        path.symlink_to(path.parent / "non-esiste")


KINDS = ["fifo", "zero", "loop", "dangling"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_spec_that_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    spec = tmp_path / "capitolato.yaml"
    _special(spec, kind)
    for command in ("validate", "check", "build"):
        result = runner.invoke(app, [command, str(spec)])
        assert result.exit_code == 2 and f"{spec}: errore:" in result.stderr, (command, result.output)


@pytest.mark.parametrize("kind", KINDS)
def test_a_clause_file_that_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    library = tmp_path / "clausole"
    library.mkdir()
    _special(library / "strana.yaml", kind)
    result = runner.invoke(app, ["check", str(MELZO), "--libreria", str(library)])
    assert result.exit_code == 2 and "strana.yaml" in result.stderr, result.output


@pytest.mark.parametrize("kind", KINDS)
def test_a_logo_that_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    gara = copy_example(EXAMPLES / "melzo-servizi-persona", tmp_path / "gara")
    _special(gara / "logo.png", kind)
    spec = gara / "capitolato.yaml"
    text = spec.read_text(encoding="utf-8").replace("\nente:\n", "\nente:\n  logo: logo.png\n", 1)
    assert "logo: logo.png" in text
    spec.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["build", str(gara), "-o", str(tmp_path / "u")])
    assert result.exit_code == 2, result.output
    assert f"{spec}:{line_of(text, 'logo: logo.png')}:" in result.stderr and "logo" in result.stderr
    assert not (tmp_path / "u").exists() or not any((tmp_path / "u").iterdir())


@pytest.mark.parametrize("kind", KINDS)
def test_a_data_file_that_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    data = tmp_path / "dati.yaml"
    _special(data, kind)
    result = runner.invoke(app, ["new", str(tmp_path / "g"), "--preset", "servizi-persona-oepv", "--no-input",
                                 "--dati", str(data)])
    assert result.exit_code == 2 and f"{data}: errore:" in result.stderr, result.output
