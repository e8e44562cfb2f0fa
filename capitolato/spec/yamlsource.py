"""Reads user YAML safely and keeps the line and column of every node."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from capitolato.errors import CapitolatoError, Location, ProblemList, SpecError, single, warn
from capitolato.fsutil import ReadRefused, read_bounded
from capitolato.model.characters import Meaning, classify, describe, first_unusual

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_ALIAS_NODES = 20_000
MAX_DEPTH = 128

NodePath = tuple[str | int, ...]

_SYNTAX_MESSAGES: tuple[tuple[str, str], ...] = (
    ("'\\t'", "carattere di tabulazione: nel YAML l'indentazione si fa solo con spazi"),
    ("duplicate key", "chiave duplicata: ogni chiave può comparire una sola volta nella stessa sezione"),
    ("could not find expected ':'", "manca «:» dopo una chiave, oppure un testo su più righe non è indentato"),
    ("mapping values are not allowed", "«:» inatteso: se il valore contiene due punti, racchiuderlo tra virgolette"),
    ("found undefined alias", "alias («*nome») non definito"),
    ("expected <block end>", "indentazione non coerente con le righe precedenti"),
    ("did not find expected key", "indentazione non coerente con le righe precedenti"),
    ("found unexpected end of stream", "fine del file inattesa: una virgoletta o una parentesi non è chiusa"),
    ("did not find expected '-'", "elemento di elenco non allineato: ogni voce inizia con «- » alla stessa colonna"),
    ("expected the node content", "manca un valore: una parentesi «[» o «{» non è chiusa, o un valore è rimasto vuoto"),
    ("expected ',' or '}'", "parentesi «{» non chiusa, o due voci non separate da «,»"),
    ("expected ',' or ']'", "parentesi «[» non chiusa, o due voci non separate da «,»"),
    ("cannot start any token", "un valore non può iniziare con questo carattere (per esempio «@» o «`»): racchiuderlo "
                               "tra virgolette"),
)


@dataclass
class YamlDocument:
    """A parsed YAML file: plain data for validation, and the line and column of every node.

    Positions come from the slow round-trip parser, so a file read on the fast path gets them only when a
    message first needs one.
    """

    path: Path
    text: str
    data: Any
    value_positions: dict[NodePath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[NodePath, tuple[int, int]] = field(default_factory=dict)
    positioned: bool = False

    def locate(self, node_path: NodePath, *, key: bool = False) -> Location:
        """The closest known position to a node path (its parent when the node is missing)."""
        if not self.positioned:
            self._read_positions()
        table = self.key_positions if key else self.value_positions
        probe = tuple(node_path)
        while probe:
            if probe in table:
                return Location(str(self.path), *table[probe])
            if probe in self.value_positions:
                return Location(str(self.path), *self.value_positions[probe])
            probe = probe[:-1]
        line, column = self.value_positions.get((), (1, 1))
        return Location(str(self.path), line, column)

    def _read_positions(self) -> None:
        self.positioned = True
        _Converter(self).convert(parse_round_trip(self.path, self.text), ())


def read_text(path: Path) -> str:
    """Read a user's text file, turning every OS or encoding failure into a located error.

    Only a regular file of at most MAX_BYTES is read (fsutil.read_bounded), and it is recorded as an input of the
    run, so no output of the same run can overwrite it.
    """
    try:
        raw = read_bounded(path, MAX_BYTES)
    except ReadRefused as exc:
        raise single(SpecError, path, exc.reason) from None
    if b"\x00" in raw:
        line, column = _position(raw, raw.index(b"\x00"))
        raise single(SpecError, path, "file binario (contiene il carattere NUL): non è un testo YAML", line, column)
    return _decode(path, raw)


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    return line, len(raw[raw.rfind(b"\n", 0, offset) + 1:offset].decode("utf-8", "replace")) + 1


def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        raise single(SpecError, path, "il file non è codificato in UTF-8 (salvarlo come UTF-8)",
                     line, column) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


_RAW_FORBIDDEN = re.compile("[^\t\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _refuse_raw_characters(path: Path, text: str) -> None:
    """A control character typed into the file (YAML refuses it without saying where): located at line:column."""
    match = _RAW_FORBIDDEN.search(text)
    if match is None:
        return
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    verdict = classify(match.group())
    raise single(SpecError, path, verdict.message or f"carattere {describe(match.group())} non ammesso",
                 line, column, verdict.hint)


def load_yaml(path: Path) -> YamlDocument:
    """Parse a YAML file into plain data plus positions; raise SpecError on any failure."""
    return document_from_text(path, read_text(path))


def document_from_text(path: Path, text: str) -> YamlDocument:
    """Parse `text` as the content of `path`: every message is located in that file, never in a scratch copy
    (an edit is validated this way before it is written)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_raw_characters(path, text)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise single(SpecError, path, "il file è vuoto", 1, 1)
    fast = bounded_safe_load(text)
    if fast is not None:
        document = YamlDocument(path=path, text=text, data=fast)
    else:
        document = YamlDocument(path=path, text=text, data=None, positioned=True)
        document.data = _Converter(document).convert(parse_round_trip(path, text), ())
    check_characters(document)
    return document


