"""Reports of a document audit: the checklist of facts (trovato / non trovato / ambiguo), the findings with their
place in the document, the rules that could not run; and the same as JSON («estratti»)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.markup import escape

from capitolato import __version__
from capitolato.audit import Audit, DocumentLocation, locate
from capitolato.audit.facts import Fact, Status
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.report import STYLE, Outcome, all_findings, display_path, finding_json, summarise

JSON_VERSION = 1
MARK = {Status.FOUND: "[green]✓ trovato[/green]    ", Status.AMBIGUOUS: "[yellow]? ambiguo[/yellow]    ",
        Status.MISSING: "[dim]· non trovato[/dim]"}


def print_audits(audits: Sequence[Audit], console: Console) -> None:
    for result in audits:
        console.print(f"[bold underline]{escape(display_path(result.path))}[/bold underline]")
        console.print("  [bold]Estratti[/bold]")
        for fact in result.facts.values():
            console.print(f"    {MARK[fact.status]}  {escape(fact.label)}{_shown(fact)}")
        if result.grid is not None:
            console.print(f"    [green]✓ trovato[/green]      Griglia dei punteggi: {len(result.grid.rows)} voci, somma "
                          f"{_plain(result.grid.total)}" + (f", totale dichiarato {_plain(result.grid.stated_total)}"
                                                              if result.grid.stated_total is not None else "")
                          + f" [dim]({_where(result, result.grid.position)})[/dim]")
        tally = citation_tally(result)
        console.print(f"  [bold]Citazioni del Codice[/bold]: {tally['citazioni']} [dim](articoli controllati "
                      f"{tally['articoli_controllati']}; commi controllati {tally['commi_controllati']} su "
                      f"{tally['commi_citati']}, gli altri senza numero di commi verificato; allegati citati "
                      f"{tally['allegati_citati']})[/dim]")
        _print_findings(console, result.findings)
        if result.not_run:
            console.print(f"  [bold]Regole non eseguite per mancanza di un fatto ({len(result.not_run)})[/bold]")
            for item in result.not_run:
                console.print(f"    [dim]{item.code}[/dim]  {escape(item.name)}: manca "
                              f"{escape(', '.join(item.missing))}")
        if result.not_applicable:
            console.print(f"  [bold]Regole dello spec non applicabili a un documento ({len(result.not_applicable)})"
                          "[/bold] [dim](leggono dati che il testo non dice in modo univoco)[/dim]")
            console.print(f"    [dim]{' '.join(result.not_applicable)}[/dim]")
        console.print()


def citation_tally(result: Audit) -> dict[str, int]:
    """Citations of the Codice in the document and how many the table of articles could check."""
    from capitolato.audit.context import DocumentContext
    from capitolato.rules.document import citation_tally as tally

    return tally(DocumentContext(result))


def _shown(fact: Fact) -> str:
    if not fact.found:
        return ""
    value = _plain(fact.value)
    if fact.status is Status.AMBIGUOUS:
        value = " oppure ".join(str(_plain(v)) for v in fact.candidates)
    places = dict.fromkeys(DocumentLocation("", e.position.paragraph or 0, 0, e.position.page, e.position.line).where
                           for e in fact.evidence)
    where = "; ".join(list(places)[:3]) + ("; …" if len(places) > 3 else "")
    return f": {escape(_short(str(value)))} [dim]({escape(where)})[/dim]"


def _where(result: Audit, position: Any) -> str:
    return locate(result.path, position).where


def _short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _print_findings(console: Console, findings: list[Finding]) -> None:
    active = [f for f in findings if not f.derogated]
    if not active:
        console.print("  [green]Nessun rilievo[/green]")
        return
    console.print(f"  [bold]Rilievi ({len(active)})[/bold]")
    for finding in active:
        style = STYLE[finding.severity]
        where = finding.location.where if isinstance(finding.location, DocumentLocation) else "-"
        console.print(f"    [{style}]{finding.code}[/{style}]  [bold]{escape(where)}[/bold]  {escape(finding.message)}")
        console.print(f"          [dim]{escape(finding.legal_reference)}"
                      + (f" · correzione: {escape(finding.fix)}" if finding.fix else "") + "[/dim]")


def to_json(audits: Sequence[Audit], specs: Sequence[Outcome] = ()) -> str:
    """The «estratti» and findings of each document; specs checked in the same run add their own two keys."""
    spec_findings = all_findings(specs)
    findings = [*spec_findings, *(f for result in audits for f in result.findings)]
    summary = summarise(findings)
    document = {
        "versione": JSON_VERSION,
        "strumento": f"capitolato {__version__}",
        **({"capitolati": [display_path(o.path) for o in specs], "rilievi": [finding_json(f) for f in spec_findings]}
           if specs else {}),
        "documenti": [_audit_json(result) for result in audits],
        "riepilogo": {"errori": summary.errors, "avvisi": summary.warnings, "informazioni": summary.infos,
                      "derogate": summary.derogated},
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=_plain) + "\n"


def _audit_json(result: Audit) -> dict[str, Any]:
    grid = result.grid
    return {
        "file": display_path(result.path),
        "titolo": result.document.title,
        "estratti": {key: _fact_json(fact) for key, fact in result.facts.items()},
        "griglia": None if grid is None else {
            "voci": [{"voce": row.label, "punti": row.points, "livello": row.level} for row in grid.rows],
            "somma": grid.total, "totale_dichiarato": grid.stated_total,
            **_place(grid.position)},
        "citazioni": citation_tally(result),
        "rilievi": [{**finding_json(f), **_finding_place(f)} for f in result.findings],
        "regole_non_eseguite": [{"codice": n.code, "nome": n.name, "fatti_mancanti": list(n.missing)}
                                for n in result.not_run],
        "regole_non_applicabili": result.not_applicable,
    }


def _fact_json(fact: Fact) -> dict[str, Any]:
    return {
        "etichetta": fact.label, "stato": fact.status.value, "valore": fact.value,
        "valori_diversi": list(fact.candidates),
        "dove": [{"testo": e.text, "sezione": e.section, "valore": e.value, **_place(e.position)}
                 for e in fact.evidence],
    }


def _place(position: Any) -> dict[str, Any]:
    return {"paragrafo": getattr(position, "paragraph", None), "pagina": getattr(position, "page", None),
            "riga": getattr(position, "line", None)}


def _finding_place(finding: Finding) -> dict[str, Any]:
    location = finding.location
    if not isinstance(location, DocumentLocation):
        return {}
    return {"paragrafo": location.line or None, "pagina": location.page, "riga_pagina": location.page_line}


def _plain(value: Any) -> Any:
    """JSON and text form of a fact value: amounts as strings with two decimals, dates in ISO form."""
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value != value.to_integral() or value.as_tuple().exponent < 0 else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(_plain(v)) for v in value)
    return value if isinstance(value, str | int | float | type(None)) else str(value)


def failing(audits: Sequence[Audit], threshold: Severity) -> bool:
    return any(not f.derogated and f.severity.rank >= threshold.rank for r in audits for f in r.findings)
