"""Shared guidelines as data: a YAML list of conditions on the observatory's indicators, each tender scored on them.

The default set (capitolato/data/linee-guida.yaml) is derived from the Melzo model; an authority passes its own file
with `--linee-guida`. Every mistake in the file is a located problem (file:line:column), never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from capitolato.errors import CapitolatoError, Problem
from capitolato.resources import package_data
from capitolato.spec.yamlsource import NodePath, YamlDocument, load_yaml

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "linee-guida.yaml"
CONDITIONS = ("minimo", "massimo", "valore")
KEYS = frozenset({"codice", "titolo", "indicatore", *CONDITIONS, "quando", "peso", "fonte"})


class GuidelineError(CapitolatoError):
    """The guidelines file cannot be read or does not validate."""


class Outcome(StrEnum):
    MET = "rispettata"
    MISSED = "mancata"
    UNKNOWN = "non valutabile"
    NOT_APPLICABLE = "non applicabile"


@dataclass(frozen=True)
class Guideline:
    code: str
    title: str
    indicator: str
    condition: str
    threshold: Any
    when: dict[str, Any] = field(default_factory=dict)
    weight: int = 1
    source: str = ""

    def applies(self, row: dict[str, Any]) -> bool:
        return all(row.get(key) == value for key, value in self.when.items())

    def outcome(self, row: dict[str, Any]) -> Outcome:
        """What the tender's row says about this guideline: a missing value is «non valutabile», never a pass."""
        if not self.applies(row):
            return Outcome.NOT_APPLICABLE
        value = row.get(self.indicator)
        if value is None:
            return Outcome.UNKNOWN
        if self.condition == "minimo":
            met = value >= self.threshold
        elif self.condition == "massimo":
            met = value <= self.threshold
        else:
            met = value == self.threshold
        return Outcome.MET if met else Outcome.MISSED

    @property
    def expected(self) -> str:
        """The condition in words: «≤ 20», «≥ 10», «sì»."""
        if self.condition == "valore":
            return _word(self.threshold)
        return f"{'≥' if self.condition == 'minimo' else '≤'} {_word(self.threshold)}"


@dataclass(frozen=True)
class Guidelines:
    name: str
    path: Path
    items: tuple[Guideline, ...]


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(".", ",")


def load_guidelines(path: Path | None = None) -> Guidelines:
    """The guidelines in `path` (default: the Melzo set shipped with the tool), validated against the indicators."""
    source = path or DEFAULT_FILE
    document = _read(source)
    checker = _Checker(document)
    items = checker.guidelines()
    if checker.problems:
        raise GuidelineError(checker.problems)
    return Guidelines(str(document.data.get("nome") or source.stem), source, tuple(items))


def _read(path: Path) -> YamlDocument:
    try:
        return load_yaml(path)
    except CapitolatoError as exc:
        raise GuidelineError(exc.problems) from None


def indicator_types() -> dict[str, str]:
    return {key: item["tipo"] for key, item in package_data("osservatorio.yaml")["indicatori"].items()}


class _Checker:
    """Collects every problem of the file at once, each at its line and column."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.problems: list[Problem] = []
        self.types = indicator_types()

    def fail(self, node: NodePath, message: str, hint: str | None = None, *, key: bool = False) -> None:
        self.problems.append(Problem(self.document.locate(node, key=key), message, hint))

    def guidelines(self) -> list[Guideline]:
        data = self.document.data
        if not isinstance(data, dict):
            self.fail((), "il file delle linee guida deve essere una mappa con «linee_guida»")
            return []
        for key in data:
            if key not in {"versione", "nome", "linee_guida"}:
                self.fail((key,), f"chiave sconosciuta «{key}»", "chiavi ammesse: versione, nome, linee_guida", key=True)
        if data.get("versione") != 1:
            self.fail(("versione",), "«versione» deve essere 1")
        entries = data.get("linee_guida")
        if not isinstance(entries, list) or not entries:
            self.fail(("linee_guida",), "«linee_guida» deve essere un elenco non vuoto")
            return []
        items = [item for index, entry in enumerate(entries) if (item := self.guideline(index, entry))]
        self.unique(items)
        return items

    def unique(self, items: list[Guideline]) -> None:
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.code in seen:
                self.fail(("linee_guida", index, "codice"), f"codice «{item.code}» ripetuto")
            seen.add(item.code)

    def guideline(self, index: int, entry: Any) -> Guideline | None:
        node: NodePath = ("linee_guida", index)
        if not isinstance(entry, dict):
            self.fail(node, "ogni linea guida è una mappa (codice, titolo, indicatore, condizione)")
            return None
        before = len(self.problems)
        for key in entry:
            if key not in KEYS:
                self.fail((*node, key), f"chiave sconosciuta «{key}»", "chiavi ammesse: " + ", ".join(sorted(KEYS)),
                          key=True)
        for key in ("codice", "titolo", "indicatore"):
            if not isinstance(entry.get(key), str) or not entry.get(key, "").strip():
                self.fail((*node, key) if key in entry else node, f"manca «{key}» (testo)")
        indicator = entry.get("indicatore")
        if isinstance(indicator, str) and indicator not in self.types:
            self.fail((*node, "indicatore"), f"indicatore sconosciuto «{indicator}»",
                      "indicatori: " + ", ".join(self.types))
        conditions = [key for key in CONDITIONS if key in entry]
        if len(conditions) != 1:
            self.fail(node, "ogni linea guida ha una sola condizione tra «minimo», «massimo» e «valore»")
        else:
            self.threshold(node, conditions[0], entry[conditions[0]], self.types.get(str(indicator)))
        when = self.when(node, entry.get("quando", {}))
        weight = entry.get("peso", 1)
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 100:
            self.fail((*node, "peso"), "«peso» deve essere un numero intero da 1 a 100")
        if len(self.problems) > before:
            return None
        return Guideline(entry["codice"].strip(), entry["titolo"].strip(), indicator, conditions[0],
                         _number(entry[conditions[0]]), when, weight, str(entry.get("fonte") or ""))

    def threshold(self, node: NodePath, condition: str, value: Any, kind: str | None) -> None:
        if kind is None:
            return
        if kind == "booleano" and (condition != "valore" or not isinstance(value, bool)):
            self.fail((*node, condition), "per un indicatore sì/no la condizione è «valore: true» o «valore: false»")
        elif kind == "numero" and (isinstance(value, bool) or not isinstance(value, int | float)):
            self.fail((*node, condition), f"«{condition}» deve essere un numero per questo indicatore")

    def when(self, node: NodePath, when: Any) -> dict[str, Any]:
        if not isinstance(when, dict):
            self.fail((*node, "quando"), "«quando» è una mappa indicatore: valore (es. servizi_persona: true)")
            return {}
        for key, value in when.items():
            if key not in self.types:
                self.fail((*node, "quando", key), f"indicatore sconosciuto «{key}» in «quando»", key=True)
            elif self.types[key] == "booleano" and not isinstance(value, bool):
                self.fail((*node, "quando", key), f"«{key}» in «quando» vale true o false")
        return {key: _number(value) for key, value in when.items()}


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
