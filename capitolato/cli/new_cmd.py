"""`capitolato new`: a tender folder from a preset, asking the essentials or reading them from options."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from capitolato.cli.app import handles_errors

if TYPE_CHECKING:
    from capitolato.scaffold.presets import Preset

SetOption = Annotated[Optional[list[str]], typer.Option(
    "--set", metavar="CHIAVE=VALORE", help="Un dato del preset (ripetibile), es. --set ente=\"Comune di Melzo\".")]


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


@handles_errors
def new(
    folder: Annotated[Path, typer.Argument(metavar="CARTELLA", help="Cartella della nuova gara (vuota o da creare).")],
    preset: Annotated[str, typer.Option("--preset", "-p", metavar="NOME",
                                        help="Modello di partenza (elenco: capitolato presets).")],
    no_input: Annotated[bool, typer.Option("--no-input", help="Nessuna domanda: i dati vengono da --set e --dati; "
                                                              "quelli obbligatori mancanti sono un errore.")] = False,
    ask: Annotated[bool, typer.Option("--chiedi", help="Fa le domande anche se l'input non è un terminale "
                                                       "(risposte da una pipe).")] = False,
    values: SetOption = None,
    dati: Annotated[Optional[Path], typer.Option("--dati", metavar="FILE.yaml",
                                                 help="File YAML con i dati del preset (chiave: valore).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Scrive anche in una cartella non vuota (sovrascrive solo i "
                                                        "file generati, non cancella nulla).")] = False,
) -> None:
    """Crea una nuova gara da un modello: capitolato.yaml commentato, README e schema per l'editor."""
    from capitolato.cli.output import say
    from capitolato.errors import Location
    from capitolato.scaffold.essentials import EssentialsError, missing, resolve
    from capitolato.scaffold.new import create_tender
    from capitolato.scaffold.presets import find
    from capitolato.scaffold.write import check_target

    chosen = find(preset)
    check_target(folder, force)
    from_file, origins = _data_file(dati)
    assigned = _assignments(values or [])
    given = {**from_file, **assigned}
    origins.update({key: Location(f"--set {key}") for key in assigned})
    answers, problems = resolve(chosen.info.essentials, given, origins)
    interactive = not no_input and (ask or stdin_is_terminal())
    absent = [] if interactive else missing(chosen.info.essentials, given)
    if absent:
        say("[red]{} dati obbligatori mancanti[/red] per il preset «{}»:", len(absent), chosen.name)
    if problems or absent:
        raise EssentialsError([*problems, *absent])
    if interactive:
        answers.update(_ask(chosen, given))
    written = create_tender(chosen, answers, folder, force=force)
    _report(written, folder)


def _assignments(items: list[str]) -> dict[str, str]:
    from capitolato.scaffold.essentials import parse_assignments

    return parse_assignments(items)


def _data_file(path: Path | None) -> tuple[dict[str, Any], dict[str, Location]]:
    """The --dati values, and the line and column of each in that file (messages point there)."""
    if path is None:
        return {}, {}
    from capitolato.errors import SpecError, single
    from capitolato.spec.yamlsource import load_yaml

    document = load_yaml(path)
    if not isinstance(document.data, dict):
        raise single(SpecError, path, "il file dei dati deve contenere coppie chiave: valore", 1, 1)
    return document.data, {key: document.locate((key,)) for key in document.data}


def _ask(preset: Preset, given: dict[str, Any]) -> dict[str, Any]:
    """One question per essential not given; an invalid answer is explained and asked again."""
    from capitolato.cli.output import err, say
    from capitolato.scaffold.essentials import InvalidValue

    say("[bold]{}[/bold] — procedura: {}", preset.info.description, preset.info.procedure)
    err.print("[dim]Invio per accettare il valore proposto tra parentesi quadre.[/dim]")
    answers: dict[str, Any] = {}
    for name, essential in preset.info.essentials.items():
        if name in given:
            continue
        if essential.help:
            say("[dim]{}[/dim]", essential.help)
        while True:
            raw = typer.prompt(essential.question, default=None if essential.required else str(essential.default),
                               show_default=True)
            try:
                answers[name] = essential.parse(raw)
                break
            except InvalidValue as exc:
                say("[red]valore non valido[/red]: {}", exc)
    return answers


def _report(written: list[Path], folder: Path) -> None:
    from capitolato.cli.output import say

    for path in written:
        say("[green]✓[/green] {}", path)
    spec = folder / "capitolato.yaml"
    marks = spec.read_text(encoding="utf-8").count("DA COMPLETARE")
    say("\nValori da completare: {} (cercare «DA COMPLETARE» in {}).", marks, spec)
    say("Poi: [bold]capitolato check {}[/bold] e [bold]capitolato build {}[/bold].", folder, folder)


def register(app: typer.Typer) -> None:
    app.command("new")(new)
