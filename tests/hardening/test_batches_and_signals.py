"""Class 2 — batches that lose tenders — and class 7 — signals. A batch never lets two tenders share an output
folder; two runs writing one folder never both succeed; Ctrl-C or SIGTERM during `build -j 2` stops promptly,
terminates the workers, leaves no hidden temporary and says what was written (exit 130 / 143)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from capitolato.cli.app import EXIT_SIGINT, EXIT_SIGTERM, app
from capitolato.fsutil import folder_lock
from tests.conftest import EXAMPLES, copy_example
from tests.hardening.helpers import runner, snapshot

MELZO_FOLDER = EXAMPLES / "melzo-servizi-persona"


def test_same_folder_name_in_different_parents_is_an_error_before_writing(tmp_path: Path) -> None:
    first = copy_example(MELZO_FOLDER, tmp_path / "ambito-a" / "gara")
    second = copy_example(MELZO_FOLDER, tmp_path / "ambito-b" / "gara")
    out = tmp_path / "uscita"
    result = runner.invoke(app, ["build", str(first), str(second), "--formato", "md", "-o", str(out), "-j", "1"])
    assert result.exit_code == 2, result.output
    assert "stessa cartella" in result.stderr
    assert str(first / "capitolato.yaml") in result.stderr and str(second / "capitolato.yaml") in result.stderr
    assert not out.exists() or snapshot(out) == {}


def test_two_specs_of_one_folder_would_share_build(tmp_path: Path) -> None:
    gara = copy_example(MELZO_FOLDER, tmp_path / "gara")
    twin = gara / "variante.yaml"
    twin.write_bytes((gara / "capitolato.yaml").read_bytes())
    result = runner.invoke(app, ["build", str(gara / "capitolato.yaml"), str(twin), "--formato", "md"])
    assert result.exit_code == 2 and "stessa cartella" in result.stderr
    assert not (gara / "build").exists()


def test_distinct_tenders_of_a_batch_each_get_their_folder(tmp_path: Path) -> None:
    first = copy_example(MELZO_FOLDER, tmp_path / "gare" / "uno")
    second = copy_example(MELZO_FOLDER, tmp_path / "gare" / "due")
    out = tmp_path / "uscita"
    result = runner.invoke(app, ["build", str(tmp_path / "gare"), "--formato", "md", "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["due", "uno"] and "2 gare generate" in result.stderr
    assert first.exists() and second.exists()


def test_a_folder_another_run_is_writing_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "uscita"
    out.mkdir()
    with folder_lock(out):
        result = runner.invoke(app, ["build", str(MELZO_FOLDER), "--formato", "md", "-o", str(out), "--force"])
    assert result.exit_code == 2 and "un'altra esecuzione" in result.stderr, result.output
    assert list(out.iterdir()) == []


def test_two_concurrent_builds_into_one_folder_never_both_succeed(tmp_path: Path) -> None:
    out = tmp_path / "uscita"
    command = [sys.executable, "-m", "capitolato", "build", str(MELZO_FOLDER), "--formato", "md", "-o", str(out)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    codes = sorted(process.wait(timeout=300) for process in processes)
    assert codes == [0, 2], codes
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def _batch(tmp_path: Path, count: int = 6) -> Path:
    for index in range(count):
        copy_example(MELZO_FOLDER, tmp_path / "gare" / f"gara-{index}")
    return tmp_path / "gare"


def _wait_for_first_document(out: Path, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """The signal is sent while the workers are busy: after the first tender is written, whatever the machine's speed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if out.exists() and next(out.rglob("*.md"), None) is not None:
            return
        time.sleep(0.05)


