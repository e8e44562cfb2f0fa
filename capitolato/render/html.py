"""Write the typed document as a standalone, accessible HTML page (preview and web publication)."""

from __future__ import annotations

import base64
import html
import mimetypes
from collections.abc import Sequence
from pathlib import Path

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
    plain_text,
)
from capitolato.render.errors import LogoError
from capitolato.render.meta import DRAFT_NOTICE, DocumentMeta, italian_date
from capitolato.slug import slug

_CSS = """
body{font-family:"Liberation Serif","Times New Roman",serif;max-width:48em;margin:2em auto;padding:0 1em;line-height:1.45;color:#111}
h1,h2,h3{color:#1f3864;line-height:1.2}
header.copertina{text-align:center;border-bottom:1px solid #999;margin-bottom:2em;padding-bottom:1em}
header.copertina img{max-height:6em}
.bozza{color:#a00;font-weight:bold;text-align:center}
table{border-collapse:collapse;margin:1em 0;width:100%}
th,td{border:1px solid #777;padding:.25em .5em;vertical-align:top}
th{background:#dbe4f0}
tr.totale td{font-weight:bold}
caption{font-style:italic;text-align:left;padding:.25em 0}
blockquote{margin-left:1.5em;font-style:italic}
code,pre{font-family:"Liberation Mono",monospace}\nmark{background:#ff0;font-weight:bold}\nfigure{margin:1em 0;text-align:center}
""".strip()
_TOTAL_ROW = ' class="totale"'
e = html.escape


def render_html(document: Document, meta: DocumentMeta) -> str:
    """A complete HTML page: cover block, table of contents from the headings, then the body."""
    writer = _BodyWriter()
    body = writer.blocks(document.blocks)
    return (
        '<!DOCTYPE html>\n<html lang="it">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(meta.title)}</title>\n"
        f'<meta name="author" content="{e(meta.author_or_ente)}">\n'
        f'<meta name="description" content="{e(meta.subject or meta.subtitle)}">\n'
        f'<meta name="keywords" content="{e(meta.keywords)}">\n'
        f"<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        f"{_cover(meta)}{_toc(writer.toc)}<main>\n{body}</main>\n</body>\n</html>\n"
    )


class _BodyWriter:
    """HTML for the blocks; every heading gets a stable unique id for the table of contents."""

    def __init__(self) -> None:
        self.toc: list[tuple[int, str, str]] = []
        self._seen: dict[str, int] = {}

    def blocks(self, blocks: Sequence[Block]) -> str:
        return "".join(self._block(block) for block in blocks)

    def _block(self, block: Block) -> str:
        if isinstance(block, Heading):
            return self._heading(block)
        if isinstance(block, Paragraph):
            if block.style == "code":
                return f"<pre><code>{inlines(block.inlines)}</code></pre>\n"
            tag = "blockquote" if block.style == "quote" else "p"
            return f"<{tag}>{inlines(block.inlines)}</{tag}>\n"
        if isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
            items = "".join(f"<li>{self._item(item)}</li>\n" for item in block.items)
            return f"<{tag}{start}>\n{items}</{tag}>\n"
        if isinstance(block, Table):
            return table_html(block)
        return _figure(block)

    def _item(self, item: tuple[Block, ...]) -> str:
        if len(item) == 1 and isinstance(item[0], Paragraph) and item[0].style == "normal":
            return inlines(item[0].inlines)
        return self.blocks(item)

    def _heading(self, block: Heading) -> str:
        text = plain_text(block.inlines)
        base = slug(text, fallback="sezione")
        self._seen[base] = self._seen.get(base, 0) + 1
        anchor = base if self._seen[base] == 1 else f"{base}-{self._seen[base]}"
        self.toc.append((block.level, text, anchor))
        level = min(block.level, 6)
        return f'<h{level} id="{anchor}">{inlines(block.inlines)}</h{level}>\n'


def inlines(nodes: Sequence[Inline]) -> str:
    """Inline nodes as escaped HTML: text is always text."""
    parts = []
    for node in nodes:
        if isinstance(node, LineBreak):
            parts.append("<br>")
        elif isinstance(node, Placeholder):
            parts.append(f"<mark>{e(node.text)}</mark>")
        elif isinstance(node, Reference):
            parts.append(e(node.text))
        elif isinstance(node, Text):
            parts.append(_styled(node))
    return "".join(parts)


