"""The overview charts of the observatory's report (matplotlib), each with its data as CSV and a text alternative.

Deterministic like monitora's charts: no dates in the metadata, a fixed hash salt, the fonts shipped with matplotlib.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.figure import Figure

_STYLE = {"svg.hashsalt": "capitolato-osservatorio", "svg.fonttype": "none", "font.family": "DejaVu Sans",
          "font.size": 8, "axes.spines.top": False, "axes.spines.right": False, "path.simplify": False}
_PNG_DPI = 150
RANKING_BARS = 30
_BLUE, _GREEN, _RED, _AMBER, _GREY = "#0b5cad", "#1a7f37", "#b3261e", "#b35900", "#6e7781"
WIDTH_CM = 16.0


@dataclass(frozen=True)
class Chart:
    """One chart: its name (also of its data file), title, text alternative, drawings and the data behind it."""

    name: str
    title: str
    alt: str
    svg: bytes
    png: bytes
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def csv(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return buffer.getvalue().encode("utf-8")


def _save(figure: Figure) -> tuple[bytes, bytes]:
    vector, raster = io.BytesIO(), io.BytesIO()
    figure.savefig(vector, format="svg", metadata={"Date": None, "Creator": None})
    figure.savefig(raster, format="png", dpi=_PNG_DPI, metadata={"Software": None})
    return vector.getvalue(), raster.getvalue()


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _tail(text: str, limit: int = 34) -> str:
    """The end of a long path-like label, which tells tenders apart («…/preset/pnrr»)."""
    return text if len(text) <= limit else "…" + text[-(limit - 1):]


def ranking_chart(labels: Sequence[str], scores: Sequence[float]) -> Chart:
    """Each tender's guideline score, best first (horizontal bars; the first RANKING_BARS, the data has all)."""
    shown = list(range(min(len(labels), RANKING_BARS)))
    inches = min(max(2.2, 0.28 * len(shown) + 0.9), 9.5)
    with rc_context(_STYLE):
        figure = Figure(figsize=(6.3, inches))
        figure.subplots_adjust(left=0.38, right=0.95, top=1 - 0.3 / inches, bottom=0.5 / inches)
        axes = figure.add_subplot()
        colours = [_GREEN if scores[i] >= 75 else _AMBER if scores[i] >= 50 else _RED for i in shown]
        axes.barh([len(shown) - 1 - i for i in shown], [scores[i] for i in shown], color=colours)
        axes.set_yticks([len(shown) - 1 - i for i in shown], [f"{i + 1}. {_tail(labels[i])}" for i in shown])
        axes.set_xlim(0, 100)
        axes.set_xlabel("punteggio sulle linee guida (%)")
        cut = len(labels) > len(shown)
        axes.set_title("Graduatoria delle gare" + (f" (le prime {len(shown)})" if cut else ""), loc="left", fontsize=9)
        axes.grid(axis="x", linewidth=0.3, color="#d0d7de")
        svg, png = _save(figure)
    rows = tuple((str(i + 1), label, _number(score)) for i, (label, score) in enumerate(zip(labels, scores)))
    alt = f"Grafico a barre orizzontali del punteggio sulle linee guida di {len(labels)} gare, dalla migliore"
    if cut:
        alt += f" (sono disegnate le prime {len(shown)}, i dati le contengono tutte)"
    if labels:
        alt += f"; la prima è {labels[0]} con {_number(scores[0])} %"
    if len(labels) > 1:
        alt += f", l'ultima {labels[-1]} con {_number(scores[-1])} %"
    return Chart("graduatoria", "Graduatoria delle gare", alt + ".", svg, png, ("posizione", "gara", "punteggio"), rows)


