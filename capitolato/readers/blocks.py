"""Shared by the readers: turning a read paragraph into a heading or a paragraph, and grouping list items."""

from __future__ import annotations

from dataclasses import dataclass

from capitolato.document.model import Block, Heading, Inline, ListBlock, Paragraph, Position, Text, plain_text
from capitolato.readers.headings import guess_heading


@dataclass
class ListItem:
    """A paragraph that a reader knows is a list item (Word numbering, ODT list)."""

    paragraph: Paragraph
    ordered: bool


def text_block(inlines: tuple[Inline, ...], position: Position, *, styled_level: int | None = None) -> Block:
    """A heading when the text reads as one (style, manual numbering, bold short line), else a paragraph."""
    text = plain_text(inlines)
    bold = is_bold(inlines)
    guess = guess_heading(text, bold=bold, styled_level=styled_level)
    if guess is None:
        return Paragraph(inlines, position=position)
    return Heading(guess.level, (Text(guess.title, bold=bold),), number=guess.number, position=position)


def is_bold(inlines: tuple[Inline, ...]) -> bool:
    """Every visible character is bold."""
    runs = [node for node in inlines if isinstance(node, Text) and node.text.strip()]
    return bool(runs) and all(node.bold for node in runs)


def group_lists(items: list[Block | ListItem]) -> tuple[Block, ...]:
    """Consecutive list items become one ListBlock positioned at its first item."""
    blocks: list[Block] = []
    pending: list[ListItem] = []

    def flush() -> None:
        if pending:
            position = pending[0].paragraph.position
            blocks.append(ListBlock(tuple((item.paragraph,) for item in pending), ordered=pending[0].ordered,
                                    position=position))
            pending.clear()

    for item in items:
        if isinstance(item, ListItem):
            pending.append(item)
            continue
        flush()
        blocks.append(item)
    flush()
    return tuple(blocks)
