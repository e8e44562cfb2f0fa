"""What the observatory keeps of one file: its raw facts and findings, read through check (specs) or the audit
(Word/PDF documents), as plain JSON-ready data so the database can store it and a later run can reuse it unread.

`read_file` runs in a worker process (it is the job of the batch); `tender_row` turns the readings of a tender's
files into its row of indicators, without reading anything again.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from capitolato.resources import package_data
from capitolato.spec.load import SPEC_FILE_NAME

if TYPE_CHECKING:
    from capitolato.audit import Audit
    from capitolato.model.tender import Criterion, Spec
    from capitolato.rules.finding import Finding

SPEC, DOCUMENT = "spec", "documento"


PACKAGE = Path(__file__).resolve().parent.parent


@cache
def fingerprint() -> str:
    """What a stored reading depends on besides the file: the tool, its code and its data (extraction patterns,
    rules, law values). Any change of them makes the next run read every file again."""
    from capitolato import __version__

    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def kind_of(path: Path) -> str:
    return SPEC if path.suffix.lower() in (".yaml", ".yml") or path.name == SPEC_FILE_NAME else DOCUMENT


def read_file(path: Path) -> dict[str, Any]:
    """The reading of one file: `fatti` (raw facts), `rilievi` (findings), `regole` (codes that ran; None = all)."""
    if kind_of(path) == SPEC:
        return _read_spec(path)
    from capitolato.audit import audit

    return _from_audit(audit(path))


def _read_spec(path: Path) -> dict[str, Any]:
    from capitolato.library.load import load_library
    from capitolato.rules import check
    from capitolato.spec.load import load_spec, spec_libraries

    spec = load_spec(path)
    findings = check(spec, load_library(spec_libraries(spec)))
    return {"fatti": spec_facts(spec), "rilievi": _findings(findings), "regole": None}


def spec_facts(spec: Spec) -> dict[str, Any]:
    """The raw facts of a spec: what it declares and what capitolato.model.facts derives from it."""
    from capitolato.model.facts import derive

    facts = derive(spec)
    award, impact, governance = spec.award, spec.impact, spec.governance
    indicators = impact.indicators if impact else []
    data = package_data("osservatorio.yaml")
    return {
        "ente": authority_name(spec.authority.name),
        "oggetto": spec.procedure.subject,
        "data_pubblicazione": spec.procedure.notice_date.isoformat(),
        "procedura": spec.procedure.kind.value,
        "cpv": list(spec.procedure.cpv),
        "servizi_persona": spec.features.personal_service,
        "servizi_sociali": facts.social_service,
        "amministrazione_condivisa": facts.outside_codice,
        "base": _float(spec.amounts.base_amount),
        "manodopera": _float(spec.amounts.labour_cost),
        "alta_intensita": facts.labour_intensive,
        "ccnl": spec.ccnl is not None,
        "clausola_sociale": any(use.id in data["clausole_sociali"] for use in spec.clauses),
        "criterio": award.method.value if award else None,
        "punti_tecnici": _float(award.technical_points) if award else None,
        "punti_economici": _float(award.economic_points) if award else None,
        "punti_totali": _float(award.total_points) if award else None,
        **{key: _tagged_points(award.criteria, item["etichette"]) if award else None
           for key, item in data["pesi_griglia"].items()},
        "tetto_economico": _float(facts.economic_cap),
        "livelli_governance": len(governance.levels) if governance else 0,
        "governance": bool(governance and governance.levels),
        "indicatori_impatto": len(indicators),
        "indicatori_baseline_target": sum(1 for i in indicators if i.baseline and i.target),
        "giorni_pubblicazione": facts.publication_days if facts.outside_codice else None,
    }


def _tagged_points(criteria: Sequence[Criterion], tags: Sequence[str]) -> float:
    return float(_tagged(criteria, set(tags)))


def _tagged(criteria: Sequence[Criterion], tags: set[str]) -> Decimal:
    """Points of the criteria carrying one of `tags`; a tagged criterion counts once, its sub-criteria not again."""
    total = Decimal(0)
    for criterion in criteria:
        if set(criterion.tags) & tags:
            total += criterion.points or sum((c.points or 0 for c in criterion.subcriteria), Decimal(0))
        else:
            total += _tagged(criterion.subcriteria, tags)
    return total


def _from_audit(result: Audit) -> dict[str, Any]:
    from capitolato.model.tender import SHARED_ADMINISTRATION

    facts = {key: fact.value for key, fact in result.facts.items() if fact.found}
    kind = facts.get("procedura.tipo")
    cpv = list(facts.get("procedura.cpv") or [])
    social = _social_cpv(cpv)
    date = facts.get("procedura.data_pubblicazione")
    data = package_data("osservatorio.yaml")
    raw = {
        "ente": authority_name(_authority(result)),
        "oggetto": _title(result),
        "data_pubblicazione": date.isoformat() if date else None,
        "procedura": kind,
        "cpv": cpv,
        "servizi_persona": social,
        "servizi_sociali": social,
        "amministrazione_condivisa": (kind in {k.value for k in SHARED_ADMINISTRATION}) if kind else None,
        "base": _float(facts.get("importi.base")),
        "manodopera": _float(facts.get("importi.manodopera")),
        "alta_intensita": None,
        "ccnl": "ccnl.nome" in facts or "ccnl.codice_cnel" in facts,
        "clausola_sociale": "clausola_sociale" in facts,
        "criterio": facts.get("aggiudicazione.criterio"),
        "punti_tecnici": _float(facts.get("aggiudicazione.punti_tecnici")),
        "punti_economici": _float(facts.get("aggiudicazione.punti_economici")),
        "punti_totali": _float(facts.get("aggiudicazione.punti_totali")),
        **{key: _grid_points(result, item["parole"]) for key, item in data["pesi_griglia"].items()},
        "tetto_economico": None,
        "livelli_governance": None,
        "governance": "governance" in facts,
        "indicatori_impatto": None,
        "indicatori_baseline_target": None,
        "giorni_pubblicazione": None,
    }
    ran = sorted(_rules_that_ran(result))
    return {"fatti": raw, "rilievi": _findings(result.findings), "regole": ran}


def _rules_that_ran(result: Audit) -> set[str]:
    from capitolato.rules.registry import all_rules

    skipped = {item.code for item in result.not_run} | set(result.not_applicable)
    return {code for code, rule in all_rules().items() if rule.check is not None and code not in skipped}


def _social_cpv(cpv: Sequence[str]) -> bool | None:
    from capitolato.model.facts import is_social_cpv

    valid = [code for code in cpv if re.fullmatch(r"\d{8}(?:-\d)?", code)]
    return any(is_social_cpv(code) for code in valid) if valid else None


def _grid_points(result: Audit, words: Sequence[str]) -> float | None:
    """Points of the grid criteria whose label names the subject (None: no grid was read). A criterion counts once
    with its sub-criteria: those of «a.4 – Sistema di valutazione dell'impatto sociale» are not counted again."""
    if result.grid is None:
        return None
    pattern = re.compile("|".join(words), re.IGNORECASE)
    total, counted = Decimal(0), None
    for row in result.grid.rows:
        if counted is not None and row.level > counted:
            continue
        counted = row.level if pattern.search(row.label) else None
        total += row.points if counted is not None else 0
    return float(total)


