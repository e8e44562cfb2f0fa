"""Batch figure of issue 8: N copies of the shipped examples built with `capitolato build -j 2`.

Prints min/median/max wall time over repeated runs and the peak resident memory of the worker processes.
Run from the repository root: ``python bench/bench_batch.py [TENDERS] [RUNS]`` (default 100 tenders, 3 runs).
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent for p in (REPO / "examples").glob("*/capitolato.yaml"))


def make_tenders(root: Path, count: int) -> None:
    for index in range(count):
        source = EXAMPLES[index % len(EXAMPLES)]
        shutil.copytree(source, root / f"gara-{index:03d}")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    capitolato = shutil.which("capitolato") or str(Path(sys.executable).parent / "capitolato")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "gare"
        make_tenders(root, count)
        samples = []
        for run in range(runs):
            out = Path(scratch) / f"out-{run}"
            start = time.perf_counter()
            subprocess.run([capitolato, "build", str(root), "-o", str(out), "-j", "2", "-q"], check=True,
                           capture_output=True, env={"CI": "true", "PATH": "/usr/bin:/bin"})
            samples.append(time.perf_counter() - start)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        built = len(list((Path(scratch) / "out-0").rglob("*.docx")))
    print(f"{count} gare ({built} documenti .docx) con -j 2: min {min(samples):.2f} s · mediana "
          f"{statistics.median(samples):.2f} s · max {max(samples):.2f} s ({runs} esecuzioni)")
    print(f"memoria massima di un processo figlio (RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
