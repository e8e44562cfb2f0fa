"""Column widths of a table that fits the text block: from the content, with a minimum per column, scaled.

No column is narrower than its longest word (so «Frequenza» is never printed «Frequenz|a»), unless even the
longest words together are wider than the block; every table takes exactly the text width, so the tables of a
document line up. A width the table declares is taken as the column's preferred width, not as a fixed one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from capitolato.document.model import Inline, Table, plain_text

CHAR_CM = 0.17          # average width of a character of the table text (10 pt, proportional font)
BOLD_FACTOR = 1.08      # header cells are bold
PADDING_CM = 0.4        # left + right cell margins
MIN_COLUMN_CM = 1.0
NATURAL_CHARS = 42      # beyond this a column wraps: its natural width stops growing
MIN_FONT_SCALE = 0.8    # a crowded table may go from 10 pt down to 8 pt before words are broken


@dataclass(frozen=True)
class TableLayout:
    """Column widths in cm (summing to the text width) and the scale of the table's font (1 = as styled)."""

    widths: list[float]
    font_scale: float = 1.0


def column_widths(table: Table, available_cm: float) -> list[float]:
    """One width per column (cm), summing to `available_cm`."""
    return table_layout(table, available_cm).widths


def table_layout(table: Table, available_cm: float) -> TableLayout:
    """Widths from the content; when even the longest words do not fit, a smaller font (down to 8 pt) first."""
    count = len(table.columns)
    if count == 0:
        return TableLayout([])
    minimum = [MIN_COLUMN_CM] * count
    natural = [MIN_COLUMN_CM] * count
    for index, column in enumerate(table.columns):
        _measure(column.title, BOLD_FACTOR, minimum, natural, index)
    for row in (*table.rows, *((table.total,) if table.total else ())):
        for cell in row:
            if not cell.continuation and cell.colspan == 1 and cell.col < count:
                _measure(cell.inlines, BOLD_FACTOR if cell.bold else 1.0, minimum, natural, cell.col)
    scale = 1.0
    if sum(minimum) > available_cm:
        text = sum(m - PADDING_CM for m in minimum)
        scale = max(MIN_FONT_SCALE, min(1.0, (available_cm - PADDING_CM * count) / text))
        minimum = [max(MIN_COLUMN_CM * scale, (m - PADDING_CM) * scale + PADDING_CM) for m in minimum]
        natural = [max(MIN_COLUMN_CM * scale, (n - PADDING_CM) * scale + PADDING_CM) for n in natural]
    preferred = [max(minimum[i], (column.width_cm or natural[i]) if scale == 1.0 else natural[i])
                 for i, column in enumerate(table.columns)]
    return TableLayout(fit(minimum, preferred, available_cm), round(scale, 2))


def _measure(inlines: Sequence[Inline], factor: float, minimum: list[float], natural: list[float], index: int) -> None:
    text = plain_text(inlines)
    words = text.replace("\u00a0", "\u2060").split() or [""]
    longest = max(len(word) for word in words)
    minimum[index] = max(minimum[index], longest * CHAR_CM * factor + PADDING_CM)
    natural[index] = max(natural[index], min(len(text), NATURAL_CHARS) * CHAR_CM * factor + PADDING_CM)


def fit(minimum: Sequence[float], preferred: Sequence[float], available: float) -> list[float]:
    """Preferred widths scaled to `available`; when they do not fit, columns give up width above their minimum,
    in proportion; when even the minimums do not fit, all shrink alike."""
    total_min, total_pref = sum(minimum), sum(preferred)
    if total_pref <= available:
        return [w * available / total_pref for w in preferred]
    if total_min <= available:
        slack = (available - total_min) / (total_pref - total_min)
        return [m + (p - m) * slack for m, p in zip(minimum, preferred, strict=True)]
    return [m * available / total_min for m in minimum]



# Paragraph properties must appear in the schema's order (CT_PPrBase), or Word calls the file damaged.
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def paragraph_property(p: etree._Element, name: str, **attributes: str) -> etree._Element:
    """The paragraph's `w:<name>` property, created in schema order if missing, with `attributes` set (w: names)."""
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        ppr = etree.Element(f"{W}pPr")
        p.insert(0, ppr)
    element = ppr.find(f"{W}{name}")
    if element is None:
        element = etree.Element(f"{W}{name}")
        rank = PPR_ORDER.index(name)
        following = next((child for child in ppr if _rank(child) > rank), None)
        if following is None:
            ppr.append(element)
        else:
            following.addprevious(element)
    for key, value in attributes.items():
        element.set(f"{W}{key}", value)
    return element


def _rank(element: etree._Element) -> int:
    local = etree.QName(element).localname
    return PPR_ORDER.index(local) if local in PPR_ORDER else len(PPR_ORDER)


RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
             "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
             "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl",
             "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


def scale_font(table: etree._Element, half_points: int) -> None:
    """Every run of a table at `half_points` (Word's font size unit), properties kept in schema order."""
    for run in table.iter(f"{W}r"):
        rpr = run.find(f"{W}rPr")
        if rpr is None:
            rpr = etree.Element(f"{W}rPr")
            run.insert(0, rpr)
        for name in ("sz", "szCs"):
            element = rpr.find(f"{W}{name}")
            if element is None:
                element = etree.Element(f"{W}{name}")
                rank = RPR_ORDER.index(name)
                following = next((c for c in rpr if _rank_in(c, RPR_ORDER) > rank), None)
                if following is None:
                    rpr.append(element)
                else:
                    following.addprevious(element)
            element.set(f"{W}val", str(half_points))


def _rank_in(element: etree._Element, order: tuple[str, ...]) -> int:
    local = etree.QName(element).localname
    return order.index(local) if local in order else len(order)
