"""`--annota OUT.docx`: a copy of the audited Word file with each finding as a comment on its paragraph.

Comments are written with python-docx (≥ 1.2, `Document.add_comment`), author «capitolato»: code, message, legal
basis and suggested fix. The original file is only read; the copy is written atomically and never over an existing
file without --force, nor over the document itself.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from capitolato.audit import Audit, DocumentLocation
from capitolato.errors import Location, OutputError, Problem
from capitolato.rules.finding import Finding

AUTHOR = "capitolato"
INITIALS = "cap"


def write_annotated(result: Audit, target: Path, *, force: bool = False) -> int:
    """Write the commented copy; returns how many comments it holds."""
    _guard(result.path, target, force)
    import docx

    word = docx.Document(str(result.path))
    anchors = _anchors(word)
    count = 0
    for finding in result.findings:
        if finding.derogated:
            continue
        runs = _runs_for(word, anchors, finding)
        if runs:
            word.add_comment(runs, text=comment_text(finding), author=AUTHOR, initials=INITIALS)
            count += 1
    buffer = io.BytesIO()
    word.save(buffer)
    from capitolato.fsutil import atomic_write_bytes

    atomic_write_bytes(target, buffer.getvalue())
    return count


def comment_text(finding: Finding) -> str:
    text = f"{finding.code} ({finding.severity.label}) – {finding.message}\nBase giuridica: {finding.legal_reference}"
    return text + (f"\nCorrezione suggerita: {finding.fix}" if finding.fix else "")


def _guard(source: Path, target: Path, force: bool) -> None:
    if target.suffix.lower() != ".docx":
        raise OutputError([Problem(Location(str(target)), "la copia annotata è un file Word: il nome deve finire in .docx")])
    if target.exists() and target.resolve() == source.resolve():
        raise OutputError([Problem(Location(str(target)), "la copia annotata non può sostituire il documento controllato",
                                   "scegliere un altro nome, per esempio bando-annotato.docx")])
    if target.exists() and not force:
        raise OutputError([Problem(Location(str(target)), "il file esiste già", "usare --force per sostituirlo")])


def _anchors(word: Any) -> list[Any]:
    from capitolato.readers.docx import body_elements

    return list(body_elements(word))


def _runs_for(word: Any, anchors: list[Any], finding: Finding) -> list[Any]:
    """The runs of the paragraph the finding points at (a table's first cell for a table); the first paragraph with
    text for a finding about the whole document."""
    from docx.text.paragraph import Paragraph

    index = finding.location.line if isinstance(finding.location, DocumentLocation) else 0
    candidates = anchors[index - 1:index] if 0 < index <= len(anchors) else []
    candidates += anchors
    for element in candidates:
        paragraphs = element.iter(element.tag) if element.tag.endswith("}p") else element.iter(element.tag[:-3] + "p")
        for p in paragraphs:
            runs = [run for run in Paragraph(p, word._body).runs if run.text.strip()]
            if runs:
                return runs
    return []
