"""The observatory's report: overview with charts, ranking with reasons, one page per tender with its findings.

One `ReportData` is computed from the run (and the database's aggregate views); the HTML page (self-contained,
from templates/osservatorio/rapporto.html.j2) and the Word document (the typed document model) both show it.
Every value from a tender is text, escaped by the template or held in a `Text` node, never markup.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from capitolato.document.model import Block, Cell, Column, Document, Figure, Heading, ListBlock, Paragraph, Table, Text
from capitolato.italian import date as italian_date
from capitolato.observatory.charts import WIDTH_CM, Chart
from capitolato.observatory.engine import DATA_FOLDER, Observation
from capitolato.observatory.guidelines import Outcome
from capitolato.resources import data_path, package_data
from capitolato.rules.finding import Severity

HTML_NAME, DOCX_NAME = "osservatorio.html", "osservatorio.docx"
AGGREGATE_COLUMNS = ("gare", "punteggio_medio", "clausola_sociale_ben_formata_pct", "ccnl_indicato_pct",
                     "manodopera_indicata_pct", "quota_punti_economici_media", "al_tetto_economico_pct",
                     "punti_valutazione_impatto_media", "punti_stabilita_occupazionale_media", "matrice_governance_pct")
AGGREGATE_TITLES = ("Gare", "Punteggio medio", "Clausola sociale ben formata %", "CCNL %", "Manodopera a parte %",
                    "Punti economici % del totale", "Al tetto dei 30 punti %", "Punti impatto (media)",
                    "Punti stabilità (media)", "Governance %")
HIGHLIGHTS = 3


@dataclass
class TenderPage:
    anchor: str
    position: int | None
    label: str
    row: dict[str, Any]
    facts: list[tuple[str, str]]
    outcomes: list[dict[str, str]]
    findings: list[dict[str, Any]]
    met: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def score(self) -> str:
        return f"{_word(self.row['punteggio'])} %"

    @property
    def reasons(self) -> str:
        """Why the tender stands where it stands, in one sentence."""
        parts = []
        if self.met:
            parts.append("rispetta " + ", ".join(self.met))
        if self.missed:
            parts.append("manca " + ", ".join(self.missed))
        if self.unknown:
            parts.append("non valutabili " + ", ".join(self.unknown))
        errors = [f["codice"] for f in self.findings if f["gravita"] == "error" and not f["derogato"]]
        if errors:
            parts.append("rilievi di errore: " + ", ".join(dict.fromkeys(errors)))
        return "; ".join(parts) or "nessuna linea guida applicabile"


@dataclass
class ReportData:
    title: str
    date: str
    guidelines_name: str
    counts: dict[str, int]
    charts: list[Chart]
    ranking: list[TenderPage]
    unread: list[TenderPage]
    aggregates: list[tuple[str, list[list[str]]]]
    guidelines: list[dict[str, str]]


def render_reports(observation: Observation, connection: Any) -> dict[Path, bytes]:
    """HTML and Word report, and the data of each chart as CSV in dati/."""
    data = report_data(observation, connection)
    out = observation.out_dir
    files = {out / HTML_NAME: render_html(data), out / DOCX_NAME: render_docx(data, observation)}
    for chart in data.charts:
        files[out / DATA_FOLDER / f"grafico-{chart.name}.csv"] = chart.csv
    return files


def report_data(observation: Observation, connection: Any) -> ReportData:
    labels = package_data("osservatorio.yaml")["indicatori"]
    guidelines = {g.code: g for g in observation.guidelines.items}
    pages = [_page(observation, row, labels, guidelines) for row in observation.ranked]
    unread = [_page(observation, row, labels, guidelines) for row in observation.tenders
              if row["posizione"] is None]
    for index, page in enumerate(unread, start=len(pages) + 1):
        page.anchor = f"gara-{index}"
    return ReportData(
        title=f"Osservatorio delle gare al {italian_date(observation.date)}",
        date=italian_date(observation.date),
        guidelines_name=observation.guidelines.name,
        counts={"gare": len(observation.tenders), "valutate": len(pages),
                "non_leggibili": sum(row["stato"] != "letta" for row in observation.tenders),
                "file": len(observation.read) + len(observation.reused), "letti": len(observation.read)},
        charts=_charts(observation, pages),
        ranking=pages, unread=unread,
        aggregates=_aggregates(connection),
        guidelines=[{"codice": g.code, "titolo": g.title, "condizione": f"{labels[g.indicator]['etichetta']} "
                     f"{g.expected}", "quando": ", ".join(f"{k} = {_word(v)}" for k, v in g.when.items()) or "sempre",
                     "peso": str(g.weight), "fonte": g.source} for g in observation.guidelines.items],
    )


def _page(observation: Observation, row: dict[str, Any], labels: dict[str, Any], guidelines: dict[str, Any]) -> TenderPage:
    subject = row.get("oggetto") or row["percorso"]
    label = f"{row['ente']} – {subject}" if row.get("ente") else subject
    facts = [("Percorso", row["percorso"]), ("Fonte", f"{row['fonte']} ({row['file']} file)"),
             ("Ente", row.get("ente") or "non trovato"), ("Procedura", row.get("procedura") or "non trovata"),
             ("Anno", str(row["anno"]) if row.get("anno") else "non trovato"),
             ("Tipo di servizio", row.get("tipo_servizio") or "non trovato")]
    facts += [(item["etichetta"], _word(row.get(key))) for key, item in labels.items()] if row["stato"] == "letta" \
        else [("Stato", "non leggibile")]
    page = TenderPage(f"gara-{row['posizione']}" if row["posizione"] else "", row["posizione"], label, row, facts,
                      [], sorted(observation.findings.get(row["id"], []), key=_finding_order))
    for _, code, outcome, value, expected, weight in observation.outcomes.get(row["id"], []):
        guideline = guidelines[code]
        page.outcomes.append({"codice": code, "titolo": guideline.title, "esito": outcome,
                              "valore": value if value is not None else "non trovato", "atteso": expected,
                              "peso": str(weight)})
        target = {Outcome.MET.value: page.met, Outcome.MISSED.value: page.missed}.get(outcome, page.unknown)
        target.append(code)
    return page


def _finding_order(finding: dict[str, Any]) -> tuple[int, str, str]:
    return (-Severity(finding["gravita"]).rank, finding["codice"], finding["posizione"])


def _word(value: Any) -> str:
    if value is None:
        return "non trovato"
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0").replace(".", ",")
    return str(value)


def _charts(observation: Observation, pages: list[TenderPage]) -> list[Chart]:
    from capitolato.observatory import charts

    readable = [row for row in observation.tenders if row["stato"] == "letta"]
    ranking = charts.ranking_chart(short_labels([p.row for p in pages]), [p.row["punteggio"] for p in pages])
    points = [row["punti_economici"] for row in readable if row.get("punti_economici") is not None]
    cap = min((_cap(row) for row in readable if row.get("punti_economici") is not None), default=_cap({}))
    economic = charts.economic_points_chart(points, cap)
    items = observation.guidelines.items
    tally = {g.code: {o: 0 for o in Outcome} for g in items}
    for rows in observation.outcomes.values():
        for _, code, outcome, *_ in rows:
            tally[code][Outcome(outcome)] += 1
    guideline = charts.guidelines_chart([g.code for g in items], [g.title for g in items],
                                        [tally[g.code][Outcome.MET] for g in items],
                                        [tally[g.code][Outcome.MISSED] for g in items],
                                        [tally[g.code][Outcome.UNKNOWN] for g in items])
    live = [f for findings in observation.findings.values() for f in findings if not f["derogato"]]
    families = sorted({f["codice"][:3] for f in live})
    by_severity = {s.value: [sum(1 for f in live if f["codice"][:3] == fam and f["gravita"] == s.value)
                             for fam in families] for s in Severity}
    findings = charts.findings_chart(families, by_severity, {s.value: s.label for s in Severity})
    return [ranking, economic, guideline, findings]


def _cap(row: dict[str, Any]) -> float:
    from capitolato.observatory.extract import legal_value

    day = row.get("data_pubblicazione")
    return legal_value("tetto_punteggio_economico", {"data_pubblicazione": day.isoformat() if day else None})


def short_labels(rows: list[dict[str, Any]]) -> list[str]:
    """Each tender's folder by its last parts, as few as keep two tenders from looking alike."""
    folders = [Path(row["id"]).parent if row["fonte"] == "spec" else Path(row["id"]) for row in rows]
    longest = max((len(folder.parts) for folder in folders), default=1)
    for depth in range(1, longest + 1):
        labels = ["/".join(folder.parts[-depth:]) for folder in folders]
        if len(set(labels)) == len(labels):
            return labels
    return labels