def check_characters(document: YamlDocument) -> None:
    """Every key and text value of the file through the one character policy (capitolato.model.characters):
    refused characters are located errors, suspicious ones located warnings."""
    problems = ProblemList()
    stack: list[tuple[Any, NodePath]] = [(document.data, ())]
    while stack:
        node, node_path = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                _check_text(document, str(key), (*node_path, key), problems, key=True)
                stack.append((value, (*node_path, key)))
        elif isinstance(node, list):
            stack += [(item, (*node_path, index)) for index, item in enumerate(node)]
        elif isinstance(node, str):
            _check_text(document, node, node_path, problems)
    problems.raise_if_any(SpecError)


def _check_text(document: YamlDocument, text: str, node_path: NodePath, problems: ProblemList, *,
                key: bool = False) -> None:
    found = first_unusual(text)
    if found is None:
        return
    _, verdict = found
    what = "nella chiave" if key else "nel valore"
    location = document.locate(node_path, key=key)
    if verdict.meaning is Meaning.REJECTED:
        problems.add(location, f"{verdict.message} ({what})", verdict.hint)
    else:
        warn(location, f"{verdict.message} ({what})", verdict.hint)


def bounded_safe_load(text: str) -> Any:
    """The data through the C parser, or None whenever anything is unusual (the slow path then explains it).

    Aliases are counted as expanded, so a small file that would unfold into millions of nodes (a table of
    millions of cells) never reaches validation or rendering: every fast reader of YAML uses this one.

    Implicit types still follow YAML 1.2 (ruamel's resolver), so `no` stays a word, as on the slow path.
    """
    try:
        data = YAML(typ="safe", pure=False).load(text)
    except (YAMLError, ValueError, TypeError, RecursionError):
        return None
    return data if _within_limits(data) else None


def _within_limits(data: Any) -> bool:
    """Count nodes as the slow path would (aliases expanded), without building anything."""
    budget, aliased = MAX_NODES, MAX_ALIAS_NODES
    seen: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(data, 0, False)]
    while stack:
        node, depth, inside_alias = stack.pop()
        budget -= 1
        aliased -= inside_alias
        if budget < 0 or aliased < 0 or depth > MAX_DEPTH:
            return False
        if isinstance(node, (dict, list)):
            inside_alias = inside_alias or id(node) in seen
            seen.add(id(node))
        if isinstance(node, dict):
            if not all(isinstance(key, str) for key in node):
                return False
            stack += [(value, depth + 1, inside_alias) for value in node.values()]
        elif isinstance(node, list):
            stack += [(item, depth + 1, inside_alias) for item in node]
        elif isinstance(node, dt.datetime) or not isinstance(node, (str, int, float, bool, dt.date, type(None))):
            return False
    return True


def unusual_text(data: Any) -> bool:
    """True if a key or text of `data` holds a character the policy refuses or warns about."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack += [*map(str, node), *node.values()]
        elif isinstance(node, list):
            stack += node
        elif isinstance(node, str) and first_unusual(node) is not None:
            return True
    return False


class _LenientDates(RoundTripConstructor):
    """An impossible date (2026-13-02) stays a string, so validation reports it at its line."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return self.construct_scalar(node)


_LenientDates.add_constructor("tag:yaml.org,2002:timestamp", _LenientDates.construct_yaml_timestamp)


