"""The round-trip editor: adds clause entries under `clausole:` by splicing text, so every byte of the user's
file outside the added block (comments, order, quoting, blank lines) stays as it was.

ruamel (through `new_yaml()`) reads the structure to find where the block goes and dumps the new values; the
result is parsed again and compared with the original data before anyone writes it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from capitolato.errors import CapitolatoError, Location, Problem
from capitolato.spec.yamlsource import new_yaml

SECTION = "clausole"
EMPTY_FLOW = re.compile(r"^(?P<head>\s*clausole\s*:)\s*\[\s*\](?P<tail>\s*(#.*)?)$")
REVIEW = "DA VERIFICARE"
TO_FILL = "DA COMPLETARE"


class EditError(CapitolatoError):
    """The spec cannot be edited safely; the file is left untouched."""


@dataclass(frozen=True)
class ClauseEntry:
    """One clause to add: the values to write, and which of them are placeholders to fill."""

    clause_id: str
    parameters: dict[str, Any] = field(default_factory=dict)
    placeholders: dict[str, str] = field(default_factory=dict)
    origin: str = "capitolato"


def add_clauses(text: str, entries: Sequence[ClauseEntry], file: str = "capitolato.yaml") -> str:
    """The spec text with `entries` appended to `clausole:` (created at the end if absent).

    Lines are split where YAML splits them (LF, CRLF, CR alone, NEL, LS, PS), so line numbers match the parser's
    and every existing line keeps its own ending; new lines take the file's most common one.
    """
    lines, endings = split_lines(text)
    root = _root(text, file)
    block = [line for entry in entries for line in entry_lines(entry)]
    end = _document_end(lines)
    if SECTION not in root:
        splice = _append_section(lines, end, block)
    else:
        splice = _insert_into_section(lines, end, root, block, file)
    result = splice.apply(lines, endings, dominant_ending(endings))
    _verify(text, result, [entry.clause_id for entry in entries], file)
    return result


LINE_BREAK = re.compile("\r\n|\r|\n|\x85|\u2028|\u2029")


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """The lines of `text` and, for each, the break that ends it ("" for a last line without one)."""
    lines, endings, start = [], [], 0
    for match in LINE_BREAK.finditer(text):
        lines.append(text[start:match.start()])
        endings.append(match.group())
        start = match.end()
    lines.append(text[start:])
    endings.append("")
    return lines, endings


def dominant_ending(endings: Sequence[str]) -> str:
    counts = {ending: endings.count(ending) for ending in set(endings) if ending}
    return max(sorted(counts), key=counts.__getitem__) if counts else "\n"


@dataclass(frozen=True)
class Splice:
    """New lines inserted before line `at`, and optionally one existing line rewritten."""

    at: int
    new: list[str]
    rewritten: tuple[int, str] | None = None

    def apply(self, lines: list[str], endings: list[str], newline: str) -> str:
        lines, endings = list(lines), list(endings)
        if self.rewritten is not None:
            lines[self.rewritten[0]] = self.rewritten[1]
        if self.at > 0 and not endings[self.at - 1]:
            endings[self.at - 1] = newline
        lines[self.at:self.at] = self.new
        endings[self.at:self.at] = [newline] * len(self.new)
        if self.at + len(self.new) == len(lines) and self.new:
            endings[-1] = newline
        return "".join(line + ending for line, ending in zip(lines, endings, strict=True))


def _document_end(lines: list[str]) -> int:
    """The index of the `...` line that ends the YAML document (content after it is not the spec), or the end."""
    for index, line in enumerate(lines):
        if line.rstrip() == "..." or line.startswith("... "):
            return index
    return len(lines)


def _fail(file: str, message: str, line: int = 0, hint: str | None = None) -> EditError:
    return EditError([Problem(Location(file, line, 1 if line else 0), message, hint)])


def _root(text: str, file: str) -> CommentedMap:
    try:
        root = new_yaml().load(text)
    except (YAMLError, ValueError, RecursionError):
        raise _fail(file, "il file non è YAML valido: correggerlo prima di modificarlo",
                    hint="capitolato validate") from None
    if not isinstance(root, CommentedMap) or root.fa.flow_style():
        raise _fail(file, "lo spec deve essere una sezione di chiavi a blocchi (chiave: valore)")
    return root


def entry_lines(entry: ClauseEntry, indent: int = 0) -> list[str]:
    """The YAML lines of one entry, the dash at column `indent`, review notes as comments."""
    pad = " " * indent
    review = f"# {REVIEW}: aggiunta da {entry.origin}" + ("; rivedere i parametri" if entry.parameters else "")
    lines = [f"{pad}- id: {entry.clause_id}  {review}"]
    if entry.parameters:
        lines.append(f"{pad}  parametri:")
        for name, value in entry.parameters.items():
            dumped = _dump({name: value})
            note = entry.placeholders.get(name)
            if note is not None:
                dumped[0] += f"  # {TO_FILL}: {note}"
            lines += [f"{pad}    {line}" for line in dumped]
    return lines


def _dump(data: dict[str, Any]) -> list[str]:
    stream = io.StringIO()
    new_yaml().dump(data, stream)
    return stream.getvalue().rstrip("\n").split("\n")


def _append_section(lines: list[str], end: int, block: list[str]) -> Splice:
    at = end
    while at > 0 and lines[at - 1].strip() == "" and at == len(lines):
        at -= 1
    header = ["", "# Clausole della libreria scelte per questa gara (capitolato clauses list).", f"{SECTION}:"]
    return Splice(at, header + [f"  {line}" for line in block])


def _insert_into_section(lines: list[str], end_of_document: int, root: CommentedMap, block: list[str],
                         file: str) -> Splice:
    keys = list(root)
    key_line = root.lc.key(SECTION)[0]
    position = keys.index(SECTION)
    end = root.lc.key(keys[position + 1])[0] if position + 1 < len(keys) else end_of_document
    section = root[SECTION]
    rewritten = None
    match = EMPTY_FLOW.match(lines[key_line])
    if isinstance(section, CommentedSeq) and (section.fa.flow_style() or match is not None):
        if section or match is None:
            raise _fail(file, "«clausole» è scritta in forma compatta ([...]): riscriverla come elenco a blocchi "
                              "(una voce «- id: …» per riga)", key_line + 1)
        rewritten = (key_line, match["head"] + match["tail"])
        section = None
    elif section is not None and not isinstance(section, CommentedSeq):
        raise _fail(file, "«clausole» deve essere un elenco", key_line + 1)
    indent = _dash_column(lines, section) if section else _key_column(lines[key_line]) + 2
    insert_at = _block_end(lines, key_line, end)
    if insert_at == len(lines) and lines and lines[-1] == "":
        insert_at -= 1
    return Splice(insert_at, [" " * indent + line for line in block], rewritten)


def _key_column(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _dash_column(lines: list[str], section: CommentedSeq) -> int:
    line_index, column = section.lc.item(0)
    dash = lines[line_index].rfind("-", 0, column + 1)
    return dash if dash >= 0 else column


def _block_end(lines: list[str], key_line: int, end: int) -> int:
    """The line after the section's last content: blank lines and unindented comments before the next key
    belong to that key, so the new entry goes above them."""
    index = end
    while index > key_line + 1:
        previous = lines[index - 1]
        if previous.strip() == "" or (previous.startswith("#")):
            index -= 1
            continue
        break
    return index


def _verify(before: str, after: str, added: list[str], file: str) -> None:
    """The edited text must parse to the original data plus the new entries, and nothing else."""
    old, new = _plain(new_yaml().load(before)), _plain(new_yaml().load(after))
    new_entries = new.get(SECTION) or []
    old_entries = old.get(SECTION) or []
    expected_ids = [_entry_id(entry) for entry in old_entries] + added
    same_rest = {k: v for k, v in old.items() if k != SECTION} == {k: v for k, v in new.items() if k != SECTION}
    if [_entry_id(entry) for entry in new_entries] != expected_ids or new_entries[:len(old_entries)] != old_entries \
            or not same_rest:
        raise _fail(file, "la modifica non si può applicare senza alterare il resto del file: nessuna modifica "
                          "scritta", hint="aggiungere la clausola a mano")


def _entry_id(entry: Any) -> Any:
    return entry.get("id") if isinstance(entry, dict) else entry


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    return node
