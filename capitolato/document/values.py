"""Spec values on their way into a document: literal text, tagged with where in the spec they come from.

Templates and clause texts are Markdown; the values they print are not. Every printed value is escaped so that the
Markdown parser reads it back as exactly its characters, and a value of the spec is wrapped in nonce markers that
carry its spec path: the reader turns the marked text into `Text(origin=…)` nodes (and placeholders into
`Placeholder` nodes located at that path). A value can never forge a marker, since the nonce is drawn per document.
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

_ESCAPES = str.maketrans({char: "\\" + char for char in string.punctuation})
_LINE_BREAKS = re.compile(r"\r\n?|\u2028|\u2029")


class SpecText(str):
    """A string of the spec that remembers its dotted path («ente.rup», «strategie.0.titolo»)."""

    origin: str

    def __new__(cls, value: str, origin: str) -> SpecText:
        text = super().__new__(cls, value)
        text.origin = origin
        return text


def with_origins(data: Any, path: str) -> Any:
    """The same data with every string a `SpecText` carrying its path."""
    if isinstance(data, str):
        return SpecText(data, path)
    if isinstance(data, dict):
        return {key: with_origins(value, f"{path}.{key}" if path else str(key)) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [with_origins(value, f"{path}.{index}") for index, value in enumerate(data)]
    return data


def escape(text: str) -> str:
    """Markdown that renders as `text`: punctuation escaped, no indentation (a code block), paragraphs kept."""
    lines = _LINE_BREAKS.sub("\n", text).split("\n")
    return "\n".join(line.strip(" \t").translate(_ESCAPES) for line in lines)


@dataclass
class Markers:
    """The markers of one document: articles, cross-references, tables and the origins of spec values."""

    nonce: str = field(default_factory=lambda: secrets.token_hex(6))
    origins: list[str] = field(default_factory=list)
    tables: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        n = self.nonce
        self.article_re = re.compile(rf"⟦A{n}:([a-z0-9-]+)⟧\n?")
        self.inline_re = re.compile(rf"⟦(S|E|R){n}(?::([^⟧]*))?⟧")
        self.table_re = re.compile(rf"^⟦T{n}:(\d+)⟧$")

    def article(self, section: str) -> str:
        return f"⟦A{self.nonce}:{section}⟧\n"

    def reference(self, section: str) -> str:
        return f"⟦R{self.nonce}:{section}⟧"

    def table(self, table: Any) -> str:
        self.tables.append(table)
        return f"\n\n⟦T{self.nonce}:{len(self.tables) - 1}⟧\n\n"

    def value(self, text: str, origin: str) -> str:
        self.origins.append(origin)
        return f"⟦S{self.nonce}:{len(self.origins) - 1}⟧{text}⟦E{self.nonce}⟧"


_CURRENT: ContextVar[Markers | None] = ContextVar("capitolato_markers", default=None)


@contextmanager
def marking(markers: Markers) -> Iterator[Markers]:
    """Within this block, printed spec values are tagged with `markers`."""
    token = _CURRENT.set(markers)
    try:
        yield markers
    finally:
        _CURRENT.reset(token)


def literal(value: Any) -> str:
    """What an expression of a Markdown template prints: the value as literal text, tagged if it is the spec's."""
    text = escape(str(value))
    markers = _CURRENT.get()
    if markers is not None and isinstance(value, SpecText):
        return markers.value(text, value.origin)
    return text
