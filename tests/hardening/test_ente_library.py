"""A library from another ente is untrusted: its texts only render text, and nothing lands outside the output folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from capitolato import templating
from capitolato.cli.app import app
from tests.conftest import MELZO, with_clauses
from tests.hardening.helpers import assert_rejected, runner, snapshot

ENTE_CLAUSE = "clausola-ente"
USE = f"clausole:\n  - id: {ENTE_CLAUSE}\n    parametri:\n      referente: Ufficio di Piano\n"

HOSTILE_TEXTS = {
    "classe": "{{ ente.__class__ }}",
    "mro": "{{ ente.nome.__class__.__mro__[1].__subclasses__() }}",
    "globals": "{{ rif.__globals__ }}",
    "globals-lipsum": "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "muta-sezione": "{{ ente.update({'nome': 'altro'}) }}",
    "muta-elenco": "{{ procedura.cpv.append('00000000') }}",
    "open": "{{ open('/etc/passwd').read() }}",
    "include": "{% include '/etc/passwd' %}",
    "import": "{% import 'os' as os %}{{ os.system('id') }}",
    "extends": "{% extends '/etc/passwd' %}",
    "ciclo-infinito": "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "ciclo-su-elenco": "{% set r = range(1000)|list %}{% for a in r %}{% for b in r %}{% for c in r %}"
                       "{% endfor %}{% endfor %}{% endfor %}",
    "testo-enorme": "{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}",
    "stringa-enorme": "{{ 'x' * 10**10 }}",
    "centra-enorme": "{{ 'x'.center(10**12) }}",
    "potenza-enorme": "{{ 2 ** 100000000 }}",
    "ricorsione": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
}


@pytest.mark.parametrize("case", list(HOSTILE_TEXTS), ids=list(HOSTILE_TEXTS))
def test_hostile_clause_text_is_rejected_naming_the_clause(tmp_path: Path, ente_library, monkeypatch,
                                                           case: str) -> None:
    monkeypatch.setattr(templating, "MAX_SECONDS", 0.2)
    folder, write = ente_library
    clause_file = write(ENTE_CLAUSE, text="  " + HOSTILE_TEXTS[case])
    spec = tmp_path / "gara" / "capitolato.yaml"
    spec.parent.mkdir()
    spec.write_text(with_clauses(MELZO.read_text(encoding="utf-8"), USE), encoding="utf-8")
    out_dir = tmp_path / "uscita"
    before = snapshot(tmp_path)
    result = runner.invoke(app, ["build", str(spec), "--libreria", str(folder), "--bozza", "--formato", "md",
                                 "-o", str(out_dir)])
    assert_rejected(result, clause_file, text=f"clausola «{ENTE_CLAUSE}»")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("clause_id", ["../../etc/passwd", "/etc/passwd", "..", "a/b"])
def test_clause_ids_cannot_be_paths(tmp_path: Path, clause_id: str) -> None:
    spec = tmp_path / "capitolato.yaml"
    spec.write_text(with_clauses(MELZO.read_text(encoding="utf-8"), f'clausole:\n  - id: "{clause_id}"\n'),
                    encoding="utf-8")
    result = runner.invoke(app, ["validate", str(spec)])
    assert_rejected(result, spec, text="id di clausola non valido")


def test_an_ente_clause_whose_id_is_a_path_is_a_located_library_error(tmp_path: Path, ente_library) -> None:
    folder, write = ente_library
    path = write("evasione")
    path.write_text(path.read_text(encoding="utf-8").replace("id: evasione", "id: ../../evasione"), encoding="utf-8")
    result = runner.invoke(app, ["clauses", "lint", str(folder)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert f"{path}:1:" in result.stderr + result.stdout


@pytest.mark.parametrize("subject", ["../../etc/passwd", "/etc/passwd", "Servizi a/b \\ c", "..", "…", "~/.bashrc",
                                     "C:\\Windows\\system32", "con\ttab"])
def test_names_from_the_spec_stay_inside_the_output_folder(tmp_path: Path, subject: str) -> None:
    text = MELZO.read_text(encoding="utf-8")
    original = next(line for line in text.splitlines() if line.startswith("  oggetto:"))
    spec = tmp_path / "gara" / "capitolato.yaml"
    spec.parent.mkdir()
    spec.write_text(text.replace(original, f'  oggetto: "{subject.encode("unicode_escape").decode()}"'),
                    encoding="utf-8")
    out_dir = tmp_path / "uscita"
    before = snapshot(tmp_path)
    result = runner.invoke(app, ["build", str(spec), "--bozza", "--formato", "md", "-o", str(out_dir)])
    after = snapshot(tmp_path)
    new_files = {tmp_path / name for name in set(after) - set(before)}
    assert all(path.parent == out_dir for path in new_files), new_files
    assert {name: data for name, data in after.items() if not (tmp_path / name).is_relative_to(out_dir)} == before
    assert result.exit_code == 0 and new_files, result.output
