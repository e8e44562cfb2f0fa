"""Validate a spec text before it is written, with problems located in the file it will become."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from capitolato.model.tender import Spec
from capitolato.spec.load import validate_document
from capitolato.spec.yamlsource import YamlDocument, load_yaml


def document_for(text: str, path: Path) -> YamlDocument:
    """Parse `text` as if it were the content of `path` (locations and `libreria` resolve there)."""
    with tempfile.TemporaryDirectory(prefix="capitolato-") as scratch:
        scratch_file = Path(scratch) / path.name
        scratch_file.write_text(text, encoding="utf-8")
        document = load_yaml(scratch_file)
    document.path = path
    return document


def validate_text(text: str, path: Path, libraries: Sequence[Path | str] = ()) -> Spec:
    """The validated spec a text would give at `path`; SpecError if it would not validate."""
    return validate_document(document_for(text, path), libraries)
