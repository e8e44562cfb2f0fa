"""What each character of a spec or clause value means, decided once for every text that reaches a document.

A Word document is XML: characters XML 1.0 cannot hold (C0 controls but tab and line ends, lone surrogates,
U+FFFE/U+FFFF) would crash the build, so they are refused where the officer wrote them. C1 controls and DEL are
invisible and never part of an Italian text: refused too. Bidirectional overrides and zero-width characters are
legal but can make a legal text read differently from what it says (the «Trojan source» trick): a warning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

_NAMES = {
    0x00: "NUL, carattere nullo", 0x0B: "tabulazione verticale, l'«a capo manuale» di Word",
    0x0C: "salto pagina", 0x1B: "ESC, inizio di una sequenza di controllo del terminale", 0x7F: "DEL",
    0xFFFE: "non-carattere U+FFFE", 0xFFFF: "non-carattere U+FFFF",
}
BIDI = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})
ZERO_WIDTH = frozenset({0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF})
LINE_BREAK_HINT = "per andare a capo scrivere il testo su più righe con «|» (blocco letterale YAML)"


class Meaning(Enum):
    TEXT = "testo"
    REJECTED = "rifiutato"
    SUSPICIOUS = "avviso"


@dataclass(frozen=True)
class Verdict:
    """What one character means, with the Italian sentence that explains it."""

    meaning: Meaning
    message: str = ""
    hint: str | None = None


_TEXT = Verdict(Meaning.TEXT)


def classify(char: str) -> Verdict:
    code = ord(char)
    if char in "\t\n\r" or 0x20 <= code < 0x7F:
        return _TEXT
    if code < 0x20 or 0x7F <= code <= 0x9F:
        hint = LINE_BREAK_HINT if code in (0x0B, 0x0C, 0x85) else "eliminarlo: non è un carattere di testo"
        return Verdict(Meaning.REJECTED, f"carattere di controllo {describe(char)} non ammesso in un testo", hint)
    if 0xD800 <= code <= 0xDFFF:
        return Verdict(Meaning.REJECTED, f"surrogato isolato U+{code:04X} non ammesso: il testo non è Unicode valido",
                       "riscrivere il carattere (una sequenza \\u di escape incompleta?)")
    if code in (0xFFFE, 0xFFFF):
        return Verdict(Meaning.REJECTED, f"{describe(char)} non ammesso in un documento Word")
    if code in BIDI:
        return Verdict(Meaning.SUSPICIOUS, f"carattere di controllo della direzione del testo {describe(char)}: può "
                                           "far leggere il testo in un ordine diverso da quello scritto",
                       "eliminarlo, salvo testi in arabo o ebraico")
    if code in ZERO_WIDTH:
        return Verdict(Meaning.SUSPICIOUS, f"carattere invisibile {describe(char)} nel testo",
                       "eliminarlo: non si vede ma cambia il testo (ricerche, confronti)")
    return _TEXT


def describe(char: str) -> str:
    code = ord(char)
    name = _NAMES.get(code) or unicodedata.name(char, "")
    return f"U+{code:04X}" + (f" ({name})" if name else "")


_UNUSUAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u061c\u200e\u200f"
                      "\u202a-\u202e\u2066-\u2069\u180e\u200b-\u200d\u2060\ufeff]")


def first_unusual(text: str) -> tuple[int, Verdict] | None:
    """The index and verdict of the first character that is not plain text (rejections before warnings)."""
    warning = None
    for match in _UNUSUAL.finditer(text):
        verdict = classify(match.group())
        if verdict.meaning is Meaning.REJECTED:
            return match.start(), verdict
        if warning is None:
            warning = (match.start(), verdict)
    return warning


_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069"
                        "\ufeff]")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def visible_escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralise(text: str) -> str:
    """Text made inert for a terminal: escape sequences, control, bidi and invisible characters become visible
    escapes (`\\x1b`), so they can neither move the cursor nor hide text."""
    return _INVISIBLE.sub(lambda match: visible_escape(match.group()), text)


def xml_safe(text: str) -> str:
    """Text an XML 1.0 file can hold: the characters it cannot are written as visible escapes."""
    return _XML_INVALID.sub(lambda match: visible_escape(match.group()), text)
