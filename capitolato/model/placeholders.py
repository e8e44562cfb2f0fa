"""What counts as a value still to be written: the marks presets leave and the stand-ins officers type.

A motivation, a name or a derogation reason that is only a placeholder is missing; a document that still holds one
is not ready to publish. One definition, used by the spec rules and by the publication rules.
"""

from __future__ import annotations

import re

MARKS = ("DA COMPLETARE", "DA VERIFICARE", "DA DEFINIRE", "DA INSERIRE", "DA NOMINARE")
_MARK = re.compile("|".join(re.escape(mark) for mark in MARKS), re.IGNORECASE)
_STAND_IN = re.compile(r"^\s*(?:x{2,}|\.{3,}|…+|_{3,}|-{3,}|\?+|tbd|n\.?d\.?|\[[^\]]*\]|<[^>]*>)\s*$", re.IGNORECASE)
_NOT_YET_NAMED = re.compile(r"\(\s*da\s+(?:nominare|individuare|designare)\b[^)]*\)", re.IGNORECASE)


def find_marks(text: str) -> list[tuple[int, int]]:
    """Spans of the placeholder marks in a text (a mark is upper case in what capitolato writes)."""
    return [match.span() for match in _MARK.finditer(text) if match.group().isupper()]


def is_placeholder(value: object) -> bool:
    """True for an empty value, a preset mark, a stand-in («XXX», «…», «[nome]») or a «(da nominare …)» name."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return (not text or bool(find_marks(text)) or bool(_MARK.fullmatch(text)) or bool(_STAND_IN.match(text))
            or bool(_NOT_YET_NAMED.search(text)))
