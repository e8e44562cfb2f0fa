"""An archive of tenders for the observatory: the examples, the presets scaffolded with `new`, and the Word
documents `build` makes from one example (a tender read back through the audit)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capitolato.cli.app import app
from tests.conftest import EXAMPLES, copy_example
from tests.scaffold.test_presets_end_to_end import ESSENTIALS

runner = CliRunner()
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "capitolato.yaml").is_file())
REAL_TENDERS = Path(__file__).resolve().parents[2].parent / "shared" / "real-tenders"


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def scaffold_presets(folder: Path) -> list[Path]:
    made = []
    for preset, essentials in sorted(ESSENTIALS.items()):
        target = folder / preset
        result = invoke("new", target, "--preset", preset, "--no-input", "--set=ente=Comune di Prova",
                        *(f"--set={item}" for item in essentials))
        assert result.exit_code == 0, result.output
        made.append(target)
    return made


def build_documents(example: Path, folder: Path) -> Path:
    """The Word documents of an example, in a folder of their own: one tender read from documents."""
    result = invoke("build", example, "-o", folder, "--formato", "docx", "-q")
    assert result.exit_code in (0, 1), result.output
    assert any(folder.glob("*.docx"))
    return folder


@pytest.fixture(scope="session")
def archive(tmp_path_factory) -> Path:
    """examples/ (copied), presets/ (scaffolded), documenti/melzo (built): 5 + 7 + 1 tenders."""
    root = tmp_path_factory.mktemp("archivio")
    for name in EXAMPLE_NAMES:
        copy_example(EXAMPLES / name, root / "esempi" / name)
    scaffold_presets(root / "preset")
    build_documents(root / "esempi" / "melzo-servizi-persona", root / "documenti" / "melzo-docx")
    return root


@pytest.fixture
def small_archive(tmp_path: Path) -> Path:
    """Three examples, copied so a test can change one file."""
    for name in ("assistenza-domiciliare-prezzo-fisso", "melzo-servizi-persona", "sieg-trasporto-sociale"):
        copy_example(EXAMPLES / name, tmp_path / "gare" / name)
    return tmp_path / "gare"


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
