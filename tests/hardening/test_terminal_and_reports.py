"""Class 9 — terminal and report output: whatever a path or a YAML key holds reaches the terminal literally and
inert, reports stay valid files, and a standard output that is full or closed is a message, never a traceback or
a silent exit 0. Plus the exit-code contract of the one error edge (internal error: 70, never 1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capitolato.cli.app import EXIT_INTERNAL, app
from capitolato.cli.output import lit
from capitolato.model.characters import neutralise, xml_safe
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.report import Outcome, to_junit, to_sarif
from capitolato.errors import Location
from tests.conftest import EXAMPLES, MELZO, copy_example
from tests.hardening.helpers import runner

CLI = [sys.executable, "-m", "capitolato"]


def _cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([*CLI, *args], stderr=subprocess.PIPE, env=env, timeout=120, **kwargs)


@pytest.mark.parametrize("name", ["gara [/x]", "gara [bold]rossa[/bold]", "gara [link=file:///etc]x[/link]"])
def test_a_path_with_markup_is_printed_as_it_is(tmp_path: Path, name: str) -> None:
    gara = copy_example(EXAMPLES / "melzo-servizi-persona", tmp_path / name)
    result = runner.invoke(app, ["build", str(gara), "--formato", "md"])
    assert result.exit_code == 0, result.output
    assert f"✓ {gara / 'build'}" in result.stderr
    validated = runner.invoke(app, ["validate", str(gara)])
    assert f"{gara / 'capitolato.yaml'}: spec valido" in validated.stderr


def test_escape_sequences_in_a_yaml_key_never_reach_the_terminal(write_spec) -> None:
    text = MELZO.read_text(encoding="utf-8").rstrip("\n") + '\n"chiave\\e[2J\\e]0;titolo\\a": 1\n'
    spec = write_spec(text)
    result = runner.invoke(app, ["validate", str(spec)])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert f"{spec}:{text.count(chr(10))}:1: errore: carattere di controllo U+001B" in result.stderr


def test_an_unknown_key_is_quoted_inert(write_spec) -> None:
    """A bidi override is only a warning, so the unknown-key message quotes the key: made visible, not obeyed."""
    text = MELZO.read_text(encoding="utf-8").rstrip("\n") + '\n"chiave\u202eosrevni": 1\n'
    result = runner.invoke(app, ["validate", str(write_spec(text))])
    assert result.exit_code == 2
    assert "\u202e" not in result.stderr and "chiave\\u202eosrevni" in result.stderr


@given(st.text())
def test_neutralised_text_holds_no_control_character(text: str) -> None:
    shown = neutralise(text)
    assert not any(ord(c) < 0x20 and c not in "\t\n" or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert not any("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" for c in shown)
    assert neutralise(shown.replace("\\", "")) == shown.replace("\\", "") or "\\" in shown


@given(st.text())
def test_lit_is_never_interpreted_as_markup(text: str) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(width=10_000, no_color=True, highlight=False, emoji=False, soft_wrap=True)
    with console.capture() as as_markup:
        console.print(lit(text), end="")
    with console.capture() as as_plain_text:
        console.print(Text(neutralise(text)), end="")
    assert as_markup.get() == as_plain_text.get()


@given(st.text())
def test_junit_and_sarif_are_valid_whatever_the_message(text: str) -> None:
    findings = [Finding("AWD001", "nome", Severity.ERROR, text, Location("capitolato.yaml", 1, 1), text, fix=text),
                Finding("AWD002", "nome", Severity.WARNING, text, Location("capitolato.yaml", 2, 1), text,
                        derogated_reason=text)]
    outcome = Outcome(Path("capitolato.yaml"), findings)
    ElementTree.fromstring(to_junit([outcome]).split("\n", 1)[1])
    json.loads(to_sarif([outcome]))
    assert xml_safe(text).count("\x00") == 0


def test_stdout_full_is_an_error_not_a_silent_success() -> None:
    with open("/dev/full", "w") as full:
        result = _cli("schema", stdout=full)
    assert result.returncode == 2, result
    assert b"standard output" in result.stderr and b"Traceback" not in result.stderr


def test_stdout_closed_is_an_error_not_a_silent_success() -> None:
    result = subprocess.run(f"{sys.executable} -m capitolato schema >&-", shell=True, capture_output=True,
                            timeout=120)
    assert result.returncode == 2, result
    assert b"standard output" in result.stderr and b"Traceback" not in result.stderr


def test_a_reader_that_leaves_early_is_no_traceback() -> None:
    process = subprocess.Popen([*CLI, "rules", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.read(10)
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) in (0, 2)
    assert b"Traceback" not in stderr and b"Exception ignored" not in stderr


def test_an_internal_error_has_its_own_exit_code_and_says_how_to_report_it(monkeypatch, tmp_path) -> None:
    from capitolato.spec import load

    def bug(*args, **kwargs):
        raise ZeroDivisionError("divisione per zero simulata")

    monkeypatch.setattr(load, "validate_document", bug)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = runner.invoke(app, ["export", str(MELZO)])
    assert result.exit_code == EXIT_INTERNAL != 1
    assert "errore interno" in result.stderr and "Segnalarlo" in result.stderr
    saved = list(tmp_path.glob("capitolato-errore-*.txt"))
    assert len(saved) == 1 and "ZeroDivisionError" in saved[0].read_text()
    assert str(saved[0]) in result.stderr
    monkeypatch.setenv("CAPITOLATO_DEBUG", "1")
    shown = runner.invoke(app, ["export", str(MELZO)])
    assert shown.exit_code == EXIT_INTERNAL and "Traceback" in shown.stderr


def test_non_utf8_arguments_are_an_input_error() -> None:
    result = subprocess.run([*map(os.fsencode, CLI), b"new", b"gara", b"--preset", b"servizi-persona-oepv",
                             b"--no-input", b"--set", b"ente=Comune di Cant\xf9"], capture_output=True, timeout=120)
    assert result.returncode == 2, result
    assert b"UTF-8" in result.stderr and b"Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["C:\\gare\\", "fine\\\\", "[/bold]\\"])
def test_lit_ending_in_a_backslash_keeps_the_tag_after_it(value: str) -> None:
    from rich.console import Console

    console = Console(width=10_000, no_color=True, highlight=False, emoji=False, soft_wrap=True)
    with console.capture() as shown:
        console.print(f"[bold]{lit(value)}[/bold] dopo", end="")
    assert shown.get() == f"{value} dopo"