def _styled(node: Text) -> str:
    out = e(node.text)
    if node.script:
        tag = "sub" if node.script == "sub" else "sup"
        out = f"<{tag}>{out}</{tag}>"
    if node.italic:
        out = f"<em>{out}</em>"
    if node.bold:
        out = f"<strong>{out}</strong>"
    return out


def _figure(figure: Figure) -> str:
    caption = f"<figcaption>{e(figure.caption)}</figcaption>" if figure.caption else ""
    if figure.svg is not None:
        source = f"data:image/svg+xml;base64,{base64.b64encode(figure.svg).decode('ascii')}"
    elif figure.png is not None:
        source = f"data:image/png;base64,{base64.b64encode(figure.png).decode('ascii')}"
    else:
        return f"<figure><p>{e(figure.alt)}</p>{caption}</figure>\n"
    return f'<figure><img src="{source}" alt="{e(figure.alt)}">{caption}</figure>\n'


def _cover(meta: DocumentMeta) -> str:
    parts = ['<header class="copertina">']
    if meta.draft:
        parts.append(f'<p class="bozza">{e(DRAFT_NOTICE)}</p>')
    if meta.logo is not None:
        parts.append(f'<p><img src="{_data_uri(meta.logo)}" alt="{e(meta.logo_alt or "Logo di " + meta.ente)}"></p>')
    parts.append(f'<p class="ente"><strong>{e(meta.ente)}</strong></p>')
    if meta.office:
        parts.append(f"<p>{e(meta.office)}</p>")
    parts.append(f'<p class="titolo" role="heading" aria-level="1"><strong>{e(meta.title)}</strong></p>')
    if meta.subtitle:
        parts.append(f"<p>{e(meta.subtitle)}</p>")
    if meta.cig:
        parts.append(f"<p>CIG: {e(meta.cig)}</p>")
    if meta.cup:
        parts.append(f"<p>CUP: {e(meta.cup)}</p>")
    parts.append(f'<p><time datetime="{meta.date.isoformat()}">{italian_date(meta.date)}</time></p>')
    parts.append("</header>\n")
    return "\n".join(parts)


def _data_uri(logo: Path) -> str:
    """Embed the logo so the page stays a single file."""
    mime = mimetypes.guess_type(logo.name)[0] or ""
    if not mime.startswith("image/"):
        raise LogoError(f"Il logo «{logo}» non è un'immagine riconosciuta.")
    try:
        data = Path(logo).read_bytes()
    except OSError as exc:
        raise LogoError(f"Il logo «{logo}» non è leggibile: {exc.strerror or exc}.") from exc
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _toc(entries: list[tuple[int, str, str]]) -> str:
    if not entries:
        return ""
    items = "\n".join(
        f'<li class="livello-{min(level, 3)}"><a href="#{anchor}">{html.escape(text)}</a></li>'
        for level, text, anchor in entries if level <= 3
    )
    return f'<nav aria-labelledby="indice">\n<h2 id="indice">Indice</h2>\n<ul>\n{items}\n</ul>\n</nav>\n'


def table_html(table: Table) -> str:
    """A table with scoped headers and row/column spans."""
    aligns = [c.align for c in table.columns]
    out = ["<table>"]
    if table.caption:
        out.append(f"<caption>{e(table.caption)}</caption>")
    out.append("<thead><tr>")
    for column, align in zip(table.columns, aligns, strict=True):
        out.append(f'<th scope="col"{_style(align)}>{inlines(column.title)}</th>')
    out.append("</tr></thead>\n<tbody>")
    for row in table.rows:
        out.append(_row(row, aligns, ""))
    out.append("</tbody>")
    if table.total is not None:
        out.append(f"<tfoot>{_row(table.total, aligns, _TOTAL_ROW)}</tfoot>")
    out.append("</table>\n")
    return "\n".join(out)


def _row(cells: Sequence[Cell], aligns: list[str | None], attrs: str) -> str:
    parts = [f"<tr{attrs}>"]
    for cell in cells:
        if cell.continuation:
            continue
        spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
            f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
        content = inlines(cell.inlines)
        if cell.bold:
            content = f"<strong>{content}</strong>"
        parts.append(f"<td{spans}{_style(aligns[cell.col])}>{content}</td>")
    parts.append("</tr>")
    return "".join(parts)


def _style(align: str | None) -> str:
    return f' style="text-align:{align}"' if align else ""
