"""Shared test helpers: paths of the shipped example and fixtures, spec mutation."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

pytest_plugins = ["tests.library.clause_fixtures"]

# A Word index gets its page numbers from a LibreOffice layout (seconds per document): only the tests that ask.
os.environ.setdefault("CAPITOLATO_INDICE", "campo")
# The clause library's disk cache would outlive a test and write to the home directory: its own tests turn it on.
os.environ["CAPITOLATO_NO_CACHE"] = "1"

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


def copy_example(source: Path, target: Path) -> Path:
    """Copy an example folder without the build/ outputs a user may have produced there (README's first command)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("build"))
    return target


def untypeset(text: str) -> str:
    """Generated text without its typography (non-breaking spaces, ’), to compare with a clause's source text."""
    return text.replace("\u00a0", " ").replace("’", "'")


def leading_words(clause_text: str, count: int = 6) -> str:
    """The first words of a rendered clause, before any cross-reference (which differs once numbered)."""
    plain = re.sub(r"[*_`#>-]", "", clause_text).split("l'articolo «")[0]
    return " ".join(plain.split()[:count])


def without_sections(text: str, *names: str) -> str:
    """The spec text without the given top-level sections (so tests can append their own)."""
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):
        top_level = line[:1] not in (" ", "#", "\n", "-") and ":" in line
        if top_level:
            skipping = line.split(":", 1)[0] in names
        if not skipping:
            kept.append(line)
    return "".join(kept)


def with_clauses(text: str, block: str) -> str:
    """Replace the spec's `clausole` (and `deroghe`) with `block`, a YAML snippet starting with `clausole:`."""
    return without_sections(text, "clausole", "deroghe").rstrip("\n") + "\n" + block


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


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_screenshot(page: Path, name: str, width: int, height: int) -> bytes:
    """A headless Chromium screenshot of `page`, kept in test-artifacts/ (or $CAPITOLATO_ARTIFACTS) to be looked at."""
    import subprocess
    import tempfile

    artifacts = Path(os.environ.get("CAPITOLATO_ARTIFACTS", REPO / "test-artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    shot = artifacts / name
    shot.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", f"--screenshot={shot}", f"--window-size={width},{height}",
                        page.as_uri()], capture_output=True, timeout=180, check=True)
    return shot.read_bytes()
