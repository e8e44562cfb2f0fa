"""Markdown (templates and clause texts) read once into the typed document.

CommonMark without raw HTML, pipe tables, and pandoc's `~sub~` and `^super^` for formulas. The nonce markers of `values.Markers` become structure: a table marker its `Table`, a
reference marker a `Reference`, the text between value markers `Text` nodes with the spec path as `origin`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from capitolato.document.model import (
    Block,
    Cell,
    Column,
    Heading,
    Inline,
    LineBreak,
    ListBlock,
    Paragraph,
    ParagraphStyle,
    Placeholder,
    Reference,
    Script,
    Table,
    Text,
)
from capitolato.document.values import Markers
from capitolato.model.placeholders import find_marks, is_placeholder

SHORT_VALUE = 200
_ALIGNS = {"left": "left", "center": "center", "right": "right"}


def _script_rule(marker: str, kind: str):
    """`~i~` / `^2^`: no spaces or backslashes inside, as in pandoc."""

    def rule(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if state.src[start] != marker:
            return False
        end = state.src.find(marker, start + 1)
        content = state.src[start + 1:end] if end > start + 1 else ""
        if not content or any(c.isspace() or c == "\\" for c in content):
            return False
        if not silent:
            state.push(kind, "", 0).content = content
        state.pos = end + 1
        return True

    return rule


@cache
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.inline.ruler.before("emphasis", "subscript", _script_rule("~", "subscript"))
    md.inline.ruler.before("emphasis", "superscript", _script_rule("^", "superscript"))
    return md


def read_markdown(markdown: str, markers: Markers | None = None) -> list[Block]:
    """The blocks of a Markdown text; `markers` are those the text was rendered with, if any."""
    return _Reader(markers).blocks(parser().parse(markdown))


@dataclass
class _Style:
    bold: int = 0
    italic: int = 0


class _Reader:
    def __init__(self, markers: Markers | None) -> None:
        self._markers = markers
        self._origin: str | None = None

    # blocks
    def blocks(self, tokens: Sequence[Token]) -> list[Block]:
        out: list[Block] = []
        i = 0
        while i < len(tokens):
            i = self._block(tokens, i, out)
        return out

    def _block(self, tokens: Sequence[Token], i: int, out: list[Block], style: ParagraphStyle = "normal") -> int:
        token = tokens[i]
        kind = token.type
        if kind == "paragraph_open":
            self._paragraph(tokens[i + 1], out, style)
            return i + 3
        if kind == "heading_open":
            out.append(Heading(int(token.tag[1]), self.inlines(tokens[i + 1].children or [])))
            return i + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self._list(tokens, i, out)
        if kind == "blockquote_open":
            end = _closing(tokens, i)
            j = i + 1
            while j < end:
                j = self._block(tokens, j, out, "quote")
            return end + 1
        if kind in ("fence", "code_block"):
            self._fence(token, out)
        elif kind == "table_open":
            return self._pipe_table(tokens, i, out)
        return i + 1

    def _paragraph(self, inline: Token, out: list[Block], style: ParagraphStyle) -> None:
        content = inline.content.strip()
        if self._markers is not None:
            match = self._markers.table_re.match(content)
            if match:
                out.append(self._markers.tables[int(match.group(1))])
                return
        inlines = self.inlines(inline.children or [])
        if inlines:
            out.append(Paragraph(inlines, style))

    def _list(self, tokens: Sequence[Token], i: int, out: list[Block]) -> int:
        token = tokens[i]
        end = _closing(tokens, i)
        items: list[tuple[Block, ...]] = []
        j = i + 1
        while j < end:
            if tokens[j].type == "list_item_open":
                item_end = _closing(tokens, j)
                blocks: list[Block] = []
                k = j + 1
                while k < item_end:
                    k = self._block(tokens, k, blocks)
                items.append(tuple(blocks))
                j = item_end
            j += 1
        ordered = token.type == "ordered_list_open"
        out.append(ListBlock(tuple(items), ordered, int(token.attrGet("start") or 1) if ordered else 1))
        return end + 1

    def _fence(self, token: Token, out: list[Block]) -> None:
        lines = token.content.rstrip("\n").split("\n")
        inlines: list[Inline] = []
        for number, line in enumerate(lines):
            if number:
                inlines.append(LineBreak())
            inlines.append(Text(line))
        out.append(Paragraph(tuple(inlines), "code"))

    def _pipe_table(self, tokens: Sequence[Token], i: int, out: list[Block]) -> int:
        columns: list[Column] = []
        rows: list[tuple[Cell, ...]] = []
        current: list[Cell] = []
        in_head = False
        while tokens[i].type != "table_close":
            token = tokens[i]
            if token.type in ("thead_open", "thead_close"):
                in_head = token.type == "thead_open"
            elif token.type in ("th_open", "td_open"):
                inlines = self.inlines(tokens[i + 1].children or [])
                if in_head:
                    columns.append(Column(inlines, align=_ALIGNS.get(_css_align(token.attrGet("style")) or "")))
                else:
                    current.append(Cell(inlines, len(current)))
            elif token.type == "tr_close" and not in_head:
                rows.append(tuple(current))
                current = []
            i += 1
        out.append(Table(tuple(columns), tuple(rows)))
        return i + 1

    # inlines
    def inlines(self, children: Sequence[Token]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        style = _Style()
        for token in children:
            self._inline(token, style, out)
        return tuple(_placeholders(_merge(out)))

    def _inline(self, token: Token, style: _Style, out: list[Inline]) -> None:
        kind = token.type
        if kind in ("text", "code_inline"):
            self._text(token.content, style, out)
        elif kind == "softbreak":
            self._text(" ", style, out)
        elif kind == "hardbreak":
            out.append(LineBreak())
        elif kind in ("strong_open", "strong_close"):
            style.bold += 1 if kind.endswith("open") else -1
        elif kind in ("em_open", "em_close"):
            style.italic += 1 if kind.endswith("open") else -1
        elif kind in ("subscript", "superscript"):
            script: Script = "sub" if kind == "subscript" else "super"
            out.append(Text(token.content, style.bold > 0, style.italic > 0, script, self._origin))
        elif kind == "image":
            self._text(token.content, style, out)

    def _text(self, text: str, style: _Style, out: list[Inline]) -> None:
        """Plain text, split at the markers it may carry."""
        if self._markers is None:
            out.append(Text(text, style.bold > 0, style.italic > 0, origin=self._origin))
            return
        position = 0
        for match in self._markers.inline_re.finditer(text):
            self._plain(text[position:match.start()], style, out)
            position = match.end()
            kind, argument = match.group(1), match.group(2)
            if kind == "S":
                self._origin = self._markers.origins[int(argument)]
            elif kind == "E":
                self._origin = None
            else:
                out.append(Reference(argument))
        self._plain(text[position:], style, out)

    def _plain(self, text: str, style: _Style, out: list[Inline]) -> None:
        if text:
            out.append(Text(text, style.bold > 0, style.italic > 0, origin=self._origin))


def _merge(inlines: list[Inline]) -> list[Inline]:
    """Adjacent text runs with the same formatting and origin become one."""
    merged: list[Inline] = []
    for node in inlines:
        last = merged[-1] if merged else None
        if (isinstance(node, Text) and isinstance(last, Text) and node.script is None and last.script is None
                and (node.bold, node.italic, node.origin) == (last.bold, last.italic, last.origin)):
            merged[-1] = replace(last, text=last.text + node.text)
        else:
            merged.append(node)
    return merged


def _placeholders(inlines: list[Inline]) -> list[Inline]:
    """A short spec value that is a placeholder becomes one node; elsewhere each mark is its own node."""
    out: list[Inline] = []
    for node in inlines:
        if not isinstance(node, Text) or node.script is not None:
            out.append(node)
        elif node.origin is not None and len(node.text) <= SHORT_VALUE and node.text.strip() \
                and is_placeholder(node.text):
            out.append(Placeholder(node.text, node.origin))
        else:
            out.extend(_split_marks(node))
    return out


def _split_marks(node: Text) -> list[Inline]:
    spans = find_marks(node.text)
    if not spans:
        return [node]
    parts: list[Inline] = []
    position = 0
    for start, end in spans:
        if start > position:
            parts.append(replace(node, text=node.text[position:start]))
        parts.append(Placeholder(node.text[start:end], node.origin))
        position = end
    if position < len(node.text):
        parts.append(replace(node, text=node.text[position:]))
    return parts


def _closing(tokens: Sequence[Token], i: int) -> int:
    """Index of the token closing the one at `i` (same nesting level)."""
    opening = tokens[i]
    closing_type = opening.type.replace("_open", "_close")
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].type == opening.type:
            depth += 1
        elif tokens[j].type == closing_type:
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def _css_align(style: str | None) -> str | None:
    """markdown-it marks pipe-table alignment as ``text-align:right``."""
    if not style or "text-align:" not in style:
        return None
    return style.split("text-align:", 1)[1].strip().rstrip(";") or None
