"""Class 8 — editing the officer's file (`aggiungi-clausola`, `check --fix`): the edit lands in the file the
officer has (a symlink's target), with its mode, only if writable, keeping every line ending as it was, on CR-only
files and files ending with `...`, and two concurrent edits never both report success with one lost."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from capitolato.cli.app import app
from capitolato.scaffold.editor import split_lines
from capitolato.spec.yamlsource import load_yaml
from tests.conftest import EXAMPLES, copy_example
from tests.hardening.helpers import runner

CLAUSES = ("tutela-retribuzioni", "obblighi-legge-68")
CLAUSE = CLAUSES[0]


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    gara = copy_example(EXAMPLES / "melzo-servizi-persona", tmp_path / "gara")
    path = gara / "capitolato.yaml"
    text = path.read_text(encoding="utf-8")
    for clause in CLAUSES:
        text = text.replace(f"  - id: {clause}\n", "", 1)
    path.write_text(text, encoding="utf-8")
    assert not set(CLAUSES) & set(_ids(path))
    return path


def _add(path: Path) -> object:
    return runner.invoke(app, ["aggiungi-clausola", CLAUSE, str(path)])


def _ids(path: Path) -> list[str]:
    return [entry["id"] for entry in load_yaml(path).data.get("clausole", [])]


def test_a_symlinked_spec_stays_a_symlink_and_its_target_is_edited(spec: Path, tmp_path: Path) -> None:
    link = tmp_path / "collegamento.yaml"
    link.symlink_to(spec)
    result = _add(link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == spec.resolve()
    assert CLAUSE in _ids(spec)


def test_the_file_mode_is_kept(spec: Path) -> None:
    os.chmod(spec, 0o600)
    assert _add(spec).exit_code == 0
    assert stat.S_IMODE(spec.stat().st_mode) == 0o600


def test_a_read_only_spec_is_refused_and_left_alone(spec: Path) -> None:
    os.chmod(spec, 0o444)
    before = spec.read_bytes()
    result = _add(spec)
    assert result.exit_code == 2 and "sola lettura" in result.stderr, result.output
    assert spec.read_bytes() == before and stat.S_IMODE(spec.stat().st_mode) == 0o444


@pytest.mark.parametrize("endings", [["\r\n", "\n"], ["\r"], ["\n", "\r", "\r\n"], ["\r\n"]])
def test_line_endings_are_kept_line_by_line(spec: Path, endings: list[str]) -> None:
    lines, _ = split_lines(spec.read_text(encoding="utf-8"))
    mixed = "".join(line + endings[index % len(endings)] for index, line in enumerate(lines[:-1]))
    spec.write_bytes(mixed.encode("utf-8"))
    result = _add(spec)
    assert result.exit_code == 0, result.output
    after_lines, after_endings = split_lines(spec.read_bytes().decode("utf-8"))
    added = [index for index, line in enumerate(after_lines) if f"id: {CLAUSE}" in line]
    assert len(added) == 1
    rest = "".join(line + ending for index, (line, ending) in enumerate(zip(after_lines, after_endings))
                   if index not in added)
    assert rest == mixed
    assert CLAUSE in _ids(spec)


def test_a_document_end_marker_stays_last(spec: Path) -> None:
    text = spec.read_text(encoding="utf-8").rstrip("\n") + "\n...\n# dopo la fine del documento\n"
    spec.write_text(text, encoding="utf-8")
    result = _add(spec)
    assert result.exit_code == 0, result.output
    after = spec.read_text(encoding="utf-8")
    assert after.index(f"id: {CLAUSE}") < after.index("\n...\n")
    assert after.endswith("...\n# dopo la fine del documento\n") and CLAUSE in _ids(spec)


def test_check_fix_keeps_mode_and_symlink(spec: Path, tmp_path: Path) -> None:
    os.chmod(spec, 0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(spec)
    result = runner.invoke(app, ["check", str(link), "--fix"])
    assert "Traceback" not in result.output and result.exit_code in (0, 1), result.output
    assert link.is_symlink() and stat.S_IMODE(spec.stat().st_mode) == 0o640
    assert set(CLAUSES) & set(_ids(spec)), result.output


def test_an_edit_of_a_file_changed_meanwhile_is_refused(spec: Path, monkeypatch) -> None:
    """The lost-update race made deterministic: another edit lands between reading and writing."""
    from capitolato.scaffold import apply

    original = apply.edit_with

    def racing(path, entries, libraries=()):
        edit = original(path, entries, libraries)
        path.write_text(path.read_text(encoding="utf-8") + "# modifica di un altro\n", encoding="utf-8")
        return edit

    monkeypatch.setattr(apply, "edit_with", racing)
    result = _add(spec)
    assert result.exit_code == 2 and "modificato da un'altra esecuzione" in result.stderr, result.output
    assert spec.read_text(encoding="utf-8").endswith("# modifica di un altro\n")


def test_two_concurrent_edits_never_both_succeed_with_one_lost(spec: Path) -> None:
    clauses = list(CLAUSES)
    processes = [subprocess.Popen([sys.executable, "-m", "capitolato", "aggiungi-clausola", clause, str(spec)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for clause in clauses]
    codes = [process.wait(timeout=300) for process in processes]
    present = [clause for clause in clauses if clause in _ids(spec)]
    succeeded = [clause for clause, code in zip(clauses, codes) if code == 0]
    assert set(succeeded) <= set(present), (codes, present)
    assert all(code in (0, 2) for code in codes)
