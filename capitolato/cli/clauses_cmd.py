"""`capitolato clauses list|show|lint`: browse and check the clause library."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from capitolato.cli.app import EXIT_FINDINGS, handles_errors

clauses_app = typer.Typer(help="Libreria delle clausole: elenco, dettaglio, controllo.", no_args_is_help=True)

LibraryOption = Annotated[Optional[list[Path]], typer.Option(
    "--libreria", help="Cartella con le clausole dell'ente (si aggiunge alla libreria fornita; ripetibile).")]


class ListFormat(StrEnum):
    TEXT = "testo"
    JSON = "json"


@clauses_app.command("list")
@handles_errors
def list_clauses(
    famiglia: Annotated[Optional[str], typer.Option(help="Solo le clausole di questa famiglia.")] = None,
    procedura: Annotated[Optional[str], typer.Option(help="Solo le clausole applicabili a questa procedura.")] = None,
    formato: Annotated[ListFormat, typer.Option(help="testo (tabella) o json.")] = ListFormat.TEXT,
    libreria: LibraryOption = None,
) -> None:
    """Elenca le clausole: id, titolo, famiglia, collocazione, base giuridica, stato di verifica."""
    from capitolato.cli.output import err, lit, out
    from capitolato.library.load import load_library

    library = load_library(libreria or [])
    _report_replacements(library)
    chosen = [c for c in library
              if (famiglia is None or c.family.value == famiglia)
              and (procedura is None or procedura in {p.value for p in c.applicability.procedures})]
    if formato is ListFormat.JSON:
        out.print_json(json.dumps([_summary(c) for c in chosen], ensure_ascii=False))
        return
    from rich.table import Table

    table = Table(title=f"Clausole ({len(chosen)})", show_lines=False)
    table.add_column("id", no_wrap=True)
    for column in ("titolo", "famiglia", "collocazione", "base giuridica", "stato"):
        table.add_column(column, overflow="fold")
    for clause in chosen:
        summary = _summary(clause)
        table.add_row(lit(clause.id), lit(clause.title), lit(summary["famiglia"]), lit(summary["collocazione"]),
                      lit(summary["base_giuridica"]), _status_label(clause))
    out.print(table)
    if not chosen:
        err.print("Nessuna clausola corrisponde ai filtri.")


def _summary(clause) -> dict[str, object]:
    return {
        "id": clause.id, "titolo": clause.title, "famiglia": clause.family.value,
        "collocazione": f"{clause.placement.document.value} › {clause.placement.section}",
        "base_giuridica": clause.citations(), "stato": clause.status.value, "da_verificare": clause.to_verify,
        "procedure": [p.value for p in clause.applicability.procedures], "soddisfa": clause.satisfies,
        "file": str(clause.path) if clause.path else None,
    }


def _status_label(clause) -> str:
    return "[yellow]da verificare[/yellow]" if clause.to_verify else clause.status.value


def _report_replacements(library) -> None:
    from capitolato.cli.output import say

    for item in library.replacements:
        say("[yellow]nota[/yellow]: la clausola «{}» di {} sostituisce quella di {}", item.clause_id, item.by,
            item.replaced)


@clauses_app.command("show")
@handles_errors
def show_clause(
    clause_id: Annotated[str, typer.Argument(metavar="ID", help="Id della clausola.")],
    spec: Annotated[Optional[Path], typer.Option("--spec", help="Mostra il testo con i valori di questo spec.")] = None,
    libreria: LibraryOption = None,
) -> None:
    """Mostra una clausola: metadati, parametri e testo (con i valori predefiniti, o con i valori di uno spec)."""
    from rich.markdown import Markdown
    from rich.table import Table

    from capitolato.cli.output import lit, out, say
    from capitolato.errors import LibraryError, single
    from capitolato.library.load import load_library
    from capitolato.library.render import render_clause
    from capitolato.library.sample import demo_spec, sample_parameters
    from capitolato.spec.load import load_spec, spec_libraries

    tender = load_spec(spec, libraries=libreria or []) if spec else demo_spec()
    library = load_library(spec_libraries(tender, libreria or []))
    clause = library.get(clause_id)
    if clause is None:
        suggestion = library.suggest(clause_id)
        hint = f"forse intendevi «{suggestion}»?" if suggestion else "elenco: capitolato clauses list"
        raise single(LibraryError, clause_id, "clausola sconosciuta", hint=hint)
    used = next((use.parameters for use in tender.clauses if use.id == clause_id), None)
    params = used if (spec and used is not None) else sample_parameters(clause, tender)
    say("[bold]{}[/bold]  [dim]{} · v{} · {}[/dim]", clause.title, clause.id, clause.version, clause.family.value,
        console=out)
    say("Collocazione: {} › {}", clause.placement.document.value, clause.placement.section, console=out)
    status = "[yellow]DA VERIFICARE[/yellow]" if clause.to_verify else lit(clause.status.value)
    out.print(f"Stato della base giuridica: {status}")
    for reference in clause.legal_basis:
        flag = " [yellow](da verificare)[/yellow]" if reference.status.value == "da-verificare" else ""
        out.print(f"  • {lit(reference.citation())}{flag}" + (f"  {lit(reference.url)}" if reference.url else ""))
    if clause.satisfies:
        say("Soddisfa le regole: {}", ", ".join(clause.satisfies), console=out)
    table = Table(title="Parametri")
    for column in ("nome", "tipo", "predefinito", "intervallo", "descrizione"):
        table.add_column(column, overflow="fold")
    for name, parameter in clause.parameters.items():
        bounds = "" if parameter.minimum is None and parameter.maximum is None else \
            f"{parameter.minimum if parameter.minimum is not None else ''}–{parameter.maximum if parameter.maximum is not None else ''}"
        default = "[red]obbligatorio[/red]" if parameter.required else lit(parameter.default)
        if parameter.fact:
            default = f"dallo spec: [bold]{lit(parameter.fact)}[/bold]" + \
                ("" if parameter.required else f" (altrimenti {lit(parameter.default)})")
        table.add_row(lit(name), parameter.kind.value, default, lit(bounds or ", ".join(map(str, parameter.choices))),
                      lit(parameter.description))
    if clause.parameters:
        out.print(table)
    source = f"valori di {lit(spec)}" if spec else "valori predefiniti; \\[segnaposto] per i parametri obbligatori"
    out.print(f"\n[bold]Testo[/bold] [dim]({source})[/dim]")
    out.print(Markdown(render_clause(clause, params, tender)))
    if clause.notes:
        say("\n[bold]Note per il funzionario[/bold]\n{}", clause.notes.strip(), console=out)
    from capitolato.cli.rules_cmd import print_law_values

    print_law_values(clause.law_keys())


@clauses_app.command("lint")
@handles_errors
def lint_clauses(
    folder: Annotated[Optional[Path], typer.Argument(metavar="CARTELLA", help="Cartella della libreria (predefinito: quella fornita).")] = None,
) -> None:
    """Controlla una libreria: schema, sintassi Jinja, parametri usati e dichiarati, riferimenti, base giuridica."""
    from capitolato.cli.output import print_problems, say
    from capitolato.library.lint import lint_folder
    from capitolato.library.load import load_library, shipped_folder

    target = folder or shipped_folder()
    known = frozenset() if folder is None else frozenset(c.id for c in load_library())
    problems = lint_folder(target, known)
    count = len(list(target.glob("*.yaml")))
    if problems:
        print_problems(problems, label="rilievo")
        say("{} rilievi in {} clausole ({})", len(problems), count, target)
        raise typer.Exit(EXIT_FINDINGS)
    say("[green]✓[/green] {} clausole senza rilievi ({})", count, target)


def register(app: typer.Typer) -> None:
    app.add_typer(clauses_app, name="clauses")
