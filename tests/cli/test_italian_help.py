"""`--help` and usage errors speak Italian: no word of click or Typer reaches the officer."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from capitolato.cli import italian_help
from capitolato.cli.app import app
from capitolato.cli.commands import index, load
from tests.conftest import REPO

runner = CliRunner()

# click's and Typer's own words, and the English type names Typer prints in the help.
ENGLISH = re.compile(
    r"\b(Usage|Options?|Arguments?|Commands?|COMMAND|ARGS|OPTIONS|Show this message|exit|required|default|"
    r"Error|Missing|No such|Invalid|Try|for help|Aborted|Got unexpected|requires|Input should|Value error|"
    r"is not|bool|str|int|path|Path|TEXT|INTEGER|True|False|env var|deprecated|dynamic|Possible)\b|<\w+|list\[")
# Names of commands and options are identifiers, not words the officer reads.
IDENTIFIERS = re.compile(r"--?[a-z][a-z-]*|\bcapitolato(?: [a-z-]+)*")


def command_paths(command: typer.main.TyperGroup, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group of the application, as the words typed after `capitolato`."""
    paths = [prefix]
    for name, sub in getattr(command, "commands", {}).items():
        paths += command_paths(sub, (*prefix, name))
    return paths


ALL_COMMANDS = [()] + [path for name in index() for path in command_paths(load(name), (name,))]


def english_words(text: str) -> list[str]:
    return ENGLISH.findall(IDENTIFIERS.sub(" ", text))


def test_every_command_is_walked() -> None:
    assert ("build",) in ALL_COMMANDS and ("rules", "list") in ALL_COMMANDS and () in ALL_COMMANDS
    assert len(ALL_COMMANDS) >= 15


@pytest.mark.parametrize("words", ALL_COMMANDS, ids=lambda words: " ".join(words) or "capitolato")
def test_help_has_no_english(words: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*words, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Uso: capitolato" in result.output
    assert english_words(result.output) == [], result.output


USAGE_ERRORS = [
    (["rules", "list", "--xx"], "opzione sconosciuta: --xx"),
    (["rules", "show"], "manca l'argomento «CODICE»"),
    (["rules", "nessuno"], "comando sconosciuto «nessuno»"),
    (["rules", "list", "in-piu"], "argomenti in più non previsti (in-piu)"),
    (["build", "-o"], "l'opzione «-o» richiede un valore"),
    (["build", "--formato", "xx"], "«xx» non è tra i valori ammessi: «docx», «md», «html», «pdf»"),
    (["build", "-j", "abc"], "atteso un numero intero"),
    (["build", "-j", "0"], "il valore deve essere almeno 1"),
    (["new", "gara"], "manca l'opzione «--preset» / «-p»"),
]


@pytest.mark.parametrize(("arguments", "expected"), USAGE_ERRORS, ids=lambda value: str(value))
def test_usage_errors_are_italian(arguments: list[str], expected: str) -> None:
    result = runner.invoke(app, arguments, terminal_width=200)
    assert result.exit_code == 2, result.output
    assert expected in " ".join(result.output.replace("│", " ").split())
    assert "Errore" in result.output
    assert english_words(result.output) == [], result.output


def test_a_fresh_process_is_italian_too() -> None:
    """The real entry point, where Typer's help panels are imported only when needed."""
    for arguments in (["--help"], ["rules", "list", "--xx"]):
        result = subprocess.run([sys.executable, "-m", "capitolato", *arguments], capture_output=True, text=True,
                                cwd=REPO, env={"COLUMNS": "200", "PATH": ""}, check=False)
        output = result.stdout + result.stderr
        assert "Uso: " in output, output
        assert english_words(output) == [], output


def test_plain_command_does_not_import_the_help_panels() -> None:
    code = ("import sys; sys.argv = ['capitolato', 'schema']; import capitolato.cli.app; "
            "print('typer.rich_utils' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(("english", "italian"), [
    ("<bool>", None), ("<list[Path]>", "PERCORSO…"), ("<path>", "PERCORSO"), ("<int range>", "NUMERO"),
    ("<docx|md>", "docx|md"), ("<list[docx|md]>", "docx|md…"), ("<Ignoto>", "VALORE"), ("NOME", "NOME"),
])
def test_type_labels(english: str, italian: str | None) -> None:
    assert italian_help.type_label(english) == italian


def test_messages_translate_quotes_but_not_apostrophes() -> None:
    assert italian_help.message("Missing option '--preset' / '-p'.") == "manca l'opzione «--preset» / «-p»."
    assert italian_help.message("Nessun problema dell'ente") == "Nessun problema dell'ente"
