"""Lowercase ASCII identifiers from Italian text: file names, OCIDs, HTML anchors."""

from __future__ import annotations

import re
import unicodedata


def slug(text: str, max_length: int | None = None, fallback: str = "") -> str:
    """«Servizi per l'Ambito» → «servizi-per-l-ambito»: accents dropped, at most `max_length` characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if max_length is not None:
        words = words[:max_length].rstrip("-")
    return words or fallback
