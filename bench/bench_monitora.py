"""Time `capitolato monitora`: on the Melzo example and on 100 indicators × 5 years of monthly measurements.

Run from the repository root: ``python bench/bench_monitora.py [--runs N]``. It also shows that `--help` and
`check` do not import matplotlib or openpyxl (only `monitora` pays for them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ruamel.yaml import YAML  # noqa: E402
from timing import report, timed  # noqa: E402

from capitolato.monitor import monitor_tender  # noqa: E402
from capitolato.monitor.outputs import Format, write_outputs  # noqa: E402
from capitolato.spec.load import load_spec  # noqa: E402

EXAMPLE = ROOT / "examples" / "melzo-servizi-persona"
INDICATORS, YEARS = 100, 5
HEAVY = ("matplotlib", "openpyxl")


def synthetic_tender(folder: Path) -> Path:
    """Melzo with 100 monthly indicators over a 60-month contract and one measurement per indicator and month."""
    yaml = YAML()
    data = yaml.load((EXAMPLE / "capitolato.yaml").read_text(encoding="utf-8"))
    data["procedura"]["durata_mesi"] = YEARS * 12
    start = data["procedura"]["inizio_esecuzione"]
    impact = data["valutazione_impatto"]
    impact["indicatori"] = [{
        "codice": f"I{n}", "nome": f"Indicatore sintetico {n}", "livello": "outcome", "misura": "quantitativa",
        "unita": "persone", "baseline": {"valore": 100, "data": start}, "target": {"valore": 200 if n % 3 else 50,
        "data": dt.date(start.year + YEARS, 6, 30)}, "fonte": "registro", "frequenza": "mensile",
        "rilevatore": "aggiudicatario", "misura_di": ["obiettivo"] if n % 2 else ["S1"]}
        for n in range(1, INDICATORS + 1)]
    tender = folder / "sintetica"
    (tender / "misure").mkdir(parents=True)
    with (tender / "capitolato.yaml").open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    rows = ["indicatore;data;valore;fonte"]
    for n in range(1, INDICATORS + 1):
        for month in range(YEARS * 12):
            day = _month_end(start.year, start.month + month)
            value = 100 + (month * (n % 7 + 1) / 3 if n % 3 else -month * (n % 5) / 4)
            rows.append(f"I{n};{day:%d/%m/%Y};{value:.1f}".replace(".", ",") + ";registro")
    (tender / "misure" / "misure.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return tender


def _month_end(year: int, month: int) -> dt.date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def cli(tender: Path, out: Path, *formats: str) -> None:
    args = [a for f in formats for a in ("--formato", f)]
    result = subprocess.run([sys.executable, "-m", "capitolato", "monitora", str(tender), "-o", str(out), "--force",
                             *args], capture_output=True, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise SystemExit(f"monitora non riuscito: {result.stderr.decode()}")


def heavy_imports(*args: str) -> list[str]:
    """The heavy modules a fresh `capitolato …` process imports (from `python -X importtime`)."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "capitolato", *args], capture_output=True,
                            text=True, cwd=ROOT, check=False)
    names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    return sorted(names & set(HEAVY))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        spec = load_spec(EXAMPLE)
        report("Melzo: monitor_tender() in processo", timed(lambda: monitor_tender(spec), runs * 4))
        report("Melzo: processo, json+csv", timed(lambda: cli(EXAMPLE, out, "json", "csv"), runs))
        report("Melzo: processo, docx+html+json+csv", timed(lambda: cli(EXAMPLE, out), runs))
        tender = synthetic_tender(Path(scratch))
        big = load_spec(tender)
        measured = monitor_tender(big)
        print(f"gara sintetica: {len(measured.indicators)} indicatori, "
              f"{sum(len(p.series) for p in measured.indicators)} misure mensili")
        report("100 × 5 anni: monitor_tender()", timed(lambda: monitor_tender(big), runs))
        report("100 × 5 anni: processo, json+csv", timed(lambda: cli(tender, out, "json", "csv"), runs))
        report("100 × 5 anni: in processo, docx+html", timed(
            lambda: write_outputs(monitor_tender(big), out, [Format.DOCX, Format.HTML], force=True), max(1, runs // 2)))
    print(f"moduli pesanti importati da `capitolato --help`: {heavy_imports('--help') or 'nessuno'}")
    print(f"moduli pesanti importati da `capitolato check`: {heavy_imports('check', '-q', str(EXAMPLE)) or 'nessuno'}")
    print(f"moduli pesanti importati da `capitolato monitora`: "
          f"{heavy_imports('monitora', str(EXAMPLE), '-o', str(ROOT / 'build' / 'bench-monitora'), '--force')}")


if __name__ == "__main__":
    main()
