"""Numbers, money, percentages and dates written the Italian way, for every text the tool produces."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
          "ottobre", "novembre", "dicembre")


def _decimal(value: Any) -> Decimal:
    if value is None:
        raise TypeError("un valore necessario non è indicato")
    if isinstance(value, bool):
        raise TypeError("un valore vero/falso non è un numero")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise TypeError(f"«{value}» non è un numero") from None
    if not number.is_finite():
        raise TypeError(f"«{value}» non è un numero finito")
    return number


def number(value: Any, decimals: int | None = None) -> str:
    """1234567.5 → «1.234.567,5»; with `decimals`, rounded half up to that many places."""
    amount = _decimal(value)
    if decimals is not None:
        amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    else:
        amount = amount.normalize()
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{groups},{fraction}" if fraction else f"{sign}{groups}"


def euro(value: Any) -> str:
    """1234567.891 → «1.234.567,89 €» (always two decimals)."""
    return f"{number(value, 2)} €"


def percent(value: Any) -> str:
    """30 → «30 %», 12.5 → «12,5 %» (the argument is already a percentage, not a fraction)."""
    return f"{number(value)} %"


def date(value: Any) -> str:
    """2026-03-31 → «31 marzo 2026»; the first of the month is «1° dicembre 2024»; no leading zeros."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if not isinstance(value, dt.date):
        raise TypeError(f"«{value}» non è una data")
    day = "1°" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


class NumberFormatError(ValueError):
    """A number written in a way the tool cannot read; the message says what to write instead."""


AMOUNT_HINT = "scrivere 1350000.00 o 1.350.000,00"
PERCENT_HINT = "scrivere 80, senza %"
_ITALIAN_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_ITALIAN_PLAIN = re.compile(r"^\d+,\d+$")
_DOT_DECIMAL = re.compile(r"^\d+(?:\.\d+)?$")


def parse_amount(value: Any) -> Decimal:
    """An amount in euros as the officer writes it: 1350000, 1350000.00, «1.350.000,00», «1.080.000», «1.350 €».

    The one ambiguous shape is a single separator followed by three digits. A euro amount has at most two
    decimals, so «1.350» can only be the Italian thousands: 1350; «1,350» (three decimals after a comma) is
    rejected, because in English it would be 1350 and in Italian 1,35.
    """
    if isinstance(value, bool):
        raise NumberFormatError(f"atteso un importo in euro: {AMOUNT_HINT}")
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return _finite(value)
    if not isinstance(value, str):
        raise NumberFormatError(f"atteso un importo in euro: {AMOUNT_HINT}")
    text = value.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    if "%" in digits:
        raise NumberFormatError(f"«{value}» non è un importo: {AMOUNT_HINT}, senza %")
    if _ITALIAN_GROUPED.match(digits) or _ITALIAN_PLAIN.match(digits):
        whole, _, decimals = digits.partition(",")
        if len(decimals) == 3 and "." not in whole:
            raise NumberFormatError(f"«{value}» è ambiguo (1350 o 1,35?): un importo ha al più due decimali; "
                                    f"{AMOUNT_HINT}")
        return Decimal(sign + whole.replace(".", "") + (f".{decimals}" if decimals else ""))
    if _DOT_DECIMAL.match(digits):
        return Decimal(sign + digits)
    raise NumberFormatError(f"«{value}» non è un importo: {AMOUNT_HINT}")


def _finite(value: Any) -> Decimal:
    try:
        return _decimal(value)
    except TypeError:
        raise NumberFormatError("il valore deve essere un numero finito (non NaN né infinito)") from None


def parse_percent(value: Any) -> Decimal:
    """A percentage as a number of hundredths: 80, 12.5, «12,5»; «80%» is an error that says to drop the sign."""
    if isinstance(value, bool):
        raise NumberFormatError(f"attesa una percentuale: {PERCENT_HINT}")
    if isinstance(value, (int, float, Decimal)):
        return _finite(value)
    if not isinstance(value, str):
        raise NumberFormatError(f"attesa una percentuale: {PERCENT_HINT}")
    text = value.replace("\u00a0", "").replace(" ", "").strip()
    if text.endswith("%") or text.endswith("‰"):
        raise NumberFormatError(f"«{value}»: {PERCENT_HINT}")
    if re.fullmatch(r"-?\d+(?:[.,]\d+)?", text):
        return Decimal(text.replace(",", "."))
    raise NumberFormatError(f"«{value}» non è una percentuale: {PERCENT_HINT}")


