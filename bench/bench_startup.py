"""Time the CLI's start as fresh processes: `capitolato --help`, a command's help, a usage error, `rules list`.

Run from the repository root: ``python bench/bench_startup.py [--runs N] [--confronta ALTRA_CARTELLA]``. With
``--confronta`` the same cases run, alternated, on another checkout (e.g. main before a change), so both see the
same load of the machine. Wall time and CPU time (user + system) of the child are printed: on a busy machine the
CPU time is the steadier figure. The Italian help must not make the start slower.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "capitolato --help": ["--help"],
    "capitolato build --help": ["build", "--help"],
    "capitolato rules list --xx (errore d'uso)": ["rules", "list", "--xx"],
    "capitolato rules list": ["rules", "list"],
    "capitolato --version": ["--version"],
}


def run(root: Path, arguments: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh `python -m capitolato …` in `root`."""
    env = {**os.environ, "COLUMNS": "120", "PYTHONPATH": str(root)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "capitolato", *arguments], capture_output=True, cwd=root, env=env,
                   check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def line(label: str, samples: list[tuple[float, float]]) -> str:
    def figures(values: list[float]) -> str:
        ms = [v * 1000 for v in values]
        return f"min {min(ms):6.1f} · mediana {statistics.median(ms):6.1f} · max {max(ms):6.1f} ms"

    return (f"{label:<44} tempo {figures([s[0] for s in samples])} | CPU {figures([s[1] for s in samples])} "
            f"({len(samples)} esecuzioni)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--confronta", type=Path, help="un'altra copia del progetto da misurare a turno")
    options = parser.parse_args()
    roots = {"questa copia": ROOT}
    if options.confronta:
        roots["confronto"] = options.confronta.resolve()
    for label, arguments in CASES.items():
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in roots}
        for name, root in roots.items():
            run(root, arguments)
        for _ in range(options.runs):
            for name, root in roots.items():
                samples[name].append(run(root, arguments))
        for name in roots:
            print(line(f"{label} [{name}]" if options.confronta else label, samples[name]))


if __name__ == "__main__":
    main()