def _session_processes(session: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize(("signum", "code", "whole_group"), [(signal.SIGINT, EXIT_SIGINT, True),
                                                            (signal.SIGTERM, EXIT_SIGTERM, False)])
def test_a_signal_stops_a_parallel_build_cleanly(tmp_path: Path, signum: int, code: int, whole_group: bool) -> None:
    """Ctrl-C reaches the whole foreground group (parent and workers); SIGTERM only the parent."""
    gare = _batch(tmp_path, count=30)
    out = tmp_path / "uscita"
    process = subprocess.Popen([sys.executable, "-m", "capitolato", "build", str(gare), "-o", str(out), "-j", "2",
                                "--formato", "docx", "--formato", "html", "--formato", "md"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               env={**os.environ, "CI": "true"})
    _wait_for_first_document(out, process)
    if whole_group:
        os.killpg(process.pid, signum)
    else:
        os.kill(process.pid, signum)
    started = time.monotonic()
    _, stderr = process.communicate(timeout=60)
    assert time.monotonic() - started < 20
    if process.returncode == 0:
        pytest.skip("la generazione è finita prima del segnale (macchina molto veloce)")
    assert process.returncode == code, stderr.decode()
    text = stderr.decode()
    assert "Traceback" not in text and ("interrotto" in text or "terminato" in text), text
    deadline = time.monotonic() + 10
    while _session_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _session_processes(process.pid) == []
    files = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    leftovers = [p for p in files if p.name.startswith(".") and p.name.endswith(".tmp")]
    written = [p for p in files if p not in leftovers]
    assert len(written) == 0 or "file scritti" in text
    assert leftovers == []
    assert [path for path in written if str(path) not in text] == []


def test_a_sigterm_lost_in_an_unraisable_callback_is_sent_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A SIGTERM raised inside importlib's lock cleanup would be printed as «Exception ignored … Traceback» and
    lost: the worker's hook sends it again instead, and leaves every other unraisable to Python's own hook."""
    from types import SimpleNamespace

    from capitolato import batch

    sent: list[tuple[int, int]] = []
    shown: list[object] = []
    monkeypatch.setattr(batch.os, "kill", lambda pid, signum: sent.append((pid, signum)))
    monkeypatch.setattr(batch.sys, "__unraisablehook__", shown.append)
    batch._unraisable(SimpleNamespace(exc_value=batch.WorkerTerminated()))
    assert sent == [(os.getpid(), signal.SIGTERM)] and shown == []
    other = SimpleNamespace(exc_value=ValueError("altro"))
    batch._unraisable(other)
    assert sent == [(os.getpid(), signal.SIGTERM)] and shown == [other]


def test_a_signal_during_a_commit_waits_for_the_files_to_be_in_place_and_recorded(tmp_path: Path) -> None:
    """Ctrl-C arriving while the staged files are renamed is raised after the last rename and its record, never
    between a temporary and its destination."""
    from capitolato import fsutil

    fsutil.begin_run()
    targets = [tmp_path / f"documento-{n}.md" for n in range(3)]
    with pytest.raises(KeyboardInterrupt):
        with fsutil.StagedWrites(force=True) as staged:
            for target in targets:
                staged.write(target, b"testo")
            os.kill(os.getpid(), signal.SIGINT)  # delivered now, outside the commit: the writes are discarded
    assert sorted(tmp_path.iterdir()) == [] and fsutil.written_files() == []
    finished = False
    with pytest.raises(KeyboardInterrupt):
        with fsutil.signals_held():
            os.kill(os.getpid(), signal.SIGINT)  # arrives while the files are staged and renamed: it waits
            with fsutil.StagedWrites(force=True) as staged:
                for target in targets:
                    staged.write(target, b"testo")
            finished = True
    assert finished and sorted(tmp_path.iterdir()) == targets
    assert fsutil.written_files() == [str(t) for t in targets]


def test_the_journal_of_a_worker_lists_what_it_put_in_place(tmp_path: Path) -> None:
    """The parent reads the journals of the workers it stopped: the files they wrote are reported."""
    from capitolato import fsutil

    journals = tmp_path / "giornali"
    journals.mkdir()
    pid = os.fork()
    if pid == 0:
        fsutil.keep_journal(journals / "lavoratore")
        fsutil.atomic_write_bytes(tmp_path / "a.md", b"a")
        fsutil.atomic_write_bytes(tmp_path / "b\nstrano.md", b"b")
        os._exit(0)
    os.waitpid(pid, 0)
    assert fsutil.read_journals(journals) == [str(tmp_path / "a.md"), str(tmp_path / "b\nstrano.md")]
