"""Time `capitolato osservatorio`: tenders per second for specs and for PDFs, the incremental re-run, and the size of
the database for 1,000 synthetic tenders.

Run from the repository root: ``python bench/bench_osservatorio.py [--tenders 1000] [--jobs 2]``. The synthetic
tenders are the shipped examples with another authority, year and base amount (so their rows differ); the PDFs are
the real package in shared/real-tenders when present (or any folder given with ``--pdf``).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from capitolato.observatory import load_guidelines, observe  # noqa: E402

EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "capitolato.yaml").is_file())
REAL = Path("/work/shared/real-tenders")


def synthetic_archive(folder: Path, count: int) -> list[Path]:
    """`count` specs made from the examples: authority «Comune di Prova N», year 2024–2026, base amount varied."""
    sources = [(p.name, (p / "capitolato.yaml").read_text(encoding="utf-8")) for p in EXAMPLES]
    written = []
    for index in range(count):
        name, text = sources[index % len(sources)]
        text = re.sub(r"^  nome: .*$", f"  nome: Comune di Prova {index % 40 + 1}", text, count=1, flags=re.MULTILINE)
        text = re.sub(r"data_pubblicazione: 20\d\d", f"data_pubblicazione: {2024 + index % 3}", text, count=1)
        target = folder / f"{index:04d}-{name}" / "capitolato.yaml"
        target.parent.mkdir(parents=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def timed_run(paths: list[Path], out: Path, jobs: int) -> tuple[float, object]:
    start = time.perf_counter()
    observation = observe(paths, out, load_guidelines(), jobs=jobs)
    return time.perf_counter() - start, observation


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenders", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--pdf", type=Path, default=REAL)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        specs = synthetic_archive(root / "gare", args.tenders)
        seconds, observation = timed_run([root / "gare"], root / "out", args.jobs)
        size = (root / "out" / "osservatorio.duckdb").stat().st_size
        print(f"spec: {len(observation.tenders)} gare in {seconds:.1f} s = {len(observation.tenders) / seconds:.1f} "
              f"gare/s (-j {args.jobs}, rapporto e dati aperti compresi)")
        print(f"database per {len(observation.tenders)} gare: {size / 1e6:.1f} MB "
              f"(rilievi: {sum(len(f) for f in observation.findings.values())})")
        changed = specs[len(specs) // 2]
        changed.write_text(changed.read_text(encoding="utf-8") + "\n# rivisto\n", encoding="utf-8")
        seconds, observation = timed_run([root / "gare"], root / "out", args.jobs)
        print(f"rilettura incrementale (1 file cambiato su {len(specs)}): {seconds:.1f} s, "
              f"{len(observation.read)} letto, {len(observation.reused)} invariati")
        seconds, observation = timed_run([root / "gare"], root / "out", args.jobs)
        print(f"rilettura senza cambiamenti: {seconds:.1f} s")
        if args.pdf.is_dir():
            seconds, observation = timed_run([args.pdf], root / "pdf", args.jobs)
            files = len(observation.read)
            print(f"PDF: {len(observation.tenders)} gare ({files} file) in {seconds:.1f} s = "
                  f"{len(observation.tenders) / seconds:.2f} gare/s, {files / seconds:.2f} file/s (-j {args.jobs})")


if __name__ == "__main__":
    main()
