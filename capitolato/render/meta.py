"""Document metadata shared by the Word and HTML renderers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from capitolato.italian import date as italian_date


@dataclass(frozen=True)
class DocumentMeta:
    """What the cover, header and document properties say about the document."""

    title: str
    ente: str
    date: dt.date
    subtitle: str = ""
    office: str = ""
    cig: str = ""
    cup: str = ""
    author: str = ""
    subject: str = ""
    keywords: str = ""
    logo: Path | None = None
    logo_alt: str = ""
    draft: bool = False
    language: str = "it-IT"

    @property
    def author_or_ente(self) -> str:
        """Word's author field: the person if given, else the contracting authority."""
        return self.author or self.ente


DRAFT_NOTICE = "BOZZA – documento non definitivo"
__all__ = ["DocumentMeta", "DRAFT_NOTICE", "italian_date"]
