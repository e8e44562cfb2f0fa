"""`new`: from a preset and the officer's essentials to a tender folder whose spec validates."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from capitolato.errors import Location, Problem, SpecError
from capitolato.scaffold.presets import Preset
from capitolato.scaffold.render import render_preset
from capitolato.scaffold.specdoc import validate_text
from capitolato.scaffold.write import check_target, write_files
from capitolato.spec.load import SPEC_FILE_NAME


def create_tender(preset: Preset, values: Mapping[str, Any], folder: Path, *, force: bool = False) -> list[Path]:
    """Render the preset, validate the spec it gives, then write; nothing is written if any step fails."""
    check_target(folder, force)
    files = render_preset(preset, values)
    try:
        validate_text(files.spec_text, folder / SPEC_FILE_NAME)
    except SpecError as exc:
        raise SpecError([Problem(Location(f"preset {preset.name}"), "con questi dati il preset darebbe uno spec non "
                                 "valido: nessun file scritto (le righe qui sotto sono quelle del file che sarebbe "
                                 "stato creato)"), *exc.problems]) from None
    return write_files(folder, files.files, force)