QUALIFICATION = re.compile(r"\s+[—–-]\s+|,\s+|\s+\(")


def authority_name(name: str | None) -> str | None:
    """The authority without the qualification after a dash, a comma or a bracket («Comune di Melzo — capofila
    dell'Ambito distrettuale 5» → «Comune di Melzo»): a spec and a document of one authority aggregate together."""
    return QUALIFICATION.split(name, maxsplit=1)[0].strip() if name else name


@cache
def _authority_pattern() -> re.Pattern[str]:
    starts = "|".join(re.escape(word) for word in package_data("osservatorio.yaml")["ente_documento"]["inizi"])
    link = r"di|del|della|dello|dei|degli|delle|d[’']\w+|dell[’']\w+|e"
    return re.compile(rf"\b(?:{starts})\b(?:[ \t]+(?:[A-Z][\w’'.-]*|{link})(?![\w’']))*")


def _authority(result: Audit) -> str | None:
    """The authority named near the top (a comune, an azienda…), the most frequent denomination; never a person."""
    settings = package_data("osservatorio.yaml")["ente_documento"]
    excluded = set(settings["escluse"])
    names: list[str] = []
    for unit in result.units[:settings["righe"]]:
        for match in _authority_pattern().finditer(unit.text):
            words = match.group(0).split()
            cut = next((i for i, word in enumerate(words) if i and word in excluded), len(words))
            words = words[:cut]
            while len(words) > 1 and (words[-1].islower() or words[-1] in excluded):
                words.pop()
            if len(words) > 1 and " ".join(words) not in settings["nomi_esclusi"]:
                names.append(" ".join(words))
    if not names:
        return None
    counts = Counter(names)
    return max(counts, key=lambda name: (counts[name], " di " in name, len(name)))


def _title(result: Audit) -> str:
    """The document's subject: the first line that names an award, a service or a supply (else its title)."""
    pattern = re.compile(package_data("osservatorio.yaml")["oggetto_documento"], re.IGNORECASE)
    for unit in result.units[:80]:
        text = " ".join(unit.text.split())
        if 25 <= len(text) <= 300 and pattern.search(text):
            return text
    return " ".join((result.document.title or result.path.name).split())[:200]


