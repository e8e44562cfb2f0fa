"""Helpers to write small clause files for ente-library tests."""

from __future__ import annotations

from pathlib import Path

import pytest

CLAUSE = """\
id: {id}
titolo: {title}
famiglia: sociale
versione: 1
stato: verificato
base_giuridica:
  - atto: D.Lgs. 36/2023
    articolo: "57"
    url: https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2023-03-31;36~art57
collocazione:
  documento: capitolato-speciale
  sezione: clausole-sociali
applicabilita:
  procedure: [aperta]
parametri:
  quota:
    tipo: percentuale
    default: 30
    min: 30
    max: 100
    descrizione: Quota minima
  referente:
    tipo: testo
    descrizione: Referente dell'ente
testo: |
{text}
"""


@pytest.fixture
def ente_library(tmp_path: Path):
    """Write clause files into a fresh folder; returns (folder, write)."""
    folder = tmp_path / "libreria-ente"
    folder.mkdir()

    def write(clause_id: str, title: str = "Clausola dell'ente",
              text: str = "  {{ ente.nome }} riserva il {{ quota | percento }} a {{ referente }}.") -> Path:
        path = folder / f"{clause_id}.yaml"
        path.write_text(CLAUSE.format(id=clause_id, title=title, text=text), encoding="utf-8")
        return path

    return folder, write
