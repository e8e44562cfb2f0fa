"""Presets are data: a folder under `presets/` with `preset.yaml` and Jinja templates, discovered at run time."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from capitolato.errors import CapitolatoError, Location, ProblemList, single
from capitolato.model.tender import ProcedureKind, SpecModel, it
from capitolato.resources import data_path
from capitolato.scaffold.essentials import Essential
from capitolato.spec.validate import translate
from capitolato.spec.yamlsource import load_yaml

PRESET_FILE = "preset.yaml"
SPEC_TEMPLATE = "capitolato.yaml.j2"
README_TEMPLATE = "README.md.j2"


class PresetError(CapitolatoError):
    """A preset cannot be found or its folder is malformed."""


class PresetInfo(SpecModel):
    """The content of `preset.yaml`: what the officer sees in `capitolato presets` and is asked by `new`."""

    name: str = it("nome", pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    description: str = it("descrizione", min_length=1, max_length=200)
    procedure: str = it("procedura", min_length=1, max_length=120,
                        description="Procedura a cui si adatta, in parole (es. «aperta, OEPV 80/20»)")
    procedure_kind: ProcedureKind = it("tipo_procedura")
    essentials: dict[str, Essential] = it("dati", default_factory=dict)


@dataclass(frozen=True)
class Preset:
    info: PresetInfo
    folder: Path

    @property
    def name(self) -> str:
        return self.info.name

    def template(self, file_name: str) -> Path:
        return self.folder / file_name


def presets_folder() -> Path:
    return data_path("presets")


def discover(folder: Path | None = None) -> list[Preset]:
    """Every preset folder, sorted by name; a malformed one is an error, never silently skipped."""
    root = folder or presets_folder()
    if not root.is_dir():
        raise single(PresetError, root, "cartella dei modelli di gara (preset) non trovata")
    problems = ProblemList()
    found = [preset for child in sorted(root.iterdir())
             if child.is_dir() and (preset := _load(child, problems)) is not None]
    problems.raise_if_any(PresetError)
    return found


def find(name: str, folder: Path | None = None) -> Preset:
    presets = {preset.name: preset for preset in discover(folder)}
    if name in presets:
        return presets[name]
    close = difflib.get_close_matches(name, list(presets), n=1, cutoff=0.5)
    hint = f"forse intendevi «{close[0]}»?" if close else f"disponibili: {', '.join(presets)}"
    raise single(PresetError, name, "modello di gara (preset) sconosciuto", hint=hint)


def _load(folder: Path, problems: ProblemList) -> Preset | None:
    path = folder / PRESET_FILE
    missing = [name for name in (PRESET_FILE, SPEC_TEMPLATE, README_TEMPLATE) if not (folder / name).is_file()]
    if missing:
        problems.add(Location(str(folder)), f"il preset non contiene {', '.join(missing)}")
        return None
    try:
        document = load_yaml(path)
        info = PresetInfo.model_validate(document.data)
    except CapitolatoError as exc:
        problems.problems.extend(exc.problems)
        return None
    except ValidationError as exc:
        problems.problems.extend(translate(exc, document, PresetInfo))
        return None
    if info.name != folder.name:
        problems.add(document.locate(("nome",)),
                     f"il nome «{info.name}» deve coincidere con la cartella «{folder.name}»")
        return None
    return Preset(info, folder)