def reading_order(names: Sequence[str]) -> list[int]:
    """Indexes of a tender's files in the order their facts are taken: bando and disciplinare before the rest."""
    order = package_data("osservatorio.yaml")["ordine_documenti"]

    def rank(name: str) -> int:
        lowered = name.lower()
        return next((i for i, word in enumerate(order) if word in lowered), len(order))

    return sorted(range(len(names)), key=lambda i: (rank(names[i]), names[i]))


def _findings(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    return [{"codice": f.code, "nome": f.name, "gravita": f.severity.value, "messaggio": f.message,
             "posizione": str(f.location), "derogato": f.derogated} for f in findings]


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


# --- from readings to the tender's row -------------------------------------------------------------------------

def merged_facts(readings: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One tender's facts from its files, in file order: the first value found wins; a yes in any file is a yes."""
    merged: dict[str, Any] = {}
    for reading in readings:
        for key, value in reading["fatti"].items():
            if isinstance(value, bool) and merged.get(key) is False:
                merged[key] = value
            elif isinstance(value, list):
                merged[key] = list(dict.fromkeys([*merged.get(key, []), *value]))
            elif merged.get(key) is None:
                merged[key] = value
    return merged


def rules_ran(readings: Sequence[dict[str, Any]]) -> set[str] | None:
    """Codes that ran on at least one file; None when a spec ran the whole catalogue."""
    if any(reading["regole"] is None for reading in readings):
        return None
    return {code for reading in readings for code in reading["regole"]}


def indicators(raw: dict[str, Any], findings: Sequence[dict[str, Any]], ran: set[str] | None) -> dict[str, Any]:
    """The indicators of one tender (data/osservatorio.yaml, `indicatori`), from its merged facts and findings."""
    data = package_data("osservatorio.yaml")
    live = [f for f in findings if not f["derogato"]]
    codes = {f["codice"] for f in live}
    base, labour = raw.get("base"), raw.get("manodopera")
    share = round(labour / base * 100, 2) if base and labour is not None else None
    economic, total = raw.get("punti_economici"), raw.get("punti_totali")
    cap = raw.get("tetto_economico") or legal_value("tetto_punteggio_economico", raw)
    levels = raw.get("livelli_governance")
    count, complete = raw.get("indicatori_impatto"), raw.get("indicatori_baseline_target")
    shared = raw.get("amministrazione_condivisa")
    vocabulary = set(data["regole_lessico_appalti"])
    return {
        "clausola_sociale": raw.get("clausola_sociale"),
        "clausola_sociale_ben_formata": bool(raw.get("clausola_sociale"))
        and not codes & set(data["regole_clausola_sociale"]),
        "ccnl_indicato": raw.get("ccnl"),
        "manodopera_indicata": labour is not None,
        "quota_manodopera": share,
        "alta_intensita": raw["alta_intensita"] if raw.get("alta_intensita") is not None else
        (share >= legal_value("quota_alta_intensita", raw) if share is not None else None),
        "servizi_persona": raw.get("servizi_persona"),
        "servizi_sociali": raw.get("servizi_sociali"),
        "amministrazione_condivisa": shared,
        "oepv": raw.get("criterio") == "oepv" if raw.get("criterio") else None,
        "prezzo_fisso": raw.get("criterio") == "prezzo-fisso" if raw.get("criterio") else None,
        "punti_tecnici": raw.get("punti_tecnici"),
        "punti_economici": economic,
        "quota_punti_economici": round(economic / total * 100, 2) if economic is not None and total else None,
        "al_tetto_economico": economic >= cap if economic is not None else None,
        "punti_valutazione_impatto": raw.get("punti_valutazione_impatto"),
        "punti_stabilita_occupazionale": raw.get("punti_stabilita_occupazionale"),
        "matrice_governance": levels > 0 if levels is not None else raw.get("governance"),
        "livelli_governance": levels,
        "indicatori_impatto": count,
        "quota_indicatori_baseline_target": (round(complete / count * 100, 2) if count else 0.0)
        if count is not None else None,
        "avviso_senza_lessico_appalti": (not codes & vocabulary if ran is None or ran & vocabulary else None)
        if shared else None,
        "giorni_pubblicazione": raw.get("giorni_pubblicazione"),
        "rilievi_errore": sum(f["gravita"] == "error" for f in live),
        "rilievi_avviso": sum(f["gravita"] == "warning" for f in live),
    }


def legal_value(key: str, raw: dict[str, Any]) -> float:
    """A legal value (capitolato/data/legge.yaml) on the tender's date, or today when the date was not found."""
    import datetime as dt

    from capitolato.model import law

    day = dt.date.fromisoformat(raw["data_pubblicazione"]) if raw.get("data_pubblicazione") else dt.date.today()
    return float(law.number(key, day))


def service_kind(cpv: Sequence[str]) -> str:
    data = package_data("osservatorio.yaml")
    for code in cpv:
        for kind in data["tipi_servizio"]:
            if any(code.startswith(prefix) for prefix in kind["prefissi"]):
                return kind["nome"]
    return data["altri_servizi"]
