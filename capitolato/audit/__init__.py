"""The audit of a tender document written elsewhere: read it, extract its facts, run the rules on what was found.

`audit(path)` is the library API behind `capitolato check FILE.docx|.pdf|.odt`; only the CLI prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from capitolato.audit.facts import Fact, extract
from capitolato.audit.grid import Grid, find_grid
from capitolato.audit.units import Unit, units
from capitolato.document.model import Document, Position
from capitolato.errors import Location
from capitolato.rules.finding import Finding


@dataclass(frozen=True, order=True)
class DocumentLocation(Location):
    """A place in a read document: `line` is the paragraph (block) number; PDFs add page and line on the page."""

    page: int | None = None
    page_line: int | None = None

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}" if self.line > 0 else self.file
        if self.page is not None:
            text += f" (pag. {self.page}" + (f", riga {self.page_line})" if self.page_line else ")")
        return text

    @property
    def where(self) -> str:
        """The place in words, for people: «par. 12, pag. 3, riga 5»."""
        parts = [f"par. {self.line}"] if self.line > 0 else []
        if self.page is not None:
            parts.append(f"pag. {self.page}")
        if self.page_line is not None:
            parts.append(f"riga {self.page_line}")
        return ", ".join(parts) or "-"


def locate(path: Path | str, position: Position | None) -> DocumentLocation:
    position = position or Position()
    return DocumentLocation(str(path), position.paragraph or 0, 0, position.page, position.line)


@dataclass(frozen=True)
class NotRun:
    """A rule that could not run on the document because a fact it reads was not found."""

    code: str
    name: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Audit:
    path: Path
    document: Document
    units: tuple[Unit, ...]
    facts: dict[str, Fact]
    grid: Grid | None
    findings: list[Finding] = field(default_factory=list)
    not_run: list[NotRun] = field(default_factory=list)
    not_applicable: list[str] = field(default_factory=list)


def audit(path: Path, *, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Audit:
    """Read the document at `path`, extract its facts and run the rules whose facts were found."""
    from capitolato.readers import read_document

    return audit_document(read_document(path), path, select=select, ignore=ignore)


def audit_document(document: Document, path: Path, *, select: Sequence[str] = (),
                   ignore: Sequence[str] = ()) -> Audit:
    pieces = tuple(units(document))
    facts = extract(list(pieces))
    result = Audit(path, document, pieces, facts, find_grid(document))
    from capitolato.audit.run import run_rules

    findings, not_run, not_applicable = run_rules(result, select=select, ignore=ignore)
    return Audit(path, document, pieces, facts, result.grid, findings, not_run, not_applicable)
