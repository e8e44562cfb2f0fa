"""`capitolato osservatorio` end to end: one database row per tender, incremental re-reading by content hash,
ranking with reasons, open data, unreadable tenders reported without stopping the others, the output guard."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from capitolato.observatory import load_guidelines, observe
from tests.observatory.conftest import EXAMPLE_NAMES, invoke


def rows(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def observed(archive: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("osservatorio") / "out"
    result = invoke("osservatorio", archive, "-o", out, "-j", "2")
    assert result.exit_code == 0, result.output
    return out


def test_one_row_per_tender_with_its_facts(observed: Path, archive: Path) -> None:
    database = observed / "osservatorio.duckdb"
    tenders = rows(database, "SELECT fonte, count(*) FROM gare GROUP BY fonte ORDER BY fonte")
    assert tenders == [("documento", 1), ("spec", len(EXAMPLE_NAMES) + 7)]
    assert rows(database, "SELECT count(*) FROM gare WHERE stato <> 'letta'") == [(0,)]
    melzo = rows(database, "SELECT punti_economici, punti_valutazione_impatto, punti_stabilita_occupazionale, "
                           "livelli_governance, quota_indicatori_baseline_target, ccnl_indicato, quota_manodopera, "
                           "alta_intensita, clausola_sociale_ben_formata, anno, procedura, tipo_servizio "
                           "FROM gare WHERE percorso LIKE '%esempi/melzo-servizi-persona/capitolato.yaml'")
    assert melzo == [(20.0, 10.0, 6.0, 3.0, 100.0, True, 70.0, True, True, 2026, "aperta",
                      "assistenza domiciliare e servizi sociali")]
    documents = rows(database, "SELECT file, punti_economici, punti_tecnici, ccnl_indicato, punti_valutazione_impatto, "
                               "punti_stabilita_occupazionale FROM gare WHERE fonte = 'documento'")
    assert documents[0][0] >= 2, "the capitolato and the disciplinare built from Melzo are one tender"
    assert documents[0][1:] == (20.0, 80.0, True, 10.0, 6.0), "the same facts read back from the built Word files"
    files = rows(database, "SELECT count(*), count(DISTINCT sha256) FROM file")
    assert files[0][0] == len(list(archive.rglob("capitolato.yaml"))) + len(list(archive.rglob("*.docx")))


def test_aggregates_by_authority_year_route_and_service(observed: Path) -> None:
    database = observed / "osservatorio.duckdb"
    by_route = dict(rows(database, "SELECT procedura, gare FROM per_procedura"))
    assert by_route["aperta"] >= 2 and by_route["coprogettazione-art55"] == 2
    assert sum(by_route.values()) == rows(database, "SELECT count(*) FROM gare")[0][0]
    assert rows(database, "SELECT count(*) FROM per_anno WHERE anno IS NULL") == [(0,)]
    share = rows(database, "SELECT al_tetto_economico_pct FROM per_ente WHERE ente = 'Comune di Prova'")
    assert share and 0 <= share[0][0] <= 100
    # The Melzo spec names «Comune di Melzo — capofila dell'Ambito distrettuale 5», its built documents «Comune di
    # Melzo»: one authority, one row.
    assert rows(database, "SELECT gare FROM per_ente WHERE ente LIKE '%Melzo%'") == [(2,)]


def test_ranking_with_reasons(observed: Path) -> None:
    database = observed / "osservatorio.duckdb"
    ranked = rows(database, "SELECT posizione, punteggio FROM gare ORDER BY posizione")
    assert [r[0] for r in ranked] == list(range(1, len(ranked) + 1))
    assert [r[1] for r in ranked] == sorted((r[1] for r in ranked), reverse=True)
    melzo = rows(database, "SELECT e.linea_guida, e.esito FROM esiti e JOIN gare g ON g.id = e.gara "
                           "WHERE g.percorso LIKE '%esempi/melzo-servizi-persona/capitolato.yaml' ORDER BY 1")
    assert dict(melzo) == {code: "rispettata" for code in ("LG01", "LG02", "LG03", "LG04", "LG05", "LG06", "LG07",
                                                           "LG08", "LG11")}
    sieg = dict(rows(database, "SELECT e.linea_guida, e.esito FROM esiti e JOIN gare g ON g.id = e.gara "
                               "WHERE g.percorso LIKE '%sieg-trasporto-sociale/capitolato.yaml'"))
    assert sieg["LG07"] == "mancata" and sieg["LG08"] == "mancata"


def test_open_data_in_csv_and_parquet(observed: Path) -> None:
    count = rows(observed / "osservatorio.duckdb", "SELECT count(*) FROM gare")[0][0]
    with (observed / "dati" / "gare.csv").open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == count and {"ente", "punteggio", "posizione", "clausola_sociale"} <= set(table[0])
    parquet = duckdb.sql(f"SELECT count(*) FROM read_parquet('{observed / 'dati' / 'gare.parquet'}')").fetchall()[0]
    assert parquet == (count,)
    chart = (observed / "dati" / "grafico-graduatoria.csv").read_text(encoding="utf-8")
    assert next(csv.reader(io.StringIO(chart))) == ["posizione", "gara", "punteggio"]
    assert len(chart.strip().splitlines()) == count + 1


def test_second_run_rereads_only_the_changed_file(small_archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = observe([small_archive], out, load_guidelines())
    assert len(first.read) == 3 and first.reused == []
    changed = small_archive / "sieg-trasporto-sociale" / "capitolato.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("versione: 1", "versione: 1\n# rivisto"),
                       encoding="utf-8")
    second = observe([small_archive], out, load_guidelines())
    assert second.read == [str(changed.resolve())]
    assert len(second.reused) == 2
    database = out / "osservatorio.duckdb"
    assert rows(database, "SELECT percorso FROM file WHERE esecuzione = 2") == [(str(changed.resolve()),)]
    assert rows(database, "SELECT count(*) FROM gare") == [(3,)]
    third = observe([small_archive], out, load_guidelines())
    assert third.read == [] and len(third.reused) == 3


def test_a_removed_tender_leaves_the_database(small_archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    observe([small_archive], out, load_guidelines())
    (small_archive / "sieg-trasporto-sociale" / "capitolato.yaml").unlink()
    observe([small_archive], out, load_guidelines())
    assert rows(out / "osservatorio.duckdb", "SELECT count(*) FROM gare") == [(2,)]


def test_unreadable_tenders_are_reported_and_the_others_go_on(small_archive: Path, tmp_path: Path) -> None:
    broken = small_archive / "rotta"
    broken.mkdir()
    (broken / "capitolato.yaml").write_text("versione: 1\nprocedura: [\n", encoding="utf-8")
    damaged = small_archive / "pdf-rotto"
    damaged.mkdir()
    (damaged / "bando.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 200)
    out = tmp_path / "out"
    result = invoke("osservatorio", small_archive, "-o", out, "-j", "2")
    assert result.exit_code == 2, result.output
    assert "rotta/capitolato.yaml:3" in result.output and "bando.pdf" in result.output
    progress = [line for line in result.output.splitlines() if line.startswith(("• ", "✗ "))]
    assert len(progress) == 5 and sum(line.startswith("✗ ") for line in progress) == 2, "one line per file read"
    states = dict(rows(out / "osservatorio.duckdb", "SELECT stato, count(*) FROM gare GROUP BY stato"))
    assert states == {"letta": 3, "illeggibile": 2}
    assert (out / "osservatorio.html").is_file()


def test_existing_outputs_of_others_are_not_overwritten(small_archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "osservatorio.html").write_text("di un collega", encoding="utf-8")
    result = invoke("osservatorio", small_archive, "-o", out)
    assert result.exit_code == 2 and "--force" in result.output
    assert (out / "osservatorio.html").read_text(encoding="utf-8") == "di un collega"
    assert not (out / "osservatorio.duckdb").exists()
    assert invoke("osservatorio", small_archive, "-o", out, "--force").exit_code == 0
    assert invoke("osservatorio", small_archive, "-o", out).exit_code == 0, "its own outputs are replaced"
    (out / "dati" / "gare.csv").write_text("modificato a mano", encoding="utf-8")
    result = invoke("osservatorio", small_archive, "-o", out)
    assert result.exit_code == 2 and "gare.csv" in result.output
    assert (out / "dati" / "gare.csv").read_text(encoding="utf-8") == "modificato a mano"


def test_a_foreign_database_is_kept(small_archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "osservatorio.duckdb").write_bytes(b"non un database")
    result = invoke("osservatorio", small_archive, "-o", out)
    assert result.exit_code == 2 and "osservatorio.duckdb" in result.output
    assert (out / "osservatorio.duckdb").read_bytes() == b"non un database"


def test_a_path_without_tenders_exits_2(tmp_path: Path) -> None:
    (tmp_path / "vuota").mkdir()
    result = invoke("osservatorio", tmp_path / "vuota", "-o", tmp_path / "out")
    assert result.exit_code == 2 and "nessun capitolato.yaml" in result.output
    assert not (tmp_path / "out" / "osservatorio.duckdb").exists()


def test_a_changed_clause_library_rereads_the_spec_that_names_it(small_archive: Path, tmp_path: Path) -> None:
    """A spec's result depends on the ente's clause library it names: changing that folder re-reads the spec."""
    spec = small_archive / "melzo-servizi-persona" / "capitolato.yaml"
    library = spec.parent / "clausole-ente"
    library.mkdir()
    (library / "LEGGIMI.txt").write_text("clausole dell'ente\n", encoding="utf-8")
    spec.write_text(spec.read_text(encoding="utf-8") + "\nlibreria: clausole-ente\n", encoding="utf-8")
    out = tmp_path / "out"
    first = observe([small_archive], out, load_guidelines())
    assert len(first.read) == 3 and not first.failed
    (library / "LEGGIMI.txt").write_text("clausole dell'ente, riviste\n", encoding="utf-8")
    second = observe([small_archive], out, load_guidelines())
    assert second.read == [str(spec.resolve())] and len(second.reused) == 2


def test_a_changed_reading_code_rereads_every_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stored readings depend on the tool's code as well as its data: an extraction fixed in the code is
    applied to the files already in the database."""
    from capitolato.observatory import extract

    package = tmp_path / "capitolato"
    (package / "observatory").mkdir(parents=True)
    (package / "observatory" / "extract.py").write_text("ENTE = 1\n", encoding="utf-8")
    (package / "data.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setattr(extract, "PACKAGE", package)
    extract.fingerprint.cache_clear()
    before = extract.fingerprint()
    (package / "observatory" / "extract.py").write_text("ENTE = 2\n", encoding="utf-8")
    extract.fingerprint.cache_clear()
    assert extract.fingerprint() != before
    extract.fingerprint.cache_clear()
