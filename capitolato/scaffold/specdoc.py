"""Validate a spec text before it is written, with problems located in the file it will become."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from capitolato.model.tender import Spec
from capitolato.spec.load import validate_document
from capitolato.spec.yamlsource import YamlDocument, document_from_text


def document_for(text: str, path: Path) -> YamlDocument:
    """Parse `text` as if it were the content of `path` (locations and `libreria` resolve there); nothing is
    written anywhere, so no message can point at a scratch file."""
    return document_from_text(path, text)


def validate_text(text: str, path: Path, libraries: Sequence[Path | str] = ()) -> Spec:
    """The validated spec a text would give at `path`; SpecError if it would not validate."""
    return validate_document(document_for(text, path), libraries)
