"""Rule cases: small YAML fragments that make a rule fire or stay silent, applied to a base spec.

They are the rules' test fixtures and the examples of `capitolato rules show` and docs/rules.md. A case file
(`cases/<family>.yaml`) maps rule codes to lists of cases:

    AWD002:
      - fires: true                       # the rule must report (false: must stay silent)
        at: aggiudicazione.punti_economici # where the finding points (optional)
        note: 40 punti su 120              # shown in the docs (optional)
        base: melzo                        # a base of cases/bases.yaml (default melzo: the shipped example)
        spec: {aggiudicazione: {punti_economici: 40, punti_totali: 120}}
        library: {clause-id: {...}}        # fragments of shipped clauses, written as an ente library

Fragments merge into the base: mappings recursively, `null` deletes, a list is replaced, and a mapping applied
to a list edits items by position (integer keys) or by `id`/`codice` (text keys; an unknown one is appended).
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from capitolato.resources import data_path

CASES_DIR = Path(__file__).parent / "cases"
BASES_FILE = CASES_DIR / "bases.yaml"
MELZO = ("examples", "melzo-servizi-persona", "capitolato.yaml")


@dataclass(frozen=True)
class Case:
    code: str
    fires: bool
    spec: dict[str, Any] = field(default_factory=dict)
    base: str = "melzo"
    at: str | None = None
    note: str | None = None
    library: dict[str, Any] = field(default_factory=dict)

    @property
    def node_path(self) -> tuple[str | int, ...]:
        return tuple(int(p) if p.isdigit() else p for p in self.at.split(".")) if self.at else ()


def _yaml() -> YAML:
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096
    return yaml


@cache
def load_cases() -> tuple[Case, ...]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        if path == BASES_FILE:
            continue
        for code, items in (_yaml().load(path.read_text(encoding="utf-8")) or {}).items():
            cases += [Case(code=code, **item) for item in items]
    return tuple(cases)


def cases_for(code: str) -> list[Case]:
    return [case for case in load_cases() if case.code == code]


@cache
def _melzo() -> dict[str, Any]:
    from capitolato.spec.yamlsource import load_yaml

    return load_yaml(data_path(*MELZO)).data


@cache
def _bases() -> dict[str, Any]:
    return _yaml().load(BASES_FILE.read_text(encoding="utf-8")) or {}


def base_data(name: str) -> dict[str, Any]:
    if name == "melzo":
        return copy.deepcopy(_melzo())
    return merge(copy.deepcopy(_melzo()), copy.deepcopy(_bases()[name]))


def build(case: Case) -> dict[str, Any]:
    """The complete spec data of a case."""
    return merge(base_data(case.base), copy.deepcopy(case.spec))


def merge(target: Any, fragment: Any) -> Any:
    if isinstance(fragment, dict) and isinstance(target, dict):
        for key, value in fragment.items():
            if value is None:
                target.pop(key, None)
            else:
                target[key] = merge(target.get(key), value)
        return target
    if isinstance(fragment, dict) and isinstance(target, list):
        return _merge_items(target, fragment)
    return copy.deepcopy(fragment)


def _merge_items(items: list[Any], fragment: dict[Any, Any]) -> list[Any]:
    ident = "codice" if items and isinstance(items[0], dict) and "codice" in items[0] else "id"
    for key, value in fragment.items():
        index = key if isinstance(key, int) else next(
            (i for i, item in enumerate(items) if isinstance(item, dict) and item.get(ident) == key), None)
        if index is None:
            items.append({ident: key, **copy.deepcopy(value or {})})
        elif value is None:
            items[index] = None
        else:
            items[index] = merge(items[index], value)
    return [item for item in items if item is not None]


def dump(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def write_case(case: Case, folder: Path) -> tuple[Path, list[Path]]:
    """Write the case's spec (and ente library, if any) into `folder`; return the spec path and libraries."""
    folder.mkdir(parents=True, exist_ok=True)
    libraries = []
    if case.library:
        from capitolato.library.load import shipped_folder

        library = folder / "libreria"
        library.mkdir(exist_ok=True)
        for clause_id, fragment in case.library.items():
            shipped = _yaml().load((shipped_folder() / f"{clause_id}.yaml").read_text(encoding="utf-8"))
            (library / f"{clause_id}.yaml").write_text(dump(merge(shipped, fragment)), encoding="utf-8")
        libraries.append(library)
    spec = folder / "capitolato.yaml"
    spec.write_text(dump(build(case)), encoding="utf-8")
    return spec, libraries