def economic_points_chart(points: Sequence[float], cap: float) -> Chart:
    """How many tenders give each number of economic points, with the legal cap."""
    counts: dict[float, int] = {}
    for value in points:
        counts[value] = counts.get(value, 0) + 1
    values = sorted(counts)
    with rc_context(_STYLE):
        figure = Figure(figsize=(6.3, 2.6))
        figure.subplots_adjust(left=0.1, right=0.95, top=0.88, bottom=0.2)
        axes = figure.add_subplot()
        axes.bar([_number(v) for v in values], [counts[v] for v in values],
                 color=[_RED if v >= cap else _BLUE for v in values])
        axes.set_xlabel("punti dell'offerta economica")
        axes.set_ylabel("gare")
        axes.set_title(f"Distribuzione dei punti economici (in rosso: al tetto di {_number(cap)})", loc="left",
                       fontsize=9)
        axes.yaxis.get_major_locator().set_params(integer=True)
        svg, png = _save(figure)
    at_cap = sum(counts[v] for v in values if v >= cap)
    described = "; ".join(f"{_number(v)} punti: {counts[v]} gare" for v in values) or "nessun dato"
    alt = (f"Istogramma dei punti economici di {len(points)} gare: {described}. Al tetto di {_number(cap)} punti: "
           f"{at_cap} gare.")
    rows = tuple((_number(v), str(counts[v])) for v in values)
    return Chart("punti-economici", "Distribuzione dei punti economici", alt, svg, png, ("punti_economici", "gare"),
                 rows)


def guidelines_chart(codes: Sequence[str], titles: Sequence[str], met: Sequence[int], missed: Sequence[int],
                     unknown: Sequence[int]) -> Chart:
    """For each guideline, how many tenders meet it, miss it, or do not show the data."""
    with rc_context(_STYLE):
        inches = max(2.4, 0.3 * len(codes) + 1.2)
        figure = Figure(figsize=(6.3, inches))
        figure.subplots_adjust(left=0.1, right=0.95, top=1 - 0.35 / inches, bottom=0.85 / inches)
        axes = figure.add_subplot()
        positions = list(range(len(codes)))[::-1]
        axes.barh(positions, met, color=_GREEN, label="rispettata")
        axes.barh(positions, missed, left=met, color=_RED, label="mancata")
        axes.barh(positions, unknown, left=[a + b for a, b in zip(met, missed)], color=_GREY, label="non valutabile")
        axes.set_yticks(positions, list(codes))
        axes.set_xlabel("gare a cui la linea guida si applica")
        axes.set_title("Linee guida: gare che le rispettano", loc="left", fontsize=9)
        figure.legend(loc="lower center", ncols=3, frameon=False, fontsize=7)
        axes.xaxis.get_major_locator().set_params(integer=True)
        svg, png = _save(figure)
    parts = [f"{code} ({title}): {m} rispettata, {x} mancata, {u} non valutabile"
             for code, title, m, x, u in zip(codes, titles, met, missed, unknown)]
    alt = "Barre impilate, una per linea guida: " + "; ".join(parts) + "."
    rows = tuple((c, t, str(m), str(x), str(u)) for c, t, m, x, u in zip(codes, titles, met, missed, unknown))
    return Chart("linee-guida", "Linee guida: gare che le rispettano", alt, svg, png,
                 ("linea_guida", "titolo", "rispettata", "mancata", "non_valutabile"), rows)


def findings_chart(families: Sequence[str], by_severity: dict[str, Sequence[int]], labels: dict[str, str]) -> Chart:
    """Findings by rule family, stacked by severity."""
    colours = {"error": _RED, "warning": _AMBER, "info": _GREY}
    with rc_context(_STYLE):
        figure = Figure(figsize=(6.3, 2.6))
        figure.subplots_adjust(left=0.1, right=0.95, top=0.88, bottom=0.2)
        axes = figure.add_subplot()
        bottom = [0] * len(families)
        for severity, counts in by_severity.items():
            axes.bar(list(families), counts, bottom=bottom, color=colours[severity], label=labels[severity])
            bottom = [a + b for a, b in zip(bottom, counts)]
        axes.set_ylabel("rilievi")
        axes.set_title("Rilievi per famiglia di regole e gravità", loc="left", fontsize=9)
        if families:
            axes.legend(frameon=False, fontsize=7)
        axes.yaxis.get_major_locator().set_params(integer=True)
        svg, png = _save(figure)
    parts = [f"{family}: " + ", ".join(f"{counts[i]} {labels[s]}" for s, counts in by_severity.items() if counts[i])
             for i, family in enumerate(families)]
    alt = ("Barre impilate dei rilievi per famiglia di regole: " + "; ".join(parts) + ".") if families else \
        "Nessun rilievo nelle gare lette."
    rows = tuple((family, *(str(counts[i]) for counts in by_severity.values())) for i, family in enumerate(families))
    return Chart("rilievi", "Rilievi per famiglia e gravità", alt, svg, png, ("famiglia", *by_severity), rows)