def _aggregates(connection: Any) -> list[tuple[str, list[list[str]]]]:
    dimensions = package_data("osservatorio.yaml")["dimensioni"]
    views = {"ente": "per_ente", "anno": "per_anno", "procedura": "per_procedura", "tipo_servizio": "per_servizio"}
    tables = []
    for dimension, title in dimensions.items():
        columns = ", ".join((dimension, *AGGREGATE_COLUMNS))
        rows = connection.execute(f"SELECT {columns} FROM {views[dimension]}").fetchall()
        tables.append((title, [[_word(value) if value is not None else "–" for value in row] for row in rows]))
    return tables


# --- HTML ---------------------------------------------------------------------------------------------------------

def render_html(data: ReportData) -> bytes:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    folder = data_path("templates", "osservatorio")
    environment = Environment(loader=FileSystemLoader(str(folder)), autoescape=True, undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters["b64"] = lambda raw: base64.b64encode(raw).decode("ascii")
    page = environment.get_template("rapporto.html.j2").render(
        data=data, aggregate_titles=AGGREGATE_TITLES, severity_labels={s.value: s.label for s in Severity},
        data_folder=DATA_FOLDER)
    return page.encode("utf-8")


# --- Word ---------------------------------------------------------------------------------------------------------

def render_docx(data: ReportData, observation: Observation) -> bytes:
    from capitolato.render.document import render_bytes
    from capitolato.render.meta import DocumentMeta

    meta = DocumentMeta(title=data.title, ente="Osservatorio delle gare", date=observation.date,
                        subtitle=f"Linee guida: {data.guidelines_name}",
                        subject="Buone e cattive pratiche nelle gare dei servizi sociali",
                        keywords="osservatorio, gare, linee guida, clausola sociale, valutazione d'impatto")
    return render_bytes(report_document(data), meta, "docx")


def _t(text: str, **style: Any) -> tuple[Text, ...]:
    return (Text(text, **style),)


def _p(text: str) -> Paragraph:
    return Paragraph(_t(text))


def _table(titles: list[str], rows: list[list[str]], caption: str) -> Table:
    columns = tuple(Column(_t(title)) for title in titles)
    return Table(columns, tuple(tuple(Cell(_t(v), i) for i, v in enumerate(row)) for row in rows), None, caption)


def report_document(data: ReportData) -> Document:
    blocks: list[Block] = [Heading(1, _t("Sintesi")), _p(_summary(data))]
    for chart in data.charts:
        blocks += [Figure(chart.alt, chart.title, chart.svg, chart.png, WIDTH_CM),
                   _p(f"Dati del grafico: {DATA_FOLDER}/grafico-{chart.name}.csv")]
    blocks += [Heading(1, _t("Graduatoria")),
               _table(["Pos.", "Gara", "Punteggio", "Motivi"],
                      [[str(p.position), p.label, p.score, p.reasons] for p in data.ranking],
                      "Graduatoria delle gare sulle linee guida")]
    blocks += _highlights(data)
    blocks.append(Heading(1, _t("Indicatori per ente, anno, procedura e tipo di servizio")))
    for title, rows in data.aggregates:
        blocks.append(_table([title, *AGGREGATE_TITLES], rows, f"Indicatori per {title.lower()}"))
    blocks += [Heading(1, _t("Linee guida")),
               _table(["Codice", "Linea guida", "Condizione", "Si applica", "Peso", "Fonte"],
                      [list(g.values()) for g in data.guidelines], f"Linee guida: {data.guidelines_name}")]
    for page in [*data.ranking, *data.unread]:
        blocks += _tender_blocks(page)
    return Document("osservatorio", data.title, tuple(blocks))


def _summary(data: ReportData) -> str:
    counts = data.counts
    return (f"{counts['gare']} gare ({counts['file']} file, {counts['letti']} letti in questa esecuzione), "
            f"{counts['valutate']} valutate sulle linee guida «{data.guidelines_name}», "
            f"{counts['non_leggibili']} non leggibili.")


def _highlights(data: ReportData) -> list[Block]:
    best, worst = data.ranking[:HIGHLIGHTS], data.ranking[-HIGHLIGHTS:][::-1] if len(data.ranking) > HIGHLIGHTS else []
    blocks: list[Block] = [Heading(2, _t("Buone pratiche"))]
    blocks.append(ListBlock(tuple((_p(f"{p.position}. {p.label}: rispetta {', '.join(p.met) or 'nessuna linea guida'}"),)
                                  for p in best)) if best else _p("Nessuna gara valutata."))
    if worst:
        blocks.append(Heading(2, _t("Pratiche da migliorare")))
        blocks.append(ListBlock(tuple((_p(f"{p.position}. {p.label}: {p.reasons}"),) for p in worst)))
    return blocks


def _tender_blocks(page: TenderPage) -> list[Block]:
    title = f"{page.position}. {page.label}" if page.position else f"Non leggibile: {page.label}"
    blocks: list[Block] = [Heading(1, _t(title)), _p(f"Motivi: {page.reasons}"),
                           _table(["Fatto", "Valore"], [list(f) for f in page.facts], "Fatti e indicatori")]
    if page.outcomes:
        blocks.append(_table(["Codice", "Linea guida", "Esito", "Valore", "Atteso"],
                             [[o["codice"], o["titolo"], o["esito"], o["valore"], o["atteso"]] for o in page.outcomes],
                             "Linee guida"))
    if page.findings:
        blocks.append(_table(["Codice", "Gravità", "Rilievo", "Dove"],
                             [[f["codice"], Severity(f["gravita"]).label, f["messaggio"], f["posizione"]]
                              for f in page.findings], "Rilievi"))
    else:
        blocks.append(_p("Nessun rilievo."))
    return blocks
