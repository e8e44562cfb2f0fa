"""Batch figure (issues 8 and 21): N copies of the shipped examples built with `capitolato build -j 2`.

Prints min/median/max wall time over repeated runs and the peak resident memory of the parent process and of its
worker processes, as each measures itself (`resource.getrusage` at the end of the run: RUSAGE_SELF for the parent,
RUSAGE_CHILDREN for the largest worker it waited for). Run from the repository root:
``python bench/bench_batch.py [TENDERS] [RUNS] [BASE]`` (default 100 tenders, 3 runs; BASE, a checkout of an
earlier version, is run alternately with this one: before and after in the same run). The batch runs as a CI job that
makes drafts would: `CAPITOLATO_INDICE=campo`, the Word index keeps its field; set CAPITOLATO_INDICE to any other
value in the environment to measure the default, every document laid out by LibreOffice for its index page numbers.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent for p in (REPO / "examples").glob("*/capitolato.yaml"))

# The CLI in this process (run from the scratch folder, so PYTHONPATH chooses the code); at exit it prints its own peak memory and that of its largest worker (both in KB).
PROBE = """
import atexit, json, resource, sys
def peaks():
    print("PEAKS " + json.dumps([resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                 resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]), file=sys.stderr)
atexit.register(peaks)
sys.argv = ["capitolato", *sys.argv[1:]]
from capitolato.cli.app import main
main()
"""


def make_tenders(root: Path, count: int) -> None:
    for index in range(count):
        source = EXAMPLES[index % len(EXAMPLES)]
        shutil.copytree(source, root / f"gara-{index:03d}")


def environment(cache: Path, base: Path | None) -> dict[str, str]:
    """A user's shell: caches on, bytecode written (PYTHONDONTWRITEBYTECODE dropped), deterministic dates."""
    env = {"CI": "true", "PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"),
           "SOURCE_DATE_EPOCH": "1767225600", "XDG_CACHE_HOME": str(cache)}
    if base is not None:
        env["PYTHONPATH"] = str(base)
    env["CAPITOLATO_INDICE"] = os.environ.get("CAPITOLATO_INDICE", "campo")
    return env


def one_run(root: Path, out: Path, base: Path | None = None) -> tuple[float, int, int]:
    start = time.perf_counter()
    cache = root.parent / ("cache-prima" if base else "cache")
    result = subprocess.run([sys.executable, "-c", PROBE, "build", str(root), "-o", str(out), "-j", "2", "-q"],
                            capture_output=True, text=True, env=environment(cache, base), check=False,
                            cwd=root.parent)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build → {result.returncode}\n{result.stderr}")
    line = next(line for line in result.stderr.splitlines() if line.startswith("PEAKS "))
    parent, worker = json.loads(line.removeprefix("PEAKS "))
    return elapsed, parent, worker


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    base = Path(sys.argv[3]).resolve() if len(sys.argv) > 3 else None
    variants = {"questa versione": None, **({"prima": base} if base else {})}
    figures: dict[str, tuple[list[float], list[float], list[float]]] = {name: ([], [], []) for name in variants}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "gare"
        make_tenders(root, count)
        for name, code in variants.items():
            one_run(root, Path(scratch) / f"warm-up-{len(name)}", code)
        for run in range(runs):
            for name, code in variants.items():
                elapsed, parent, worker = one_run(root, Path(scratch) / f"out-{run}-{len(name)}", code)
                samples, parents, workers = figures[name]
                samples.append(elapsed)
                parents.append(parent / 1024)
                workers.append(worker / 1024)
        built = len(list((Path(scratch) / f"out-0-{len('questa versione')}").rglob("*.docx")))
    for name, (samples, parents, workers) in figures.items():
        print(f"[{name}] {count} gare ({built} documenti .docx) con -j 2: min {min(samples):.2f} s · mediana "
              f"{statistics.median(samples):.2f} s · max {max(samples):.2f} s ({runs} esecuzioni, dopo una di "
              "riscaldamento)")
        print(f"[{name}] memoria massima (RSS) del processo di lavoro più grande: min {min(workers):.0f} MB · "
              f"mediana {statistics.median(workers):.0f} MB · max {max(workers):.0f} MB; del processo principale: "
              f"mediana {statistics.median(parents):.0f} MB")


if __name__ == "__main__":
    main()
