"""`check --fix` and `check --diff`: print the safe fixes, and write them with --fix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def apply_fixes(spec_paths: Sequence[Path], *, write: bool, select: Sequence[str] = (), ignore: Sequence[str] = (),
                libraries: Sequence[Path] = ()) -> bool:
    """Plan the safe fixes of each spec; with `write` apply them, otherwise print the diff. True if any change."""
    from capitolato.cli.output import out, say
    from capitolato.scaffold.fix import plan_fixes

    changed = False
    for path in spec_paths:
        plan = plan_fixes(path, select=select, ignore=ignore, libraries=libraries)
        if plan.edit is None:
            say("{}: nessuna correzione automatica possibile", plan.path)
        elif write:
            plan.edit.write()
            for item in plan.applied:
                say("[green]✓[/green] {}: {} — aggiunta la clausola «{}» (segnata «DA VERIFICARE»)", plan.path,
                    item.code, item.clause_id)
        else:
            out.print(plan.edit.diff(), markup=False, highlight=False, end="")
        changed = changed or plan.edit is not None
        for item in plan.manual:
            command = f"capitolato aggiungi-clausola {item.clause_id} {plan.path} {' '.join(item.needs)}"
            say("[yellow]da decidere[/yellow] {}: {} — servono valori che solo l'ente può dare: {}", plan.path,
                item.code, command)
    return changed
