"""Column widths from the content, never narrower than a word, scaled to the text block."""

from __future__ import annotations

import pytest
from lxml import etree

from capitolato.document.model import Cell, Column, Table, Text
from capitolato.layout import CHAR_CM, PADDING_CM, column_widths, fit, paragraph_property


def table(headers: list[str], *rows: list[str], widths: list[float | None] | None = None) -> Table:
    columns = tuple(Column((Text(h),), width) for h, width in zip(headers, widths or [None] * len(headers), strict=True))
    body = tuple(tuple(Cell((Text(v),), i) for i, v in enumerate(row)) for row in rows)
    return Table(columns, body)


def test_widths_fill_the_block_and_keep_whole_words() -> None:
    indicators = table(["Cod.", "Indicatore", "Frequenza", "Responsabile"],
                       ["I1", "Persone che raggiungono gli obiettivi del progetto individuale", "annuale",
                        "dell'aggiudicatario"])
    widths = column_widths(indicators, 16.0)
    assert sum(widths) == pytest.approx(16.0)
    assert widths[2] >= len("Frequenza") * CHAR_CM + PADDING_CM
    assert widths[3] >= len("dell'aggiudicatario") * CHAR_CM + PADDING_CM
    assert widths[1] == max(widths)


def test_declared_widths_are_preferences_scaled_to_the_block() -> None:
    widths = column_widths(table(["A", "B"], ["x", "y"], widths=[3.0, 9.0]), 16.0)
    assert widths == pytest.approx([4.0, 12.0])


def test_too_wide_tables_shrink_above_their_minimums_first() -> None:
    assert fit([2, 2], [4, 10], 8) == pytest.approx([2.8, 5.2])
    assert fit([6, 6], [7, 7], 8) == pytest.approx([4, 4])
    assert sum(fit([1, 1, 1], [20, 20, 20], 16)) == pytest.approx(16)


def test_paragraph_properties_in_schema_order() -> None:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    p = etree.fromstring(f'<w:p xmlns:w="{w[1:-1]}"><w:pPr><w:pStyle w:val="X"/><w:jc w:val="both"/></w:pPr></w:p>')
    paragraph_property(p, "spacing", before="160")
    paragraph_property(p, "keepNext")
    paragraph_property(p, "keepNext")
    assert [etree.QName(c).localname for c in p[0]] == ["pStyle", "keepNext", "spacing", "jc"]
    assert p[0][2].get(f"{w}before") == "160"


def test_a_crowded_table_takes_a_smaller_font_before_breaking_words() -> None:
    from capitolato.layout import table_layout

    words = ["aggiudicatario", "(31/12/2025)", "informatizzata", "collaborazione", "multidimensionale",
             "organizzazioni", "responsabilità", "semestralmente"]
    crowded = table([w.capitalize() for w in words], words)
    layout = table_layout(crowded, 16.0)
    assert 0.8 <= layout.font_scale < 1 and sum(layout.widths) == pytest.approx(16.0)
    assert table_layout(table(["A", "B"], ["x", "y"]), 16.0).font_scale == 1
