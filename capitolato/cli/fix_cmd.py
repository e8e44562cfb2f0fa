"""`check --fix` and `check --diff`: print the safe fixes, and write them with --fix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def apply_fixes(spec_paths: Sequence[Path], *, write: bool, select: Sequence[str] = (), ignore: Sequence[str] = (),
                libraries: Sequence[Path] = ()) -> bool:
    """Plan the safe fixes of each spec; with `write` apply them, otherwise print the diff. True if any change."""
    from rich.markup import escape

    from capitolato.cli.output import err, out
    from capitolato.scaffold.fix import plan_fixes

    changed = False
    for path in spec_paths:
        plan = plan_fixes(path, select=select, ignore=ignore, libraries=libraries)
        if plan.edit is None:
            err.print(f"{plan.path}: nessuna correzione automatica possibile")
        elif write:
            plan.edit.write()
            for item in plan.applied:
                err.print(f"[green]✓[/green] {plan.path}: {item.code} — aggiunta la clausola «{item.clause_id}» "
                          "(segnata «DA VERIFICARE»)")
        else:
            out.print(plan.edit.diff(), markup=False, highlight=False, end="")
        changed = changed or plan.edit is not None
        for item in plan.manual:
            command = f"capitolato aggiungi-clausola {item.clause_id} {plan.path} {' '.join(item.needs)}"
            err.print(f"[yellow]da decidere[/yellow] {plan.path}: {item.code} — servono valori che solo l'ente può "
                      f"dare: {escape(command)}")
    return changed
