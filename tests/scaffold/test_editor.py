"""The round-trip editor: the added block is the only difference, byte for byte, and failures write nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from capitolato.errors import CapitolatoError
from capitolato.scaffold.apply import add_clause
from capitolato.scaffold.editor import ClauseEntry, EditError, add_clauses
from capitolato.spec.load import load_spec
from tests.conftest import MELZO, with_clauses

COMMENTED_CLAUSES = """\
# Clausole scelte     (commento con spazi   strani)
clausole:   # commento in linea
  # gruppo CCNL
  - id: ccnl-applicabile
    parametri:
      zona: 'Città metropolitana di Milano'   # virgolette singole conservate
  - id: revisione-prezzi
    parametri:
      indici: [prezzi al consumo,   retribuzioni contrattuali]
  -   id: tutela-retribuzioni

  # commento indentato alla fine del blocco

# Commento che appartiene alla sezione seguente
deroghe: []   # nessuna
"""


def _split_at_block(before: str, after: str) -> tuple[str, str, str]:
    """Common prefix, inserted text, common suffix."""
    start = 0
    while start < len(before) and before[start] == after[start]:
        start += 1
    end = 0
    while end < len(before) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return after[:start], after[start:len(after) - end], after[len(after) - end:]


def _spec(tmp_path: Path, clauses_block: str, melzo_text: str) -> Path:
    path = tmp_path / "capitolato.yaml"
    path.write_text(with_clauses(melzo_text, clauses_block), encoding="utf-8")
    return path


def test_only_the_added_block_differs(tmp_path: Path, melzo_text: str) -> None:
    path = _spec(tmp_path, COMMENTED_CLAUSES, melzo_text)
    before = path.read_text(encoding="utf-8")
    added = add_clause(path, "subappalto-parita-trattamento", {"quota_massima": "30"})
    added.edit.write()
    after = path.read_text(encoding="utf-8")
    prefix, block, suffix = _split_at_block(before, after)
    assert prefix + suffix == before
    assert block.startswith("  - id: subappalto-parita-trattamento  # DA VERIFICARE: aggiunta da")
    assert "quota_massima: 30" in block
    assert after.index("  # commento indentato alla fine del blocco") < after.index("subappalto-parita")
    assert after.index("subappalto-parita") < after.index("# Commento che appartiene alla sezione seguente")
    assert [use.id for use in load_spec(path).clauses][-1] == "subappalto-parita-trattamento"


def test_creates_the_section_when_absent(tmp_path: Path, melzo_text: str) -> None:
    path = _spec(tmp_path, "", melzo_text)
    before = path.read_text(encoding="utf-8")
    add_clause(path, "tutela-retribuzioni", {}).edit.write()
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n") + "\n")
    assert after.endswith("clausole:\n  - id: tutela-retribuzioni  # DA VERIFICARE: aggiunta da capitolato "
                          "aggiungi-clausola\n")


@pytest.mark.parametrize("header", ["clausole: []  # vuota\n", "clausole:\n"])
def test_empty_section(header: str) -> None:
    text = f"versione: 1\n{header}deroghe: []\n"
    result = add_clauses(text, [ClauseEntry("penali", {"permille_giornaliero": 0.5})])
    assert result.startswith("versione: 1\nclausole:")
    assert "  - id: penali" in result and "      permille_giornaliero: 0.5\n" in result
    assert result.endswith("deroghe: []\n")


def test_crlf_and_bom_are_kept(tmp_path: Path, melzo_text: str) -> None:
    path = tmp_path / "capitolato.yaml"
    text = with_clauses(melzo_text, COMMENTED_CLAUSES)
    path.write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    before = path.read_bytes()
    add_clause(path, "subappalto-parita-trattamento", {}).edit.write()
    after = path.read_bytes()
    assert after.startswith("\ufeff".encode()) and b"\n" not in after.replace(b"\r\n", b"")
    prefix, _, suffix = _split_at_block(before.decode(), after.decode())
    assert prefix + suffix == before.decode()


def test_text_placeholders_are_marked(tmp_path: Path, melzo_text: str) -> None:
    path = _spec(tmp_path, COMMENTED_CLAUSES, melzo_text)
    added = add_clause(path, "criteri-ambientali-minimi", {})
    assert "      decreto_cam: DA COMPLETARE  # DA COMPLETARE: " in added.edit.after
    assert added.entry.placeholders == {"decreto_cam": added.entry.placeholders["decreto_cam"]}


@pytest.mark.parametrize(("clause", "given", "message"), [
    ("penale", {}, "forse intendevi «penali»"),
    ("ccnl-applicabile", {}, "è già nello spec"),
    ("penali", {}, "serve un valore per «permille_giornaliero»"),
    ("penali", {"permille_giornaliero": "5"}, "supera il massimo"),
    ("penali", {"permille_giornaliero": "0.5", "tetto": "10"}, "non ha il parametro «tetto»"),
    ("convenzione-381", {}, "non si applica alla procedura"),
])
def test_refusals_leave_the_file_untouched(tmp_path: Path, melzo_text: str, clause: str, given: dict,
                                           message: str) -> None:
    path = _spec(tmp_path, COMMENTED_CLAUSES, melzo_text)
    before = path.read_bytes()
    with pytest.raises(CapitolatoError) as caught:
        add_clause(path, clause, given)
    assert message in str(caught.value)
    assert path.read_bytes() == before


def test_flow_sequence_with_items_is_refused() -> None:
    with pytest.raises(EditError, match="forma compatta"):
        add_clauses("versione: 1\nclausole: [{id: penali}]\n", [ClauseEntry("tutela-retribuzioni")])


def test_invalid_spec_is_not_edited(tmp_path: Path) -> None:
    shutil.copy(MELZO, tmp_path / "capitolato.yaml")
    path = tmp_path / "capitolato.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("durata_mesi: 36", "durata_mesi: tanti"), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(CapitolatoError, match="correggerlo prima"):
        add_clause(path, "tutela-retribuzioni", {})
    assert path.read_bytes() == before
