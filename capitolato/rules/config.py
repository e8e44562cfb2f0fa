"""Which rules run: `--select/--ignore`, the spec's `controlli`, and a capitolato.toml or pyproject.toml.

Precedence (as in ruff): the first non-empty `select` among command line, spec and configuration file wins
(default: every rule); `ignore` lists add up, and an ignored code never runs. Codes match exactly or by prefix
(a family such as `AWD`, or `ALL`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from capitolato.errors import Location, Problem, SpecError, single
from capitolato.model.tender import Spec

CONFIG_FILE = "capitolato.toml"
PYPROJECT = "pyproject.toml"
PATTERN = re.compile(r"^(ALL|[A-Z]{3}\d{0,3})$")


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    source: Path | None = None

    def allows(self, code: str) -> bool:
        selected = not self.select or _matches(code, self.select)
        return selected and not _matches(code, self.ignore)


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(p == "ALL" or code.startswith(p) for p in patterns)


def normalise(codes: Iterable[str], origin: str | Location) -> tuple[str, ...]:
    """Upper-case, comma-split codes; an unknown shape, or a code or family no rule has, is an input error naming
    where it came from (a selection that matches nothing would silently switch the check off)."""
    result = []
    for item in codes:
        for part in str(item).split(","):
            code = part.strip().upper()
            if not code:
                continue
            if not PATTERN.match(code):
                raise _selection_error(origin, f"codice di regola non valido «{part.strip()}»",
                                       "un codice (AWD001), una famiglia (AWD) o ALL")
            if not _known(code):
                raise _selection_error(origin, f"nessuna regola ha il codice o la famiglia «{code}»",
                                       _suggestion(code))
            result.append(code)
    return tuple(result)


def _known(code: str) -> bool:
    from capitolato.rules.registry import all_rules

    return code == "ALL" or any(known.startswith(code) for known in all_rules())


def _suggestion(code: str) -> str:
    import difflib

    from capitolato.rules.registry import all_rules

    codes = list(all_rules())
    candidates = codes if len(code) > 3 else sorted({known[:3] for known in codes})
    close = difflib.get_close_matches(code, candidates, n=1, cutoff=0.5)
    listing = "elenco: capitolato rules list"
    return f"forse «{close[0]}»? {listing}" if close else listing


def _selection_error(origin: str | Location, message: str, hint: str) -> SpecError:
    location = origin if isinstance(origin, Location) else Location(origin)
    return SpecError([Problem(location, message, hint)])


def find_config(start: Path) -> tuple[dict, Path] | None:
    """The nearest capitolato.toml, or pyproject.toml with [tool.capitolato], walking up from `start`."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return _read(own).get("tool", {}).get("capitolato", _read(own)), own
        project = candidate / PYPROJECT
        if project.is_file():
            table = _read(project).get("tool", {}).get("capitolato")
            if table is not None:
                return table, project
    return None


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise single(SpecError, path, f"configurazione TOML non leggibile ({exc})") from None


def resolve(spec: Spec, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Selection:
    """Combine the command line (or API arguments), the spec's `controlli` and the nearest configuration file."""
    found = find_config(spec.source.path.parent) if spec.source is not None else None
    table, path = found if found else ({}, None)
    origin = str(path) if path else "configurazione"
    layers = [(normalise(select, "--select"), normalise(ignore, "--ignore")),
              (_spec_codes(spec, "seleziona", spec.checks.select), _spec_codes(spec, "ignora", spec.checks.ignore)),
              (normalise(_list(table, "select", origin), origin), normalise(_list(table, "ignore", origin), origin))]
    chosen = next((s for s, _ in layers if s), ())
    ignored = tuple(code for _, i in layers for code in i)
    return Selection(chosen, ignored, path)


def _spec_codes(spec: Spec, key: str, codes: Sequence[str]) -> tuple[str, ...]:
    """The spec's `controlli` codes, each checked against the registry and located in the officer's file."""
    result: list[str] = []
    for index, code in enumerate(codes):
        origin = spec.source.locate(("controlli", key, index)) if spec.source is not None else f"controlli.{key}"
        result += normalise([code], origin)
    return tuple(result)


def _list(table: dict, key: str, origin: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise single(SpecError, origin, f"«{key}» deve essere un elenco di codici di regola")
    return value
