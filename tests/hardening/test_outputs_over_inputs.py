"""Class 1 — outputs over inputs: no command writes over an existing file without --force, and none writes over
an input of the same run (spec, clause library, reference, logo, data file) even with it. One guard
(capitolato.fsutil) decides for every command; these tests go through each command that writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from capitolato import fsutil
from capitolato.cli.app import app
from capitolato.errors import OutputError
from tests.conftest import EXAMPLES, copy_example
from tests.hardening.helpers import runner, snapshot

MELZO_FOLDER = EXAMPLES / "melzo-servizi-persona"


@pytest.fixture
def gara(tmp_path: Path) -> Path:
    return copy_example(MELZO_FOLDER, tmp_path / "gara")


def _refused(result, text: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output and text in result.stderr, result.stderr


def _input_targets(gara: Path) -> list[Path]:
    """The spec itself, a hard link to it, a symlink to it and the same file through `..`."""
    spec = gara / "capitolato.yaml"
    hard = gara / "collegamento-fisico.yaml"
    os.link(spec, hard)
    soft = gara / "collegamento.yaml"
    soft.symlink_to(spec)
    return [spec, hard, soft, gara / ".." / gara.name / "capitolato.yaml"]


@pytest.mark.parametrize("command", [["check", "--format", "json"], ["export"]])
def test_a_report_never_lands_on_the_spec_even_with_force(gara: Path, command: list[str]) -> None:
    before = snapshot(gara)
    for target in _input_targets(gara):
        before = snapshot(gara)
        result = runner.invoke(app, [*command, str(gara), "-o", str(target), "--force"])
        _refused(result, "letto da questo stesso comando")
        assert snapshot(gara) == before


def test_an_existing_report_needs_force(gara: Path, tmp_path: Path) -> None:
    target = tmp_path / "gara.json"
    target.write_text("precedente")
    for command in (["check", "--format", "json"], ["export"]):
        _refused(runner.invoke(app, [*command, str(gara), "-o", str(target)]), "--force")
        assert target.read_text() == "precedente"
    assert runner.invoke(app, ["export", str(gara), "-o", str(target), "--force"]).exit_code == 0
    assert target.read_text().startswith("{")


def test_a_clause_file_of_the_library_is_an_input(gara: Path, tmp_path: Path) -> None:
    library = tmp_path / "clausole-ente"
    library.mkdir()
    clause = next((EXAMPLES.parent / "clauses").glob("*.yaml"))
    (library / clause.name).write_bytes(clause.read_bytes())
    before = (library / clause.name).read_bytes()
    result = runner.invoke(app, ["check", str(gara), "--libreria", str(library), "-o", str(library / clause.name),
                                 "--force"])
    _refused(result, "letto da questo stesso comando")
    assert (library / clause.name).read_bytes() == before


def test_build_never_writes_over_its_reference_or_logo(gara: Path, tmp_path: Path) -> None:
    """The documents' own names are chosen by capitolato, so the trap is an output folder holding an input with
    that very name: a reference .docx called like the document to be written."""
    out = tmp_path / "uscita"
    first = runner.invoke(app, ["build", str(gara), "-o", str(out)])
    assert first.exit_code == 0, first.output
    document = next(out.glob("capitolato-speciale_*.docx"))
    reference = document
    result = runner.invoke(app, ["build", str(gara), "-o", str(out), "--riferimento", str(reference), "--force"])
    _refused(result, "letto da questo stesso comando")


def test_new_never_writes_over_its_data_file(tmp_path: Path) -> None:
    folder = tmp_path / "nuova"
    folder.mkdir()
    data = folder / "capitolato.yaml"
    data.write_text("ente: Comune di Prova\noggetto: Servizi educativi\nimporto_base: 100000\n"
                    "costo_manodopera: 60000\n", encoding="utf-8")
    before = data.read_bytes()
    result = runner.invoke(app, ["new", str(folder), "--preset", "servizi-persona-oepv", "--no-input",
                                 "--dati", str(data), "--force"])
    _refused(result, "letto da questo stesso comando")
    assert data.read_bytes() == before


def test_the_guard_refuses_all_at_once_and_allows_new_files(tmp_path: Path) -> None:
    fsutil.begin_run()
    source = tmp_path / "ingresso.yaml"
    source.write_text("a: 1\n")
    existing = tmp_path / "esistente.txt"
    existing.write_text("x")
    with pytest.raises(OutputError) as caught:
        fsutil.guard_outputs([source, existing, tmp_path / "nuovo.txt"], force=False, inputs=[source])
    assert [p.location.file for p in caught.value.problems] == [str(source), str(existing)]
    fsutil.guard_outputs([existing, tmp_path / "nuovo.txt"], force=True, inputs=[source])


def test_new_files_follow_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o077)
    try:
        fsutil.atomic_write_bytes(tmp_path / "bozza.txt", b"riservato", force=False)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "bozza.txt").stat().st_mode) == 0o600


def test_build_outputs_follow_the_umask(gara: Path, tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        result = runner.invoke(app, ["build", str(gara), "--formato", "md", "-o", str(tmp_path / "u")])
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    modes = {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "u").iterdir()}
    assert modes == {0o640}


def test_exclusive_create_never_replaces_a_file_that_appeared(tmp_path: Path) -> None:
    """Without --force the final step is an exclusive create: a file that appeared after the check is kept."""
    target = tmp_path / "documento.md"
    with pytest.raises(OutputError) as caught:
        with fsutil.StagedWrites(force=False) as staged:
            staged.write(target, b"nuovo")
            target.write_bytes(b"comparso nel frattempo")
    assert "esiste già" in str(caught.value) or "comparso" in str(caught.value)
    assert target.read_bytes() == b"comparso nel frattempo"
    assert [p.name for p in tmp_path.iterdir()] == ["documento.md"]
