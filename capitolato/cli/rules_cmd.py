"""`capitolato rules list|show|docs`: the rule catalogue of `capitolato check`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from capitolato.cli.app import handles_errors

rules_app = typer.Typer(help="Regole di capitolato check: elenco, dettaglio, documentazione.", no_args_is_help=True)


@rules_app.command("list")
@handles_errors
def list_rules(
    famiglia: Annotated[Optional[str], typer.Option("--famiglia", help="Solo le regole di questa famiglia (es. AWD).")] = None,
) -> None:
    """Elenca le regole: codice, nome, gravità, famiglia, base giuridica, stato di verifica (con legenda)."""
    from rich.table import Table

    from capitolato.cli.output import out
    from capitolato.rules.registry import FAMILIES, Status, all_rules

    rules = [r for r in all_rules().values() if famiglia is None or r.family == famiglia.upper()]
    table = Table(title=f"Regole ({len(rules)})")
    for column in ("codice", "nome", "gravità", "famiglia", "base giuridica", "stato"):
        table.add_column(column, overflow="fold")
    for rule in rules:
        status = rule.status.value + (" · VD" if rule.needs_document_audit else "")
        table.add_row(rule.code, f"{rule.title}\n[dim]{rule.name}[/dim]", rule.severity.label, FAMILIES[rule.family],
                      rule.legal_reference, status)
    out.print(table)
    out.print("[bold]Stato[/bold] della base giuridica:")
    for status in Status:
        out.print(f"  [bold]{status.value:>4}[/bold]  {status.explanation}")
    out.print("  [bold]  VD[/bold]  verifica documentale: la regola si decide sui documenti prodotti, non sullo "
              "spec; è documentata ma non eseguita da check")
    out.print("[dim]Sotto il nome, in grigio, l'identificativo stabile della regola (per configurazioni e "
              "integrazioni); dettaglio: capitolato rules show CODICE[/dim]")


@rules_app.command("show")
@handles_errors
def show_rule(code: Annotated[str, typer.Argument(metavar="CODICE", help="Codice della regola (es. AWD011).")]) -> None:
    """Mostra una regola: motivazione, base giuridica, esempi di spec che la violano e che la rispettano, correzione."""
    from rich.markdown import Markdown

    from capitolato.cli.output import out
    from capitolato.errors import SpecError, single
    from capitolato.rules.docs import rule_markdown
    from capitolato.rules.registry import get

    rule = get(code)
    if rule is None:
        raise single(SpecError, code, "regola sconosciuta", hint="elenco: capitolato rules list")
    out.print(Markdown(rule_markdown(rule, with_values=False)))
    print_law_values(rule.values)


def print_law_values(keys: tuple[str, ...]) -> None:
    """The dated legal values behind a rule or clause, each period with its source, as plain wrapped lines."""
    from rich.markup import escape

    from capitolato.cli.output import out
    from capitolato.rules.docs import law_values_text

    if keys:
        out.print("\n[bold]Valori di legge[/bold] (scelti con procedura.data_pubblicazione)")
        for line in law_values_text(keys):
            out.print(escape(line), soft_wrap=False)


@rules_app.command("docs")
@handles_errors
def write_docs(target: Annotated[Optional[Path], typer.Argument(metavar="FILE", help="File da scrivere (predefinito: docs/rules.md).")] = None) -> None:
    """Rigenera la pagina di riferimento delle regole dal registro."""
    from capitolato.cli.output import say
    from capitolato.fsutil import atomic_write_bytes
    from capitolato.rules.docs import DOCS_FILE, render

    path = target or DOCS_FILE
    atomic_write_bytes(path, render().encode("utf-8"))
    say("[green]✓[/green] {}", path)


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")
