"""The Melzo example with its invented measurements, copied so tests can add or break files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, copy_example

MELZO_FOLDER = EXAMPLES / "melzo-servizi-persona"


@pytest.fixture
def melzo_copy(tmp_path: Path) -> Path:
    return copy_example(MELZO_FOLDER, tmp_path / "melzo")


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path
