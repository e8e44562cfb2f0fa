"""Citations of the Codice in a text: «art. 11, comma 1, del d.lgs. 31 marzo 2023, n. 36», «artt. 106 e 117 del
Codice», «art. 41 c. 14 d.lgs. 36/2023». Articles, commas and letters as cited."""

from __future__ import annotations

import re
from dataclasses import dataclass

SUFFIX = r"(?:-?\s?(?:bis|ter|quater|quinquies|sexies))?"
CITATION = re.compile(
    rf"\bart(?:icol[oi]|t?\.)\s*(?P<arts>\d+{SUFFIX}(?:\s*(?:,|e|ed)\s*\d+{SUFFIX})*)"
    rf"(?:,?\s*(?:comm[ai]|cc?\.)\s*(?P<commi>\d+{SUFFIX}(?:\s*(?:,|e|-|–)\s*\d+{SUFFIX})*))?"
    r"(?:,?\s*lett(?:era|\.)?\s*(?P<lett>[a-z]{1,2})\))?"
    r"[^.;]{0,25}?(?P<law>d\.?\s*lgs\.?\s*(?:n\.?\s*)?36\s*/\s*2023|d\.?\s*lgs\.?\s*31 marzo 2023,?\s*n\.?\s*36\b"
    r"|(?:del|dal|nel)\s+(?:nuovo\s+)?codice(?:\s+dei\s+contratti(?:\s+pubblici)?)?\b"
    r"(?!\s+(?:civile|penale|di\b|del\b|della\b|delle\b|dell|degli\b|dei\b|etico|antimafia)))",
    re.IGNORECASE)
OLD_CODE = re.compile(r"[^;]*?50\s*/\s*2016")
ANNEX = re.compile(rf"\ballegat[oi]\s+(?P<book>[IVX]{{1,4}})\.(?P<number>\d{{1,3}})(?P<suffix>{SUFFIX})(?![\d.]*\d)"
                   r"(?P<law>[^.;]{0,30}?\b(?:d\.?\s*lgs\.?|decreto legislativo|legge|l\.|d\.?\s*p\.?\s*r\.?|regolamento)"
                   r"\s*(?:n\.?\s*)?(?P<act>[^.;]{0,25}))?", re.IGNORECASE)
CODE_ACT = re.compile(r"^\s*(?:31 marzo 2023,?\s*n\.?\s*)?36\s*/\s*2023|^\s*31 marzo 2023", re.IGNORECASE)
NUMBER = re.compile(rf"(\d+)({SUFFIX})", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    text: str
    articles: tuple[tuple[int, str], ...]
    commas: tuple[tuple[int, str], ...]
    start: int

    @property
    def single_article(self) -> str | None:
        if len(self.articles) != 1:
            return None
        number, suffix = self.articles[0]
        return f"{number}{suffix}"


def citations(text: str) -> list[Citation]:
    found = []
    for match in CITATION.finditer(text):
        if OLD_CODE.match(text, match.end(), match.end() + 60):
            continue
        commas = tuple(_numbers(match.group("commi") or ""))
        found.append(Citation(match.group(0), tuple(_numbers(match.group("arts"))), commas, match.start()))
    return found


@dataclass(frozen=True)
class AnnexCitation:
    """«Allegato II.2-bis»: the book (roman), the number as written («01» stays «01») and the suffix."""

    text: str
    book: str
    number: str
    suffix: str
    start: int

    @property
    def name(self) -> str:
        return f"{self.book}.{self.number}" + (f"-{self.suffix}" if self.suffix else "")


def annex_citations(text: str) -> list[AnnexCitation]:
    """Annexes of the Codice cited as «Allegato II.3»; one named as an annex of another act is not the Codice's."""
    found = []
    for match in ANNEX.finditer(text):
        if match.group("law") and not CODE_ACT.match(match.group("act") or ""):
            continue
        suffix = match.group("suffix").replace(" ", "").replace("-", "").lower()
        found.append(AnnexCitation(match.group(0).strip(), match.group("book").upper(), match.group("number"), suffix,
                                   match.start()))
    return found


def _numbers(text: str) -> list[tuple[int, str]]:
    return [(int(m.group(1)), m.group(2).replace(" ", "").replace("-", "").lower()) for m in NUMBER.finditer(text)]
