"""EXP: what the eForms export needs; most of it is checked on the generated notice (document audit)."""

from __future__ import annotations

from collections.abc import Iterable

from capitolato.library.model import Family
from capitolato.rules.context import Context
from capitolato.rules.finding import Finding, Severity
from capitolato.rules.registry import EFORMS, Basis, Status, audit_rule, rule

SOCIAL_FAMILIES = frozenset({Family.SOCIAL, Family.EQUAL_OPPORTUNITIES, Family.RESERVED, Family.CCNL})
SDK = Basis("eForms SDK 1.15", EFORMS)


@rule("EXP001", "social-objective-flags", Severity.INFO, "Segnalare l'obiettivo sociale nell'avviso",
      rationale="Se il bando ha clausole sociali, l'avviso eForms dovrebbe dichiarare l'appalto strategico "
                "(BT-06 soc-obj) con l'obiettivo sociale (BT-775): lo ricava dalle clausole che ne indicano il codice.",
      basis=[SDK], status=Status.VERIFIED, fix="indicare eforms.bt775 nelle clausole sociali dell'ente")
def social_objective_flags(ctx: Context) -> Iterable[Finding]:
    clauses = [ctx.library.get(cid) for cid in ctx.clause_ids()]
    social = [c for c in clauses if c is not None and c.family in SOCIAL_FAMILIES]
    if social and not any(c.eforms.bt775 for c in social):
        yield ctx.finding(ctx.section("clausole"), "nessuna clausola sociale indica un codice BT-775")


audit_rule("EXP002", "strategic-description", Severity.ERROR, "Descrizione dell'appalto strategico obbligatoria",
           rationale="Quando BT-06 non è «none», i moduli 7–40 ed E3–E5 richiedono la descrizione BT-777: si "
                     "controlla sull'avviso generato.",
           basis=[SDK], status=Status.VERIFIED, fix="compilare la descrizione dell'obiettivo sociale nell'esportazione")
audit_rule("EXP003", "reserved-codes", Severity.ERROR, "Codici di riserva mancanti nell'avviso",
           rationale="Un appalto riservato porta BT-71 (res-ws, res-pub-ser) nei moduli 7–22 e BT-736 nei moduli "
                     "7–22 e CEI: si controlla sull'avviso generato.",
           basis=[SDK], status=Status.VERIFIED, fix="verificare BT-71 e BT-736 nell'avviso esportato")
audit_rule("EXP004", "weight-export", Severity.ERROR, "Pesi non esportabili",
           rationale="I pesi esportati devono tornare (per-exa 100, dec-exa 1,00) e il prezzo fisso va esportato "
                     "come BT-5422 fix-tot: si controlla sull'avviso generato.",
           basis=[SDK], status=Status.VERIFIED, fix="verificare BT-541/BT-5421/BT-5422 nell'avviso esportato")
