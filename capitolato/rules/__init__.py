"""`check`: the linter's rules, run on a loaded spec. Only the CLI prints; this returns findings."""

from __future__ import annotations

from collections.abc import Sequence

from capitolato.library.load import Library
from capitolato.model.tender import Spec
from capitolato.rules.finding import Finding, Severity

__all__ = ["check", "Finding", "Severity"]


def check(spec: Spec, library: Library | None = None, *, select: Sequence[str] = (),
          ignore: Sequence[str] = ()) -> list[Finding]:
    """Every finding of the selected rules on `spec`, derogations applied, sorted by location.

    `select`/`ignore` take codes or family prefixes and win over the spec's `controlli` and the configuration file.
    """
    from capitolato.library.load import load_library
    from capitolato.rules.config import resolve
    from capitolato.rules.engine import run
    from capitolato.spec.load import spec_libraries

    chosen = library if library is not None else load_library(spec_libraries(spec))
    return run(spec, chosen, resolve(spec, select, ignore))
