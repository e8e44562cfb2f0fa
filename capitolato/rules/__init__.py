"""`check`: the linter's rules, run on a loaded spec. Only the CLI prints; this returns findings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from capitolato.library.load import Library
from capitolato.model.tender import Spec
from capitolato.rules.finding import Finding, Severity

if TYPE_CHECKING:
    from capitolato.document.model import Document

__all__ = ["check", "check_and_assemble", "Finding", "Severity"]


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


def check_and_assemble(spec: Spec, library: Library) -> tuple[list[Finding], list[Document] | None]:
    """`check` with every rule, and the documents its rules assembled on the way, so that `build` does not assemble
    them a second time; None when no rule needed them or they could not be assembled (build then reports why)."""
    from capitolato.model.facts import derive
    from capitolato.rules.config import resolve
    from capitolato.rules.context import Context
    from capitolato.rules.engine import run_in

    ctx = Context(spec, derive(spec), library)
    findings = run_in(ctx, resolve(spec, (), ()))
    documents, problems = ctx.__dict__.get("assembled", (None, []))
    return findings, (documents if documents and not problems else None)
