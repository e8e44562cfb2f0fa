"""The result cache of `capitolato check` (capitolato/cli/check_cache.py): a hit prints what the miss printed, with
the same exit code, without running the check; any input that changes the result misses (issue 21)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.cli import check_cache, check_cmd  # noqa: I001 — the app first: it registers the commands
from tests.conftest import MELZO, REPO, copy_example
from tests.library.clause_fixtures import ente_library  # noqa: F401 — the fixture

runner = CliRunner()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache turned on (tests/conftest.py turns it off), in a folder of this test."""
    monkeypatch.delenv("CAPITOLATO_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "capitolato" / "controlli"


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per check that really ran (a hit does not run it)."""
    calls: list[int] = []
    original = check_cmd._check

    def counted(**arguments: object) -> None:
        calls.append(1)
        original(**arguments)

    monkeypatch.setattr(check_cmd, "_check", counted)
    return calls


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return copy_example(MELZO.parent, tmp_path / "gara") / "capitolato.yaml"


def check(*arguments: object):
    return runner.invoke(app, ["check", *map(str, arguments)])


def test_a_hit_prints_the_same_and_exits_the_same(cache: Path, runs: list[int], spec: Path) -> None:
    spec.write_text(spec.read_text(encoding="utf-8").replace("  punti_economici: 20\n", "  punti_economici: 40\n"),
                    encoding="utf-8")
    first, second = check(spec, "--fail-on", "warning"), check(spec, "--fail-on", "warning")
    assert first.exit_code == 1 and "AWD" in first.output
    assert (second.exit_code, second.output) == (first.exit_code, first.output)
    assert len(runs) == 1 and len(list(cache.glob("*.entry"))) == 1


def test_json_report_hit_is_the_same_report(cache: Path, runs: list[int], spec: Path) -> None:
    first, second = check(spec, "--format", "json"), check(spec, "--format", "json")
    assert json.loads(second.stdout) == json.loads(first.stdout) and second.stdout == first.stdout
    assert second.exit_code == first.exit_code == 0 and len(runs) == 1


def test_the_spec_an_option_or_the_date_change_the_key(cache: Path, runs: list[int], spec: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    check(spec)
    spec.write_text(spec.read_text(encoding="utf-8") + "# nota\n", encoding="utf-8")
    check(spec)
    check(spec, "--select", "AWD")
    check(spec, "--ignore", "AWD")
    check(spec, "--format", "json")
    check(spec, "--fail-on", "info")
    monkeypatch.setenv("CAPITOLATO_DEBUG", "1")
    check(spec)
    monkeypatch.setattr(check_cache.time, "strftime", lambda _pattern: "2099-01-01")
    check(spec)
    assert len(runs) == 8
    check(spec)
    assert len(runs) == 8


def test_a_configuration_file_or_project_marker_above_the_spec_changes_the_key(cache: Path, runs: list[int],
                                                                               spec: Path) -> None:
    check(spec)
    (spec.parent / "capitolato.toml").write_text('ignore = ["AWD"]\n', encoding="utf-8")
    check(spec)
    (spec.parent.parent / ".git").mkdir()
    check(spec)
    assert len(runs) == 3


def test_the_ente_library_of_the_spec_is_compared_on_every_hit(cache: Path, runs: list[int], spec: Path,
                                                                ente_library) -> None:  # noqa: F811
    folder, write = ente_library
    write("clausola-ente")
    spec.write_text(spec.read_text(encoding="utf-8") + f"libreria: {folder}\n", encoding="utf-8")
    first, second = check(spec), check(spec)
    assert len(runs) == 1 and second.output == first.output
    write("clausola-ente", title="Clausola dell'ente, rivista")
    check(spec)
    assert len(runs) == 2
    (folder / "clausola-rotta.yaml").write_text("id: [\n", encoding="utf-8")
    broken = check(spec)
    assert len(runs) == 3 and broken.exit_code == 2 and "clausola-rotta.yaml" in broken.output


def test_the_tool_own_files_change_the_key(cache: Path, runs: list[int], spec: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "pacchetto"
    (package / "clauses").mkdir(parents=True)
    (package / "clauses" / "a.yaml").write_text("id: a\n", encoding="utf-8")
    monkeypatch.setattr(check_cache, "PACKAGE", package)
    check(spec)
    check(spec)
    (package / "clauses" / "a.yaml").write_text("id: a-rivista\n", encoding="utf-8")
    check(spec)
    assert len(runs) == 2


def test_a_corrupted_entry_is_ignored_and_rewritten(cache: Path, runs: list[int], spec: Path) -> None:
    first = check(spec)
    (entry,) = cache.glob("*.entry")
    entry.write_bytes(b"\x00rotto")
    second = check(spec)
    third = check(spec)
    assert second.output == third.output == first.output and len(runs) == 2
    assert entry.read_bytes() != b"\x00rotto"


def test_input_errors_are_not_stored(cache: Path, runs: list[int], spec: Path) -> None:
    spec.write_text("ente: [\n", encoding="utf-8")
    assert check(spec).exit_code == 2
    assert check(spec).exit_code == 2
    assert len(runs) == 2 and not list(cache.glob("*.entry"))


def test_only_the_plain_check_of_one_spec_is_cached(cache: Path, runs: list[int], spec: Path,
                                                    tmp_path: Path) -> None:
    other = copy_example(MELZO.parent, tmp_path / "altra") / "capitolato.yaml"
    check(spec, other)
    check(spec, "--diff")
    check(spec, "-o", tmp_path / "rapporto.txt")
    assert not cache.exists() or not list(cache.glob("*.entry"))


def test_the_variable_turns_it_off(cache: Path, runs: list[int], spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAPITOLATO_NO_CACHE", "1")
    check(spec)
    check(spec)
    assert len(runs) == 2 and not cache.exists()


def test_old_entries_are_evicted(cache: Path, spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check_cache, "MAX_ENTRIES", 2)
    for code in ("AWD", "ESE", "GOV"):
        check(spec, "--select", code)
    assert len(list(cache.glob("*.entry"))) == 2


PROBE = """
import atexit, json, sys
atexit.register(lambda: print("\\nMODULES " + json.dumps(sorted(sys.modules))))
sys.argv = ["capitolato", *sys.argv[1:]]
from capitolato.cli.app import main
main()
"""


def _run(spec: Path, xdg: Path) -> tuple[int, str, str, set[str]]:
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "100", "XDG_CACHE_HOME": str(xdg), "HOME": str(xdg)}
    result = subprocess.run([sys.executable, "-c", PROBE, "check", str(spec)], capture_output=True, text=True,
                            cwd=REPO, check=False, env=env)
    printed, _, modules = result.stdout.rpartition("\nMODULES ")
    return result.returncode, printed, result.stderr, set(json.loads(modules))


def test_a_cached_check_imports_neither_models_nor_templates_nor_rules(spec: Path, tmp_path: Path) -> None:
    """What a hit imports beyond a bare Typer command: not pydantic, Jinja, markdown-it, our models or rules."""
    miss, hit = _run(spec, tmp_path / "xdg"), _run(spec, tmp_path / "xdg")
    assert hit[:3] == miss[:3] and hit[0] == 0
    assert {"jinja2", "markdown_it", "capitolato.rules", "capitolato.model.tender"} <= miss[3]
    bare = subprocess.run([sys.executable, "-c", "import sys, typer\napp = typer.Typer()\n@app.command()\n"
                           "def main(p: str) -> None: pass\nsys.argv = ['x', 'p']\ntry:\n    app()\nfinally:\n"
                           "    print(' '.join(sorted(sys.modules)))"], capture_output=True, text=True,
                          env={"PATH": os.environ.get("PATH", "")}, check=False).stdout.split()
    heavy = {"pydantic", "jinja2", "markdown_it", "ruamel", "capitolato.rules", "capitolato.model.tender",
             "capitolato.spec", "capitolato.library", "capitolato.document"} - set(bare)
    assert hit[3] & heavy == set()
