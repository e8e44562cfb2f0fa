"""Renders a preset's templates with the officer's essentials into the files of a new tender folder."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from capitolato.errors import Location, Problem, RenderError
from capitolato.scaffold.presets import README_TEMPLATE, SPEC_TEMPLATE, Preset
from capitolato.spec.load import SPEC_FILE_NAME
from capitolato.templating import TemplateFailure, render_source

SCHEMA_FILE_NAME = "capitolato.schema.json"
README_FILE_NAME = "README.md"


@dataclass(frozen=True)
class TenderFiles:
    """The files of a new tender folder, by name, in writing order."""

    files: dict[str, str]

    @property
    def spec_text(self) -> str:
        return self.files[SPEC_FILE_NAME]


def yaml_scalar(value: Any) -> str:
    """A value written so YAML reads it back unchanged: texts double-quoted, numbers and dates plain."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


def context(preset: Preset, values: Mapping[str, Any]) -> dict[str, Any]:
    """`dati` holds typed values (for prose and arithmetic), `yaml` the same values ready for the spec."""
    return {
        "dati": dict(values),
        "yaml": {name: yaml_scalar(value) for name, value in values.items()},
        "preset": {"nome": preset.name, "descrizione": preset.info.description,
                   "procedura": preset.info.procedure},
        "schema": SCHEMA_FILE_NAME,
    }


def render_preset(preset: Preset, values: Mapping[str, Any]) -> TenderFiles:
    """The spec, the folder README and the JSON schema the spec's first line points at."""
    from capitolato.spec.schema import schema_json

    data = context(preset, values)
    return TenderFiles({
        SPEC_FILE_NAME: _render(preset.template(SPEC_TEMPLATE), data),
        README_FILE_NAME: _render(preset.template(README_TEMPLATE), data),
        SCHEMA_FILE_NAME: schema_json(),
    })


def _render(path: Path, data: dict[str, Any]) -> str:
    try:
        return render_source(path.read_text(encoding="utf-8"), data, name=path.name)
    except TemplateFailure as exc:
        raise RenderError([Problem(Location(str(path), exc.line or 0, 1 if exc.line else 0),
                                   f"modello del preset «{path.name}»: {exc.reason}")]) from None
    except OSError as exc:
        raise RenderError([Problem(Location(str(path)), f"impossibile leggere il modello ({exc.strerror or exc})")]) \
            from None
