"""Sentences that several documents of one tender must state in the same words, written once.

The capitolato and the disciplinare both say what the discount applies to; two wordings are two rules a bidder can
play against each other. Such sentences live in capitolato/data/frasi.yaml as Jinja texts with the clause context,
and clause texts and document templates print them as `{{ frasi.<nome> }}`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from capitolato.resources import package_data
from capitolato.templating import render_source


class Phrases(Mapping[str, str]):
    """The shared sentences of one tender, each rendered the first time it is printed."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self._context = context
        self._rendered: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        if name not in self._rendered:
            source = package_data("frasi.yaml")[name]
            self._rendered[name] = " ".join(render_source(source, self._context, name=f"frasi.{name}").split())
        return self._rendered[name]

    def __iter__(self) -> Iterator[str]:
        return iter(package_data("frasi.yaml"))

    def __len__(self) -> int:
        return len(package_data("frasi.yaml"))
