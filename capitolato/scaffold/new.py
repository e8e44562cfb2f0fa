"""`new`: from a preset and the officer's essentials to a tender folder whose spec validates."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from capitolato.scaffold.presets import Preset
from capitolato.scaffold.render import render_preset
from capitolato.scaffold.specdoc import validate_text
from capitolato.scaffold.write import check_target, write_files
from capitolato.spec.load import SPEC_FILE_NAME


def create_tender(preset: Preset, values: Mapping[str, Any], folder: Path, *, force: bool = False) -> list[Path]:
    """Render the preset, validate the spec it gives, then write; nothing is written if any step fails."""
    check_target(folder, force)
    files = render_preset(preset, values)
    validate_text(files.spec_text, folder / SPEC_FILE_NAME)
    return write_files(folder, files.files, force)
