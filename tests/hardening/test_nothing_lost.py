"""Faults while writing: the previous outputs and the user's spec survive, no temporary file is left, and the
command ends with a clear Italian message and exit 2."""

from __future__ import annotations

import errno
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from capitolato import fsutil
from capitolato.document.build import build
from capitolato.errors import RenderError, single
from capitolato.render import docx as docx_renderer
from capitolato.cli.app import app
from capitolato.spec.load import load_spec
from tests.conftest import MELZO, with_clauses
from tests.hardening.helpers import runner, snapshot

DISK_FULL = OSError(errno.ENOSPC, "No space left on device")
READ_ONLY = PermissionError(errno.EACCES, "Permission denied")


def failing_on(call: int, original: Callable[..., Any], fault: BaseException) -> Callable[..., Any]:
    """`original`, except that its `call`-th call raises `fault` (the calls before it succeed)."""
    calls = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == call:
            raise fault
        return original(*args, **kwargs)

    return wrapper


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(".") or p.name.endswith((".tmp", ".part"))]


def assert_exit_2(result: Any, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and ": errore: " in result.stderr
    assert message in result.stderr, result.stderr


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """The Melzo example built once as docx and markdown: (spec, output folder, its files' bytes)."""
    spec = tmp_path / "gara" / "capitolato.yaml"
    spec.parent.mkdir()
    shutil.copy(MELZO, spec)
    out_dir = tmp_path / "uscita"
    result = runner.invoke(app, ["build", str(spec), "--formato", "docx", "--formato", "md", "-o", str(out_dir)])
    assert result.exit_code == 0, result.output
    outputs = snapshot(out_dir)
    assert len(outputs) == 4
    for path in out_dir.iterdir():
        path.write_bytes(b"versione precedente di " + path.name.encode())
    return spec, out_dir, snapshot(out_dir)


def rebuild(spec: Path, out_dir: Path) -> Any:
    return runner.invoke(app, ["build", str(spec), "--formato", "docx", "--formato", "md", "--force",
                               "-o", str(out_dir)])


def test_a_render_failure_on_the_second_document_keeps_every_previous_output(built, monkeypatch) -> None:
    spec, out_dir, before = built
    fault = single(RenderError, "riferimento.docx", "documento di riferimento illeggibile")
    monkeypatch.setattr(docx_renderer, "render_docx", failing_on(2, docx_renderer.render_docx, fault))
    assert_exit_2(rebuild(spec, out_dir), "documento di riferimento illeggibile")
    assert snapshot(out_dir) == before and not temporaries(out_dir)


def test_a_build_killed_midway_keeps_every_previous_output(built, monkeypatch) -> None:
    spec, out_dir, before = built
    monkeypatch.setattr(docx_renderer, "render_docx",
                        failing_on(2, docx_renderer.render_docx, KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        build(load_spec(spec), out_dir, ["docx", "md"], force=True)
    assert snapshot(out_dir) == before and not temporaries(out_dir)


@pytest.mark.parametrize("call", [1, 3], ids=["primo-file", "terzo-file"])
def test_disk_full_while_writing_keeps_every_previous_output(built, monkeypatch, call: int) -> None:
    spec, out_dir, before = built
    monkeypatch.setattr(fsutil.os, "fsync", failing_on(call, fsutil.os.fsync, DISK_FULL))
    assert_exit_2(rebuild(spec, out_dir), "impossibile scrivere il file: spazio su disco esaurito")
    assert snapshot(out_dir) == before and not temporaries(out_dir)


@pytest.mark.parametrize(("target", "attribute"), [(fsutil.tempfile, "mkstemp"), (fsutil.os, "replace")],
                         ids=["crea-temporaneo", "rinomina"])
def test_read_only_output_folder_is_a_clear_error(built, monkeypatch, target: Any, attribute: str) -> None:
    spec, out_dir, before = built
    monkeypatch.setattr(target, attribute, failing_on(1, getattr(target, attribute), READ_ONLY))
    assert_exit_2(rebuild(spec, out_dir), "impossibile scrivere il file: permesso di scrittura negato")
    assert snapshot(out_dir) == before and not temporaries(out_dir)


def test_output_folder_that_cannot_be_created_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(Path, "mkdir", failing_on(1, Path.mkdir, READ_ONLY))
    result = runner.invoke(app, ["build", str(MELZO), "--formato", "md", "-o", str(tmp_path / "nuova")])
    assert_exit_2(result, "impossibile creare la cartella di uscita: permesso di scrittura negato")


def test_output_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    occupied = tmp_path / "uscita"
    occupied.write_text("non toccare", encoding="utf-8")
    result = runner.invoke(app, ["build", str(MELZO), "--formato", "md", "-o", str(occupied)])
    assert_exit_2(result, "il percorso di uscita è un file, non una cartella")
    assert occupied.read_text(encoding="utf-8") == "non toccare"


def test_existing_outputs_are_not_overwritten_without_force(built) -> None:
    spec, out_dir, before = built
    result = runner.invoke(app, ["build", str(spec), "--formato", "docx", "--formato", "md", "-o", str(out_dir)])
    assert_exit_2(result, "il file esiste già: usare --force per sovrascriverlo")
    assert snapshot(out_dir) == before


@pytest.mark.parametrize("command", [
    ["export", "--formato", "ocds", "-o", "{out}/gara.ocds.json"],
    ["check", "--format", "json", "-o", "{out}/rapporto.json"],
], ids=["export", "check"])
def test_reports_on_a_full_disk_are_a_clear_error(tmp_path: Path, monkeypatch, command: list[str]) -> None:
    out_dir = tmp_path / "uscita"
    out_dir.mkdir()
    monkeypatch.setattr(fsutil.os, "fsync", failing_on(1, fsutil.os.fsync, DISK_FULL))
    result = runner.invoke(app, [command[0], str(MELZO), *[part.format(out=out_dir) for part in command[1:]]])
    assert_exit_2(result, "spazio su disco esaurito")
    assert not list(out_dir.iterdir())


@pytest.mark.parametrize("fault", [DISK_FULL, READ_ONLY], ids=["disco-pieno", "sola-lettura"])
def test_add_clause_with_a_failing_disk_leaves_the_spec_untouched(tmp_path: Path, monkeypatch,
                                                                  fault: OSError) -> None:
    spec = tmp_path / "capitolato.yaml"
    spec.write_text(with_clauses(MELZO.read_text(encoding="utf-8"), "# le clausole\nclausole:\n"
                                 "  - id: tutela-retribuzioni   # art. 11\n"), encoding="utf-8")
    before = snapshot(tmp_path)
    monkeypatch.setattr(fsutil.os, "fsync", failing_on(1, fsutil.os.fsync, fault))
    result = runner.invoke(app, ["aggiungi-clausola", "revisione-prezzi", str(spec), "--set", "indici=[ISTAT FOI]"])
    assert_exit_2(result, "impossibile scrivere il file")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("fault", [DISK_FULL, READ_ONLY], ids=["disco-pieno", "sola-lettura"])
def test_new_with_a_failing_disk_keeps_other_files_and_leaves_no_temporary(tmp_path: Path, monkeypatch,
                                                                           fault: OSError) -> None:
    folder = tmp_path / "gara"
    folder.mkdir()
    (folder / "appunti.txt").write_text("note dell'ufficio", encoding="utf-8")
    monkeypatch.setattr(fsutil.os, "fsync", failing_on(2, fsutil.os.fsync, fault))
    result = runner.invoke(app, ["new", str(folder), "--preset", "coprogettazione-art55", "--no-input", "--force",
                                 "--set", "ente=Comune di Prova", "--set", "oggetto=Progetto di comunità",
                                 "--set", "importo_base=300000", "--set", "durata_mesi=24"])
    assert_exit_2(result, "impossibile scrivere il file")
    assert (folder / "appunti.txt").read_text(encoding="utf-8") == "note dell'ufficio"
    assert not temporaries(folder)
