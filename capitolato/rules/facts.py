"""FAT: one fact, one place — a clause parameter that only repeats a value the spec already holds."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from capitolato.rules.context import Context
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import Basis, Status, rule

DESIGN = Basis("Scelta di progetto: ogni dato della gara ha un solo posto nello spec (docs/formato-clausole.md, «fatto»)")


@rule("FAT001", "clause-restates-fact", Severity.WARNING, "Parametro che ripete un dato dello spec",
      rationale="Il parametro della clausola è legato a un dato dello spec (chiave «fatto» della clausola) e ne "
                "legge il valore: scriverlo anche nella clausola crea una seconda copia che al primo cambiamento "
                "diverge (con un valore diverso è già un errore di input).",
      basis=[DESIGN], status=Status.DESIGN, fix="togliere il parametro dalla clausola: il valore resta nello spec")
def clause_restates_fact(ctx: Context) -> Iterable[Finding]:
    for index, use in enumerate(ctx.spec.clauses):
        clause = ctx.library.get(use.id)
        if clause is None:
            continue
        for name in _given(ctx, index):
            parameter = clause.parameters.get(name)
            if parameter is not None and parameter.fact is not None:
                yield ctx.finding(ctx.at("clausole", index, "parametri", name),
                                  f"«{name}» della clausola «{use.id}» ripete {parameter.fact} "
                                  f"({ctx.at(*parameter.fact.split('.'))})",
                                  fix=f"togliere «{name}» dalla clausola: il valore resta in {parameter.fact}")


def _given(ctx: Context, index: int) -> Iterator[str]:
    """The parameter names the user wrote (the bound values also hold the facts read from the spec)."""
    source = ctx.spec.source
    entries = source.data.get("clausole") if source is not None and isinstance(source.data, dict) else None
    if not isinstance(entries, list) or index >= len(entries) or not isinstance(entries[index], dict):
        return
    given = entries[index].get("parametri")
    if isinstance(given, dict):
        yield from given