def ordinal(value: Any, gender: str = "m") -> str:
    """3 → «terzo» («terza» with gender f) up to ten, then «11°» / «11ª»."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TypeError(f"«{value}» non è un numero ordinale (intero positivo)")
    feminine = gender.startswith("f")
    words = _grammar()["ordinali"]
    if value <= len(words):
        word = words[value - 1]
        return word[:-1] + "a" if feminine else word
    return f"{value}ª" if feminine else f"{value}°"


# The authority's denomination: article, gender and the articulated prepositions («del Comune di Melzo»).

ARTICLE_NONE = "nessuno"
_LO_ONSET = re.compile(r"^(s[^aeiouàèéìòù\W]|z|gn|ps|pn|x|y|i[aeiouàèéìòù])", re.IGNORECASE)
_VOWEL_ONSET = re.compile(r"^[aeiouàèéìòùh]", re.IGNORECASE)
_VOWEL_SOUNDING_LETTERS = "AEIOUFHLMNRS"  # acronyms read letter by letter: «l'ATS», «l'INPS», «l'SPI»


@dataclass(frozen=True)
class Denomination:
    """A name with the article it takes: «l'» + «Unione dei Comuni»; `article` is "" for a bare proper name."""

    name: str
    article: str
    gender: str
    plural: bool

    def with_article(self) -> str:
        if not self.article:
            return self.name
        return _joined(self.article, self.name)

    def after(self, preposition: str) -> str:
        """«di» → «del Comune di Melzo», «da» → «dall'Unione…», «con» → «con il Consorzio…»."""
        forms = _grammar()["preposizioni"]
        if preposition not in forms:
            raise TypeError(f"«{preposition}» non è una preposizione ammessa ({', '.join(forms)})")
        if not self.article:
            return f"{preposition} {self.name}"
        joined = forms[preposition].get(self.article)
        if joined is None:
            return f"{preposition} {self.with_article()}"
        return _joined(joined, self.name)


def _joined(word: str, name: str) -> str:
    """«l'» + «Unione» → «l’Unione» (the elision is ours, so typographic); «il» + «Comune» → «il Comune»."""
    return f"{word[:-1]}’{name}" if word.endswith("'") else f"{word} {name}"


@cache
def _grammar() -> dict[str, Any]:
    from capitolato.resources import package_data

    return package_data("denominazioni.yaml")


def article_for(name: str) -> tuple[str, str, bool]:
    """(article, gender, plural) of a denomination from its first word; ("", "m", False) if unknown."""
    first = name.split(maxsplit=1)[0] if name.split() else ""
    entry = _grammar()["parole"].get(first.strip(",.;:"))
    if entry is None:
        return "", "m", False
    gender, number_ = entry.split()
    plural = number_ == "p"
    return _article_form(first, gender, plural), gender, plural


def _article_form(word: str, gender: str, plural: bool) -> str:
    if word.isupper() and len(word) > 1:
        vowel = word[0] in _VOWEL_SOUNDING_LETTERS
        lo = False
    else:
        vowel, lo = bool(_VOWEL_ONSET.match(word)), bool(_LO_ONSET.match(word))
    if gender == "f":
        return "le" if plural else ("l'" if vowel else "la")
    if plural:
        return "gli" if vowel or lo else "i"
    return "l'" if vowel else ("lo" if lo else "il")


