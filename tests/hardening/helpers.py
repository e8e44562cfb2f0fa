"""Running the commands on a bad input and asserting the one acceptable outcome: located errors, exit 2, no trace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import Result
from ruamel.yaml import YAML
from typer.testing import CliRunner

from capitolato.cli.app import app
from capitolato.errors import CapitolatoError

runner = CliRunner()

COMMANDS = ("validate", "check", "build")


def invoke(command: str, spec: Path, out_dir: Path) -> Result:
    """One command on one spec; `build` writes (if it ever does) into `out_dir`, as markdown to stay fast."""
    arguments = [command, str(spec)]
    if command == "build":
        arguments += ["--formato", "md", "-o", str(out_dir)]
    return runner.invoke(app, arguments)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes, to prove a failed command changed nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_rejected(result: Result, spec: Path, *, lines: list[set[int]] = (), text: str = "") -> list[str]:
    """Exit 2, no traceback, at least one `file:line:column: errore:` line for `spec`, and one on a line of each
    set in `lines` (a node's own line or its parent's, where a list is reported as a whole)."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    located = [line for line in result.stderr.splitlines() if line.startswith(f"{spec}:") and ": errore: " in line]
    assert located, result.stderr
    reported = {int(line[len(str(spec)) + 1:].split(":", 1)[0]) for line in located}
    missing = [sorted(options) for options in lines if not options & reported]
    assert not missing, (missing, result.stderr[:3000])
    assert text in result.stderr, result.stderr[:3000]
    return located


def assert_located(error: CapitolatoError) -> None:
    """Every problem of a library error points at a file (a spec, a clause, a template, an output)."""
    assert error.problems
    for problem in error.problems:
        assert problem.location.file and not problem.location.file.startswith("<"), problem
        assert problem.message.strip(), problem


def node_lines(text: str, paths: list[tuple[str | int, ...]]) -> list[set[int]]:
    """For each node, its 1-based line and its parent's, read with ruamel independently of capitolato's locator."""
    root: Any = YAML(typ="rt").load(text)
    found = []
    for path in paths:
        node, lines = root, [0]
        for part in path:
            lines.append((node.lc.item(part) if isinstance(part, int) else node.lc.value(part))[0] + 1)
            node = node[part]
        found.append(set(lines[-2:]))
    return found
