"""docs/rules.md, generated from the registry and the rule cases: `python -m capitolato.rules.docs [FILE]`."""

from __future__ import annotations

import sys
from pathlib import Path

from capitolato.model import law
from capitolato.rules.examples import cases_for, dump
from capitolato.rules.registry import FAMILIES, Rule, Status, all_rules

DOCS_FILE = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
HEADER = """\
# Regole di `capitolato check`

<!-- Generato da `python -m capitolato.rules.docs`: non modificare a mano. -->

Ogni regola ha un codice stabile (famiglia + numero), un nome, una gravità predefinita (errore, avviso,
informazione), la base giuridica con lo stato di verifica (V verificata, 2023 testo originario del Codice,
TV da verificare, D scelta di progetto) e una correzione suggerita. Le regole marcate «verifica documentale»
non si decidono da spec e libreria: sono documentate ma non eseguite. Gli esempi sono frammenti applicati
all'esempio di Melzo (`examples/melzo-servizi-persona`) o a una base di `capitolato/rules/cases/bases.yaml`.

Selezione: `--select`/`--ignore` (codici o famiglie), `controlli: {seleziona, ignora}` nello spec,
`[tool.capitolato]` in `pyproject.toml` o `select`/`ignore` in `capitolato.toml`. Deroghe: `deroghe:` nello spec
o `# capitolato: deroga CODICE — motivazione` sulla riga.
"""


def law_values_markdown(keys: tuple[str, ...]) -> list[str]:
    """The dated legal values a rule or clause applies, each period with its source (capitolato/data/legge.yaml)."""
    if not keys:
        return []
    lines = ["Valori di legge (scelti con `procedura.data_pubblicazione`):", ""]
    for key in keys:
        lines.append(f"- {law.history(key)[0].description} (`{key}`):")
        lines += [f"  - {line}" for line in law.describe(key)]
    return [*lines, ""]


def law_values_text(keys: tuple[str, ...]) -> list[str]:
    """The same as plain lines, for the terminal (where long list items would be cut)."""
    lines = []
    for key in keys:
        lines.append(f"{law.history(key)[0].description} ({key}):")
        lines += [f"  • {line}" for line in law.describe(key)]
    return lines


def rule_markdown(rule: Rule, *, with_values: bool = True) -> str:
    lines = [f"### {rule.code} — {rule.title}", "", f"Identificativo: `{rule.name}`", "",
             f"**{rule.message}** — {rule.severity.label}; stato: {rule.status.value} ({rule.status.explanation})"
             + ("; **verifica documentale** (non eseguita)" if rule.needs_document_audit else ""), "",
             rule.rationale, "", "Base giuridica: " + "; ".join(
                 f"[{b.citation}]({b.url})" if b.url else b.citation for b in rule.basis), "",
             f"Correzione: {rule.fix}", "", *(law_values_markdown(rule.values) if with_values else [])]
    for case in cases_for(rule.code):
        label = "Rileva" if case.fires else "Non rileva"
        note = f" — {case.note}" if case.note else ""
        base = f" (base `{case.base}`)" if case.base != "melzo" else ""
        fragment = dump(case.spec).strip() if case.spec else "# l'esempio così com'è"
        lines += [f"{label}{base}{note}:", "", "```yaml", fragment, "```", ""]
    return "\n".join(lines)


def render() -> str:
    rules = all_rules()
    parts = [HEADER, "| Codice | Nome | Gravità | Famiglia | Stato |", "| --- | --- | --- | --- | --- |"]
    parts += [f"| [{r.code}](#{r.code.lower()}) | {r.title} | {r.severity.label} | {FAMILIES[r.family]} | "
              f"{r.status.value}{' · audit' if r.needs_document_audit else ''} |" for r in rules.values()]
    parts += ["", "Stato della base giuridica: " + "; ".join(f"**{s.value}** {s.explanation}" for s in Status)
              + "; **audit** la regola si decide sui documenti prodotti (verifica documentale) e non è eseguita."]
    for family, title in FAMILIES.items():
        parts += ["", f"## {family} — {title}", ""]
        parts += [f'<a id="{r.code.lower()}"></a>\n\n{rule_markdown(r)}' for r in rules.values() if r.family == family]
    return "\n".join(parts).rstrip() + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else DOCS_FILE
    target.write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
