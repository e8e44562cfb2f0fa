"""Render the same Markdown to a standalone, accessible HTML page (preview and web publication)."""

from __future__ import annotations

import base64
import html
import mimetypes
from collections.abc import Sequence
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from capitolato.render.errors import LogoError
from capitolato.render.meta import DRAFT_NOTICE, DocumentMeta, italian_date
from capitolato.render.tabella import Cell, Tabella, parse_tabella
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
code{font-family:"Liberation Mono",monospace}
""".strip()
_TOTAL_ROW = ' class="totale"'
_ALIGN_CSS = {"left": "left", "center": "center", "right": "right", "justify": "justify"}


def _parser() -> MarkdownIt:
    """CommonMark without raw HTML (spec values are data), plus ```tabella``` blocks."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.add_render_rule("fence", _render_fence)
    return md


def _render_fence(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
    token = tokens[idx]
    if token.info.strip() == "tabella":
        return render_tabella(parse_tabella(token.content, token.map[0] if token.map else None), _MD)
    return RendererHTML.fence(self, tokens, idx, options, env)


_MD = _parser()


def markdown_to_html(markdown: str, meta: DocumentMeta) -> str:
    """A complete HTML page: cover block, table of contents from the headings, then the body."""
    env: dict = {}
    tokens = _MD.parse(markdown, env)
    toc = _anchor_headings(tokens)
    body = _MD.renderer.render(tokens, _MD.options, env)
    e = html.escape
    return (
        '<!DOCTYPE html>\n<html lang="it">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(meta.title)}</title>\n"
        f'<meta name="author" content="{e(meta.author_or_ente)}">\n'
        f'<meta name="description" content="{e(meta.subject or meta.subtitle)}">\n'
        f'<meta name="keywords" content="{e(meta.keywords)}">\n'
        f"<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        f"{_cover(meta)}{_toc(toc)}<main>\n{body}</main>\n</body>\n</html>\n"
    )


def _cover(meta: DocumentMeta) -> str:
    e = html.escape
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


def _anchor_headings(tokens: Sequence[Token]) -> list[tuple[int, str, str]]:
    """Give every heading a stable unique id and return (level, text, id) for the TOC."""
    seen: dict[str, int] = {}
    entries: list[tuple[int, str, str]] = []
    for token, inline in zip(tokens, tokens[1:], strict=False):
        if token.type != "heading_open":
            continue
        text = "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline"))
        base = slug(text, fallback="sezione")
        seen[base] = seen.get(base, 0) + 1
        anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
        token.attrSet("id", anchor)
        entries.append((int(token.tag[1]), text, anchor))
    return entries


def _toc(entries: list[tuple[int, str, str]]) -> str:
    if not entries:
        return ""
    items = "\n".join(
        f'<li class="livello-{min(level, 3)}"><a href="#{anchor}">{html.escape(text)}</a></li>'
        for level, text, anchor in entries if level <= 3
    )
    return f'<nav aria-labelledby="indice">\n<h2 id="indice">Indice</h2>\n<ul>\n{items}\n</ul>\n</nav>\n'


def render_tabella(table: Tabella, md: MarkdownIt) -> str:
    """HTML for a ```tabella``` block with scoped headers and row/column spans."""
    aligns = [_ALIGN_CSS.get(c.align or "") for c in table.columns]
    out = ["<table>"]
    if table.caption:
        out.append(f"<caption>{html.escape(table.caption)}</caption>")
    out.append("<thead><tr>")
    for column, align in zip(table.columns, aligns, strict=True):
        out.append(f'<th scope="col"{_style(align)}>{md.renderInline(column.title)}</th>')
    out.append("</tr></thead>\n<tbody>")
    for row in table.rows:
        out.append(_row(row, aligns, md, ""))
    out.append("</tbody>")
    if table.total is not None:
        out.append(f"<tfoot>{_row(table.total, aligns, md, _TOTAL_ROW)}</tfoot>")
    out.append("</table>\n")
    return "\n".join(out)


def _row(cells: Sequence[Cell], aligns: list[str | None], md: MarkdownIt, attrs: str) -> str:
    parts = [f"<tr{attrs}>"]
    for cell in cells:
        if cell.continuation:
            continue
        spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
            f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
        content = md.renderInline(cell.text)
        if cell.bold:
            content = f"<strong>{content}</strong>"
        parts.append(f"<td{spans}{_style(aligns[cell.col])}>{content}</td>")
    parts.append("</tr>")
    return "".join(parts)


def _style(align: str | None) -> str:
    return f' style="text-align:{align}"' if align else ""
