"""Count the numbered commas of every article of d.lgs. 36/2023 in a plain-text copy of the Gazzetta Ufficiale.

The table `commi.ultimo` of capitolato/data/codice-articoli.yaml comes from this count on the text of the original
publication (GU Serie generale n. 77 del 31 marzo 2023, S.O. n. 12/L, extracted from its PDF with one line per
printed line). Run from the repository root: ``python scripts/commi_codice.py GU.txt``; it prints the YAML flow
mapping to paste and, as a check, how many references «articolo N, comma M» of the text fall within the count and
the ones beyond it, to be read one by one: on the 2023 text those 7 are all references to other acts or to
suffixed commas whose «del decreto…» or «-ter» the PDF's spacing split («de lla», «4- ter»), none to the Code.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HEADING = re.compile(r"^\s*Articolo\s+(\d+)\s*\.?\s*$")
PAGE_HEADER = re.compile(r"^\s*—\s*[IVX\d]+\s*—")
COMMA_START = re.compile(r"^\s*(\d{1,2})(?:\s*\.\s*|\s+)(?=[A-ZÈÀÉÌÒÙ«“\"’'])")
INTERNAL_REFERENCE = re.compile(r"articolo (\d+), comm[ai] (\d+)(?![\w-]*\s*,?\s*(?:del|della|dello|dei)\s)")


def articles(lines: list[str]) -> dict[int, list[str]]:
    """The printed lines of each article, page headers left out."""
    found: dict[int, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        heading = HEADING.match(line)
        if heading:
            current = found.setdefault(int(heading.group(1)), [])
        elif current is not None and not PAGE_HEADER.match(line):
            current.append(line)
    return found


def last_comma(body: list[str]) -> int:
    """Commas are numbered 1, 2, 3… at the start of a line; a number out of sequence is text, not a comma."""
    expected = 1
    for line in body:
        start = COMMA_START.match(line)
        if start and int(start.group(1)) == expected:
            expected += 1
    return expected - 1


def references(text: str, counts: dict[int, int]) -> tuple[int, list[str]]:
    """References to a comma of an article of the text: how many fall within its count, and the others."""
    flat = re.sub(r"\s+", " ", text)
    found = [(int(m.group(1)), int(m.group(2)), m.group(0)) for m in INTERNAL_REFERENCE.finditer(flat)
             if int(m.group(1)) in counts]
    beyond = [text for article, comma, text in found if comma > counts[article]]
    return len(found) - len(beyond), beyond


def main(source: Path) -> int:
    text = source.read_text(encoding="utf-8")
    counts = {number: last_comma(body) for number, body in sorted(articles(text.splitlines()).items())}
    rows = [", ".join(f'"{n}": {counts[n]}' for n in list(counts)[i:i + 10]) for i in range(0, len(counts), 10)]
    print("    ultimo: {\n" + ",\n".join(f"      {row}" for row in rows) + "}")
    within, beyond = references(text, counts)
    print(f"# {len(counts)} articoli; rinvii «articolo N, comma M» entro l'ultimo comma: {within}, oltre: "
          f"{len(beyond)}", *beyond, sep="\n# ")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
