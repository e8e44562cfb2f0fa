"""Hypothesis strategies for tender specs: valid variations of the shipped examples, and mutated ones.

Specs are handled as plain data (dicts and lists) read from the examples, changed, then dumped to YAML text: the
entry points under test always start from a file, as they do for an officer.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from ruamel.yaml import YAML

from tests.conftest import EXAMPLES

NodePath = tuple[str | int, ...]

EXAMPLE_FILES = tuple(sorted(EXAMPLES.glob("*/capitolato.yaml")))


@cache
def example_data(path: Path) -> Any:
    """An example as plain data (dates stay dates); copy before changing it."""
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def dump(data: Any) -> str:
    """YAML text of plain data, collections of scalars on one line (so each node has its own line)."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = None
    yaml.width = 10_000
    yaml.allow_unicode = True
    buffer = io.StringIO()
    yaml.dump(_dumpable(data), buffer)
    return buffer.getvalue()


def _dumpable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(key): _dumpable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dumpable(item) for item in value]
    return value


def node_paths(data: Any, prefix: NodePath = ()) -> list[NodePath]:
    """Every node below the root, parents before children."""
    found: list[NodePath] = []
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, child in children:
        path = (*prefix, key)
        found.append(path)
        found += node_paths(child, path)
    return found


def get(data: Any, path: NodePath) -> Any:
    for part in path:
        data = data[part]
    return data


def replaced(data: Any, path: NodePath, value: Any) -> Any:
    result = copy.deepcopy(data)
    get(result, path[:-1])[path[-1]] = value
    return result


def deleted(data: Any, path: NodePath) -> Any:
    result = copy.deepcopy(data)
    del get(result, path[:-1])[path[-1]]
    return result


# Values a hand-edited or machine-damaged file may hold anywhere.
SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", " ", "DA COMPLETARE", "aperta", "oepv", "85310000-5", "1e400", "-0", "0x1F", "~", "null",
                     "{{ ente.__class__ }}", "../../etc/passwd", "⟦ART 0 premessa⟧", "---", "# commento"]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
)
YAML_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=12)


@st.composite
def mutated_data(draw: st.DrawFn) -> Any:
    """An example with one to three nodes replaced, deleted or added."""
    data = copy.deepcopy(example_data(draw(st.sampled_from(EXAMPLE_FILES))))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = node_paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "delete", "insert"]))
        if action == "replace":
            data = replaced(data, path, draw(YAML_VALUES))
        elif action == "delete":
            data = deleted(data, path)
        else:
            data = _inserted(data, path, draw)
    return data


def _inserted(data: Any, path: NodePath, draw: st.DrawFn) -> Any:
    parent = get(data, path[:-1])
    value = draw(YAML_VALUES)
    result = copy.deepcopy(data)
    target = get(result, path[:-1])
    if isinstance(parent, list):
        target.insert(draw(st.integers(min_value=0, max_value=len(parent))), value)
    else:
        target[draw(st.one_of(st.text(max_size=12), st.sampled_from(sorted(parent))))] = value
    return result


NOISE = (b"\t", b":", b"- ", b"\n  ", b"&a", b"*a", b"{", b"[", b"'", b'"', b"\r", b"\xff", b"\xef\xbb\xbf",
         b"!!python/object/apply:os.system [id]", b"<<: *a", b"%YAML 1.1\n---\n")


@st.composite
def damaged_text(draw: st.DrawFn) -> bytes:
    """An example's bytes truncated, with random bytes spliced in, or with a character replaced."""
    raw = draw(st.sampled_from(EXAMPLE_FILES)).read_bytes()
    position = draw(st.integers(min_value=0, max_value=len(raw)))
    action = draw(st.sampled_from(["truncate", "splice", "replace"]))
    if action == "truncate":
        return raw[:position]
    noise = draw(st.one_of(st.binary(min_size=1, max_size=8), st.sampled_from(NOISE)))
    if action == "splice":
        return raw[:position] + noise + raw[position:]
    return raw[:position] + noise + raw[position + 1:]


MONEY = st.decimals(min_value=Decimal("1000"), max_value=Decimal("1e9"), places=2)
CODES = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,6}\Z")
# Titles start with a word: ruamel writes `?0` unquoted in a flow mapping and then cannot read it back.
TITLES = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60).map(
    lambda text: f"Voce {text}".strip())


@st.composite
def criteria_trees(draw: st.DrawFn, depth: int = 3) -> list[dict[str, Any]]:
    """A criteria tree with unique codes; points may or may not add up (that is a finding, not a crash)."""
    counter = iter(range(10_000))

    def tree(level: int) -> list[dict[str, Any]]:
        items = []
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            item: dict[str, Any] = {"codice": f"k{next(counter)}", "titolo": draw(TITLES),
                                    "punti": draw(st.integers(min_value=0, max_value=60))}
            if level < depth and draw(st.booleans()):
                item["sottocriteri"] = tree(level + 1)
            else:
                item["tipo"] = draw(st.sampled_from(["discrezionale", "quantitativo", "tabellare"]))
            items.append(item)
        return items

    return tree(1)


@st.composite
def varied_data(draw: st.DrawFn) -> Any:
    """An example with values, lists, criteria and clause choices varied within what the schema allows."""
    data = copy.deepcopy(example_data(draw(st.sampled_from(EXAMPLE_FILES))))
    procedure, amounts = data["procedura"], data["importi"]
    procedure["oggetto"] = draw(TITLES).strip() or "Servizio"
    procedure["durata_mesi"] = draw(st.integers(min_value=1, max_value=600))
    base = draw(MONEY)
    amounts["base"] = float(base)
    amounts.pop("sicurezza", None)
    if "manodopera" in amounts:
        share = draw(st.decimals(min_value=0, max_value=1, places=2))
        amounts["manodopera"] = float((base * share).quantize(Decimal("0.01")))
    for optional in ("premessa", "ccnl", "governance", "linee_supporto", "descrizione_servizio"):
        if optional in data and draw(st.booleans()):
            del data[optional]
    for strategy in data.get("strategie", []):
        strategy["attivita"] = draw(st.lists(TITLES, max_size=3))
    impact = data.get("valutazione_impatto") or {}
    for key, items in (("linee_supporto", data), ("indicatori", impact)):
        if items.get(key):
            items[key] = draw(st.lists(st.sampled_from(items[key]), max_size=len(items[key]), unique_by=id))
    if data.get("clausole"):
        data["clausole"] = draw(st.lists(st.sampled_from(data["clausole"]), max_size=len(data["clausole"]),
                                         unique_by=lambda c: c["id"]))
    award = data.get("aggiudicazione")
    if award and draw(st.booleans()):
        award["criteri"] = draw(criteria_trees())
    return without_unmet_clauses(data)


def without_unmet_clauses(data: Any) -> Any:
    """Drop the chosen clauses that read (`fatto`) a required spec fact the variation removed: a valid spec
    never asks a clause for a fact it does not state."""
    from capitolato.library.load import load_library

    library = load_library()

    def met(use: dict[str, Any]) -> bool:
        clause = library.get(use["id"])
        return clause is None or all(_present(data, parameter.fact) for parameter in clause.parameters.values()
                                     if parameter.fact and parameter.required)

    if data.get("clausole"):
        data["clausole"] = [use for use in data["clausole"] if met(use)]
    return data


def _present(data: Any, path: str) -> bool:
    """Whether the raw spec states the fact (derived facts are always computed)."""
    if path.startswith("derivati."):
        return True
    node = data
    for part in path.split("."):
        if not isinstance(node, dict) or node.get(part) is None:
            return False
        node = node[part]
    return True
