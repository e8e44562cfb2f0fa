"""Hostile reference documents built in the test: a real letterhead (header with a logo) plus, on request, each
thing a letterhead must not carry into published documents."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from docx import Document
from docx.shared import Cm

FEATURES = ("attached_template", "web_frames", "external_link", "unc_link", "linked_image", "ole_object",
            "alt_chunk", "comments", "doc_vars", "custom_properties", "app_properties", "unused_media",
            "include_field", "protection", "track_revisions", "printer_settings")
PERSON = "Mario Rossi Funzionario"
HUGE = 2 * 1024 * 1024
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def png(width: int = 4, height: int = 4) -> bytes:
    """A tiny valid PNG (the letterhead's logo)."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def letterhead() -> bytes:
    """A clean reference: a header with the ente's name and logo, a footer, A4 margins, one body paragraph."""
    document = Document()
    section = document.sections[0]
    section.left_margin = Cm(2.5)
    header = section.header.paragraphs[0]
    header.text = "Comune di Prova — Ufficio di piano"
    header.add_run().add_picture(io.BytesIO(png()), width=Cm(1))
    section.footer.paragraphs[0].text = "Piè di pagina dell'ente"
    document.add_paragraph("Testo della carta intestata da non copiare")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def hostile(features: Iterable[str]) -> bytes:
    """The letterhead with the chosen hostile features added by editing its parts."""
    parts = _parts(letterhead())
    for feature in features:
        _ADD[feature](parts)
    return _zip(parts)


def write(path: Path, features: Iterable[str]) -> Path:
    path.write_bytes(hostile(features))
    return path


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _rels_name(part: str) -> str:
    folder, name = part.rsplit("/", 1)
    return f"{folder}/_rels/{name}.rels"


def _add_rel(parts: dict[str, bytes], part: str, kind: str, target: str, external: bool = False) -> str:
    name = _rels_name(part)
    text = parts.get(name, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                           b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
    text = text.decode()
    r_id = f"rIdOstile{len(re.findall('<Relationship ', text)) + 1}"
    mode = ' TargetMode="External"' if external else ""
    kind = kind if kind.startswith("http") else REL + kind
    text = text.replace("</Relationships>", f'<Relationship Id="{r_id}" Type="{kind}" Target="{target}"{mode}/>'
                                            "</Relationships>")
    parts[name] = text.encode()
    return r_id


def _content_type(parts: dict[str, bytes], part: str, content_type: str) -> None:
    text = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = text.replace(
        "</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>').encode()


def _default(parts: dict[str, bytes], extension: str, content_type: str) -> None:
    text = parts["[Content_Types].xml"].decode()
    if f'Extension="{extension}"' not in text:
        parts["[Content_Types].xml"] = text.replace(
            "<Default ", f'<Default Extension="{extension}" ContentType="{content_type}"/><Default ', 1).encode()


def _insert(parts: dict[str, bytes], part: str, before: str, xml: str) -> None:
    text = parts[part].decode()
    index = text.rfind(before)
    assert index >= 0, (part, before)
    parts[part] = (text[:index] + xml + text[index:]).encode()


def _header(parts: dict[str, bytes]) -> str:
    return next(name for name in parts if re.fullmatch(r"word/header\d*\.xml", name))


def _settings_child(parts: dict[str, bytes], xml: str) -> None:
    _insert(parts, "word/settings.xml", "</w:settings>", xml)


def _attached_template(parts):
    r_id = _add_rel(parts, "word/settings.xml", "attachedTemplate", "https://ostile.example/modello.dotm", True)
    _settings_child(parts, f'<w:attachedTemplate xmlns:r="{R}" r:id="{r_id}"/>')


def _web_frames(parts):
    parts["word/webSettings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:webSettings '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:r="{R}"><w:frameset><w:frame><w:sourceFileName r:id="rIdOstile1"/></w:frame>'
        '</w:frameset></w:webSettings>').encode()
    _add_rel(parts, "word/webSettings.xml", "frame", "https://ostile.example/cornice.html", True)
    _add_rel(parts, "word/document.xml", "webSettings", "webSettings.xml")
    _content_type(parts, "word/webSettings.xml",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.webSettings+xml")


def _link(parts, target):
    header = _header(parts)
    r_id = _add_rel(parts, header, "hyperlink", target, True)
    _insert(parts, header, "</w:hdr>", f'<w:p><w:hyperlink xmlns:r="{R}" r:id="{r_id}"><w:r><w:t>sito</w:t></w:r>'
                                       "</w:hyperlink></w:p>")


def _linked_image(parts):
    header = _header(parts)
    _add_rel(parts, header, "image", "https://ostile.example/traccia.png", True)
    text = parts[header].decode()
    parts[header] = re.sub(r'r:embed="(rId\d+)"', r'r:embed="\1" r:link="rIdOstile1"', text, count=1).encode()


def _ole_object(parts):
    parts["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0" + b"\x00" * 512
    r_id = _add_rel(parts, "word/document.xml", "oleObject", "embeddings/oleObject1.bin")
    _default(parts, "bin", "application/vnd.openxmlformats-officedocument.oleObject")
    header = _header(parts)
    hr_id = _add_rel(parts, header, "oleObject", "../word/embeddings/oleObject1.bin")
    _insert(parts, header, "</w:hdr>", f'<w:p><w:r><w:object xmlns:r="{R}" xmlns:o="urn:schemas-microsoft-com:'
                                       f'office:office"><o:OLEObject ProgID="Package" r:id="{hr_id}"/></w:object>'
                                       f'</w:r></w:p>')
    _insert(parts, "word/document.xml", "<w:sectPr", f'<w:p><w:r><w:object xmlns:r="{R}" '
                                                     'xmlns:o="urn:schemas-microsoft-com:office:office">'
                                                     f'<o:OLEObject ProgID="Package" r:id="{r_id}"/></w:object></w:r>'
                                                     '</w:p>')


def _alt_chunk(parts):
    parts["word/afchunk.mht"] = b"MIME-Version: 1.0\r\n\r\n<html><img src='https://ostile.example/x'></html>"
    r_id = _add_rel(parts, "word/document.xml", "aFChunk", "afchunk.mht")
    _default(parts, "mht", "message/rfc822")
    _insert(parts, "word/document.xml", "<w:sectPr", f'<w:altChunk xmlns:r="{R}" r:id="{r_id}"/>')


def _comments(parts):
    parts["word/comments.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" '
        f'w:author="{PERSON}"><w:p><w:r><w:t>nota interna riservata</w:t></w:r></w:p></w:comment></w:comments>'
    ).encode()
    _add_rel(parts, "word/document.xml", "comments", "comments.xml")
    _content_type(parts, "word/comments.xml",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml")
    _insert(parts, _header(parts), "</w:hdr>", '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>x</w:t></w:r>'
                                               '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/>'
                                               '</w:r></w:p>')


def _doc_vars(parts):
    _settings_child(parts, f'<w:docVars><w:docVar w:name="responsabile" w:val="{PERSON}"/></w:docVars>')


def _custom_properties(parts):
    parts["docProps/custom.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats'
        '.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Redattore">'
        f'<vt:lpwstr>{PERSON}</vt:lpwstr></property></Properties>').encode()
    text = parts["_rels/.rels"].decode().replace(
        "</Relationships>", f'<Relationship Id="rIdCustom" Type="{REL}custom-properties" Target="docProps/custom.xml"/>'
                            "</Relationships>")
    parts["_rels/.rels"] = text.encode()
    _content_type(parts, "docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml")


def _app_properties(parts):
    parts["docProps/app.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats'
        f'.org/officeDocument/2006/extended-properties"><Company>{PERSON} Srl</Company><Manager>{PERSON}</Manager>'
        '</Properties>').encode()
    text = parts["_rels/.rels"].decode()
    if "docProps/app.xml" not in text:
        text = text.replace("</Relationships>", f'<Relationship Id="rIdApp" Type="{REL}extended-properties" '
                                                'Target="docProps/app.xml"/></Relationships>')
        _content_type(parts, "docProps/app.xml",
                      "application/vnd.openxmlformats-officedocument.extended-properties+xml")
    parts["_rels/.rels"] = text.encode()


def _unused_media(parts):
    parts["word/media/enorme.png"] = png() + b"\x00" * HUGE
    _add_rel(parts, "word/document.xml", "image", "media/enorme.png")


def _include_field(parts):
    _insert(parts, _header(parts), "</w:hdr>",
            '<w:p><w:fldSimple w:instr=\' INCLUDEPICTURE "https://ostile.example/pixel.png" \\d \'><w:r>'
            '<w:t>campo</w:t></w:r></w:fldSimple><w:r><w:instrText>INCLUDETEXT "\\\\\\\\server\\\\share\\\\a.docx"'
            '</w:instrText></w:r></w:p>')


def _protection(parts):
    _settings_child(parts, '<w:documentProtection w:edit="readOnly" w:enforcement="1"/>')


def _track_revisions(parts):
    _settings_child(parts, "<w:trackRevisions/>")


def _printer_settings(parts):
    parts["word/printerSettings/printerSettings1.bin"] = PERSON.encode() * 10
    r_id = _add_rel(parts, "word/document.xml", "printerSettings", "printerSettings/printerSettings1.bin")
    _default(parts, "bin", "application/vnd.openxmlformats-officedocument.oleObject")
    _insert(parts, "word/document.xml", "</w:sectPr>", f'<w:printerSettings xmlns:r="{R}" r:id="{r_id}"/>')


_ADD = {"attached_template": _attached_template, "web_frames": _web_frames,
        "external_link": lambda parts: _link(parts, "https://ostile.example/"),
        "unc_link": lambda parts: _link(parts, "file://///server/share/doc.docx"),
        "linked_image": _linked_image, "ole_object": _ole_object, "alt_chunk": _alt_chunk, "comments": _comments,
        "doc_vars": _doc_vars, "custom_properties": _custom_properties, "app_properties": _app_properties,
        "unused_media": _unused_media, "include_field": _include_field, "protection": _protection,
        "track_revisions": _track_revisions, "printer_settings": _printer_settings}


def leaks(data: bytes) -> list[str]:
    """Everything of the hostile features still present in an output package (empty list: clean)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            text = archive.read(name)
            if b'TargetMode="External"' in text:
                found.append(f"{name}: relazione esterna")
            for needle in (b"ostile.example", b"server", PERSON.encode(), b"attachedTemplate", b"docVar",
                           b"OLEObject", b"altChunk", b"commentReference", b"INCLUDEPICTURE", b"INCLUDETEXT",
                           b"documentProtection", b"trackRevisions", b"printerSettings"):
                if needle in text:
                    found.append(f"{name}: {needle.decode()}")
            if any(part in name for part in ("comments", "custom.xml", "embeddings", "afchunk", "webSettings",
                                             "printerSettings")):
                found.append(f"{name}: parte non ammessa")
            if archive.getinfo(name).file_size > HUGE:
                found.append(f"{name}: file multimediale inutilizzato")
    return found
