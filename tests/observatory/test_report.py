"""The observatory's report: HTML self-contained with anchors, charts with text alternatives and their data, the
Word document with the ranking and one section per tender; values from tenders stay text; same inputs, same bytes."""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as WordDocument

from tests.conftest import CHROMIUM, chromium_screenshot
from tests.observatory.conftest import invoke



@pytest.fixture(scope="module")
def reported(tmp_path_factory) -> Path:
    from tests.conftest import EXAMPLES, copy_example

    root = tmp_path_factory.mktemp("rapporto")
    for name in ("melzo-servizi-persona", "sieg-trasporto-sociale", "coprogettazione-art55",
                 "assistenza-domiciliare-prezzo-fisso"):
        copy_example(EXAMPLES / name, root / "gare" / name)
    spec = root / "gare" / "sieg-trasporto-sociale" / "capitolato.yaml"
    text = spec.read_text(encoding="utf-8")
    name = re.search(r"^  nome: (.*)$", text, re.MULTILINE).group(1)
    spec.write_text(text.replace(f"  nome: {name}", '  nome: "Unione <b>dei</b> Comuni & C."', 1), encoding="utf-8")
    result = invoke("osservatorio", root / "gare", "-o", root / "out", "-j", "1")
    assert result.exit_code == 0, result.output
    return root / "out"


def test_html_is_self_contained_with_links_to_each_tender_and_its_findings(reported: Path) -> None:
    page = (reported / "osservatorio.html").read_text(encoding="utf-8")
    assert not re.search(r'(?:src|href)="(?!#|data:)', page), "no external resource or link"
    anchors = set(re.findall(r'id="(gara-\d+)"', page))
    assert anchors == {f"gara-{n}" for n in range(1, 5)}
    for anchor in anchors:
        assert f'href="#{anchor}"' in page and f'id="{anchor}-rilievi"' in page and f'href="#{anchor}-rilievi"' in page


def test_charts_have_text_alternatives_and_downloadable_data(reported: Path) -> None:
    page = (reported / "osservatorio.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', page)
    assert len(images) == 4 and all(len(alt) > 40 for alt in images)
    downloads = re.findall(r'<a download="(grafico-[a-z-]+\.csv)" href="data:text/csv;charset=utf-8;base64,([^"]+)"',
                           page)
    assert [name for name, _ in downloads] == ["grafico-graduatoria.csv", "grafico-punti-economici.csv",
                                               "grafico-linee-guida.csv", "grafico-rilievi.csv"]
    for name, data in downloads:
        assert base64.b64decode(data) == (reported / "dati" / name).read_bytes()
    ranking = base64.b64decode(downloads[0][1]).decode("utf-8").splitlines()
    assert ranking[0] == "posizione,gara,punteggio" and len(ranking) == 5


def test_values_from_tenders_are_text(reported: Path) -> None:
    page = (reported / "osservatorio.html").read_text(encoding="utf-8")
    assert "<b>dei</b>" not in page
    assert "Unione &lt;b&gt;dei&lt;/b&gt; Comuni &amp; C." in page


def test_word_report_has_ranking_reasons_and_one_section_per_tender(reported: Path) -> None:
    document = WordDocument(str(reported / "osservatorio.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[:2] == ["Sintesi", "Graduatoria"]
    tenders = [h for h in headings if re.match(r"\d+\. ", h)]
    assert [h.split(".")[0] for h in tenders] == ["1", "2", "3", "4"]
    ranking = next(t for t in document.tables if t.rows[0].cells[0].text == "Pos.")
    body = [[c.text for c in row.cells] for row in ranking.rows[1:]]
    assert [row[0] for row in body] == ["1", "2", "3", "4"]
    last = body[-1]
    assert "sieg" not in last[1].lower() or "manca" in last[3]
    assert all(("rispetta" in row[3]) or ("manca" in row[3]) for row in body)
    assert len(document.inline_shapes) == 4, "the four charts"


def test_same_inputs_same_report(reported: Path, tmp_path: Path) -> None:
    gare = reported.parent / "gare"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    outputs = []
    for name in ("a", "b"):
        result = subprocess.run([sys.executable, "-m", "capitolato", "osservatorio", str(gare), "-o",
                                 str(tmp_path / name), "-q", "-j", "1"], env=env, capture_output=True, text=True,
                                check=False, cwd=Path(__file__).resolve().parents[2])
        assert result.returncode == 0, result.stderr
        outputs.append(tmp_path / name)
    for file in ("osservatorio.html", "osservatorio.docx", "dati/gare.csv", "dati/grafico-linee-guida.csv"):
        assert (outputs[0] / file).read_bytes() == (outputs[1] / file).read_bytes(), file
    assert "al 1° gennaio 2026" in (outputs[0] / "osservatorio.html").read_text(encoding="utf-8")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium non installato: screenshot del rapporto non provato")
def test_html_report_screenshot_in_headless_chromium(reported: Path) -> None:
    """The page opens in a real browser; the screenshot is kept in test-artifacts/ to be looked at."""
    image = chromium_screenshot(reported / "osservatorio.html", "osservatorio.png", 1280, 2400)
    assert image.startswith(b"\x89PNG") and len(image) > 50_000, "a blank page compresses to a few kilobytes"
    from PIL import Image

    with Image.open(io.BytesIO(image)) as picture:
        assert picture.size == (1280, 2400)
        assert len(picture.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50


def test_chart_labels_tell_tenders_apart() -> None:
    from capitolato.observatory.report import short_labels

    rows = [{"id": "/a/esempi/melzo/capitolato.yaml", "fonte": "spec"}, {"id": "/a/documenti/melzo", "fonte": "documento"},
            {"id": "/b/preset/pnrr/capitolato.yaml", "fonte": "spec"}]
    assert short_labels(rows) == ["esempi/melzo", "documenti/melzo", "preset/pnrr"]
    assert short_labels(rows[2:]) == ["pnrr"]
