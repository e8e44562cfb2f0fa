"""Write the typed document as readable CommonMark: headings, lists, pipe tables, no markup from the spec.

Text is escaped wherever Markdown would read it as syntax, so the file reads back as the same text; subscripts and
superscripts are written plainly (`Ri`, `m2`), a placeholder between «» in bold so it stands out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from capitolato.document.model import (
    Block,
    Cell,
    Document,
    Figure,
    Heading,
    Inline,
    LineBreak,
    ListBlock,
    Paragraph,
    Placeholder,
    Reference,
    Table,
    Text,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<|~^])")
_LINE_START = re.compile(r"^(\s*)([-+=>#]|\d+[.)])(?=\s|$)")


def render_markdown(document: Document) -> str:
    return "\n\n".join(_block(block) for block in document.blocks).rstrip() + "\n"


def _block(block: Block, indent: str = "") -> str:
    if isinstance(block, Heading):
        return f"{'#' * min(block.level, 6)} {inline_markdown(block.inlines)}"
    if isinstance(block, Paragraph):
        if block.style == "code":
            return "```\n" + "\n".join(_code_lines(block.inlines)) + "\n```"
        text = inline_markdown(block.inlines)
        return "> " + text.replace("\n", "\n> ") if block.style == "quote" else text
    if isinstance(block, ListBlock):
        return _list(block, indent)
    if isinstance(block, Table):
        return _table(block)
    return _figure(block)


def _list(block: ListBlock, indent: str) -> str:
    lines = []
    for number, item in enumerate(block.items, start=block.start):
        bullet = f"{number}." if block.ordered else "-"
        pad = indent + " " * (len(bullet) + 1)
        parts = [_block(child, pad) for child in item] or [""]
        first = parts[0].replace("\n", "\n" + pad)
        rest = ["\n" + pad + part.replace("\n", "\n" + pad) for part in parts[1:]]
        lines.append(f"{indent}{bullet} {first}" + "".join(rest))
    return "\n".join(lines)


def _table(table: Table) -> str:
    """A pipe table; merged cells are written once, the slots they cover left empty."""
    header = "| " + " | ".join(_cell_text(c.title) for c in table.columns) + " |"
    rule = "| " + " | ".join({"right": "---:", "center": ":---:"}.get(c.align or "", "---")
                             for c in table.columns) + " |"
    rows = [_row(row, len(table.columns)) for row in (*table.rows, *((table.total,) if table.total else ()))]
    caption = [f"*{escape_text(table.caption)}*", ""] if table.caption else []
    return "\n".join([*caption, header, rule, *rows])


def _row(cells: Sequence[Cell], width: int) -> str:
    slots = [""] * width
    for cell in cells:
        if not cell.continuation:
            text = _cell_text(cell.inlines)
            slots[cell.col] = f"**{text}**" if cell.bold and text else text
    return "| " + " | ".join(slots) + " |"


def _cell_text(inlines: Sequence[Inline]) -> str:
    return inline_markdown(inlines).replace("\n", " ").replace("  ", " ")


def _figure(figure: Figure) -> str:
    caption = f" — {escape_text(figure.caption)}" if figure.caption else ""
    return f"*Figura: {escape_text(figure.alt)}*{caption}"


def _code_lines(inlines: Sequence[Inline]) -> list[str]:
    return "".join("\n" if isinstance(n, LineBreak) else getattr(n, "text", "") for n in inlines).split("\n")


def inline_markdown(inlines: Sequence[Inline]) -> str:
    out: list[str] = []
    for node in _runs(inlines):
        if isinstance(node, LineBreak):
            out.append("\\\n")
        elif isinstance(node, Placeholder):
            out.append(f"**«{escape_text(node.text)}»**")
        elif isinstance(node, Reference):
            out.append(escape_text(node.text))
        elif isinstance(node, Text):
            out.append(_styled(node))
    return _LINE_START.sub(r"\1\\\2", "".join(out))


def _runs(inlines: Sequence[Inline]) -> list[Inline]:
    """Adjacent text of the same style written as one run, whatever part of the spec it came from."""
    runs: list[Inline] = []
    for node in inlines:
        last = runs[-1] if runs else None
        if (isinstance(node, Text) and isinstance(last, Text) and not node.script and not last.script
                and (node.bold, node.italic) == (last.bold, last.italic)):
            runs[-1] = Text(last.text + node.text, node.bold, node.italic)
        else:
            runs.append(node)
    return runs


def _styled(node: Text) -> str:
    text = escape_text(node.text)
    stripped = text.strip()
    if not stripped or not (node.bold or node.italic):
        return text
    mark = "***" if node.bold and node.italic else "**" if node.bold else "*"
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def escape_text(text: str) -> str:
    """Characters Markdown would read as syntax, escaped; everything else as written."""
    return _SPECIAL.sub(r"\\\1", text)
