"""Heavy libraries load only in the command that writes or reads what needs them (issue 21: startup speed).

Word (python-docx, lxml), spreadsheets (openpyxl), charts (matplotlib) and PDF readers are imported when a .docx is
written or an audited file is read, never by `--help`, `check` on a spec, `validate`, `rules` or `clauses`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import MELZO, REPO

HEAVY = ("docx", "lxml", "matplotlib", "openpyxl", "pypdfium2", "pdfplumber", "pypdf", "duckdb")

# Runs the CLI in this process, then prints the top-level packages it imported (also when the command exits).
PROBE = """
import atexit, json, sys
atexit.register(lambda: print("\\nMODULES " + json.dumps(sorted(sys.modules))))
sys.argv = ["capitolato", *sys.argv[1:]]
from capitolato.cli.app import main
main()
"""


def imported_by(*arguments: str) -> set[str]:
    """The top-level packages a run of the CLI imports."""
    return {name.split(".")[0] for name in modules_of(*arguments)}


def modules_of(*arguments: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, *arguments], capture_output=True, text=True, cwd=REPO,
                            check=False, env={"PATH": "/usr/bin:/bin", "COLUMNS": "100", "CAPITOLATO_NO_CACHE": "1"})
    assert result.returncode in (0, 1), result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


@pytest.mark.parametrize("arguments", [
    ("--help",),
    ("check", "-q", str(MELZO.parent)),
    ("validate", str(MELZO)),
    ("rules", "list"),
    ("clauses", "list"),
    ("osservatorio", "--help"),
], ids=["help", "check", "validate", "rules", "clauses", "osservatorio-help"])
def test_heavy_libraries_are_not_imported(arguments: tuple[str, ...]) -> None:
    assert imported_by(*arguments) & set(HEAVY) == set()


@pytest.mark.parametrize("arguments, command_module", [
    (("--help",), None),
    (("validate", str(MELZO)), "validate_cmd"),
    (("rules", "list"), "rules_cmd"),
    (("check", "-q", str(MELZO.parent)), "check_cmd"),
], ids=["help", "validate", "rules", "check"])
def test_a_run_imports_only_the_module_of_its_command(arguments: tuple[str, ...], command_module: str | None) -> None:
    """The list of commands comes from data/comandi.json: `--help` imports no command module, a command only its
    own."""
    commands = {name.rsplit(".", 1)[1] for name in modules_of(*arguments)
                if name.startswith("capitolato.cli.") and name.endswith("_cmd")}
    assert commands == ({command_module} if command_module else set())


def test_the_probe_sees_a_heavy_library_when_a_docx_is_written(tmp_path) -> None:
    modules = imported_by("build", str(MELZO.parent), "-o", str(tmp_path / "out"), "--formato", "docx", "-q")
    assert {"docx", "lxml"} <= modules


def test_only_the_observatory_pays_for_its_database(tmp_path) -> None:
    modules = imported_by("osservatorio", str(MELZO.parent), "-o", str(tmp_path / "out"), "-q", "-j", "1")
    assert {"duckdb", "matplotlib", "docx"} <= modules


def test_one_tender_starts_no_worker_machinery() -> None:
    """Worker processes are for batches: checking one tender does not import multiprocessing (issue 21)."""
    assert "multiprocessing" not in imported_by("check", "-q", str(MELZO.parent))


def test_the_index_of_commands_is_up_to_date() -> None:
    """Each summary of data/comandi.json is the first paragraph of its command's help, and every command module
    of capitolato/cli is in the index."""
    from capitolato.cli.commands import index, load, summary

    assert {name: summary(load(name)) for name in index()} == {name: e["sintesi"] for name, e in index().items()}, \
        "data/comandi.json non aggiornato: python -m capitolato.cli.commands"
    modules = {path.stem for path in (REPO / "capitolato" / "cli").glob("*_cmd.py")
               if "def register(" in path.read_text(encoding="utf-8")}
    assert modules == {entry["modulo"] for entry in index().values()}


# Checks Melzo (a tender under the Code) in a fresh process, then says whether the shared-administration model was built.
SHARED_PROBE = """
import sys
from capitolato import load_library, load_spec
from capitolato.model.shared_admin import SharedAdministration
from capitolato.rules import check_and_assemble
from capitolato.spec.load import spec_libraries
spec = load_spec(sys.argv[1])
check_and_assemble(spec, load_library(spec_libraries(spec)))
print(SharedAdministration.__pydantic_complete__)
"""


def test_a_tender_under_the_code_never_builds_the_shared_administration_model() -> None:
    """Building that validator costs ~15 ms of a fresh `check`; only the shared-administration routes need it."""
    result = subprocess.run([sys.executable, "-c", SHARED_PROBE, str(MELZO)], capture_output=True, text=True,
                            cwd=REPO, check=True, env={"PATH": "/usr/bin:/bin", "CAPITOLATO_NO_CACHE": "1"})
    assert result.stdout.strip() == "False"