def new_yaml() -> YAML:
    """The one round-trip YAML configuration used to read and rewrite users' files."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _LenientDates
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def parse_round_trip(path: Path, text: str) -> Any:
    try:
        return new_yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise single(SpecError, path, _syntax_message(exc), line, column) from None
    except RecursionError:
        raise single(SpecError, path, "struttura annidata troppo in profondità: il file non sembra uno spec") from None
    except (YAMLError, ValueError) as exc:
        raise single(SpecError, path, f"YAML non valido ({type(exc).__name__})") from None


def _syntax_message(exc: MarkedYAMLError) -> str:
    problem = f"{exc.problem or ''} {exc.context or ''}"
    for needle, message in _SYNTAX_MESSAGES:
        if needle in problem:
            return f"sintassi YAML non valida: {message}"
    detail = (exc.problem or exc.context or "").strip()
    return "sintassi YAML non valida" + (f" (nelle parole del lettore YAML: «{detail}»)" if detail else "")


class _Converter:
    """Turns the round-trip tree into plain Python, recording positions and bounding size."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.nodes = 0
        self.aliased = 0
        self.seen: set[int] = set()

    def convert(self, node: Any, node_path: NodePath, inside_alias: bool = False) -> Any:
        self.nodes += 1
        self.aliased += inside_alias
        if self.nodes > MAX_NODES:
            self._fail(node_path, f"troppi elementi (oltre {MAX_NODES}): alias annidati o file anomalo")
        if self.aliased > MAX_ALIAS_NODES:
            self._fail(node_path, f"gli alias («*nome») ripetono troppi elementi (oltre {MAX_ALIAS_NODES}): "
                                  "scrivere i valori per esteso, oppure ridurre le ripetizioni")
        if isinstance(node, (CommentedMap, CommentedSeq)):
            inside_alias = inside_alias or id(node) in self.seen
            self.seen.add(id(node))
        if len(node_path) > MAX_DEPTH:
            self._fail(node_path, f"struttura annidata oltre {MAX_DEPTH} livelli")
        if isinstance(node, CommentedMap):
            return self._mapping(node, node_path, inside_alias)
        if isinstance(node, CommentedSeq):
            return self._sequence(node, node_path, inside_alias)
        return plain_scalar(node)

    def _mapping(self, node: CommentedMap, node_path: NodePath, inside_alias: bool) -> dict[str, Any]:
        self._record(self.document.value_positions, node_path, (node.lc.line, node.lc.col))
        result: dict[str, Any] = {}
        for key in node:
            if isinstance(key, (CommentedMap, CommentedSeq)):
                self._fail(node_path, "chiave non valida: una chiave deve essere un testo")
            name = str(plain_scalar(key))
            child = (*node_path, name)
            self._record(self.document.key_positions, child, node.lc.key(key))
            self._record(self.document.value_positions, child, node.lc.value(key))
            result[name] = self.convert(node[key], child, inside_alias)
        return result

    def _sequence(self, node: CommentedSeq, node_path: NodePath, inside_alias: bool) -> list[Any]:
        self._record(self.document.value_positions, node_path, (node.lc.line, node.lc.col))
        items = []
        for index, item in enumerate(node):
            child = (*node_path, index)
            self._record(self.document.value_positions, child, node.lc.item(index))
            items.append(self.convert(item, child, inside_alias))
        return items

    @staticmethod
    def _record(table: dict[NodePath, tuple[int, int]], node_path: NodePath, position: Any) -> None:
        """Keep a node's 0-based (line, column) as 1-based; a tagged node (`!!omap`) may have none, and is then
        located at its parent."""
        if node_path not in table and position is not None and None not in position:
            table[node_path] = (position[0] + 1, position[1] + 1)

    def _fail(self, node_path: NodePath, message: str) -> None:
        location = self.document.locate(node_path)
        raise single(SpecError, location.file, message, location.line, location.column)


def plain_scalar(value: Any) -> Any:
    """Strip ruamel's scalar wrappers so validation sees ordinary Python values."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second)
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, str):
        return str(value)
    return value


INLINE_DEROGATION = re.compile(
    r"#\s*capitolato:\s*deroga\s+(?P<code>[A-Z]{3}\d{3})\s*(?:[—–:-]+\s*)?(?P<reason>.*)$")


def inline_derogations(document: YamlDocument) -> list[tuple[str, str, Location]]:
    """`# capitolato: deroga CODE — motivazione` comments, with the line they sit on."""
    found = []
    for number, line in enumerate(document.text.splitlines(), start=1):
        match = INLINE_DEROGATION.search(line)
        if match:
            column = match.start() + 1
            found.append((match["code"], match["reason"].strip(),
                          Location(str(document.path), number, column)))
    return found


__all__ = ["YamlDocument", "bounded_safe_load", "document_from_text", "load_yaml", "read_text", "new_yaml", "inline_derogations", "CapitolatoError"]
