"""Shared test helpers: paths of the shipped example and fixtures, spec mutation."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
MELZO = EXAMPLES / "melzo-servizi-persona" / "capitolato.yaml"
MELZO_2019 = Path(__file__).parent / "fixtures" / "melzo-2019.yaml"


def line_of(text: str, needle: str) -> int:
    """1-based line number of the first line containing `needle` (tests assert locations with it)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


@pytest.fixture
def melzo_text() -> str:
    return MELZO.read_text(encoding="utf-8")


@pytest.fixture
def write_spec(tmp_path: Path):
    """Write a spec text into a fresh folder and return the file path."""

    def write(text: str | bytes, name: str = "capitolato.yaml") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write