def denomination(value: Any) -> Denomination:
    """The authority (`ente` of the spec, as a mapping or model) or a bare name, with its article.

    A declared `articolo` wins over the table; a name typed with its article («Il Comune di…») keeps it.
    """
    name, declared = _name_and_article(value)
    words = name.split(maxsplit=1)
    articles = _grammar()["articoli"]
    typed = words[0].lower() if words else ""
    if len(words) == 2 and typed in articles and declared is None:
        declared, name = typed, words[1]
    elif len(words) == 2 and typed[:2] == "l'" and declared is None:
        declared, name = "l'", name[2:]
    derived, gender, plural = article_for(name)
    if declared is None:
        return Denomination(name, derived, gender, plural)
    if declared == ARTICLE_NONE:
        return Denomination(name, "", gender, plural)
    article = declared.replace("’", "'")
    declared_gender, declared_number = articles[article].split()
    return Denomination(name, article, gender if declared_gender == "?" else declared_gender,
                        declared_number == "p")


def _name_and_article(value: Any) -> tuple[str, str | None]:
    if isinstance(value, str):
        return value.strip(), None
    if isinstance(value, dict):
        return str(value.get("nome") or "").strip(), value.get("articolo")
    name = getattr(value, "name", None)
    if isinstance(name, str):
        return name.strip(), getattr(value, "article", None)
    raise TypeError(f"«{value}» non è una denominazione (un testo o la sezione «ente»)")


def with_article(value: Any) -> str:
    """«Comune di Melzo» → «il Comune di Melzo» (template filter `articolo`)."""
    return _same_origin(value, denomination(value).with_article())


def with_preposition(value: Any, preposition: str) -> str:
    """«Comune di Melzo», «da» → «dal Comune di Melzo» (template filter `preposizione`)."""
    return _same_origin(value, denomination(value).after(preposition))


def _same_origin(value: Any, text: str) -> str:
    """A filter's result keeps the spec path of the value it was made from, so the document still knows the
    officer's words (not typeset, placeholders located)."""
    source = value.get("nome") if isinstance(value, dict) else value
    origin = getattr(source, "origin", None)
    if origin is None:
        return text
    from capitolato.document.values import SpecText

    return SpecText(text, origin)


SIMPLE_PREPOSITIONS = ("di", "a", "da", "in", "su", "con", "per", "tra", "fra")


def bare_denominations(text: str, names: Any) -> list[tuple[int, str]]:
    """Where a simple preposition comes right before a name that wants its article: «indetto da Comune di Melzo».

    `names` are the tender's denominations (the authority's, as text or `ente` mapping); a name without an article
    («Melzo», `articolo: nessuno`) is never flagged. Returns (offset, the words found) for a located finding.
    """
    found: list[tuple[int, str]] = []
    for value in ([names] if isinstance(names, (str, dict)) else names):
        named = denomination(value)
        if not named.article or not named.name:
            continue
        pattern = rf"(?<![\w'’])({'|'.join(SIMPLE_PREPOSITIONS)})\s+({re.escape(named.name)})"
        found += [(match.start(), match.group(0)) for match in re.finditer(pattern, text, re.IGNORECASE)
                  if match.group(2)[:1].isupper()]
    return sorted(found)


def capital(value: Any) -> str:
    """First letter upper-case, the rest untouched (Jinja's `capitalize` lowers the rest: «il comune di melzo»)."""
    text = str(value)
    return text[:1].upper() + text[1:]


def lower_first(value: Any) -> str:
    """A value inside a sentence: «Rapporto annuale» → «rapporto annuale», but «Comune di Melzo», «ANAC» and
    «Mario Rossi» keep their capital (Jinja's `lower` would give «per l'ambito»)."""
    from capitolato.typography import lower_initial

    return _same_origin(value, lower_initial(str(value)))


def list_item(value: Any, last: bool) -> str:
    """A list item's ending in a template loop: `{{ x | voce(loop.last) }}` → «…;» or, on the last, «….»."""
    from capitolato.typography import end_item

    return _same_origin(value, end_item(str(value), bool(last)))


def quoted(value: Any) -> str:
    """The object of the contract inside a sentence: «Servizi per le autonomie…», as the officer wrote it."""
    text = str(value).strip()
    if text.startswith("«") and text.endswith("»"):
        return _same_origin(value, text)
    return _same_origin(value, f"«{text}»")


FILTERS = {"euro": euro, "percento": percent, "numero": number, "data": date, "ordinale": ordinal,
           "articolo": with_article, "preposizione": with_preposition, "maiuscola": capital, "minuscola": lower_first,
           "voce": list_item, "virgolette": quoted}
